package dev.baeum.content.lesson;

import dev.baeum.content.FrontMatter;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.Rendered;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lessons/README.md is the authoring guide: its example must work and its coverage map must be true. */
class LessonsGuideTest {

    private static String guide() throws Exception {
        return Files.readString(TestApp.root().resolve("lessons/README.md"));
    }

    @Test
    void theExampleLessonRendersEveryFeatureWithoutProblems() throws Exception {
        String guide = guide();
        Matcher m = Pattern.compile("(?s)<!-- example-lesson:start -->\\s*````markdown\\n(.*?)````\\s*<!-- example-lesson:end -->").matcher(guide);
        assertTrue(m.find(), "the guide has a complete example lesson");
        Path lessons = TestApp.root().resolve("lessons");
        Path file = lessons.resolve("99-guide-example.md"); // virtual: rendered in place so its image link resolves
        Rendered r = new MarkdownRenderer().render(new MarkdownRenderer.Source(file, FrontMatter.parse(file, m.group(1)).body(),
                lessons, "/lessons/files/", true, true));
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        String html = r.html();
        for (String feature : new String[]{"<table>", "<del>", "type=\"checkbox\"", "language-bash", "/lessons/files/images/vm-vs-container.svg",
                "/lessons/virtualization", "/labs/process-isolation", "<details>", "callout-tip", "<pre class=\"mermaid\">"}) {
            assertTrue(html.contains(feature), "example shows " + feature);
        }
        assertEquals(2, r.quizzes().size());
    }

    @Test
    void theCoverageMapPointsAtRealSections() throws Exception {
        String map = guide().split("## 원본 노트의 주제와 레슨의 대응")[1].split("## 예시 레슨 전체")[0];
        List<String> missing = new ArrayList<>();
        int rows = 0;
        for (String line : map.split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| 노트") || line.startsWith("| ---")) {
                continue;
            }
            rows++;
            String cell = line.split("\\|")[2].strip();
            String lesson = null;
            for (String segment : cell.split(" · ")) {
                Matcher number = Pattern.compile("^(\\d\\d)\\b").matcher(segment.strip());
                if (number.find()) {
                    lesson = number.group(1);
                }
                String raw = segment.contains("›") ? segment.substring(segment.indexOf('›') + 1) : segment;
                String heading = raw.replaceAll("\\(실습[^)]*\\)", "").strip().replaceAll("\\([^)]*\\)$", "").strip();
                if (heading.isEmpty() || lesson == null) {
                    continue;
                }
                if (!headings(lesson).stream().anyMatch(h -> plain(h).contains(plain(heading)))) {
                    missing.add(lesson + " › " + heading);
                }
            }
        }
        assertTrue(rows >= 25, "every topic of the five notes is mapped: " + rows);
        assertTrue(missing.isEmpty(), "sections named in the map but not in the lessons: " + missing);
        for (String note : new String[]{"000", "001", "002", "003", "004"}) {
            assertTrue(map.contains("### " + note), "the map covers note " + note);
        }
    }

    @Test
    void theCoverageMapNamesOnlyRealLabsAndEveryLab() throws Exception {
        String map = guide().split("## 원본 노트의 주제와 레슨의 대응")[1].split("## 예시 레슨 전체")[0];
        Set<String> named = new TreeSet<>();
        for (String line : map.split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| 노트") || line.startsWith("| ---")) {
                continue;
            }
            String cell = line.split("\\|")[3].replaceAll("\\([^)]*\\)", ""); // notes in brackets may quote commands
            Matcher id = Pattern.compile("`([a-z0-9-]+)`").matcher(cell);
            while (id.find()) {
                named.add(id.group(1));
            }
        }
        Set<String> labs = new TreeSet<>();
        try (var dirs = Files.list(TestApp.root().resolve("labs"))) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("lab.md"))).forEach(d -> labs.add(d.getFileName().toString()));
        }
        assertTrue(labs.size() >= 15, "the shipped labs are found: " + labs);
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(labs);
        assertTrue(unknown.isEmpty(), "the map names labs that do not exist: " + unknown);
        Set<String> unmapped = new TreeSet<>(labs);
        unmapped.removeAll(named);
        assertTrue(unmapped.isEmpty(), "labs the map never names: " + unmapped);
    }

    private static List<String> headings(String number) throws Exception {
        try (var files = Files.list(TestApp.root().resolve("lessons"))) {
            Path file = files.filter(p -> p.getFileName().toString().startsWith(number + "-")).findFirst().orElseThrow();
            return Files.readAllLines(file).stream().filter(l -> l.startsWith("## ") || l.startsWith("### "))
                    .map(l -> l.replaceFirst("^#+ ", "")).toList();
        }
    }

    private static String plain(String s) {
        return s.replace("\"", "").replace("“", "").replace("”", "").strip();
    }
}
