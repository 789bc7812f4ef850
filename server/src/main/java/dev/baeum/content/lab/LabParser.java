package dev.baeum.content.lab;

import com.vladsch.flexmark.ast.Heading;
import com.vladsch.flexmark.util.ast.Document;
import com.vladsch.flexmark.util.ast.Node;
import dev.baeum.base.config.Units;
import dev.baeum.content.ContentProblem.Code;
import dev.baeum.content.ContentProblem;
import dev.baeum.content.Fences.Fence;
import dev.baeum.content.Fences;
import dev.baeum.content.FrontMatter;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.Rendered;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code labs/<id>/lab.md}. The format is documented for instructors in {@code labs/README.md}:
 * front matter, then Markdown where every {@code ##} section that holds a {@code ```check} block is a
 * task; {@code ```hint}, {@code ```solution} and {@code ```setup} blocks complete it. Sections and blocks
 * come from flexmark's tree; the rendered parts keep their original line numbers.
 */
final class LabParser {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,59}");
    static final Set<String> KNOWN_KEYS = LabSettings.KNOWN_KEYS;
    private static final Pattern HEADING_ID = Pattern.compile("^(.*?)\\s*\\{#([A-Za-z0-9_-]+)\\}\\s*$");
    /** Element ids of the lab page itself (web/templates): a section with one of these would break the page. */
    static final Set<String> PAGE_IDS = Set.of("api-calls", "api-clear", "api-count", "api-noise", "api-version", "auto-check",
            "bench-status", "build-progress", "check-button", "countdown",
            "done-count", "end-button", "engine-api", "engine-containers", "engine-empty", "engine-panel", "engine-rows",
            "engine-tab-api", "engine-tab-containers", "engine-table", "extend-button", "lab", "main", "node-tabs",
            "overlay-text", "preview", "preview-close", "preview-frame", "preview-open", "preview-reload", "preview-title",
            "reset-button", "start-time", "terminal", "terminal-overlay", "workbench");
    private static final Set<String> SPECIAL = Set.of("check", "hint", "solution", "setup", "after-submit");

    /** A {@code ##} section: heading line and the 0-based line range [from, to) of its content. */
    private record RawSection(String heading, int line, int from, int to, List<Fence> blocks) {
    }

    private final MarkdownRenderer renderer;

    LabParser(MarkdownRenderer renderer) {
        this.renderer = renderer;
    }

    Lab parse(Path labsRoot, Path dir) {
        String id = dir.getFileName().toString();
        Path file = dir.resolve("lab.md");
        List<ContentProblem> problems = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(ContentProblem.error(file, 1, Code.UNREADABLE, "실습 파일을 읽을 수 없습니다: " + e.getMessage()));
            return empty(id, dir, file, problems);
        }
        try {
            return parse(labsRoot, dir, id, file, text, problems);
        } catch (RuntimeException e) {
            problems.add(ContentProblem.error(file, 1, Code.UNREADABLE, "실습을 처리하지 못했습니다: " + e));
            return empty(id, dir, file, problems);
        }
    }

    private Lab parse(Path labsRoot, Path dir, String id, Path file, String text, List<ContentProblem> problems) {
        if (!ID.matcher(id).matches()) {
            problems.add(ContentProblem.error(file, 1, Code.BAD_ID,
                    "실습 폴더 이름 '" + id + "'은(는) 영문 소문자, 숫자, '-'만 쓸 수 있습니다 (실습 id가 됩니다)."));
        }
        FrontMatter front = FrontMatter.parse(file, text);
        problems.addAll(front.problems());
        LabSettings settings = LabSettings.read(labsRoot, dir, file, text, front, problems);
        List<String> nodes = settings.nodes();

        String[] lines = front.body().split("\n", -1);
        Document document = renderer.parse(front.body());
        problems.addAll(Fences.unclosed(file, document));
        List<Fence> blocks = Fences.all(document).stream()
                .filter(f -> f.closed() && SPECIAL.contains(f.kind())).toList();
        String[] blanked = Arrays.copyOf(lines, lines.length);
        for (Fence b : blocks) {
            Arrays.fill(blanked, b.line() - 1, Math.min(b.endLine(), lines.length), "");
        }
        List<RawSection> raw = sections(document, lines.length, blocks);
        int introEnd = raw.isEmpty() ? lines.length : raw.get(0).line() - 1;
        Heading titleHeading = document.getFirstChild() instanceof Heading h && h.getLevel() == 1 && h.isAtxHeading()
                && h.getStartLineNumber() < introEnd ? h : null;
        String title = settings.front().title();
        if ((title == null || title.isBlank()) && titleHeading != null) {
            title = titleHeading.getText().toString().strip();
        }
        if (title == null || title.isBlank()) {
            title = id;
        }

        Lab.Script afterSubmit = null;
        List<Lab.Script> setup = new ArrayList<>();
        for (Fence b : blocks) {
            if (b.kind().equals("after-submit")) {
                if (b.line() > introEnd) {
                    problems.add(misplaced(file, b, "after-submit 블록은 첫 번째 '##' 과제보다 앞(소개 부분)에 있어야 합니다."));
                }
                if (settings.submission() == null) {
                    problems.add(misplaced(file, b, "after-submit 블록은 앞부분에 submission(제출물을 둘 파일)이 있을 때만 씁니다."));
                }
                afterSubmit = script(b, nodes, file, problems);
            }
            if (b.kind().equals("setup")) {
                if (b.line() > introEnd) {
                    problems.add(misplaced(file, b, "setup 블록은 첫 번째 '##' 과제보다 앞(소개 부분)에 있어야 합니다."));
                }
                setup.add(script(b, nodes, file, problems));
            }
        }
        List<Rendered.LinkRef> links = new ArrayList<>();
        int skip = titleHeading == null ? -1 : titleHeading.getStartLineNumber();
        String introHtml = render(dir, file, blanked, 0, introEnd, skip, problems, links);
        List<Lab.Section> sections = new ArrayList<>();
        Set<String> taskIds = new LinkedHashSet<>();
        int taskNumber = 0;
        for (RawSection section : raw) {
            Matcher m = HEADING_ID.matcher(section.heading());
            String heading = m.matches() ? m.group(1) : section.heading();
            String explicitId = m.matches() ? m.group(2) : null;
            String html = render(dir, file, blanked, section.from(), section.to(), -1, problems, links);
            List<Fence> checks = section.blocks().stream().filter(b -> b.kind().equals("check")).toList();
            Lab.Task task = null;
            String sectionId = explicitId;
            if (!checks.isEmpty()) {
                taskNumber++;
                String taskId = explicitId != null ? explicitId : "task-" + taskNumber;
                sectionId = taskId;
                if (PAGE_IDS.contains(taskId)) {
                    problems.add(ContentProblem.error(file, section.line(), Code.BAD_ID, "과제 id '" + taskId
                            + "'는 실습 화면이 이미 쓰는 이름이라 쓸 수 없습니다. 다른 id를 고르세요."));
                }
                if (!taskIds.add(taskId)) {
                    problems.add(ContentProblem.error(file, section.line(), Code.DUPLICATE_ID, "과제 id '" + taskId + "'가 두 번 나옵니다."));
                }
                task = task(taskId, heading, section, checks, nodes, file, problems);
            } else {
                for (Fence b : section.blocks()) {
                    if (!b.kind().equals("setup") && !b.kind().equals("after-submit")) {
                        problems.add(misplaced(file, b, "'" + b.kind()
                                + "' 블록이 check 블록이 없는 섹션에 있습니다. 과제 섹션에는 check 블록이 하나 이상 있어야 합니다."));
                    }
                }
            }
            sections.add(new Lab.Section(sectionId == null ? "section-" + (sections.size() + 1) : sectionId,
                    heading, html, task, section.line()));
        }
        if (taskNumber == 0) {
            problems.add(ContentProblem.error(file, 1, Code.NO_TASKS,
                    "과제가 없습니다. '## 과제 제목' 섹션 안에 ```check 블록을 하나 이상 넣어 주세요."));
        }
        String summary = settings.front().summary();
        return new Lab(id, dir, file, title.strip(), summary == null ? "" : summary.strip(), settings.front().lesson(),
                settings.image(), nodes, settings.network(), settings.docker(), settings.binds(), settings.submission(),
                afterSubmit, settings.limits(), settings.timeLimit(), settings.capabilities(), List.copyOf(setup), introHtml,
                List.copyOf(sections), List.copyOf(links), List.copyOf(problems));
    }

    private Lab.Task task(String taskId, String heading, RawSection section, List<Fence> checks, List<String> nodes,
                          Path file, List<ContentProblem> problems) {
        List<Lab.Script> checkScripts = new ArrayList<>();
        boolean passesFresh = false;
        for (Fence c : checks) {
            if (c.body().isBlank()) {
                problems.add(ContentProblem.error(file, c.line(), Code.EMPTY_BLOCK, "check 블록이 비어 있습니다."));
            }
            passesFresh |= c.flag("passes-fresh");
            checkScripts.add(script(c, nodes, file, problems));
        }
        List<String> hints = new ArrayList<>();
        List<Lab.Script> solutions = new ArrayList<>();
        String action = null;
        for (Fence b : section.blocks()) {
            switch (b.kind()) {
                case "hint" -> hints.add(renderer.inline(b.body()));
                case "solution" -> {
                    Lab.Script solution = script(b, nodes, file, problems);
                    if (action != null || b.options().containsKey("action") && !solutions.isEmpty()) {
                        problems.add(badSolution(file, b, "action=reset 풀이는 그 과제의 유일한 solution 이어야 합니다."));
                    }
                    if (solutions.stream().anyMatch(s -> s.node().equals(solution.node()))) {
                        problems.add(badSolution(file, b, "과제 '" + taskId + "'에 노드 '" + solution.node()
                                + "'의 solution 블록이 두 개 있습니다 (노드마다 하나씩)."));
                    }
                    action = b.options().get("action");
                    if (action != null && !action.equals("reset")) {
                        problems.add(badSolution(file, b, "solution의 action은 reset만 쓸 수 있습니다: " + action));
                        action = null;
                    }
                    if (action == null && b.body().isBlank()) {
                        problems.add(ContentProblem.error(file, b.line(), Code.EMPTY_BLOCK, "solution 블록이 비어 있습니다."));
                    }
                    solutions.add(solution);
                }
                case "setup", "after-submit" -> problems.add(misplaced(file, b, b.kind() + " 블록은 실습 소개 부분에만 둘 수 있습니다."));
                default -> {
                }
            }
        }
        if (solutions.isEmpty()) {
            problems.add(ContentProblem.error(file, section.line(), Code.MISSING_SOLUTION, "과제 '" + taskId
                    + "'에 solution 블록이 없습니다. 자동 자체 점검(self-test)에 필요합니다."));
        }
        return new Lab.Task(taskId, heading, List.copyOf(checkScripts), List.copyOf(hints), List.copyOf(solutions),
                action, passesFresh, section.line());
    }

    private static ContentProblem misplaced(Path file, Fence b, String message) {
        return ContentProblem.error(file, b.line(), Code.MISPLACED_BLOCK, message);
    }

    private static ContentProblem badSolution(Path file, Fence b, String message) {
        return ContentProblem.error(file, b.line(), Code.BAD_VALUE, message);
    }

    private static Lab.Script script(Fence b, List<String> nodes, Path file, List<ContentProblem> problems) {
        String node = b.options().get("node");
        if (node != null && !nodes.contains(node)) {
            problems.add(ContentProblem.error(file, b.line(), Code.UNKNOWN_NODE, "노드 '" + node + "'가 nodes 목록("
                    + String.join(", ", nodes) + ")에 없습니다."));
            node = null;
        }
        String user = b.options().get("user");
        if (user != null && !user.equals("root") && !user.equals("learner") && !user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            problems.add(ContentProblem.error(file, b.line(), Code.BAD_VALUE, "user 값이 올바르지 않습니다: " + user));
            user = null;
        }
        Duration timeout = null;
        if (b.options().containsKey("timeout")) {
            timeout = Units.duration(b.options().get("timeout"));
            if (timeout == null) {
                problems.add(ContentProblem.error(file, b.line(), Code.BAD_VALUE, "timeout 형식이 올바르지 않습니다: " + b.options().get("timeout")));
            }
        }
        return new Lab.Script(b.body(), node == null ? nodes.get(0) : node, user, timeout, b.line());
    }

    /** Splits at level-2 ATX headings of the document itself (not inside quotes, lists or fences). */
    private static List<RawSection> sections(Document document, int lineCount, List<Fence> blocks) {
        List<Heading> headings = new ArrayList<>();
        for (Node child = document.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof Heading h && h.getLevel() == 2 && h.isAtxHeading()) {
                headings.add(h);
            }
        }
        List<RawSection> sections = new ArrayList<>();
        for (int s = 0; s < headings.size(); s++) {
            int start = headings.get(s).getStartLineNumber();
            int end = s + 1 < headings.size() ? headings.get(s + 1).getStartLineNumber() : lineCount;
            List<Fence> inside = blocks.stream().filter(b -> b.line() - 1 > start && b.line() - 1 < end).toList();
            sections.add(new RawSection(headings.get(s).getText().toString().strip(), start + 1, start + 1, end, inside));
        }
        return sections;
    }

    /** Renders lines [from, to) with every other line blanked, so link line numbers stay true. */
    private String render(Path dir, Path file, String[] lines, int from, int to, int skipLine,
                          List<ContentProblem> problems, List<Rendered.LinkRef> links) {
        String[] part = new String[lines.length];
        Arrays.fill(part, "");
        for (int i = from; i < to && i < lines.length; i++) {
            part[i] = i == skipLine ? "" : lines[i];
        }
        String id = dir.getFileName().toString();
        Rendered rendered = renderer.render(new MarkdownRenderer.Source(file, String.join("\n", part), dir,
                "/labs/" + id + "/files/", false, false));
        // an unclosed fence is reported once, for the whole file, above
        problems.addAll(rendered.problems().stream().filter(p -> p.code() != Code.UNCLOSED_FENCE).toList());
        links.addAll(rendered.links());
        return rendered.html();
    }

    private static Lab empty(String id, Path dir, Path file, List<ContentProblem> problems) {
        return new Lab(id, dir, file, id, "", null, null, List.of("sandbox"), false, false, List.of(), null, null,
                Lab.Limits.DEFAULTS, null, List.of(), List.of(), "", List.of(), List.of(), List.copyOf(problems));
    }
}
