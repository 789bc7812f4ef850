package dev.baeum.web.lessons;

import dev.baeum.content.Part;
import dev.baeum.content.Quiz;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.services.accounts.User;
import dev.baeum.services.progress.ProgressRepository;
import dev.baeum.web.Catalogs;
import dev.baeum.web.Identity;
import dev.baeum.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The course home, lesson pages, quiz answers and files that lessons link to. */
public final class LessonController {

    /** Files a lesson may link to, with the content type they are served as. */
    private static final Map<String, String> ASSET_TYPES = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
            Map.entry("avif", "image/avif"), Map.entry("pdf", "application/pdf"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"));

    /** The answer to a quiz sent by the page's script; {@code saved} is false for a visitor without an identity. */
    public record QuizVerdict(boolean correct, String answer, String explanationHtml, String message, boolean saved) {
    }

    private final LessonCatalog lessons;
    private final LabCatalog labs;
    private final ProgressRepository progress;
    private final Identity identity;
    private final Views views;
    private final DockerEngine engine;

    public LessonController(Catalogs catalogs, ProgressRepository progress, Identity identity, Views views,
                            DockerEngine engine) {
        this.lessons = catalogs.lessons();
        this.labs = catalogs.labs();
        this.progress = progress;
        this.identity = identity;
        this.views = views;
        this.engine = engine;
    }

    public void course(Context ctx) {
        Optional<User> viewer = identity.viewer(ctx);
        Set<String> visited = viewer.map(u -> progress.visitedLessons(u.id())).orElse(Set.of());
        Map<String, Set<String>> correct = viewer.map(u -> progress.correctQuizzes(u.id())).orElse(Map.of());
        Map<String, Set<String>> passed = viewer.map(u -> progress.passedTasks(u.id())).orElse(Map.of());
        List<LessonPages.LessonCard> cards = new ArrayList<>();
        int number = 0;
        int tasksDone = 0;
        int tasksTotal = 0;
        for (Lesson lesson : lessons.lessons()) {
            number++;
            List<LessonPages.LabLink> labLinks = labLinks(lesson, passed);
            for (LessonPages.LabLink l : labLinks) {
                tasksDone += l.done();
                tasksTotal += l.total();
            }
            Set<String> quizIds = new TreeSet<>();
            lesson.quizzes().forEach(q -> quizIds.add(q.id()));
            Set<String> right = new TreeSet<>(correct.getOrDefault(lesson.slug(), Set.of()));
            right.retainAll(quizIds);
            cards.add(new LessonPages.LessonCard(number, lesson.slug(), lesson.title(), lesson.summary(),
                    lesson.readingMinutes(), visited.contains(lesson.slug()), right.size(), quizIds.size(), labLinks,
                    lesson.hasErrors()));
        }
        int visitedCount = (int) cards.stream().filter(LessonPages.LessonCard::visited).count();
        views.render(ctx, "lessons/course.jte", new LessonPages.CoursePage(
                views.chrome(ctx, "도커, 직접 해 보며 배우기", "course",
                        "컨테이너를 직접 띄워 보며 배우는 한국어 도커 코스"),
                cards, visitedCount, tasksDone, tasksTotal, engine.available() ? null : engine.status().problem()));
    }

    public void lesson(Context ctx) {
        Lesson lesson = lessons.find(ctx.pathParam("slug"))
                .orElseThrow(() -> new NotFoundResponse("그런 레슨은 없습니다."));
        Optional<User> viewer = identity.viewer(ctx);
        viewer.ifPresent(u -> progress.recordVisit(u.id(), lesson.slug()));
        Map<String, ProgressRepository.QuizAnswer> answers = viewer
                .map(u -> progress.latestQuizAnswers(u.id(), lesson.slug())).orElse(Map.of());
        render(ctx, lesson, viewer, answers);
    }

    private void render(Context ctx, Lesson lesson, Optional<User> viewer, Map<String, ProgressRepository.QuizAnswer> answers) {
        Map<String, Set<String>> passed = viewer.map(u -> progress.passedTasks(u.id())).orElse(Map.of());

        List<LessonPages.Block> blocks = new ArrayList<>();
        for (Part part : lesson.rendered().parts()) {
            if (part instanceof Part.Html html) {
                blocks.add(new LessonPages.Block(html.html(), null));
            } else if (part instanceof Part.QuizSlot slot) {
                blocks.add(new LessonPages.Block(null, quizView(lesson, slot.quiz(), answers.get(slot.quiz().id()))));
            }
        }
        List<Lesson> all = lessons.lessons();
        int number = all.indexOf(lesson) + 1;
        LessonPages.NavLink previous = lessons.previous(lesson).map(l -> new LessonPages.NavLink(l.slug(), l.title())).orElse(null);
        LessonPages.NavLink next = lessons.next(lesson).map(l -> new LessonPages.NavLink(l.slug(), l.title())).orElse(null);
        views.render(ctx, "lessons/lesson.jte", new LessonPages.LessonPage(
                views.chrome(ctx, lesson.title(), "course", lesson.summary()), lesson.slug(), lesson.title(),
                lesson.summary(), number, all.size(), lesson.readingMinutes(), lesson.rendered().toc(), blocks,
                labLinks(lesson, passed), lesson.references(), previous, next, lesson.errors()));
    }

    /** Checks an answer on the server; the page (or the script on it) shows the verdict and explanation. */
    public void answerQuiz(Context ctx) {
        Lesson lesson = lessons.find(ctx.pathParam("slug"))
                .orElseThrow(() -> new NotFoundResponse("그런 레슨은 없습니다."));
        Quiz quiz = lesson.quizzes().stream().filter(q -> q.id().equals(ctx.pathParam("quiz"))).findFirst()
                .orElseThrow(() -> new NotFoundResponse("그런 퀴즈는 없습니다."));
        List<String> submitted = ctx.formParams("answer");
        // Someone just reading gets the verdict but no account: a passer-by (or a bot) must not create user rows.
        Optional<User> viewer = identity.viewer(ctx);
        Quiz.Result result = quiz.check(submitted);
        viewer.ifPresent(user -> progress.recordQuizAnswer(user.id(), lesson.slug(), quiz.id(), result.shownAnswer(),
                result.correct()));
        if (wantsJson(ctx)) {
            ctx.json(new QuizVerdict(result.correct(), result.shownAnswer(), quiz.explanationHtml(),
                    result.correct() ? "정답입니다!" : "아쉽지만 정답이 아닙니다.", viewer.isPresent()));
        } else if (viewer.isPresent()) {
            ctx.redirect("/lessons/" + lesson.slug() + "#quiz-" + quiz.id());
        } else { // nothing stored to redirect to: show the page with this answer checked
            render(ctx, lesson, Optional.empty(), Map.of(quiz.id(), new ProgressRepository.QuizAnswer(quiz.id(),
                    result.shownAnswer(), result.correct(), Instant.now())));
        }
    }

    /** Images and files beside the lessons; nothing outside the lessons folder, nothing but known types. */
    public void asset(Context ctx) {
        Path root = lessons.dir();
        serveAsset(ctx, root, ctx.pathParam("path"));
    }

    /** Shared by lessons and labs: a file under {@code root}, safely. */
    public static void serveAsset(Context ctx, Path root, String requested) {
        if (requested == null || requested.contains("\0") || requested.contains("\\")) {
            throw new NotFoundResponse("파일을 찾을 수 없습니다.");
        }
        Path base = root.toAbsolutePath().normalize();
        Path file = base.resolve(requested).normalize();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        boolean hidden = Arrays.stream(base.relativize(file).toString().split("/")).anyMatch(s -> s.startsWith("."));
        if (!file.startsWith(base) || hidden || !ASSET_TYPES.containsKey(ext) || !Files.isRegularFile(file)) {
            throw new NotFoundResponse("파일을 찾을 수 없습니다.");
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(base.toRealPath())) { // a symlink pointing out of the folder
                throw new NotFoundResponse("파일을 찾을 수 없습니다.");
            }
            ctx.contentType(ASSET_TYPES.get(ext));
            ctx.header("X-Content-Type-Options", "nosniff");
            // An SVG opened directly could run script in our origin; this policy forbids it.
            ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox");
            ctx.header("Cache-Control", "public, max-age=300");
            InputStream in = Files.newInputStream(real);
            ctx.result(in);
        } catch (IOException e) {
            throw new NotFoundResponse("파일을 찾을 수 없습니다.");
        }
    }

    private List<LessonPages.LabLink> labLinks(Lesson lesson, Map<String, Set<String>> passed) {
        List<LessonPages.LabLink> links = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        List<Lab> related = new ArrayList<>();
        for (String id : lesson.labIds()) {
            labs.find(id).ifPresent(related::add);
        }
        related.addAll(labs.forLesson(lesson.slug()));
        for (Lab lab : related) {
            if (seen.add(lab.id())) {
                Set<String> done = new TreeSet<>(passed.getOrDefault(lab.id(), Set.of()));
                List<String> taskIds = lab.tasks().stream().map(Lab.Task::id).toList();
                done.retainAll(taskIds);
                links.add(new LessonPages.LabLink(lab.id(), lab.title(), done.size(), taskIds.size()));
            }
        }
        return links;
    }

    private static LessonPages.QuizView quizView(Lesson lesson, Quiz quiz, ProgressRepository.QuizAnswer answer) {
        LessonPages.Answered answered = null;
        if (answer != null) {
            Set<Integer> chosen = new TreeSet<>();
            if (quiz.kind() != Quiz.Kind.SHORT) {
                for (String s : answer.answer().split(",")) {
                    try {
                        chosen.add(Integer.parseInt(s.trim()));
                    } catch (NumberFormatException ignored) {
                        // an empty answer
                    }
                }
            }
            answered = new LessonPages.Answered(answer.correct(), answer.answer(), chosen, quiz.explanationHtml());
        }
        return new LessonPages.QuizView(quiz.id(), quiz.kind().name(), quiz.questionHtml(), quiz.choicesHtml(),
                "/lessons/" + lesson.slug() + "/quizzes/" + quiz.id(), answered);
    }

    static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json");
    }
}
