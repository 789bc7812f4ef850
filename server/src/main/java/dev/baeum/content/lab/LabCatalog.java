package dev.baeum.content.lab;

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
 * Every lab under {@code labs/}: each folder with a {@code lab.md}, except {@code labs/images/} which holds
 * shared sandbox images. Re-checked like lessons, so a new lab needs no restart.
 */
public final class LabCatalog {

    public static final String IMAGES_DIR = "images";

    private record Snapshot(List<Lab> labs, Map<String, Lab> byId, Map<Path, FileTime> stamps) {
    }

    private final Path dir;
    private final LabParser parser;
    private final long recheckNanos;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), Map.of());
    private volatile long checkedAt;

    public LabCatalog(Path dir, MarkdownRenderer renderer, Duration recheck) {
        this.dir = dir.toAbsolutePath().normalize();
        this.parser = new LabParser(renderer);
        this.recheckNanos = recheck.toNanos();
        refresh();
    }

    public Path dir() {
        return dir;
    }

    public List<Lab> labs() {
        return current().labs();
    }

    public Optional<Lab> find(String id) {
        return Optional.ofNullable(current().byId().get(id));
    }

    /** Labs that name this lesson in their front matter, in catalog order. */
    public List<Lab> forLesson(String slug) {
        return labs().stream().filter(l -> slug.equals(l.lessonSlug())).toList();
    }

    public List<ContentProblem> problems() {
        List<ContentProblem> all = new ArrayList<>();
        labs().forEach(l -> all.addAll(l.problems()));
        return all;
    }

    private Snapshot current() {
        if (System.nanoTime() - checkedAt >= recheckNanos) {
            refresh();
        }
        return snapshot;
    }

    public synchronized void refresh() {
        Snapshot old = snapshot;
        Map<Path, FileTime> stamps = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path sub : stream) {
                    Path file = sub.resolve("lab.md");
                    if (Files.isDirectory(sub) && !sub.getFileName().toString().equals(IMAGES_DIR)
                            && Files.isRegularFile(file)) {
                        stamps.put(file, Files.getLastModifiedTime(file));
                    }
                }
            } catch (IOException e) {
                checkedAt = System.nanoTime();
                return;
            }
        }
        if (stamps.equals(old.stamps())) {
            checkedAt = System.nanoTime();
            return;
        }
        Map<Path, Lab> previous = new HashMap<>();
        old.labs().forEach(l -> previous.put(l.file(), l));
        List<Lab> labs = new ArrayList<>();
        for (Map.Entry<Path, FileTime> e : stamps.entrySet()) {
            Lab cached = previous.get(e.getKey());
            boolean unchanged = cached != null && e.getValue().equals(old.stamps().get(e.getKey()));
            labs.add(unchanged ? cached : parser.parse(dir, e.getKey().getParent()));
        }
        labs.sort(Comparator.comparing(Lab::id));
        Map<String, Lab> byId = new LinkedHashMap<>();
        labs.forEach(l -> byId.put(l.id(), l));
        snapshot = new Snapshot(List.copyOf(labs), Map.copyOf(byId), Map.copyOf(stamps));
        checkedAt = System.nanoTime();
    }
}
