package dev.baeum.content.lab;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.base.config.Units;
import dev.baeum.content.ContentProblem.Code;
import dev.baeum.content.ContentProblem;
import dev.baeum.content.FrontMatter;
import dev.baeum.content.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** How a lab's sandbox is built and limited, read and checked from its front matter. */
record LabSettings(LabFront front, Lab.ImageSpec image, List<String> nodes, boolean network, boolean docker,
                   List<String> binds, String submission, Lab.Limits limits, Duration timeLimit, List<String> capabilities) {

    static final Set<String> KNOWN_KEYS = Set.of("title", "summary", "lesson", "image", "nodes", "network", "docker", "binds", "submission",
            "limits", "time_limit", "capabilities", "kind", "estimate");
    private static final Pattern NODE = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern BIND = Pattern.compile("[a-z0-9][a-z0-9_-]{0,30}");
    private static final Pattern SUBMISSION = Pattern.compile("[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*");
    /** Docker's default capabilities; anything beyond them would weaken the sandbox for every learner. */
    private static final Set<String> GRANTABLE_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "AUDIT_WRITE", "SETFCAP", "SETPCAP",
            "MKNOD");

    /** Reads the settings; every problem goes to {@code problems} at the line of its key. */
    static LabSettings read(Path labsRoot, Path dir, Path file, String text, FrontMatter frontMatter,
                            List<ContentProblem> problems) {
        return new Reader(file, text, problems).read(labsRoot, dir, frontMatter.data());
    }

    private record Reader(Path file, String text, List<ContentProblem> problems) {

        LabSettings read(Path labsRoot, Path dir, JsonNode data) {
            for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KNOWN_KEYS.contains(key)) {
                    problems.add(ContentProblem.warning(file, line(key), Code.UNKNOWN_KEY,
                            "앞부분에 알 수 없는 키 '" + key + "'가 있습니다 (무시됨)."));
                }
            }
            LabFront front = bind(data);
            if (front.kind() != null) {
                // The hand-written Dockerfile builder is gone: Dockerfile labs are docker labs that run the real build.
                error("kind", Code.UNSUPPORTED, "kind 는 더 이상 쓰지 않습니다. "
                        + "Dockerfile 실습은 docker: true 로 진짜 docker build 를 쓰고, 채점할 파일은 submission: app/Dockerfile, "
                        + "그것을 빌드하는 스크립트는 ```after-submit 블록에 적습니다 (labs/README.md).");
            }
            List<String> nodes = nodes(front.nodes());
            boolean network = network(front.network());
            boolean docker = docker(front.docker());
            List<String> binds = binds(front.binds(), docker);
            if (docker && nodes.size() > 1) {
                error("nodes", Code.BAD_VALUE, "도커 실습(docker: true)은 노드를 하나만 쓸 수 있습니다: 학습자가 도커로 컨테이너를 여럿 띄웁니다.");
            }
            Lab.Limits limits = limits(front.limits());
            Duration timeLimit = null;
            if (front.timeLimit() != null) {
                timeLimit = Units.duration(front.timeLimit());
                if (timeLimit == null) {
                    error("time_limit", Code.BAD_VALUE, "time_limit 형식이 올바르지 않습니다 (예: 30m, 1h): " + front.timeLimit());
                }
            }
            List<String> caps = capabilities(front.capabilities());
            String imageName = front.image() == null && docker && !Files.isRegularFile(dir.resolve("Dockerfile"))
                    ? "docker" : front.image();
            Lab.ImageSpec image = image(labsRoot, dir, imageName);
            String submission = front.submission();
            if (submission != null && (!SUBMISSION.matcher(submission).matches() || List.of(submission.split("/")).contains(".."))) {
                error("submission", Code.BAD_VALUE, "submission 은 홈 폴더 아래의 상대 경로여야 합니다 (예: app/Dockerfile): " + submission);
                submission = null;
            }
            return new LabSettings(front, image, nodes, network, docker, binds, submission, limits, timeLimit, caps);
        }

        /** Binds the map to {@link LabFront}; a value of the wrong shape is reported and left out. */
        private LabFront bind(JsonNode data) {
            ObjectNode map = data.isObject() ? ((ObjectNode) data).deepCopy() : Yaml.MAPPER.createObjectNode();
            while (true) {
                try {
                    return Yaml.MAPPER.convertValue(map, LabFront.class);
                } catch (IllegalArgumentException e) {
                    String key = e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()
                            ? m.getPath().get(0).getFieldName() : null;
                    if (key == null || !map.has(key)) {
                        problems.add(ContentProblem.error(file, 1, Code.BAD_YAML, "앞부분(front matter)을 읽을 수 없습니다."));
                        return Yaml.MAPPER.convertValue(Yaml.MAPPER.createObjectNode(), LabFront.class);
                    }
                    error(key, Code.BAD_VALUE, "앞부분 '" + key + "'의 값은 글자 하나여야 합니다 (목록이나 맵이 아니라).");
                    map.remove(key);
                }
            }
        }

        private int line(String key) {
            return FrontMatter.lineOf(text, key);
        }

        private void error(String key, Code code, String message) {
            problems.add(ContentProblem.error(file, line(key), code, message));
        }

        private List<String> nodes(JsonNode node) {
            if (node == null || node.isNull()) {
                return List.of("sandbox");
            }
            List<String> nodes = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(n -> nodes.add(n.asText().trim()));
            } else {
                nodes.add(node.asText().trim());
            }
            if (nodes.isEmpty() || nodes.size() > 3) {
                error("nodes", Code.BAD_VALUE, "nodes는 1~3개의 이름 목록이어야 합니다.");
                return List.of("sandbox");
            }
            for (String n : nodes) {
                if (!NODE.matcher(n).matches()) {
                    error("nodes", Code.BAD_VALUE, "노드 이름 '" + n + "'은(는) 영문 소문자로 시작해 20자 이하여야 합니다.");
                    return List.of("sandbox");
                }
            }
            if (new LinkedHashSet<>(nodes).size() != nodes.size()) {
                error("nodes", Code.BAD_VALUE, "nodes에 같은 이름이 두 번 있습니다.");
                return List.of("sandbox");
            }
            return List.copyOf(nodes);
        }

        private boolean docker(JsonNode value) {
            if (value == null || value.isNull()) {
                return false;
            }
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            error("docker", Code.BAD_VALUE, "docker는 true 또는 false 여야 합니다: " + value.asText());
            return false;
        }

        private List<String> binds(JsonNode value, boolean docker) {
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!docker) {
                error("binds", Code.BAD_VALUE, "binds 는 도커 실습(docker: true)에서만 쓸 수 있습니다.");
                return List.of();
            }
            if (!value.isArray() || value.size() > 5) {
                error("binds", Code.BAD_VALUE, "binds 는 홈 폴더 아래 폴더 이름 목록이어야 합니다 (5개까지, 예: [site]).");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonNode b : value) {
                if (!BIND.matcher(b.asText()).matches()) {
                    error("binds", Code.BAD_VALUE, "binds 의 폴더 이름은 영문 소문자·숫자·'-'·'_' 만 쓸 수 있습니다: " + b.asText());
                } else {
                    out.add(b.asText());
                }
            }
            return List.copyOf(out);
        }

        private boolean network(String value) {
            if (value == null || value.equals("none")) {
                return false;
            }
            if (value.equals("bridge")) {
                return true;
            }
            error("network", Code.BAD_VALUE, "network는 none(기본) 또는 bridge 이어야 합니다: " + value);
            return false;
        }

        private Lab.Limits limits(JsonNode node) {
            if (node == null || node.isNull()) {
                return Lab.Limits.DEFAULTS;
            }
            if (!node.isObject()) {
                error("limits", Code.BAD_VALUE, "limits는 memory, cpus, pids 키를 가진 맵이어야 합니다.");
                return Lab.Limits.DEFAULTS;
            }
            Long memory = null;
            Double cpus = null;
            Integer pids = null;
            if (node.has("memory")) {
                memory = Units.bytes(node.get("memory").asText());
                if (memory == null || memory < (16L << 20) || memory > (2L << 30)) {
                    error("limits", Code.BAD_VALUE, "limits.memory는 16m~2g 사이여야 합니다: " + node.get("memory").asText());
                    memory = null;
                }
            }
            if (node.has("cpus")) {
                double c = node.get("cpus").asDouble(-1);
                if (c <= 0 || c > 2) {
                    error("limits", Code.BAD_VALUE, "limits.cpus는 0보다 크고 2 이하여야 합니다.");
                } else {
                    cpus = c;
                }
            }
            if (node.has("pids")) {
                int p = node.get("pids").asInt(-1);
                if (p < 16 || p > 1024) {
                    error("limits", Code.BAD_VALUE, "limits.pids는 16~1024 사이여야 합니다.");
                } else {
                    pids = p;
                }
            }
            return new Lab.Limits(memory, cpus, pids);
        }

        private List<String> capabilities(JsonNode node) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            List<String> caps = new ArrayList<>();
            for (JsonNode c : node.isArray() ? node : List.of(node)) {
                String cap = c.asText().trim().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
                if (!GRANTABLE_CAPS.contains(cap)) {
                    error("capabilities", Code.UNSUPPORTED, "권한 " + cap
                            + "은(는) 실습에 줄 수 없습니다 (Docker 기본 권한 안에서만 허용).");
                } else {
                    caps.add(cap);
                }
            }
            return List.copyOf(caps);
        }

        private Lab.ImageSpec image(Path labsRoot, Path dir, String name) {
            Path imagesDir = labsRoot.resolve(LabCatalog.IMAGES_DIR);
            if (name != null) {
                if (!LabParser.ID.matcher(name).matches() || !Files.isRegularFile(imagesDir.resolve(name).resolve("Dockerfile"))) {
                    error("image", Code.MISSING_IMAGE, "이미지 '" + name + "'을(를) 찾을 수 없습니다: labs/"
                            + LabCatalog.IMAGES_DIR + "/" + name + "/Dockerfile 이 있어야 합니다.");
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
            problems.add(ContentProblem.error(file, 1, Code.MISSING_IMAGE,
                    "이 실습의 이미지가 없습니다: 앞부분에 image를 쓰거나 실습 폴더에 Dockerfile을 두세요."));
            return null;
        }
    }
}
