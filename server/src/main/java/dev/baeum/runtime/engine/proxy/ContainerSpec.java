package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.Names;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds a learner's {@code POST /containers/create} body from an allowlist: every field the proxy knows is
 * checked and copied, every other field must be empty, and the walls (no capabilities beyond a short list,
 * no new privileges, memory = memory+swap, CPU and process limits, a capped log, the session's cgroup and
 * network) are set by the proxy whatever the learner asked for. Published ports are kept as a label for the
 * lab page instead of being bound on the host.
 */
final class ContainerSpec {

    /** What a learner container may keep of Docker's default capabilities: what common images need to start. */
    static final Set<String> CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID",
            "SETUID", "NET_BIND_SERVICE");

    static final String PORTS_LABEL = "baeum.ports";
    static final String ANON_LABEL = "baeum.anon";
    private static final Pattern TMPFS_SIZE = Pattern.compile("size=([0-9]{1,12})([kmgKMG]?)");
    private static final long MIN_HEALTH_INTERVAL_NANOS = 1_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Set<String> CONFIG = Set.of("Hostname", "Domainname", "User", "AttachStdin", "AttachStdout",
            "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck", "ArgsEscaped",
            "Image", "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled", "OnBuild", "Labels", "StopSignal",
            "StopTimeout", "Shell", "HostConfig", "NetworkingConfig");
    private static final Set<String> HOST = Set.of("Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings",
            "RestartPolicy", "AutoRemove", "VolumeDriver", "VolumesFrom", "CapAdd", "CapDrop", "CgroupnsMode", "Dns",
            "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd", "IpcMode", "Links", "OomScoreAdj", "PidMode",
            "Privileged", "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt", "Tmpfs", "UTSMode", "UsernsMode", "ShmSize",
            "ConsoleSize", "Isolation", "CpuShares", "Memory", "NanoCpus", "CpuPeriod", "CpuQuota", "MemoryReservation",
            "MemorySwap", "MemorySwappiness", "PidsLimit", "Ulimits", "Init", "Mounts", "BlkioWeight", "Runtime",
            "CgroupParent");
    private static final Map<String, String> WHY = Map.ofEntries(
            Map.entry("Devices", "장치(--device)는 호스트의 장치를 그대로 넘기므로 쓸 수 없습니다."),
            Map.entry("DeviceRequests", "GPU 같은 장치(--gpus)는 쓸 수 없습니다."),
            Map.entry("DeviceCgroupRules", "장치 규칙(--device-cgroup-rule)은 쓸 수 없습니다."),
            Map.entry("Sysctls", "커널 설정(--sysctl)은 호스트와 나눠 쓰는 커널을 바꾸므로 쓸 수 없습니다."),
            Map.entry("StorageOpt", "저장소 옵션(--storage-opt)은 쓸 수 없습니다."),
            Map.entry("OomKillDisable", "OOM 킬러를 끄는 옵션(--oom-kill-disable)은 쓸 수 없습니다: 메모리를 다 쓴 컨테이너가 서버를 멈추게 할 수 있습니다."),
            Map.entry("KernelMemory", "커널 메모리 제한(--kernel-memory)은 쓸 수 없습니다."),
            Map.entry("MaskedPaths", "시스템 경로 보호를 푸는 옵션(systempaths=unconfined)은 쓸 수 없습니다."),
            Map.entry("ReadonlyPaths", "시스템 경로 보호를 푸는 옵션(systempaths=unconfined)은 쓸 수 없습니다."),
            Map.entry("CpusetCpus", "CPU 고정(--cpuset-cpus)은 쓸 수 없습니다. --cpus 로 상한을 정하세요."),
            Map.entry("CpusetMems", "메모리 노드 고정(--cpuset-mems)은 쓸 수 없습니다."),
            Map.entry("Cgroup", "cgroup 공유(--cgroup)는 쓸 수 없습니다."),
            Map.entry("MacAddress", "MAC 주소 지정은 쓸 수 없습니다."));

    /** The rebuilt body and what the proxy must do around the create. */
    record Built(ObjectNode body, ObjectNode ports, List<String> volumes, List<String> anonymous) {
    }

    private final Ctx ctx;
    private final Budget budget;
    private final Set<Integer> usedPorts;

    /** @param usedPorts host ports the session's other containers already publish */
    ContainerSpec(Ctx ctx, Set<Integer> usedPorts) {
        this.ctx = ctx;
        this.budget = ctx.scope.budget();
        this.usedPorts = usedPorts;
    }

    Built build(JsonNode in, String learnerName, Ctx.Image image) {
        if (in == null || !in.isObject()) {
            throw Refusal.badRequest("컨테이너 설정(JSON)이 올바르지 않습니다.");
        }
        Fields.onlyKnown(in, "", CONFIG, WHY);
        JsonNode hostIn = in.path("HostConfig");
        Fields.onlyKnown(hostIn, "HostConfig.", HOST, WHY);
        for (String f : List.of("MaskedPaths", "ReadonlyPaths")) {
            if (hostIn.path(f).isArray()) { // even [] ("mask nothing": --security-opt systempaths=unconfined) asks to unmask
                throw Refusal.forbidden(WHY.get(f));
            }
        }

        ObjectNode out = ctx.json.createObjectNode();
        for (String f : List.of("Hostname", "Domainname", "User", "WorkingDir", "StopSignal")) {
            String v = Fields.text(in, f);
            if (v != null && !v.isEmpty()) {
                if (v.length() > 256) {
                    throw Refusal.badRequest(f + " 값이 너무 깁니다.");
                }
                out.put(f, v);
            }
        }
        for (String f : List.of("AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce",
                "ArgsEscaped", "NetworkDisabled")) {
            if (in.path(f).asBoolean(false)) {
                out.put(f, true);
            }
        }
        copyStrings(in, out, "Env", 1000);
        copyStrings(in, out, "Cmd", 1000);
        copyStrings(in, out, "Entrypoint", 1000);
        copyStrings(in, out, "Shell", 20);
        if (in.hasNonNull("StopTimeout")) {
            out.put("StopTimeout", Math.max(0, Math.min(600, in.get("StopTimeout").asInt())));
        }
        healthcheck(in.path("Healthcheck"), image.inspect().path("Config").path("Healthcheck"));
        if (in.path("Healthcheck").isObject()) {
            out.set("Healthcheck", in.get("Healthcheck"));
        }
        if (in.path("ExposedPorts").isObject()) {
            out.set("ExposedPorts", in.get("ExposedPorts"));
        }
        out.put("Image", ctx.asTyped(Fields.text(in, "Image"), image));

        ObjectNode host = out.putObject("HostConfig");
        List<String> createVolumes = new ArrayList<>();
        ObjectNode mounts = ctx.json.createObjectNode(); // target → mount, so image volumes do not double up
        walls(hostIn, host);
        binds(hostIn, mounts, createVolumes);
        mounts(hostIn, mounts, createVolumes);
        anonymous(in.path("Volumes"), image.inspect().path("Config").path("Volumes"), mounts, createVolumes);
        ArrayNode mountList = host.putArray("Mounts");
        mounts.forEach(mountList::add);
        tmpfs(hostIn, host);
        String network = network(hostIn, host);
        options(hostIn, host);
        ObjectNode ports = ports(hostIn, out.path("ExposedPorts"), image.inspect());

        ObjectNode labels = out.putObject("Labels");
        ctx.learnerLabels(in.path("Labels")).forEach(labels::put);
        if (!ports.isEmpty()) {
            labels.put(PORTS_LABEL, ports.toString());
        }
        if (!createVolumes.isEmpty()) {
            labels.put(ANON_LABEL, String.join(",", anonymous));
        }
        out.set("NetworkingConfig", endpoints(in.path("NetworkingConfig"), network, learnerName));
        return new Built(out, ports, createVolumes, List.copyOf(anonymous));
    }

    /** The limits every learner container runs under, whatever was asked. */
    private void walls(JsonNode in, ObjectNode host) {
        long memory = in.path("Memory").asLong(0);
        if (memory > budget.memoryBytes()) {
            throw Refusal.forbidden("컨테이너 메모리(--memory)는 이 실습 세션의 메모리 예산 " + mb(budget.memoryBytes())
                    + "보다 클 수 없습니다.");
        }
        if (memory <= 0) {
            memory = budget.containerMemoryBytes();
        }
        host.put("Memory", memory);
        host.put("MemorySwap", memory); // no swap: what the limit says is what the container gets
        long reservation = in.path("MemoryReservation").asLong(0);
        if (reservation > 0 && reservation <= memory) {
            host.put("MemoryReservation", reservation);
        }
        double cpus = in.path("NanoCpus").asLong(0) / 1e9;
        long quota = in.path("CpuQuota").asLong(0);
        long period = in.path("CpuPeriod").asLong(0);
        if (cpus == 0 && quota > 0) {
            cpus = (double) quota / (period > 0 ? period : 100_000);
        }
        if (cpus > budget.cpus() + 1e-9) {
            throw Refusal.forbidden("컨테이너 CPU(--cpus)는 이 실습 세션의 CPU 예산 " + budget.cpus() + "코어보다 클 수 없습니다.");
        }
        if (cpus <= 0) {
            cpus = budget.containerCpus();
        }
        host.put("NanoCpus", Math.round(cpus * 1e9));
        long shares = in.path("CpuShares").asLong(0);
        if (shares > 0) {
            host.put("CpuShares", Math.max(2, Math.min(262_144, shares)));
        }
        long pids = in.path("PidsLimit").asLong(0);
        if (pids > budget.pids()) {
            throw Refusal.forbidden("프로세스 수 상한(--pids-limit)은 이 실습 세션의 예산 " + budget.pids() + "개보다 클 수 없습니다.");
        }
        host.put("PidsLimit", pids > 0 ? pids : budget.containerPids());
        long blkio = in.path("BlkioWeight").asLong(0);
        if (blkio > 0) {
            host.put("BlkioWeight", Math.max(10, Math.min(1000, blkio)));
        }

        Set<String> caps = new LinkedHashSet<>(CAPABILITIES);
        for (JsonNode c : in.path("CapAdd")) {
            String cap = capability(c.asText());
            if (cap.equals("ALL") || !CAPABILITIES.contains(cap)) {
                throw Refusal.forbidden("리눅스 권한 " + cap + "(--cap-add)은 이 실습 환경에서 줄 수 없습니다. 쓸 수 있는 권한: "
                        + String.join(", ", new java.util.TreeSet<>(CAPABILITIES)) + " (기본으로 들어 있습니다).");
            }
        }
        for (JsonNode c : in.path("CapDrop")) {
            String cap = capability(c.asText());
            if (cap.equals("ALL")) {
                caps.clear();
            } else {
                caps.remove(cap);
            }
        }
        host.putArray("CapDrop").add("ALL");
        ArrayNode add = host.putArray("CapAdd");
        caps.forEach(add::add);

        ArrayNode security = host.putArray("SecurityOpt");
        security.add("no-new-privileges:true");
        for (JsonNode o : in.path("SecurityOpt")) {
            String opt = o.asText();
            if (!opt.matches("no-new-privileges(?:[:=]true)?")) {
                throw Refusal.forbidden("보안 옵션 '" + opt + "'(--security-opt)은 쓸 수 없습니다: 울타리를 느슨하게 하는 옵션입니다.");
            }
        }
        if (in.path("Privileged").asBoolean(false)) {
            throw Refusal.forbidden("--privileged 는 컨테이너에 호스트의 모든 권한을 주므로 이 실습 환경에서는 쓸 수 없습니다.");
        }
        if (!Fields.empty(in.get("Runtime")) && !"runc".equals(in.path("Runtime").asText())) {
            throw Refusal.forbidden("런타임(--runtime)은 바꿀 수 없습니다.");
        }
        if (!Fields.empty(in.get("CgroupParent"))) {
            throw Refusal.forbidden("--cgroup-parent 는 쓸 수 없습니다: 이 세션의 컨테이너는 모두 세션의 자원 예산 아래에서 돕니다.");
        }
        if (ctx.scope.cgroupParent() != null) {
            host.put("CgroupParent", ctx.scope.cgroupParent());
        }
        ArrayNode ulimits = host.putArray("Ulimits");
        ulimits.addObject().put("Name", "fsize").put("Soft", budget.fileSizeBytes()).put("Hard", budget.fileSizeBytes());
        long nofile = 1024;
        for (JsonNode u : in.path("Ulimits")) {
            String name = u.path("Name").asText();
            if (name.equals("nofile") && u.path("Hard").asLong() > 0 && u.path("Hard").asLong() <= 4096) {
                nofile = u.path("Hard").asLong();
            } else {
                throw Refusal.forbidden("ulimit '" + name + "'은(는) 바꿀 수 없습니다 (nofile 만 4096까지 됩니다).");
            }
        }
        ulimits.addObject().put("Name", "nofile").put("Soft", nofile).put("Hard", nofile);

        String logType = in.path("LogConfig").path("Type").asText("");
        if (!logType.isEmpty() && !logType.equals("json-file") && !logType.equals("none")) {
            throw Refusal.forbidden("로그 드라이버 '" + logType + "'은(는) 쓸 수 없습니다 (json-file 또는 none).");
        }
        ObjectNode log = host.putObject("LogConfig");
        log.put("Type", logType.equals("none") ? "none" : "json-file");
        if (!logType.equals("none")) {
            log.putObject("Config").put("max-size", String.valueOf(budget.logBytes())).put("max-file", "1");
        }
        long shm = in.path("ShmSize").asLong(0);
        if (shm > budget.shmBytes()) {
            throw Refusal.forbidden("--shm-size 는 " + mb(budget.shmBytes()) + "까지입니다.");
        }
        if (shm > 0) {
            host.put("ShmSize", shm);
        }
    }

    /**
     * The engine runs each health check as an exec in the container, at the engine's own cost: checks every few
     * milliseconds would keep the server's engine busy for everyone. Intervals under a second are refused,
     * whether asked for at run time or inherited from the image's HEALTHCHECK.
     */
    private static void healthcheck(JsonNode asked, JsonNode inherited) {
        long interval = asked.path("Interval").asLong(0);
        if (interval > 0 && interval < MIN_HEALTH_INTERVAL_NANOS) {
            throw Refusal.forbidden("헬스체크 간격(--health-interval)은 1초보다 짧을 수 없습니다: 너무 잦은 검사는 서버의 도커 엔진을 "
                    + "모두와 함께 쓰는 만큼 느리게 합니다.");
        }
        boolean disabled = asked.path("Test").path(0).asText("").equals("NONE");
        long fromImage = inherited.path("Interval").asLong(0);
        if (interval == 0 && !disabled && fromImage > 0 && fromImage < MIN_HEALTH_INTERVAL_NANOS) {
            throw Refusal.forbidden("이미지의 HEALTHCHECK 간격(--interval)이 1초보다 짧아 실행할 수 없습니다: 너무 잦은 검사는 서버의 도커 "
                    + "엔진을 모두와 함께 쓰는 만큼 느리게 합니다. --health-interval 로 1초 이상을 주거나 Dockerfile 을 고치세요.");
        }
    }

    private static String capability(String raw) {
        String cap = raw.toUpperCase(Locale.ROOT);
        return cap.startsWith("CAP_") ? cap.substring(4) : cap;
    }

    /** {@code -v name:/path[:ro]}: named volumes and the lab's bind folders; host paths are refused. */
    private void binds(JsonNode in, ObjectNode mounts, List<String> createVolumes) {
        for (JsonNode b : in.path("Binds")) {
            String spec = b.asText();
            String[] parts = spec.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw Refusal.badRequest("볼륨 지정이 올바르지 않습니다: " + spec);
            }
            String source = parts[0];
            String target = parts[1];
            boolean readOnly = false;
            if (parts.length == 3) {
                for (String mode : parts[2].split(",")) {
                    switch (mode) {
                        case "ro" -> readOnly = true;
                        case "rw", "nocopy", "z", "Z" -> {
                        }
                        default -> throw Refusal.forbidden("볼륨 옵션 '" + mode + "'은(는) 쓸 수 없습니다.");
                    }
                }
            }
            mounts.set(target, volumeMount(source, target, readOnly, createVolumes));
        }
    }

    private ObjectNode volumeMount(String source, String target, boolean readOnly, List<String> createVolumes) {
        checkTarget(target);
        ObjectNode m = ctx.json.createObjectNode();
        m.put("Type", "volume").put("Target", target).put("ReadOnly", readOnly);
        if (source.startsWith("/") || source.startsWith(".") || source.startsWith("~")) {
            String folder = bindFolder(source);
            if (folder == null) {
                throw Refusal.forbidden("호스트 경로(" + source + ")는 마운트할 수 없습니다: 서버의 파일이 보이게 됩니다."
                        + (ctx.scope.bindFolders().isEmpty() ? " 데이터를 남기려면 이름 있는 볼륨(-v 이름:" + target + ")을 쓰세요."
                        : " 이 실습에서 바인드 마운트할 수 있는 폴더: " + String.join(", ", ctx.scope.bindFolders())));
            }
            m.put("Source", bindVolume(folder));
            m.putObject("VolumeOptions").put("NoCopy", true); // a bind mount shows the folder as it is, never the image's files
            return m;
        }
        if (!Names.validObjectName(source)) {
            throw Refusal.badRequest("볼륨 이름이 올바르지 않습니다: " + source);
        }
        m.put("Source", ctx.names.object(source));
        createVolumes.add(ctx.names.object(source));
        return m;
    }

    /** The lab folder a bind source names exactly (a learner's "host" is the lab container), or null. */
    private String bindFolder(String source) {
        String normalized = source.replaceAll("/+$", "");
        for (String folder : ctx.scope.bindFolders()) {
            if (folder.equals(normalized)) {
                return folder;
            }
        }
        return null;
    }

    /** The session volume behind a lab bind folder. */
    String bindVolume(String folder) {
        return ctx.names.object("bind-" + folder.substring(folder.lastIndexOf('/') + 1));
    }

    private void mounts(JsonNode in, ObjectNode mounts, List<String> createVolumes) {
        for (JsonNode m : in.path("Mounts")) {
            String type = m.path("Type").asText("volume");
            String target = m.path("Target").asText("");
            Fields.onlyKnown(m, "Mounts.", Set.of("Type", "Source", "Target", "ReadOnly", "Consistency", "VolumeOptions",
                    "TmpfsOptions", "BindOptions"), Map.of());
            switch (type) {
                case "volume" -> {
                    JsonNode opts = m.path("VolumeOptions");
                    if (!Fields.empty(opts.path("DriverConfig").path("Options"))
                            || !opts.path("DriverConfig").path("Name").asText("local").matches("|local")) {
                        throw Refusal.forbidden("볼륨 드라이버 옵션(volume-opt, volume-driver)은 쓸 수 없습니다: "
                                + "type=none,o=bind 같은 옵션은 볼륨을 호스트 경로로 바꿉니다.");
                    }
                    if (!Fields.empty(opts.get("Subpath"))) {
                        throw Refusal.forbidden("volume-subpath 는 쓸 수 없습니다.");
                    }
                    String source = m.path("Source").asText("");
                    if (source.isEmpty()) {
                        checkTarget(target);
                        mounts.set(target, anonymousMount(target, createVolumes));
                    } else {
                        mounts.set(target, volumeMount(source, target, m.path("ReadOnly").asBoolean(false), createVolumes));
                    }
                }
                case "tmpfs" -> {
                    checkTarget(target);
                    long size = m.path("TmpfsOptions").path("SizeBytes").asLong(0);
                    if (size <= 0 || size > budget.tmpfsBytes()) {
                        size = budget.tmpfsBytes();
                    }
                    ObjectNode t = ctx.json.createObjectNode();
                    t.put("Type", "tmpfs").put("Target", target).put("ReadOnly", m.path("ReadOnly").asBoolean(false));
                    ObjectNode o = t.putObject("TmpfsOptions").put("SizeBytes", size);
                    if (m.path("TmpfsOptions").has("Mode")) {
                        o.put("Mode", m.path("TmpfsOptions").path("Mode").asInt());
                    }
                    mounts.set(target, t);
                }
                case "bind" -> {
                    String folder = bindFolder(m.path("Source").asText(""));
                    if (folder == null) {
                        throw Refusal.forbidden("호스트 경로 바인드 마운트(--mount type=bind)는 쓸 수 없습니다: 서버의 파일이 보이게 됩니다."
                                + (ctx.scope.bindFolders().isEmpty() ? "" : " 이 실습에서 바인드 마운트할 수 있는 폴더: "
                                + String.join(", ", ctx.scope.bindFolders())));
                    }
                    mounts.set(target, volumeMount(folder, target, m.path("ReadOnly").asBoolean(false), createVolumes));
                }
                default -> throw Refusal.forbidden("마운트 종류 '" + type + "'은(는) 쓸 수 없습니다.");
            }
        }
    }

    /** Anonymous volumes ({@code -v /data} and the image's VOLUMEs) become labelled session volumes. */
    private void anonymous(JsonNode requested, JsonNode declared, ObjectNode mounts, List<String> createVolumes) {
        for (JsonNode volumes : List.of(requested, declared)) {
            if (volumes != null && volumes.isObject()) {
                volumes.fieldNames().forEachRemaining(target -> {
                    if (!mounts.has(target)) {
                        checkTarget(target);
                        mounts.set(target, anonymousMount(target, createVolumes));
                    }
                });
            }
        }
    }

    /** Engine names of the anonymous volumes this create makes (recorded on the container for docker rm -v). */
    private final List<String> anonymous = new ArrayList<>();

    private ObjectNode anonymousMount(String target, List<String> createVolumes) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String name = ctx.names.object(HexFormat.of().formatHex(random)); // 64 hex characters, as Docker names them
        createVolumes.add(name);
        anonymous.add(name);
        ObjectNode m = ctx.json.createObjectNode();
        m.put("Type", "volume").put("Source", name).put("Target", target).put("ReadOnly", false);
        return m;
    }

    private static void checkTarget(String target) {
        if (target == null || !target.startsWith("/") || target.length() > 1024 || target.contains("\0")) {
            throw Refusal.badRequest("마운트할 경로는 컨테이너 안의 절대 경로여야 합니다: " + target);
        }
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                throw Refusal.badRequest("마운트 경로에 '..' 은 쓸 수 없습니다: " + target);
            }
        }
    }

    private void tmpfs(JsonNode in, ObjectNode host) {
        JsonNode t = in.path("Tmpfs");
        if (!t.isObject() || t.isEmpty()) {
            return;
        }
        ObjectNode out = host.putObject("Tmpfs");
        t.fields().forEachRemaining(e -> {
            checkTarget(e.getKey());
            // Every size= counts (the kernel takes the last one), so one small size cannot hide a big one.
            List<String> kept = new ArrayList<>();
            long size = budget.tmpfsBytes();
            for (String opt : e.getValue().asText("").split(",")) {
                if (opt.startsWith("size=")) {
                    Matcher m = TMPFS_SIZE.matcher(opt);
                    long asked = m.matches() ? bytes(m.group(1), m.group(2)) : 0;
                    size = asked > 0 && asked <= budget.tmpfsBytes() ? asked : budget.tmpfsBytes();
                } else if (!opt.isEmpty()) {
                    kept.add(opt);
                }
            }
            kept.add("size=" + size);
            String opts = String.join(",", kept);
            if (!opts.matches("[a-zA-Z0-9=,_.-]*")) {
                throw Refusal.badRequest("tmpfs 옵션이 올바르지 않습니다: " + opts);
            }
            out.put(e.getKey(), opts);
        });
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** The container's network: the session's default network, one of its own, none, or another of its containers. */
    private String network(JsonNode in, ObjectNode host) {
        String mode = in.path("NetworkMode").asText("");
        String network;
        switch (mode) {
            case "", "default", "bridge" -> network = ctx.scope.network();
            case "none" -> network = "none";
            case "host" -> throw Refusal.forbidden("--network host 는 서버의 네트워크를 그대로 쓰게 되므로 쓸 수 없습니다. "
                    + "이 세션의 컨테이너끼리는 기본 네트워크나 docker network create 로 만든 네트워크에서 이름으로 통신합니다.");
            default -> {
                if (mode.startsWith("container:")) {
                    host.put("NetworkMode", "container:" + ctx.container(mode.substring("container:".length())));
                    return null;
                }
                String id = ctx.network(mode);
                network = ctx.engine.get("/networks/" + id).path("Name").asText();
            }
        }
        host.put("NetworkMode", network);
        return network;
    }

    private ObjectNode endpoints(JsonNode in, String network, String learnerName) {
        ObjectNode out = ctx.json.createObjectNode();
        ObjectNode endpoints = out.putObject("EndpointsConfig");
        if (network == null || network.equals("none")) {
            return out;
        }
        JsonNode given = in.path("EndpointsConfig");
        List<String> aliases = new ArrayList<>();
        if (given.isObject()) {
            given.fields().forEachRemaining(e -> {
                if (!Fields.empty(e.getValue().path("IPAMConfig")) || !Fields.empty(e.getValue().path("MacAddress"))) {
                    throw Refusal.forbidden("고정 IP·MAC 주소(--ip, --mac-address)는 쓸 수 없습니다.");
                }
                for (JsonNode a : e.getValue().path("Aliases")) {
                    if (Names.validObjectName(a.asText()) || a.asText().matches("[a-zA-Z0-9]")) {
                        aliases.add(a.asText());
                    }
                }
            });
        }
        if (learnerName != null) {
            aliases.add(learnerName);
        }
        ObjectNode endpoint = endpoints.putObject(network);
        ArrayNode a = endpoint.putArray("Aliases");
        new LinkedHashSet<>(aliases).forEach(a::add);
        return out;
    }

    /** The remaining host options: namespaces, restart policy, links, DNS and the like. */
    private void options(JsonNode in, ObjectNode host) {
        for (String f : List.of("PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode")) {
            String v = in.path(f).asText("");
            if (v.equals("host")) {
                throw Refusal.forbidden(f.replace("Mode", "").toLowerCase(Locale.ROOT) + "=host 는 서버의 "
                        + "네임스페이스를 그대로 쓰게 되므로 쓸 수 없습니다.");
            }
            if (v.startsWith("container:") && (f.equals("PidMode") || f.equals("IpcMode"))) {
                host.put(f, "container:" + ctx.container(v.substring("container:".length())));
            } else if (f.equals("IpcMode") && v.matches("|private|none|shareable")) {
                if (!v.isEmpty()) {
                    host.put(f, v);
                }
            } else if (f.equals("CgroupnsMode") && v.matches("|private")) {
                if (!v.isEmpty()) {
                    host.put(f, v);
                }
            } else if (!v.isEmpty()) {
                throw Refusal.forbidden(f + "=" + v + " 은(는) 쓸 수 없습니다.");
            }
        }
        JsonNode restart = in.path("RestartPolicy");
        String policy = restart.path("Name").asText("");
        if (!policy.isEmpty() && !policy.equals("no")) {
            if (!policy.matches("always|unless-stopped|on-failure")) {
                throw Refusal.badRequest("재시작 정책이 올바르지 않습니다: " + policy);
            }
            host.putObject("RestartPolicy").put("Name", policy)
                    .put("MaximumRetryCount", Math.min(10, Math.max(0, restart.path("MaximumRetryCount").asInt(0))));
        }
        if (in.path("AutoRemove").asBoolean(false)) {
            host.put("AutoRemove", true);
        }
        if (in.path("ReadonlyRootfs").asBoolean(false)) {
            host.put("ReadonlyRootfs", true);
        }
        if (in.path("Init").asBoolean(false)) {
            host.put("Init", true);
        }
        String driver = in.path("VolumeDriver").asText("");
        if (!driver.isEmpty() && !driver.equals("local")) {
            throw Refusal.forbidden("볼륨 드라이버(--volume-driver)는 바꿀 수 없습니다.");
        }
        int oom = in.path("OomScoreAdj").asInt(0);
        if (oom < 0) {
            throw Refusal.forbidden("--oom-score-adj 를 음수로 해서 OOM 킬러를 피할 수는 없습니다.");
        }
        if (oom > 0) {
            host.put("OomScoreAdj", Math.min(1000, oom));
        }
        ArrayNode from = host.putArray("VolumesFrom");
        for (JsonNode v : in.path("VolumesFrom")) {
            String[] parts = v.asText().split(":", 2);
            String mode = parts.length == 2 ? parts[1] : null;
            if (mode != null && !mode.matches("ro|rw")) {
                throw Refusal.badRequest("--volumes-from 옵션이 올바르지 않습니다: " + v.asText());
            }
            from.add(ctx.container(parts[0]) + (mode == null ? "" : ":" + mode));
        }
        ArrayNode links = host.putArray("Links");
        for (JsonNode l : in.path("Links")) {
            String[] parts = l.asText().split(":", 2);
            String target = ctx.container(parts[0].replaceFirst("^/", ""));
            String alias = parts.length == 2 ? parts[1].replaceFirst("^.*/", "") : parts[0];
            if (!Names.validObjectName(alias)) {
                throw Refusal.badRequest("--link 별칭이 올바르지 않습니다: " + alias);
            }
            links.add(target + ":" + alias);
        }
        if (!in.path("DnsOptions").isArray() || in.path("DnsOptions").isEmpty()) {
            // Session networks have no way out, so the engine's DNS waits on resolvers it cannot reach: fail fast.
            host.putArray("DnsOptions").add("timeout:1").add("attempts:1");
        }
        for (String f : List.of("Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd")) {
            JsonNode v = in.path(f);
            if (v.isArray() && !v.isEmpty()) {
                if (v.size() > 50) {
                    throw Refusal.badRequest(f + " 항목이 너무 많습니다.");
                }
                for (JsonNode x : v) {
                    if (x.asText().length() > 256 || !x.asText().matches("[\\w.:/=+@-]*")) {
                        throw Refusal.badRequest(f + " 값이 올바르지 않습니다: " + x.asText());
                    }
                }
                host.set(f, v);
            }
        }
        if (in.path("ConsoleSize").isArray()) {
            host.set("ConsoleSize", in.get("ConsoleSize"));
        }
    }

    /**
     * The learner's published ports (-p, -P), with a free session port chosen where none was given. Nothing is
     * bound on the server; the lab page and the lab container forward these ports instead.
     */
    private ObjectNode ports(JsonNode in, JsonNode exposed, JsonNode image) {
        ObjectNode out = ctx.json.createObjectNode();
        Set<Integer> mine = new java.util.HashSet<>();
        Set<Integer> taken = new java.util.HashSet<>(usedPorts);
        JsonNode bindings = in.path("PortBindings");
        if (bindings.isObject()) {
            bindings.fields().forEachRemaining(e -> {
                String port = e.getKey();
                if (!port.matches("[0-9]{1,5}/(tcp|udp|sctp)")) {
                    throw Refusal.badRequest("포트 지정이 올바르지 않습니다: " + port);
                }
                ArrayNode list = out.putArray(port);
                for (JsonNode b : e.getValue()) {
                    String hostIp = b.path("HostIp").asText("");
                    if (!hostIp.isEmpty() && !hostIp.equals("0.0.0.0") && !hostIp.equals("127.0.0.1") && !hostIp.equals("::")) {
                        throw Refusal.forbidden("이 실습 환경에서는 포트를 특정 주소(" + hostIp + ")에 열 수 없습니다.");
                    }
                    String hostPort = b.path("HostPort").asText("");
                    int number;
                    if (hostPort.isEmpty()) {
                        number = 0;
                    } else if (hostPort.matches("[0-9]{1,5}") && Integer.parseInt(hostPort) > 0 && Integer.parseInt(hostPort) < 65536) {
                        number = Integer.parseInt(hostPort);
                    } else {
                        throw Refusal.badRequest("호스트 포트가 올바르지 않습니다 (포트 범위는 쓸 수 없습니다): " + hostPort);
                    }
                    if (number != 0 && !mine.add(number)) {
                        throw Refusal.badRequest("같은 호스트 포트를 두 번 쓸 수 없습니다: " + number);
                    }
                    list.addObject().put("HostIp", hostIp.isEmpty() ? "0.0.0.0" : hostIp)
                            .put("HostPort", number == 0 ? "" : String.valueOf(number));
                }
            });
        }
        if (in.path("PublishAllPorts").asBoolean(false)) {
            for (JsonNode ports : List.of(exposed, image.path("Config").path("ExposedPorts"))) {
                if (ports.isObject()) {
                    ports.fieldNames().forEachRemaining(p -> {
                        if (!out.has(p) && p.matches("[0-9]{1,5}/(tcp|udp|sctp)")) {
                            out.putArray(p).addObject().put("HostIp", "0.0.0.0").put("HostPort", "");
                        }
                    });
                }
            }
        }
        // Ports chosen by Docker look like 32768 and up; pick the first free ones.
        taken.addAll(mine);
        int next = 32768;
        for (JsonNode list : out) {
            for (JsonNode b : list) {
                if (b.path("HostPort").asText().isEmpty()) {
                    while (taken.contains(next)) {
                        next++;
                    }
                    taken.add(next);
                    ((ObjectNode) b).put("HostPort", String.valueOf(next));
                }
            }
        }
        return out;
    }

    private static void copyStrings(JsonNode in, ObjectNode out, String field, int max) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            throw Refusal.badRequest(field + " 값이 올바르지 않습니다.");
        }
        if (v.size() > max) {
            throw Refusal.badRequest(field + " 항목이 너무 많습니다.");
        }
        ArrayNode a = out.putArray(field);
        for (JsonNode x : v) {
            if (!x.isTextual()) {
                throw Refusal.badRequest(field + " 값이 올바르지 않습니다.");
            }
            a.add(x.asText());
        }
    }

    private static String mb(long bytes) {
        return bytes >= (1L << 30) && bytes % (1L << 30) == 0 ? (bytes >> 30) + "GB" : (bytes >> 20) + "MB";
    }
}
