package dev.baeum.content.lab;

import dev.baeum.content.ContentCatalog;
import dev.baeum.content.ContentProblem;
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
 * Every lab under {@code labs/}: each folder with a {@code lab.md}, except {@code labs/images/} which holds
 * shared sandbox images. Re-checked like lessons, so a new lab needs no restart.
 */
public final class LabCatalog {

    public static final String IMAGES_DIR = "images";

    private record View(List<Lab> labs, Map<String, Lab> byId) {
    }

    private final ContentCatalog<Lab, View> catalog;

    public LabCatalog(Path dir, MarkdownRenderer renderer, Duration recheck) {
        LabParser parser = new LabParser(renderer);
        Path root = dir.toAbsolutePath().normalize();
        this.catalog = new ContentCatalog<>(root, recheck, LabCatalog::files, file -> parser.parse(root, file.getParent()),
                LabCatalog::view);
    }

    public Path dir() {
        return catalog.dir();
    }

    public List<Lab> labs() {
        return catalog.view().labs();
    }

    public Optional<Lab> find(String id) {
        return Optional.ofNullable(catalog.view().byId().get(id));
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

    public void refresh() {
        catalog.refresh();
    }

    /** Every {@code <id>/lab.md}, except under {@code images/}. */
    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> stream = Files.list(dir)) {
            return stream.filter(sub -> Files.isDirectory(sub) && !sub.getFileName().toString().equals(IMAGES_DIR))
                    .map(sub -> sub.resolve("lab.md")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static View view(List<Lab> loaded) {
        List<Lab> labs = new ArrayList<>(loaded);
        labs.sort(Comparator.comparing(Lab::id));
        Map<String, Lab> byId = new LinkedHashMap<>();
        labs.forEach(l -> byId.put(l.id(), l));
        return new View(List.copyOf(labs), Map.copyOf(byId));
    }
}
