package dev.baeum.builds;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import dev.baeum.sandbox.ContainerFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a learner's Dockerfile the way the classic builder does — one container per step, committed as a
 * layer — but every step runs inside the sandbox's walls: a pids limit, memory equal to memory+swap, a CPU
 * quota, no network, almost no capabilities, no-new-privileges, a disk-usage ceiling and one deadline for
 * the whole build. {@code docker build} cannot limit processes, and on a host with 32768 PIDs a fork bomb
 * in a RUN line would starve every other learner.
 *
 * <p>Supported: a single FROM (from an allowed list), RUN, COPY/ADD of local files (optionally --chown),
 * WORKDIR, ENV, ARG, USER, CMD, ENTRYPOINT, EXPOSE, LABEL. Errors name the Dockerfile line, in Korean.
 */
public final class SandboxedBuilder {

    private static final Logger log = LoggerFactory.getLogger(SandboxedBuilder.class);
    private static final int MAX_LOG_CHARS_PER_STEP = 32 * 1024;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern NETWORK_TOOLS = Pattern.compile("\\b(apt|apt-get|curl|wget|pip|pip3|npm|git|yarn|apk)\\b");

    public record Limits(long memoryBytes, double cpus, int pids, long diskBytes, long contextBytes, Duration timeout) {
    }

    /** What the built image is: for checks to compare with what the lab asks for. */
    public record ImageFacts(String base, String workdir, String user, List<String> cmd, List<String> entrypoint,
                             List<String> env, Set<String> exposed, int layers) {
    }

    public record Result(String image, ImageFacts facts, BuildProblem problem, long millis) {
        public boolean built() {
            return image != null && problem == null;
        }
    }

    private static final class BuildFailure extends RuntimeException {
        final BuildProblem problem;

        BuildFailure(int line, String message) {
            super(message);
            this.problem = new BuildProblem(line, message);
        }
    }

    private static final class State {
        String image;
        String base;
        String workdir = "/";
        String user = "";
        List<String> cmd = List.of();
        List<String> entrypoint = List.of();
        final Map<String, String> env = new LinkedHashMap<>();
        final Map<String, String> args = new LinkedHashMap<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        final Set<String> exposed = new LinkedHashSet<>();
        final List<String> images = new ArrayList<>();
        /** Directories known to exist in the image, so {@code COPY x /some/dir} copies into them. */
        final Set<String> directories = new LinkedHashSet<>(List.of("/", "/bin", "/etc", "/home", "/opt", "/root",
                "/srv", "/tmp", "/usr", "/usr/bin", "/usr/local", "/usr/local/bin", "/usr/share", "/var", "/var/tmp"));

        void knowDirectory(String path) {
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                directories.add(p.toString());
            }
        }
    }

    private final DockerClient docker;
    private final Limits limits;

    public SandboxedBuilder(DockerClient docker, Limits limits) {
        this.docker = docker;
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * @param tag    the name the finished image gets ({@code repository:tag})
     * @param labels labels for every step container and the image (cleanup marks)
     * @param out    receives the build log line by line, as it happens
     */
    public Result build(String dockerfile, Path context, List<String> allowedBases, String tag,
                        Map<String, String> labels, Consumer<String> out) {
        long started = System.nanoTime();
        long deadline = started + limits.timeout().toNanos();
        State state = new State();
        try {
            if (dockerfile.getBytes(StandardCharsets.UTF_8).length > 64 * 1024) {
                throw new BuildFailure(0, "Dockerfile이 너무 깁니다 (64KB까지).");
            }
            DockerfileParser.Parsed parsed = DockerfileParser.parse(dockerfile);
            if (!parsed.problems().isEmpty()) {
                BuildProblem p = parsed.problems().get(0);
                throw new BuildFailure(p.line(), p.message());
            }
            List<Instruction> steps = parsed.instructions();
            if (steps.isEmpty()) {
                throw new BuildFailure(0, "Dockerfile이 비어 있습니다. 첫 줄에 FROM부터 적어 주세요.");
            }
            checkContextSize(context);
            int firstFrom = -1;
            for (int i = 0; i < steps.size(); i++) {
                Instruction s = steps.get(i);
                if (s.keyword().equals("FROM")) {
                    if (firstFrom >= 0) {
                        throw new BuildFailure(s.line(), "FROM이 두 번 나옵니다. 이 실습은 단일 단계 빌드만 지원합니다.");
                    }
                    firstFrom = i;
                } else if (firstFrom < 0 && !s.keyword().equals("ARG")) {
                    throw new BuildFailure(s.line(), "Dockerfile은 FROM으로 시작해야 합니다 (앞에는 ARG만 올 수 있습니다).");
                }
            }
            if (firstFrom < 0) {
                throw new BuildFailure(0, "FROM이 없습니다. 어떤 이미지에서 시작할지 FROM으로 정해 주세요.");
            }
            int total = steps.size();
            for (int i = 0; i < total; i++) {
                Instruction step = steps.get(i);
                if (System.nanoTime() > deadline) {
                    throw timeout(step);
                }
                out.accept("Step " + (i + 1) + "/" + total + " : " + step.display());
                long stepStart = System.nanoTime();
                apply(step, state, context, allowedBases, labels, out, deadline);
                out.accept(" ---> 완료 (" + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - stepStart) / 1e9) + "초)");
            }
            String image = finish(state, tag, labels);
            int layers = layers(image);
            out.accept("이미지를 만들었습니다: " + tag + " (레이어 " + layers + "개)");
            return new Result(image, new ImageFacts(state.base, state.workdir, state.user, state.cmd, state.entrypoint,
                    state.env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                    Set.copyOf(state.exposed), layers), null, millis(started));
        } catch (BuildFailure f) {
            removeImages(state);
            return new Result(null, null, f.problem, millis(started));
        } catch (RuntimeException e) {
            removeImages(state);
            log.warn("Learner build failed unexpectedly", e);
            return new Result(null, null, new BuildProblem(0, "빌드 중 서버에서 문제가 생겼습니다: " + e.getMessage()), millis(started));
        }
    }

    /** Removes a built image (and the step images under it). */
    public void remove(String image) {
        try {
            docker.removeImageCmd(image).withForce(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        } catch (RuntimeException e) {
            log.debug("Could not remove {}: {}", image, e.getMessage());
        }
    }

    private void apply(Instruction step, State state, Path context, List<String> allowedBases, Map<String, String> labels,
                       Consumer<String> out, long deadline) {
        switch (step.keyword()) {
            case "FROM" -> from(step, state, allowedBases);
            case "ARG" -> arg(step, state);
            case "ENV" -> pairs(step, state, state.env, "ENV");
            case "LABEL" -> pairs(step, state, state.labels, "LABEL");
            case "WORKDIR" -> workdir(step, state, labels, deadline);
            case "USER" -> state.user = expand(step.arguments(), state).strip();
            case "CMD" -> state.cmd = command(step, state);
            case "ENTRYPOINT" -> state.entrypoint = command(step, state);
            case "EXPOSE" -> Arrays.stream(expand(step.arguments(), state).split("\\s+")).filter(p -> !p.isBlank())
                    .forEach(p -> state.exposed.add(p.contains("/") ? p : p + "/tcp"));
            case "RUN" -> run(step, state, labels, out, deadline);
            case "COPY", "ADD" -> copy(step, state, context, labels, deadline);
            default -> throw new BuildFailure(step.line(), "알 수 없는 명령어 '" + step.keyword() + "'입니다.");
        }
    }

    private void from(Instruction step, State state, List<String> allowedBases) {
        String[] words = step.arguments().split("\\s+");
        String image = null;
        for (String w : words) {
            if (w.startsWith("--")) {
                continue;
            }
            image = expand(w, state);
            break;
        }
        if (image == null) {
            throw new BuildFailure(step.line(), "FROM 뒤에 이미지 이름이 없습니다.");
        }
        String normalized = image.replaceFirst("^docker\\.io/", "").replaceFirst("^library/", "");
        if (!allowedBases.contains(normalized)) {
            throw new BuildFailure(step.line(), "이 실습에서는 FROM에 " + String.join(", ", allowedBases)
                    + " 만 쓸 수 있습니다 (지금: " + image + "). 빌드는 인터넷에 연결되지 않아 다른 이미지를 받을 수 없습니다.");
        }
        InspectImageResponse inspect;
        try {
            inspect = docker.inspectImageCmd(normalized).exec();
        } catch (NotFoundException e) {
            throw new BuildFailure(step.line(), "기본 이미지 " + normalized + "이(가) 이 서버에 없습니다. 운영자에게 알려 주세요.");
        }
        state.image = inspect.getId();
        state.base = normalized;
        ContainerConfig config = inspect.getConfig();
        if (config != null) {
            if (config.getEnv() != null) {
                for (String e : config.getEnv()) {
                    int eq = e.indexOf('=');
                    if (eq > 0) {
                        state.env.put(e.substring(0, eq), e.substring(eq + 1));
                    }
                }
            }
            state.cmd = config.getCmd() == null ? List.of() : List.of(config.getCmd());
            state.entrypoint = config.getEntrypoint() == null ? List.of() : List.of(config.getEntrypoint());
            state.workdir = config.getWorkingDir() == null || config.getWorkingDir().isBlank() ? "/" : config.getWorkingDir();
            state.knowDirectory(state.workdir);
            state.user = config.getUser() == null ? "" : config.getUser();
        }
    }

    private static void arg(Instruction step, State state) {
        String text = step.arguments().strip();
        int eq = text.indexOf('=');
        String name = eq < 0 ? text : text.substring(0, eq);
        String value = eq < 0 ? "" : unquote(expand(text.substring(eq + 1), state));
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BuildFailure(step.line(), "ARG 이름이 올바르지 않습니다: " + name);
        }
        state.args.putIfAbsent(name, value);
    }

    /** {@code KEY=value KEY2="two words"} or the old {@code KEY value with spaces}. */
    private static void pairs(Instruction step, State state, Map<String, String> target, String what) {
        List<String> tokens = tokens(step.arguments());
        if (tokens.isEmpty()) {
            throw new BuildFailure(step.line(), what + " 뒤에 값이 없습니다.");
        }
        if (!tokens.get(0).contains("=")) {
            String key = tokens.get(0);
            String rest = step.arguments().strip().substring(key.length()).strip();
            target.put(key, unquote(expand(rest, state)));
            return;
        }
        for (String token : tokens) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new BuildFailure(step.line(), what + "은(는) 이름=값 형태로 적어 주세요: " + token);
            }
            target.put(token.substring(0, eq), unquote(expand(token.substring(eq + 1), state)));
        }
    }

    private void workdir(Instruction step, State state, Map<String, String> labels, long deadline) {
        String path = resolve(state.workdir, unquote(expand(step.arguments().strip(), state)));
        state.workdir = path;
        state.knowDirectory(path);
        String id = create(state, labels, List.of("mkdir", "-p", path), "0", false);
        try {
            startAndWait(id, step, deadline, null);
            commit(id, state);
        } finally {
            removeContainer(id);
        }
    }

    private void run(Instruction step, State state, Map<String, String> labels, Consumer<String> out, long deadline) {
        List<String> command = step.isExecForm() ? step.execForm() : List.of("/bin/sh", "-c", step.arguments());
        String id = create(state, labels, command, state.user, true);
        try {
            int exit = startAndWait(id, step, deadline, out);
            InspectContainerResponse inspect = docker.inspectContainerCmd(id).exec();
            if (inspect.getState() != null && Boolean.TRUE.equals(inspect.getState().getOOMKilled())) {
                throw new BuildFailure(step.line(), "RUN 명령이 메모리 제한(" + (limits.memoryBytes() >> 20)
                        + "MB)을 넘어 중단되었습니다.");
            }
            if (exit != 0) {
                String hint = NETWORK_TOOLS.matcher(step.arguments()).find()
                        ? " 이 빌드는 네트워크가 꺼져 있어 패키지나 파일을 내려받을 수 없습니다. 필요한 것은 이미 기본 이미지에 들어 있습니다."
                        : "";
                throw new BuildFailure(step.line(), "RUN 명령이 실패했습니다 (종료 코드 " + exit + ")." + hint);
            }
            commit(id, state);
        } finally {
            removeContainer(id);
        }
    }

    private void copy(Instruction step, State state, Path context, Map<String, String> labels, long deadline) {
        List<String> words = step.isExecForm() ? new ArrayList<>(step.execForm()) : tokens(step.arguments());
        String chown = null;
        while (!words.isEmpty() && words.get(0).startsWith("--")) {
            String flag = words.remove(0);
            if (flag.startsWith("--chown=")) {
                chown = expand(flag.substring("--chown=".length()), state);
            } else {
                throw new BuildFailure(step.line(), step.keyword() + "의 옵션 " + flag + "은(는) 이 실습에서 쓸 수 없습니다 (--chown만 지원).");
            }
        }
        if (words.size() < 2) {
            throw new BuildFailure(step.line(), step.keyword() + "에는 복사할 파일과 목적지를 함께 적어야 합니다 (예: COPY hello.sh /app/).");
        }
        String dest = expand(unquote(words.remove(words.size() - 1)), state);
        Map<String, Path> files = new TreeMap<>(); // path inside the image → file in the context
        boolean intoDirectory = dest.endsWith("/") || words.size() > 1;
        for (String rawSource : words) {
            String source = expand(unquote(rawSource), state);
            if (source.matches("^[a-zA-Z]+://.*")) {
                throw new BuildFailure(step.line(), step.keyword() + "로 인터넷 주소를 받을 수 없습니다 (빌드는 네트워크가 꺼져 있습니다).");
            }
            List<Path> matches = matches(context, source, step);
            if (matches.size() > 1 || (matches.size() == 1 && Files.isDirectory(matches.get(0)))) {
                intoDirectory = true;
            }
            for (Path match : matches) {
                if (Files.isDirectory(match)) {
                    try (Stream<Path> walk = Files.walk(match)) {
                        walk.filter(Files::isRegularFile).forEach(f -> files.put(match.relativize(f).toString(), f));
                    } catch (IOException e) {
                        throw new BuildFailure(step.line(), "빌드 컨텍스트를 읽을 수 없습니다: " + e.getMessage());
                    }
                } else {
                    files.put(match.getFileName().toString(), match);
                }
            }
        }
        String target = resolve(state.workdir, dest);
        if (dest.equals(".") || dest.endsWith("/.") || state.directories.contains(target)) {
            intoDirectory = true;
        }
        Map<String, Path> placed = new TreeMap<>();
        if (intoDirectory) {
            files.forEach((relative, file) -> placed.put(join(target, relative), file));
        } else {
            placed.put(target, files.values().iterator().next());
        }
        List<String> command = new ArrayList<>();
        if (chown != null) {
            if (!chown.matches("[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?")) {
                throw new BuildFailure(step.line(), "--chown 값이 올바르지 않습니다: " + chown);
            }
            command.addAll(List.of("chown", chown));
            command.addAll(placed.keySet());
        } else {
            command.add("true");
        }
        String id = create(state, labels, command, "0", false);
        try {
            docker.copyArchiveToContainerCmd(id).withRemotePath("/").withTarInputStream(tar(placed)).exec();
            int exit = startAndWait(id, step, deadline, null);
            if (exit != 0) {
                throw new BuildFailure(step.line(), "--chown " + chown + " 을(를) 적용하지 못했습니다. 그 사용자와 그룹이 이미지에 있나요? "
                        + "(먼저 RUN useradd 로 만드세요)");
            }
            commit(id, state);
            placed.keySet().forEach(p -> state.knowDirectory(Path.of(p).getParent().toString()));
        } finally {
            removeContainer(id);
        }
    }

    private List<Path> matches(Path context, String source, Instruction step) {
        String clean = source.replaceFirst("^\\./", "");
        if (clean.isEmpty() || clean.equals(".")) {
            return List.of(context);
        }
        Path resolved = context.resolve(clean).normalize();
        if (!resolved.startsWith(context) || clean.startsWith("/")) {
            throw new BuildFailure(step.line(), "'" + source + "'은(는) 빌드 컨텍스트 밖입니다. 컨텍스트 안의 파일만 복사할 수 있습니다.");
        }
        if (clean.matches(".*[*?\\[].*")) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + clean);
            try (Stream<Path> walk = Files.walk(context)) {
                List<Path> found = walk.filter(p -> !p.equals(context) && matcher.matches(context.relativize(p))).toList();
                if (found.isEmpty()) {
                    throw missing(context, source, step);
                }
                return found;
            } catch (IOException e) {
                throw new BuildFailure(step.line(), "빌드 컨텍스트를 읽을 수 없습니다: " + e.getMessage());
            }
        }
        if (!Files.exists(resolved)) {
            throw missing(context, source, step);
        }
        return List.of(resolved);
    }

    private static BuildFailure missing(Path context, String source, Instruction step) {
        List<String> available = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(context)) {
            walk.filter(Files::isRegularFile).map(p -> context.relativize(p).toString()).sorted().forEach(available::add);
        } catch (IOException ignored) {
            // the list is only a courtesy
        }
        return new BuildFailure(step.line(), "복사할 파일 '" + source + "'이(가) 빌드 컨텍스트에 없습니다. 쓸 수 있는 파일: "
                + (available.isEmpty() ? "(없음)" : String.join(", ", available)));
    }

    /** A container for one step, inside the build's walls. */
    private String create(State state, Map<String, String> labels, List<String> command, String user, boolean learnerCode) {
        List<Capability> caps = List.of(Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FOWNER,
                Capability.FSETID, Capability.SETUID, Capability.SETGID);
        // Building needs a writable root and the few capabilities useradd and chown use; nothing else.
        HostConfig host = ContainerFactory.walls(limits.memoryBytes(), limits.cpus(), limits.pids())
                .withCapAdd(caps.toArray(Capability[]::new))
                .withNetworkMode("none")
                .withInit(learnerCode)
                .withUlimits(List.of(new Ulimit("nofile", 1024L, 1024L), new Ulimit("fsize", limits.diskBytes(), limits.diskBytes())))
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "1m", "max-file", "1")));
        CreateContainerCmd cmd = docker.createContainerCmd(state.image)
                .withHostConfig(host)
                .withLabels(labels)
                .withEntrypoint("")
                .withCmd(command)
                .withUser(user == null ? "" : user)
                .withWorkingDir(state.workdir)
                .withEnv(environment(state));
        return cmd.exec().getId();
    }

    /** Starts a step and waits for it within the build deadline; streams its output when asked. */
    private int startAndWait(String id, Instruction step, long deadline, Consumer<String> out) {
        AtomicBoolean tooBig = new AtomicBoolean();
        ResultCallback.Adapter<Frame> logs = null;
        docker.startContainerCmd(id).exec();
        if (out != null) {
            logs = streamLogs(id, out);
        }
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    kill(id);
                    throw timeout(step);
                }
                try {
                    Integer code = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                            .awaitStatusCode(Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500), TimeUnit.MILLISECONDS);
                    if (code != null) {
                        if (tooBig.get()) {
                            throw diskFull(step);
                        }
                        return code;
                    }
                } catch (DockerClientException waitTimedOut) {
                    // still running: look at its disk use, then wait again
                }
                Long written = docker.inspectContainerCmd(id).withSize(true).exec().getSizeRw();
                if (written != null && written > limits.diskBytes()) {
                    tooBig.set(true);
                    kill(id);
                    throw diskFull(step);
                }
            }
        } finally {
            if (logs != null) {
                try {
                    logs.awaitCompletion(2, TimeUnit.SECONDS);
                    logs.close();
                } catch (Exception ignored) {
                    // the step is over; a late log line is not worth waiting for
                }
            }
        }
    }

    private ResultCallback.Adapter<Frame> streamLogs(String id, Consumer<String> out) {
        AtomicInteger chars = new AtomicInteger();
        StringBuilder partial = new StringBuilder();
        return docker.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                        synchronized (partial) {
                            partial.append(text);
                            int nl;
                            while ((nl = partial.indexOf("\n")) >= 0) {
                                emit(partial.substring(0, nl));
                                partial.delete(0, nl + 1);
                            }
                        }
                    }

                    @Override
                    public void onComplete() {
                        synchronized (partial) {
                            if (partial.length() > 0) {
                                emit(partial.toString());
                                partial.setLength(0);
                            }
                        }
                        super.onComplete();
                    }

                    private void emit(String line) {
                        int total = chars.addAndGet(line.length());
                        if (total <= MAX_LOG_CHARS_PER_STEP) {
                            out.accept(" " + line);
                        } else if (total - line.length() <= MAX_LOG_CHARS_PER_STEP) {
                            out.accept(" … (출력이 너무 길어 나머지는 생략합니다)");
                        }
                    }
                });
    }

    private void commit(String containerId, State state) {
        String image = docker.commitCmd(containerId).withCmd(state.cmd.toArray(String[]::new)).exec();
        state.image = image;
        state.images.add(image);
    }

    /** The last commit carries the image's real configuration (CMD, ENTRYPOINT, USER, ...). */
    private String finish(State state, String tag, Map<String, String> labels) {
        Map<String, String> allLabels = new LinkedHashMap<>(state.labels);
        allLabels.putAll(labels);
        CreateContainerCmd cmd = docker.createContainerCmd(state.image)
                .withLabels(allLabels)
                .withCmd(state.cmd)
                .withEntrypoint(state.entrypoint.isEmpty() ? List.of("") : state.entrypoint)
                .withUser(state.user)
                .withWorkingDir(state.workdir)
                .withEnv(state.env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withExposedPorts(state.exposed.stream().map(ExposedPort::parse).toList())
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"));
        String id = cmd.exec().getId();
        try {
            int colon = tag.lastIndexOf(':');
            String image = docker.commitCmd(id).withRepository(tag.substring(0, colon)).withTag(tag.substring(colon + 1)).exec();
            state.images.add(image);
            return tag;
        } finally {
            removeContainer(id);
        }
    }

    private int layers(String image) {
        InspectImageResponse inspect = docker.inspectImageCmd(image).exec();
        return inspect.getRootFS() == null || inspect.getRootFS().getLayers() == null ? 0 : inspect.getRootFS().getLayers().size();
    }

    private void checkContextSize(Path context) {
        if (context == null || !Files.isDirectory(context)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(context)) {
            long size = walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
            if (size > limits.contextBytes()) {
                throw new BuildFailure(0, "빌드 컨텍스트가 너무 큽니다 (" + (size >> 10) + "KB, 최대 " + (limits.contextBytes() >> 10) + "KB).");
            }
        } catch (IOException e) {
            throw new BuildFailure(0, "빌드 컨텍스트를 읽을 수 없습니다: " + e.getMessage());
        }
    }

    private static ByteArrayInputStream tar(Map<String, Path> placed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, Path> e : placed.entrySet()) {
                byte[] content = Files.readAllBytes(e.getValue());
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey().replaceFirst("^/+", ""));
                entry.setSize(content.length);
                entry.setMode(Files.isExecutable(e.getValue()) ? 0100755 : 0100644);
                entry.setIds(0, 0);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new BuildFailure(0, "복사할 파일을 준비하지 못했습니다: " + e.getMessage());
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private List<String> environment(State state) {
        List<String> env = new ArrayList<>();
        state.args.forEach((k, v) -> {
            if (!state.env.containsKey(k)) {
                env.add(k + "=" + v);
            }
        });
        state.env.forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    private static List<String> command(Instruction step, State state) {
        return step.isExecForm() ? step.execForm() : List.of("/bin/sh", "-c", step.arguments());
    }

    /** {@code $NAME}, {@code ${NAME}} and {@code ${NAME:-default}} from ENV and ARG values. */
    static String expand(String text, State state) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String value = state.env.containsKey(name) ? state.env.get(name) : state.args.get(name);
            if (value == null || value.isEmpty()) {
                value = m.group(3) != null ? m.group(3) : "";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current.append(c);
            } else if (Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    private static String resolve(String workdir, String path) {
        Path p = path.startsWith("/") ? Path.of(path) : Path.of(workdir).resolve(path);
        String normalized = p.normalize().toString();
        return normalized.isEmpty() ? "/" : normalized;
    }

    private static String join(String dir, String relative) {
        return dir.endsWith("/") ? dir + relative : dir + "/" + relative;
    }

    private BuildFailure timeout(Instruction step) {
        return new BuildFailure(step.line(), "빌드가 제한 시간(" + limits.timeout().toSeconds() + "초)을 넘어 중단했습니다.");
    }

    private BuildFailure diskFull(Instruction step) {
        return new BuildFailure(step.line(), "이 단계가 디스크를 너무 많이 써서(" + (limits.diskBytes() >> 20) + "MB 초과) 중단했습니다.");
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException ignored) {
            // it may have just exited
        }
    }

    private void removeContainer(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        }
    }

    private void removeImages(State state) {
        if (!state.images.isEmpty()) {
            remove(state.images.get(state.images.size() - 1));
        }
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
