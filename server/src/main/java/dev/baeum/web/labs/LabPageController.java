package dev.baeum.web.labs;

import dev.baeum.base.config.Units;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.runtime.sandbox.SandboxPolicy;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.services.accounts.User;
import dev.baeum.services.progress.ProgressRepository;
import dev.baeum.services.sessions.LabServices;
import dev.baeum.web.Identity;
import dev.baeum.web.Views;
import dev.baeum.web.lessons.LessonController;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The lab list, a lab's page (with the learner's progress, hints and solutions so far) and its files. */
public final class LabPageController {

    private final LabCatalog labs;
    private final LessonCatalog lessons;
    private final LabServices services;
    private final Identity identity;
    private final Views views;

    public LabPageController(LabCatalog labs, LessonCatalog lessons, LabServices services, Identity identity, Views views) {
        this.labs = labs;
        this.lessons = lessons;
        this.services = services;
        this.identity = identity;
        this.views = views;
    }

    public void list(Context ctx) {
        Optional<User> viewer = identity.viewer(ctx);
        Map<String, Set<String>> passed = viewer.map(u -> services.progress().passedTasks(u.id())).orElse(Map.of());
        Map<String, LabPages.LabGroup> groups = new LinkedHashMap<>();
        for (Lesson lesson : lessons.lessons()) {
            groups.put(lesson.slug(), new LabPages.LabGroup(lesson.slug(), lesson.title(), new ArrayList<>()));
        }
        LabPages.LabGroup other = new LabPages.LabGroup(null, "그 밖의 실습", new ArrayList<>());
        for (Lab lab : labs.labs()) {
            int done = (int) lab.tasks().stream().filter(t -> passed.getOrDefault(lab.id(), Set.of()).contains(t.id())).count();
            LabPages.LabCard card = new LabPages.LabCard(lab.id(), lab.title(), lab.summary(), lab.tasks().size(), done,
                    lab.docker(), lab.hasErrors());
            LabPages.LabGroup group = lab.lessonSlug() == null ? other : groups.getOrDefault(lab.lessonSlug(), other);
            group.labs().add(card);
        }
        List<LabPages.LabGroup> shown = new ArrayList<>(groups.values().stream().filter(g -> !g.labs().isEmpty()).toList());
        if (!other.labs().isEmpty()) {
            shown.add(other);
        }
        views.render(ctx, "labs/list.jte", new LabPages.LabListPage(views.chrome(ctx, "실습", "labs"), shown, services.labsProblem()));
    }

    public void page(Context ctx) {
        Lab lab = lab(ctx);
        Optional<User> viewer = identity.viewer(ctx);
        Set<String> done = viewer.map(u -> services.progress().passedTasks(u.id(), lab.id())).orElse(Set.of());
        Map<String, ProgressRepository.CheckRecord> last = viewer.map(u -> services.progress().latestResults(u.id(), lab.id())).orElse(Map.of());
        Map<String, SandboxRepository.Reveals> reveals = viewer.map(u -> services.records().reveals(u.id(), lab.id())).orElse(Map.of());
        List<LabPages.SectionView> sections = new ArrayList<>();
        int number = 0;
        for (Lab.Section section : lab.sections()) {
            LabPages.TaskView task = null;
            if (section.isTask()) {
                number++;
                Lab.Task t = section.task();
                SandboxRepository.Reveals r = reveals.get(t.id());
                List<String> hints = new ArrayList<>();
                for (int i = 0; i < t.hintsHtml().size(); i++) {
                    if (r != null && r.hints().contains(i)) {
                        hints.add(t.hintsHtml().get(i));
                    }
                }
                ProgressRepository.CheckRecord record = last.get(t.id());
                task = new LabPages.TaskView(t.id(), number, done.contains(t.id()), record == null ? "" : record.message(),
                        t.hintsHtml().size(), hints, r != null && r.solution() ? solutionText(lab, t) : null, record == null || record.passed());
            }
            sections.add(new LabPages.SectionView(section.id(), section.titleHtml(), section.html(), task));
        }
        String lessonTitle = lab.lessonSlug() == null ? null
                : lessons.find(lab.lessonSlug()).map(Lesson::title).orElse(null);
        SandboxPolicy.Limits limits = services.sandboxes().limits(lab);
        String limitsText = lab.docker()
                ? "메모리 " + Units.humanBytes(limits.memoryBytes()) + " · CPU " + limits.cpus() + "코어 · 프로세스 "
                        + limits.pids() + "개 (터미널과 내가 띄운 컨테이너·빌드를 모두 합한 예산) · 인터넷 없음"
                : "메모리 " + Units.humanBytes(limits.memoryBytes()) + " · CPU " + limits.cpus() + "코어 · 프로세스 "
                        + limits.pids() + "개 · 네트워크 " + (lab.network() ? "켜짐" : "꺼짐");
        views.render(ctx, "labs/lab.jte", new LabPages.LabPage(views.chrome(ctx, lab.title(), "labs", lab.summary()),
                lab.id(), lab.title(), lab.summary(), lessonTitle == null ? null : lab.lessonSlug(),
                lessonTitle, lab.introHtml(), sections, lab.nodes(), limitsText, services.labsProblem(), services.guestsAllowed(),
                services.sandboxes().policy().guestLifetime().toMinutes(),
                (int) lab.tasks().stream().filter(t -> done.contains(t.id())).count(), lab.tasks().size(),
                lab.errors(), lab.docker()));
    }

    public void asset(Context ctx) {
        Lab lab = lab(ctx);
        LessonController.serveAsset(ctx, lab.dir(), ctx.pathParam("path"));
    }

    private Lab lab(Context ctx) {
        return labs.find(ctx.pathParam("id")).orElseThrow(() -> new NotFoundResponse("그런 실습은 없습니다."));
    }

    /** The solution as shown: a reset action becomes the instruction to press the reset button. */
    static String solutionText(Lab lab, Lab.Task task) {
        if ("reset".equals(task.solutionAction())) {
            return "실습 환경을 초기화하세요: 터미널 아래의 '초기화' 버튼을 누르면 새 컨테이너가 시작됩니다.";
        }
        return task.solutionText(lab.nodes().size() > 1);
    }
}
