package dev.baeum.content.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.base.config.Units;
import dev.baeum.content.ContentProblem;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code labs/<id>/lab.md}. The format is documented for instructors in {@code labs/README.md}:
 * front matter, then Markdown where every {@code ##} section that holds a {@code ```check} block is a
 * task; {@code ```hint}, {@code ```solution} and {@code ```setup} blocks complete it.
 */
final class LabParser {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,59}");
    private static final Pattern NODE = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern HEADING_ID = Pattern.compile("^(.*?)\\s*\\{#([A-Za-z0-9_-]+)\\}\\s*$");
    /** Element ids of the lab page itself (web/templates): a section with one of these would break the page. */
    static final Set<String> PAGE_IDS = Set.of("api-calls", "api-clear", "api-count", "api-noise", "api-version", "auto-check",
            "bench-status", "build-progress", "check-button", "countdown",
            "done-count", "end-button", "engine-api", "engine-containers", "engine-empty", "engine-panel", "engine-rows",
            "engine-tab-api", "engine-tab-containers", "engine-table", "extend-button", "lab", "main", "node-tabs",
            "overlay-text", "preview", "preview-close", "preview-frame", "preview-open", "preview-reload", "preview-title",
            "reset-button", "start-time", "terminal", "terminal-overlay", "workbench");
    private static final Set<String> SPECIAL = Set.of("check", "hint", "solution", "setup", "after-submit");
    private static final Pattern SUBMISSION = Pattern.compile("[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*");
    static final Set<String> KNOWN_KEYS = Set.of("title", "summary", "lesson", "image", "nodes", "network", "docker", "binds", "submission",
            "limits", "time_limit", "capabilities", "kind", "estimate");
    /** Docker's default capabilities; anything beyond them would weaken the sandbox for every learner. */
    private static final Set<String> GRANTABLE_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "AUDIT_WRITE", "SETFCAP", "SETPCAP",
            "MKNOD");

    private record Block(String kind, Map<String, String> options, String body, int line, int endLine) {
        boolean flag(String name) {
            return options.containsKey(name);
        }
    }

    private record RawSection(String heading, int line, int firstLine, int lastLine, List<Block> blocks) {
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
            problems.add(ContentProblem.error(file, 1, "실습 파일을 읽을 수 없습니다: " + e.getMessage()));
            return empty(id, dir, file, problems);
        }
        try {
            return parse(labsRoot, dir, id, file, text, problems);
        } catch (RuntimeException e) {
            problems.add(ContentProblem.error(file, 1, "실습을 처리하지 못했습니다: " + e));
            return empty(id, dir, file, problems);
        }
    }

    private Lab parse(Path labsRoot, Path dir, String id, Path file, String text, List<ContentProblem> problems) {
        if (!ID.matcher(id).matches()) {
            problems.add(ContentProblem.error(file, 1,
                    "실습 폴더 이름 '" + id + "'은(는) 영문 소문자, 숫자, '-'만 쓸 수 있습니다 (실습 id가 됩니다)."));
        }
        FrontMatter front = FrontMatter.parse(file, text);
        problems.addAll(front.problems());
        JsonNode data = front.data();
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) {
                problems.add(ContentProblem.warning(file, FrontMatter.lineOf(text, key),
                        "앞부분에 알 수 없는 키 '" + key + "'가 있습니다 (무시됨)."));
            }
        }
        String[] lines = front.body().split("\n", -1);

        if (front.text("kind") != null) {
            // The hand-written Dockerfile builder is gone: Dockerfile labs are docker labs that run the real build.
            problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "kind"), "kind 는 더 이상 쓰지 않습니다. "
                    + "Dockerfile 실습은 docker: true 로 진짜 docker build 를 쓰고, 채점할 파일은 submission: app/Dockerfile, "
                    + "그것을 빌드하는 스크립트는 ```after-submit 블록에 적습니다 (labs/README.md)."));
        }
        List<String> nodes = nodes(file, text, data, problems);
        boolean network = network(file, text, front.text("network"), problems);
        boolean docker = docker(file, text, data.get("docker"), problems);
        List<String> binds = binds(file, text, data.get("binds"), docker, problems);
        if (docker && nodes.size() > 1) {
            problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "nodes"),
                    "도커 실습(docker: true)은 노드를 하나만 쓸 수 있습니다: 학습자가 도커로 컨테이너를 여럿 띄웁니다."));
        }
        Lab.Limits limits = limits(file, text, data.get("limits"), problems);
        Duration timeLimit = null;
        if (front.text("time_limit") != null) {
            timeLimit = Units.duration(front.text("time_limit"));
            if (timeLimit == null) {
                problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "time_limit"),
                        "time_limit 형식이 올바르지 않습니다 (예: 30m, 1h): " + front.text("time_limit")));
            }
        }
        List<String> caps = capabilities(file, text, data.get("capabilities"), problems);
        Lab.ImageSpec image = image(labsRoot, dir, file, text,
                front.text("image") == null && docker && !Files.isRegularFile(dir.resolve("Dockerfile")) ? "docker" : front.text("image"),
                problems);

        List<Block> blocks = new ArrayList<>();
        String[] blanked = extractBlocks(file, lines, blocks, problems);
        String title = front.text("title");
        List<RawSection> raw = sections(lines, blocks);
        int introEnd = raw.isEmpty() ? lines.length : raw.get(0).line() - 1;
        int titleLine = -1;
        for (int i = 0; i < introEnd; i++) {
            if (lines[i].startsWith("# ")) {
                titleLine = i;
                if (title == null || title.isBlank()) {
                    title = lines[i].substring(2).strip();
                }
                break;
            }
            if (!lines[i].isBlank()) {
                break;
            }
        }
        if (title == null || title.isBlank()) {
            title = id;
        }

        String submission = front.text("submission");
        if (submission != null && (!SUBMISSION.matcher(submission).matches() || List.of(submission.split("/")).contains(".."))) {
            problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "submission"),
                    "submission 은 홈 폴더 아래의 상대 경로여야 합니다 (예: app/Dockerfile): " + submission));
            submission = null;
        }
        Lab.Script afterSubmit = null;
        List<Lab.Script> setup = new ArrayList<>();
        for (Block b : blocks) {
            if (b.kind().equals("after-submit")) {
                if (b.line() > introEnd) {
                    problems.add(ContentProblem.error(file, b.line(),
                            "after-submit 블록은 첫 번째 '##' 과제보다 앞(소개 부분)에 있어야 합니다."));
                }
                if (submission == null) {
                    problems.add(ContentProblem.error(file, b.line(),
                            "after-submit 블록은 앞부분에 submission(제출물을 둘 파일)이 있을 때만 씁니다."));
                }
                afterSubmit = script(b, nodes, file, problems);
            }
            if (b.kind().equals("setup")) {
                if (b.line() > introEnd) {
                    problems.add(ContentProblem.error(file, b.line(),
                            "setup 블록은 첫 번째 '##' 과제보다 앞(소개 부분)에 있어야 합니다."));
                }
                setup.add(script(b, nodes, file, problems));
            }
        }
        List<Rendered.LinkRef> links = new ArrayList<>();
        String introHtml = render(dir, file, blanked, 0, introEnd, titleLine, problems, links);

        List<Lab.Section> sections = new ArrayList<>();
        Set<String> taskIds = new LinkedHashSet<>();
        int taskNumber = 0;
        for (RawSection section : raw) {
            Matcher m = HEADING_ID.matcher(section.heading());
            String heading = m.matches() ? m.group(1) : section.heading();
            String explicitId = m.matches() ? m.group(2) : null;
            String html = render(dir, file, blanked, section.firstLine(), section.lastLine(), -1, problems, links);
            List<Block> checks = section.blocks().stream().filter(b -> b.kind().equals("check")).toList();
            Lab.Task task = null;
            String sectionId = explicitId;
            if (!checks.isEmpty()) {
                taskNumber++;
                String taskId = explicitId != null ? explicitId : "task-" + taskNumber;
                sectionId = taskId;
                if (PAGE_IDS.contains(taskId)) {
                    problems.add(ContentProblem.error(file, section.line(), "과제 id '" + taskId
                            + "'는 실습 화면이 이미 쓰는 이름이라 쓸 수 없습니다. 다른 id를 고르세요."));
                }
                if (!taskIds.add(taskId)) {
                    problems.add(ContentProblem.error(file, section.line(), "과제 id '" + taskId + "'가 두 번 나옵니다."));
                }
                task = task(taskId, heading, section, checks, nodes, file, problems);
            } else {
                for (Block b : section.blocks()) {
                    if (!b.kind().equals("setup") && !b.kind().equals("after-submit")) {
                        problems.add(ContentProblem.error(file, b.line(), "'" + b.kind()
                                + "' 블록이 check 블록이 없는 섹션에 있습니다. 과제 섹션에는 check 블록이 하나 이상 있어야 합니다."));
                    }
                }
            }
            sections.add(new Lab.Section(sectionId == null ? "section-" + (sections.size() + 1) : sectionId,
                    heading, html, task, section.line()));
        }
        if (taskNumber == 0) {
            problems.add(ContentProblem.error(file, 1,
                    "과제가 없습니다. '## 과제 제목' 섹션 안에 ```check 블록을 하나 이상 넣어 주세요."));
        }
        String summary = front.text("summary");
        return new Lab(id, dir, file, title.strip(), summary == null ? "" : summary.strip(), front.text("lesson"),
                image, nodes, network, docker, binds, submission, afterSubmit, limits, timeLimit, caps,
                List.copyOf(setup), introHtml,
                List.copyOf(sections), List.copyOf(links), List.copyOf(problems));
    }

    private Lab.Task task(String taskId, String heading, RawSection section, List<Block> checks, List<String> nodes,
                          Path file, List<ContentProblem> problems) {
        List<Lab.Script> checkScripts = new ArrayList<>();
        boolean passesFresh = false;
        for (Block c : checks) {
            if (c.body().isBlank()) {
                problems.add(ContentProblem.error(file, c.line(), "check 블록이 비어 있습니다."));
            }
            passesFresh |= c.flag("passes-fresh");
            checkScripts.add(script(c, nodes, file, problems));
        }
        List<String> hints = new ArrayList<>();
        List<Lab.Script> solutions = new ArrayList<>();
        String action = null;
        for (Block b : section.blocks()) {
            switch (b.kind()) {
                case "hint" -> hints.add(renderer.inline(b.body()));
                case "solution" -> {
                    Lab.Script solution = script(b, nodes, file, problems);
                    if (action != null || b.options().containsKey("action") && !solutions.isEmpty()) {
                        problems.add(ContentProblem.error(file, b.line(), "action=reset 풀이는 그 과제의 유일한 solution 이어야 합니다."));
                    }
                    if (solutions.stream().anyMatch(s -> s.node().equals(solution.node()))) {
                        problems.add(ContentProblem.error(file, b.line(), "과제 '" + taskId + "'에 노드 '" + solution.node()
                                + "'의 solution 블록이 두 개 있습니다 (노드마다 하나씩)."));
                    }
                    action = b.options().get("action");
                    if (action != null && !action.equals("reset")) {
                        problems.add(ContentProblem.error(file, b.line(),
                                "solution의 action은 reset만 쓸 수 있습니다: " + action));
                        action = null;
                    }
                    if (action == null && b.body().isBlank()) {
                        problems.add(ContentProblem.error(file, b.line(), "solution 블록이 비어 있습니다."));
                    }
                    solutions.add(solution);
                }
                case "setup", "after-submit" -> problems.add(ContentProblem.error(file, b.line(),
                        b.kind() + " 블록은 실습 소개 부분에만 둘 수 있습니다."));
                default -> {
                }
            }
        }
        if (solutions.isEmpty()) {
            problems.add(ContentProblem.error(file, section.line(), "과제 '" + taskId
                    + "'에 solution 블록이 없습니다. 자동 자체 점검(self-test)에 필요합니다."));
        }
        return new Lab.Task(taskId, heading, List.copyOf(checkScripts), List.copyOf(hints), List.copyOf(solutions),
                action, passesFresh, section.line());
    }

    private static Lab.Script script(Block b, List<String> nodes, Path file, List<ContentProblem> problems) {
        String node = b.options().get("node");
        if (node != null && !nodes.contains(node)) {
            problems.add(ContentProblem.error(file, b.line(), "노드 '" + node + "'가 nodes 목록("
                    + String.join(", ", nodes) + ")에 없습니다."));
            node = null;
        }
        String user = b.options().get("user");
        if (user != null && !user.equals("root") && !user.equals("learner") && !user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            problems.add(ContentProblem.error(file, b.line(), "user 값이 올바르지 않습니다: " + user));
            user = null;
        }
        Duration timeout = null;
        if (b.options().containsKey("timeout")) {
            timeout = Units.duration(b.options().get("timeout"));
            if (timeout == null) {
                problems.add(ContentProblem.error(file, b.line(), "timeout 형식이 올바르지 않습니다: " + b.options().get("timeout")));
            }
        }
        return new Lab.Script(b.body(), node == null ? nodes.get(0) : node, user, timeout, b.line());
    }

    /** Pulls special fenced blocks out; returns the lines with those blocks blanked (line numbers kept). */
    private static String[] extractBlocks(Path file, String[] lines, List<Block> blocks, List<ContentProblem> problems) {
        String[] blanked = Arrays.copyOf(lines, lines.length);
        int i = 0;
        while (i < lines.length) {
            String t = lines[i].strip();
            String fence = fence(t);
            if (fence == null) {
                i++;
                continue;
            }
            String info = t.substring(fence.length()).strip();
            String[] words = info.isEmpty() ? new String[0] : info.split("\\s+");
            String kind = words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT);
            int close = -1;
            for (int j = i + 1; j < lines.length; j++) {
                String c = lines[j].strip();
                if (c.startsWith(fence) && c.chars().allMatch(ch -> ch == fence.charAt(0))) {
                    close = j;
                    break;
                }
            }
            if (close < 0) {
                problems.add(ContentProblem.error(file, i + 1, "코드 블록(" + fence + ")이 닫히지 않았습니다."));
                return blanked;
            }
            if (SPECIAL.contains(kind)) {
                Map<String, String> options = new HashMap<>();
                for (int w = 1; w < words.length; w++) {
                    int eq = words[w].indexOf('=');
                    if (eq > 0) {
                        options.put(words[w].substring(0, eq), words[w].substring(eq + 1));
                    } else {
                        options.put(words[w], "");
                    }
                }
                StringBuilder body = new StringBuilder();
                for (int j = i + 1; j < close; j++) {
                    body.append(lines[j]).append('\n');
                }
                blocks.add(new Block(kind, options, body.toString(), i + 1, close + 1));
                for (int j = i; j <= close; j++) {
                    blanked[j] = "";
                }
            }
            i = close + 1;
        }
        return blanked;
    }

    private static String fence(String line) {
        if (!(line.startsWith("```") || line.startsWith("~~~"))) {
            return null;
        }
        char c = line.charAt(0);
        int n = 0;
        while (n < line.length() && line.charAt(n) == c) {
            n++;
        }
        return line.substring(0, n);
    }

    /** Splits at level-2 headings outside code fences. */
    private static List<RawSection> sections(String[] lines, List<Block> blocks) {
        List<int[]> starts = new ArrayList<>();
        String open = null;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            String f = fence(t);
            if (open == null && f != null) {
                open = f;
                continue;
            }
            if (open != null) {
                char marker = open.charAt(0);
                if (f != null && t.chars().allMatch(ch -> ch == marker) && f.length() >= open.length()) {
                    open = null;
                }
                continue;
            }
            if (lines[i].startsWith("## ")) {
                starts.add(new int[]{i});
            }
        }
        List<RawSection> sections = new ArrayList<>();
        for (int s = 0; s < starts.size(); s++) {
            int start = starts.get(s)[0];
            int end = s + 1 < starts.size() ? starts.get(s + 1)[0] : lines.length;
            List<Block> inside = new ArrayList<>();
            for (Block b : blocks) {
                if (b.line() - 1 > start && b.line() - 1 < end) {
                    inside.add(b);
                }
            }
            sections.add(new RawSection(lines[start].substring(3).strip(), start + 1, start + 1, end, inside));
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
        problems.addAll(rendered.problems().stream().filter(p -> !p.message().contains("닫히지 않았")).toList());
        links.addAll(rendered.links());
        return rendered.html();
    }

    private static List<String> nodes(Path file, String text, JsonNode data, List<ContentProblem> problems) {
        JsonNode node = data.get("nodes");
        if (node == null || node.isNull()) {
            return List.of("sandbox");
        }
        List<String> nodes = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> nodes.add(n.asText().trim()));
        } else {
            nodes.add(node.asText().trim());
        }
        int line = FrontMatter.lineOf(text, "nodes");
        if (nodes.isEmpty() || nodes.size() > 3) {
            problems.add(ContentProblem.error(file, line, "nodes는 1~3개의 이름 목록이어야 합니다."));
            return List.of("sandbox");
        }
        for (String n : nodes) {
            if (!NODE.matcher(n).matches()) {
                problems.add(ContentProblem.error(file, line, "노드 이름 '" + n + "'은(는) 영문 소문자로 시작해 20자 이하여야 합니다."));
                return List.of("sandbox");
            }
        }
        if (new LinkedHashSet<>(nodes).size() != nodes.size()) {
            problems.add(ContentProblem.error(file, line, "nodes에 같은 이름이 두 번 있습니다."));
            return List.of("sandbox");
        }
        return List.copyOf(nodes);
    }

    private static boolean docker(Path file, String text, JsonNode value, List<ContentProblem> problems) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "docker"), "docker는 true 또는 false 여야 합니다: " + value.asText()));
        return false;
    }

    private static final Pattern BIND = Pattern.compile("[a-z0-9][a-z0-9_-]{0,30}");

    private static List<String> binds(Path file, String text, JsonNode value, boolean docker, List<ContentProblem> problems) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        int line = FrontMatter.lineOf(text, "binds");
        if (!docker) {
            problems.add(ContentProblem.error(file, line, "binds 는 도커 실습(docker: true)에서만 쓸 수 있습니다."));
            return List.of();
        }
        if (!value.isArray() || value.size() > 5) {
            problems.add(ContentProblem.error(file, line, "binds 는 홈 폴더 아래 폴더 이름 목록이어야 합니다 (5개까지, 예: [site])."));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode b : value) {
            if (!BIND.matcher(b.asText()).matches()) {
                problems.add(ContentProblem.error(file, line, "binds 의 폴더 이름은 영문 소문자·숫자·'-'·'_' 만 쓸 수 있습니다: " + b.asText()));
            } else {
                out.add(b.asText());
            }
        }
        return List.copyOf(out);
    }

    private static boolean network(Path file, String text, String value, List<ContentProblem> problems) {
        if (value == null || value.equals("none")) {
            return false;
        }
        if (value.equals("bridge")) {
            return true;
        }
        problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "network"),
                "network는 none(기본) 또는 bridge 이어야 합니다: " + value));
        return false;
    }

    private static Lab.Limits limits(Path file, String text, JsonNode node, List<ContentProblem> problems) {
        if (node == null || node.isNull()) {
            return Lab.Limits.DEFAULTS;
        }
        int line = FrontMatter.lineOf(text, "limits");
        if (!node.isObject()) {
            problems.add(ContentProblem.error(file, line, "limits는 memory, cpus, pids 키를 가진 맵이어야 합니다."));
            return Lab.Limits.DEFAULTS;
        }
        Long memory = null;
        Double cpus = null;
        Integer pids = null;
        if (node.has("memory")) {
            memory = Units.bytes(node.get("memory").asText());
            if (memory == null || memory < (16L << 20) || memory > (2L << 30)) {
                problems.add(ContentProblem.error(file, line, "limits.memory는 16m~2g 사이여야 합니다: " + node.get("memory").asText()));
                memory = null;
            }
        }
        if (node.has("cpus")) {
            double c = node.get("cpus").asDouble(-1);
            if (c <= 0 || c > 2) {
                problems.add(ContentProblem.error(file, line, "limits.cpus는 0보다 크고 2 이하여야 합니다."));
            } else {
                cpus = c;
            }
        }
        if (node.has("pids")) {
            int p = node.get("pids").asInt(-1);
            if (p < 16 || p > 1024) {
                problems.add(ContentProblem.error(file, line, "limits.pids는 16~1024 사이여야 합니다."));
            } else {
                pids = p;
            }
        }
        return new Lab.Limits(memory, cpus, pids);
    }

    private static List<String> capabilities(Path file, String text, JsonNode node, List<ContentProblem> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> caps = new ArrayList<>();
        int line = FrontMatter.lineOf(text, "capabilities");
        for (JsonNode c : node.isArray() ? node : List.of(node)) {
            String cap = c.asText().trim().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (!GRANTABLE_CAPS.contains(cap)) {
                problems.add(ContentProblem.error(file, line, "권한 " + cap
                        + "은(는) 실습에 줄 수 없습니다 (Docker 기본 권한 안에서만 허용)."));
            } else {
                caps.add(cap);
            }
        }
        return List.copyOf(caps);
    }

    private static Lab.ImageSpec image(Path labsRoot, Path dir, Path file, String text, String name,
                                       List<ContentProblem> problems) {
        Path imagesDir = labsRoot.resolve(LabCatalog.IMAGES_DIR);
        if (name != null) {
            if (!ID.matcher(name).matches() || !Files.isRegularFile(imagesDir.resolve(name).resolve("Dockerfile"))) {
                problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "image"), "이미지 '" + name
                        + "'을(를) 찾을 수 없습니다: labs/" + LabCatalog.IMAGES_DIR + "/" + name + "/Dockerfile 이 있어야 합니다."));
                return null;
            }
            return new Lab.ImageSpec(name, imagesDir.resolve(name).resolve("Dockerfile"), imagesDir, true);
        }
        if (Files.isRegularFile(dir.resolve("Dockerfile"))) {
            return new Lab.ImageSpec("lab-" + dir.getFileName(), dir.resolve("Dockerfile"), dir, false);
        }
        if (Files.isRegularFile(imagesDir.resolve("base").resolve("Dockerfile"))) {
            return new Lab.ImageSpec("base", imagesDir.resolve("base").resolve("Dockerfile"), imagesDir, true);
        }
        problems.add(ContentProblem.error(file, 1, "이 실습의 이미지가 없습니다: 앞부분에 image를 쓰거나 실습 폴더에 Dockerfile을 두세요."));
        return null;
    }

    private static Lab empty(String id, Path dir, Path file, List<ContentProblem> problems) {
        return new Lab(id, dir, file, id, "", null, null, List.of("sandbox"), false, false, List.of(), null, null,
                Lab.Limits.DEFAULTS, null, List.of(), List.of(), "", List.of(), List.of(), List.copyOf(problems));
    }
}
