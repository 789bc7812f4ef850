package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Budget;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The resource and privilege walls of a learner container: memory (= memory+swap), CPU, processes, capabilities
 * from a short list, no new privileges, the session's cgroup, ulimits, a capped log and /dev/shm. Asking for more
 * than the session's budget is refused; asking for nothing gets the per-container default.
 */
final class ContainerLimits {

    /** What a learner container may keep of Docker's default capabilities: what common images need to start. */
    static final Set<String> CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID",
            "SETUID", "NET_BIND_SERVICE");

    private final Ctx ctx;
    private final Budget budget;

    ContainerLimits(Ctx ctx) {
        this.ctx = ctx;
        this.budget = ctx.scope.budget();
    }

    /** The limits every learner container runs under, whatever was asked: {@code in} is the learner's HostConfig. */
    void apply(JsonNode in, ObjectNode host) {
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

    private static String capability(String raw) {
        String cap = raw.toUpperCase(Locale.ROOT);
        return cap.startsWith("CAP_") ? cap.substring(4) : cap;
    }

    private static String mb(long bytes) {
        return bytes >= (1L << 30) && bytes % (1L << 30) == 0 ? (bytes >> 30) + "GB" : (bytes >> 20) + "MB";
    }
}
