package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a learner's {@code POST /containers/create} body from an allowlist: every field the proxy knows is
 * checked and copied (here the Config fields; HostConfig by {@link ContainerLimits}, {@link ContainerMounts},
 * {@link ContainerNetworking}, {@link HostOptions} and {@link ContainerPorts}), every other field must be empty,
 * and the walls (no capabilities beyond a short list, no new privileges, memory = memory+swap, CPU and process
 * limits, a capped log, the session's cgroup and network) are set by the proxy whatever the learner asked for.
 * Published ports are kept as a label for the lab page instead of being bound on the host.
 */
final class ContainerSpec {

    static final String PORTS_LABEL = "baeum.ports";
    static final String ANON_LABEL = "baeum.anon";
    private static final long MIN_HEALTH_INTERVAL_NANOS = 1_000_000_000L;

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
    private final Set<Integer> usedPorts;

    /** @param usedPorts host ports the session's other containers already publish */
    ContainerSpec(Ctx ctx, Set<Integer> usedPorts) {
        this.ctx = ctx;
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
        ContainerMounts files = new ContainerMounts(ctx);
        new ContainerLimits(ctx).apply(hostIn, host);
        files.binds(hostIn, mounts, createVolumes);
        files.mounts(hostIn, mounts, createVolumes);
        files.anonymous(in.path("Volumes"), image.inspect().path("Config").path("Volumes"), mounts, createVolumes);
        ArrayNode mountList = host.putArray("Mounts");
        mounts.forEach(mountList::add);
        files.tmpfs(hostIn, host);
        ContainerNetworking networking = new ContainerNetworking(ctx);
        String network = networking.network(hostIn, host);
        new HostOptions(ctx).apply(hostIn, host);
        ObjectNode ports = new ContainerPorts(ctx, usedPorts).publish(hostIn, out.path("ExposedPorts"), image.inspect());

        ObjectNode labels = out.putObject("Labels");
        ctx.learnerLabels(in.path("Labels")).forEach(labels::put);
        if (!ports.isEmpty()) {
            labels.put(PORTS_LABEL, ports.toString());
        }
        if (!createVolumes.isEmpty()) {
            labels.put(ANON_LABEL, String.join(",", files.anonymousNames()));
        }
        out.set("NetworkingConfig", networking.endpoints(in.path("NetworkingConfig"), network, learnerName));
        return new Built(out, ports, createVolumes, List.copyOf(files.anonymousNames()));
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
}
