package dev.baeum.content.lint;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.FrontMatter;
import dev.baeum.content.LessonFiles;
import dev.baeum.content.LinkRewriter;
import dev.baeum.content.Rendered;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.content.lesson.LessonCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks every lesson and lab file: each file's own problems (front matter, fences, quizzes, lab format)
 * plus what needs the whole course to judge: links to lessons and labs that do not exist, missing images
 * and files, labs naming a lesson that does not exist or that does not list them back in its {@code labs}.
 */
public final class Linter {

    private final LessonCatalog lessons;
    private final LabCatalog labs;

    public Linter(LessonCatalog lessons, LabCatalog labs) {
        this.lessons = lessons;
        this.labs = labs;
    }

    public List<ContentProblem> problems() {
        lessons.refresh();
        labs.refresh();
        List<ContentProblem> problems = new ArrayList<>(lessons.problems());
        problems.addAll(labs.problems());
        Set<String> slugs = lessons.lessons().stream().map(Lesson::slug).collect(Collectors.toSet());
        Set<String> labIds = labs.labs().stream().map(Lab::id).collect(Collectors.toSet());

        for (Lesson lesson : lessons.lessons()) {
            for (String id : lesson.labIds()) {
                if (!labIds.contains(id)) {
                    problems.add(ContentProblem.error(lesson.file(), frontMatterLine(lesson.file(), "labs", id), ContentProblem.Code.UNKNOWN_LAB,
                            "앞부분 labs에 없는 실습 id '" + id + "'가 있습니다."));
                }
            }
            checkLinks(lesson.file(), lessons.dir(), lesson.rendered().links(), slugs, labIds, problems);
        }
        Map<String, Lesson> bySlug = lessons.lessons().stream().collect(Collectors.toMap(Lesson::slug, l -> l, (a, b) -> a));
        for (Lab lab : labs.labs()) {
            Lesson home = lab.lessonSlug() == null ? null : bySlug.get(lab.lessonSlug());
            if (lab.lessonSlug() != null && home == null) {
                problems.add(ContentProblem.error(lab.file(), frontMatterLine(lab.file(), "lesson", lab.lessonSlug()), ContentProblem.Code.UNKNOWN_LESSON,
                        "앞부분 lesson에 없는 레슨 '" + lab.lessonSlug() + "'이(가) 있습니다 (레슨 주소는 파일 이름에서 번호를 뺀 것)."));
            } else if (home != null && !home.labIds().contains(lab.id())) {
                // Both sides are written by hand; a one-sided link means the lesson's text never introduces its lab.
                problems.add(ContentProblem.error(lab.file(), frontMatterLine(lab.file(), "lesson", lab.lessonSlug()), ContentProblem.Code.LAB_NOT_LISTED_BACK,
                        "레슨 '" + lab.lessonSlug() + "'(" + home.file().getFileName() + ")의 앞부분 labs에 이 실습 '"
                                + lab.id() + "'이(가) 없습니다. 레슨과 실습이 서로를 가리키도록 그 레슨의 labs에 더하세요."));
            }
            checkLinks(lab.file(), lab.dir(), lab.links(), slugs, labIds, problems);
        }
        problems.sort(Comparator.comparing((ContentProblem p) -> p.file().toString()).thenComparingInt(ContentProblem::line));
        return List.copyOf(new java.util.LinkedHashSet<>(problems)); // one report per problem, however often it is linked
    }

    private static void checkLinks(Path file, Path assetRoot, List<Rendered.LinkRef> links, Set<String> slugs,
                                   Set<String> labIds, List<ContentProblem> problems) {
        for (Rendered.LinkRef link : links) {
            String target = link.target();
            String lower = target.toLowerCase(Locale.ROOT);
            if (lower.startsWith("lab:")) {
                String id = target.substring(4).trim();
                if (!labIds.contains(id)) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, "없는 실습 '" + id + "'로 연결합니다."));
                }
            } else if (lower.startsWith("lesson:")) {
                String slug = target.substring(7).trim();
                if (!slugs.contains(slug)) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, "없는 레슨 '" + slug + "'로 연결합니다."));
                }
            } else if (lower.startsWith("/lessons/") && !lower.startsWith("/lessons/files/")) {
                String slug = stripFragment(target.substring("/lessons/".length()));
                if (!slugs.contains(slug)) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, "없는 레슨 '" + slug + "'로 연결합니다."));
                }
            } else if (lower.startsWith("/labs/")) {
                String id = stripFragment(target.substring("/labs/".length())).split("/")[0];
                if (!labIds.contains(id)) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, "없는 실습 '" + id + "'로 연결합니다."));
                }
            } else if (LinkRewriter.isRelativeFile(target)) {
                String path = stripFragment(target);
                if (path.isEmpty()) {
                    continue;
                }
                if (path.toLowerCase(Locale.ROOT).endsWith(".md") && !link.image()) {
                    String slug = LessonFiles.slug(Path.of(path).getFileName().toString());
                    if (!slugs.contains(slug)) {
                        problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, "없는 레슨 파일 '" + path + "'로 연결합니다."));
                    }
                    continue;
                }
                Path resolved = LinkRewriter.resolveAsset(file, assetRoot, path);
                if (resolved == null) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.OUTSIDE_CONTENT, "'" + path + "'은(는) 콘텐츠 폴더 밖을 가리킵니다."));
                } else if (!Files.isRegularFile(resolved)) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, (link.image() ? "이미지" : "파일")
                            + " '" + path + "'을(를) 찾을 수 없습니다."));
                }
            } else if (link.image() && target.startsWith("/") && !target.startsWith("//")) {
                Path resolved = LinkRewriter.resolveAsset(file, assetRoot, target);
                if (resolved == null || !Files.isRegularFile(resolved)) {
                    problems.add(ContentProblem.error(file, link.line(), ContentProblem.Code.BROKEN_LINK, "이미지 '" + target + "'을(를) 찾을 수 없습니다."));
                }
            }
        }
    }

    private static String stripFragment(String s) {
        int cut = s.length();
        for (char c : new char[]{'#', '?'}) {
            int i = s.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return s.substring(0, cut);
    }

    /** Where a front matter value is written, for problems only the whole course can see. */
    private static int frontMatterLine(Path file, String key, String value) {
        try {
            return FrontMatter.lineOf(Files.readString(file), key, value);
        } catch (Exception e) {
            return 1; // the file's own problems already say it cannot be read
        }
    }
}
