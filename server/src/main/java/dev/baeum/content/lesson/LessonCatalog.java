package dev.baeum.content.lesson;

import dev.baeum.content.LessonFiles;
import dev.baeum.content.ContentProblem;
import dev.baeum.content.MarkdownRenderer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The course: every {@code .md} file in the lessons folder, in order. A new or edited file shows up on the
 * next request after a short re-check interval (every request in dev mode); only changed files are
 * rendered again. A broken file becomes a lesson with problems, never a broken site.
 */
public final class LessonCatalog {

    private record Stamp(FileTime modified, long size) {
    }

    private record Snapshot(List<Lesson> ordered, Map<String, Lesson> bySlug, Map<Path, Stamp> stamps,
                            List<ContentProblem> problems) {
    }

    private final Path dir;
    private final LessonLoader loader;
    private final long recheckNanos;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), Map.of(), List.of());
    private volatile long checkedAt;

    public LessonCatalog(Path dir, MarkdownRenderer renderer, Duration recheck) {
        this.dir = dir.toAbsolutePath().normalize();
        this.loader = new LessonLoader(renderer);
        this.recheckNanos = recheck.toNanos();
        refresh();
    }

    public Path dir() {
        return dir;
    }

    public List<Lesson> lessons() {
        return current().ordered();
    }

    public Optional<Lesson> find(String slug) {
        return Optional.ofNullable(current().bySlug().get(slug));
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
        Snapshot s = current();
        List<ContentProblem> all = new ArrayList<>(s.problems());
        s.ordered().forEach(l -> all.addAll(l.problems()));
        return all;
    }

    private static int indexOf(List<Lesson> all, Lesson lesson) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).slug().equals(lesson.slug())) {
                return i;
            }
        }
        return -1;
    }

    private Snapshot current() {
        if (System.nanoTime() - checkedAt >= recheckNanos) {
            refresh();
        }
        return snapshot;
    }

    /** Re-reads the folder listing and re-renders only files whose size or time changed. */
    public synchronized void refresh() {
        Snapshot old = snapshot;
        Map<Path, Stamp> stamps = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    if (Files.isRegularFile(p) && LessonFiles.isLesson(p.getFileName().toString())) {
                        files.add(p);
                        stamps.put(p, new Stamp(Files.getLastModifiedTime(p), Files.size(p)));
                    }
                }
            } catch (IOException e) {
                // keep serving what we had; the next check tries again
                checkedAt = System.nanoTime();
                return;
            }
        }
        if (stamps.equals(old.stamps())) {
            checkedAt = System.nanoTime();
            return;
        }
        Map<Path, Lesson> previous = new HashMap<>();
        old.ordered().forEach(l -> previous.put(l.file(), l));
        List<Lesson> lessons = new ArrayList<>();
        for (Path file : files) {
            Lesson cached = previous.get(file);
            boolean unchanged = cached != null && stamps.get(file).equals(old.stamps().get(file));
            lessons.add(unchanged ? cached : loader.load(dir, file));
        }
        lessons.sort(Comparator.comparingInt(Lesson::order).thenComparing(l -> l.file().getFileName().toString()));

        Map<String, Lesson> bySlug = new LinkedHashMap<>();
        List<ContentProblem> problems = new ArrayList<>();
        List<Lesson> ordered = new ArrayList<>();
        for (Lesson lesson : lessons) {
            Lesson unique = lesson;
            if (bySlug.containsKey(lesson.slug())) {
                Lesson first = bySlug.get(lesson.slug());
                problems.add(ContentProblem.error(lesson.file(), 1, ContentProblem.Code.DUPLICATE_SLUG, "주소(slug) '" + lesson.slug() + "'가 "
                        + first.file().getFileName() + "와 겹칩니다. 파일 이름을 바꿔 주세요."));
                unique = new Lesson(lesson.slug() + "-" + (ordered.size() + 1), lesson.file(), lesson.order(),
                        lesson.title(), lesson.summary(), lesson.labIds(), lesson.references(), lesson.rendered(),
                        lesson.problems());
            }
            bySlug.put(unique.slug(), unique);
            ordered.add(unique);
        }
        snapshot = new Snapshot(List.copyOf(ordered), Map.copyOf(bySlug), Map.copyOf(stamps), List.copyOf(problems));
        checkedAt = System.nanoTime();
    }
}
