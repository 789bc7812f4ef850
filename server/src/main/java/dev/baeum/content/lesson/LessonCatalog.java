package dev.baeum.content.lesson;

import dev.baeum.content.ContentCatalog;
import dev.baeum.content.ContentProblem;
import dev.baeum.content.LessonFiles;
import dev.baeum.content.MarkdownRenderer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The course: every {@code .md} file in the lessons folder, in order. A new or edited file shows up on the
 * next request after a short re-check interval (every request in dev mode); only changed files are
 * rendered again. A broken file becomes a lesson with problems, never a broken site.
 */
public final class LessonCatalog {

    private record View(List<Lesson> ordered, Map<String, Lesson> bySlug, List<ContentProblem> problems) {
    }

    private final ContentCatalog<Lesson, View> catalog;

    public LessonCatalog(Path dir, MarkdownRenderer renderer, Duration recheck) {
        LessonLoader loader = new LessonLoader(renderer);
        Path root = dir.toAbsolutePath().normalize();
        this.catalog = new ContentCatalog<>(root, recheck, LessonCatalog::files, file -> loader.load(root, file),
                LessonCatalog::view);
    }

    public Path dir() {
        return catalog.dir();
    }

    public List<Lesson> lessons() {
        return catalog.view().ordered();
    }

    public Optional<Lesson> find(String slug) {
        return Optional.ofNullable(catalog.view().bySlug().get(slug));
    }

    public Optional<Lesson> previous(Lesson lesson) {
        List<Lesson> all = lessons();
        int i = indexOf(all, lesson);
        return i > 0 ? Optional.of(all.get(i - 1)) : Optional.empty();
    }

    public Optional<Lesson> next(Lesson lesson) {
        List<Lesson> all = lessons();
        int i = indexOf(all, lesson);
        return i >= 0 && i < all.size() - 1 ? Optional.of(all.get(i + 1)) : Optional.empty();
    }

    /** Problems of every lesson, plus those of the catalog itself (duplicate slugs). */
    public List<ContentProblem> problems() {
        View v = catalog.view();
        List<ContentProblem> all = new ArrayList<>(v.problems());
        v.ordered().forEach(l -> all.addAll(l.problems()));
        return all;
    }

    /** Re-reads the folder listing and re-renders only files whose size or time changed. */
    public void refresh() {
        catalog.refresh();
    }

    private static int indexOf(List<Lesson> all, Lesson lesson) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).slug().equals(lesson.slug())) {
                return i;
            }
        }
        return -1;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> stream = Files.list(dir)) {
            return stream.filter(p -> Files.isRegularFile(p) && LessonFiles.isLesson(p.getFileName().toString()))
                    .sorted().toList();
        }
    }

    /** Orders lessons; a slug taken twice is reported and the later lesson gets a numbered one. */
    private static View view(List<Lesson> loaded) {
        List<Lesson> lessons = new ArrayList<>(loaded);
        lessons.sort(Comparator.comparingInt(Lesson::order).thenComparing(l -> l.file().getFileName().toString()));
        Map<String, Lesson> bySlug = new LinkedHashMap<>();
        List<ContentProblem> problems = new ArrayList<>();
        List<Lesson> ordered = new ArrayList<>();
        for (Lesson lesson : lessons) {
            Lesson unique = lesson;
            if (bySlug.containsKey(lesson.slug())) {
                Lesson first = bySlug.get(lesson.slug());
                problems.add(ContentProblem.error(lesson.file(), 1, ContentProblem.Code.DUPLICATE_SLUG, "주소(slug) '"
                        + lesson.slug() + "'가 " + first.file().getFileName() + "와 겹칩니다. 파일 이름을 바꿔 주세요."));
                unique = new Lesson(lesson.slug() + "-" + (ordered.size() + 1), lesson.file(), lesson.order(),
                        lesson.title(), lesson.summary(), lesson.labIds(), lesson.references(), lesson.rendered(),
                        lesson.problems());
            }
            bySlug.put(unique.slug(), unique);
            ordered.add(unique);
        }
        return new View(List.copyOf(ordered), Map.copyOf(bySlug), List.copyOf(problems));
    }
}
