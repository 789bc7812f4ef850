package dev.baeum.runtime.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates hardened sandbox containers. Every container a learner touches, interactive or graded, comes
 * from here, so the hardening lives in one place:
 * no capabilities (a lab may add back a few of Docker's defaults), no-new-privileges, a pids limit,
 * memory equal to memory+swap, a CPU quota, no network unless the lab opts in, a read-only root with
 * sized tmpfs mounts for the writable paths, an init process, ulimits, a capped log and labels.
 *
 * <p>Containers are created with docker-java from Testcontainers' shared client rather than as
 * {@code GenericContainer}s: with Ryuk disabled, Testcontainers registers each GenericContainer with a JVM
 * shutdown hook that removes it, so a graceful server restart would wipe every learner's sandbox. Our
 * own {@link Reaper} cleans up instead, by label and database state.
 */
public final class ContainerFactory {

    /** What to start. {@code network} is a Docker network name, or null for none. */
    public record Plan(String image, String name, String hostname, SandboxPolicy.Limits limits,
                       List<String> capabilities, String network, Map<String, String> labels, List<Mount> mounts) {

        public Plan(String image, String name, String hostname, SandboxPolicy.Limits limits, List<String> capabilities,
                    String network, Map<String, String> labels) {
            this(image, name, hostname, limits, capabilities, network, labels, List.of());
        }
    }

    /** A folder of the host (bind) or a volume, mounted into a sandbox the platform starts (never a learner's). */
    public record Mount(boolean bind, String source, String target) {
        public static Mount bind(String hostPath, String target) {
            return new Mount(true, hostPath, target);
        }

        public static Mount volume(String name, String target) {
            return new Mount(false, name, target);
        }
    }

    public static final String LEARNER_HOME = "/home/learner";

    private final DockerEngine engine;
    private final SandboxPolicy policy;

    /** @param engine the engine; without one, every start refuses with the reason it is missing */
    public ContainerFactory(DockerEngine engine, SandboxPolicy policy) {
        this.engine = engine;
        this.policy = policy;
    }

    private DockerClient docker() {
        return engine.client();
    }

    /** Creates and starts the container; returns its id. */
    public String start(Plan plan) {
        return startWith(plan.image(), cmd -> apply(cmd, plan));
    }

    /** The sandbox: hardened, running {@code sleep infinity} as root so execs can start shells and checks. */
    public void apply(CreateContainerCmd cmd, Plan plan) {
        harden(cmd, plan);
        cmd.withUser("0")
                .withWorkingDir(LEARNER_HOME)
                .withEnv("LANG=C.UTF-8", "HOME=" + LEARNER_HOME)
                .withCmd("sleep", "infinity");
    }

    /**
     * Only the limits, leaving the image's own command, user and working directory: for running an image a
     * learner built, exactly as they wrote it, inside the same walls.
     */
    public void harden(CreateContainerCmd cmd, Plan plan) {
        SandboxPolicy.Limits limits = plan.limits();
        List<Capability> add = new ArrayList<>();
        for (String cap : plan.capabilities()) {
            add.add(Capability.valueOf(cap));
        }
        // Docker mounts tmpfs noexec unless told otherwise; learners run their own scripts from home and /tmp.
        Map<String, String> tmpfs = new LinkedHashMap<>();
        tmpfs.put(LEARNER_HOME, "rw,exec,nosuid,nodev,size=" + policy.homeTmpfsBytes() + ",uid=1000,gid=1000,mode=0755");
        tmpfs.put("/tmp", "rw,exec,nosuid,nodev,size=" + policy.tmpTmpfsBytes() + ",mode=1777");
        tmpfs.put("/var/tmp", "rw,exec,nosuid,nodev,size=" + policy.tmpTmpfsBytes() + ",mode=1777");
        tmpfs.put("/run", "rw,nosuid,nodev,noexec,size=8m,mode=0755");
        HostConfig host = walls(limits.memoryBytes(), limits.cpus(), limits.pids())
                .withCapAdd(add.toArray(Capability[]::new))
                .withNetworkMode(plan.network() == null ? "none" : plan.network())
                .withReadonlyRootfs(true)
                .withTmpFs(tmpfs)
                .withInit(true)
                .withUlimits(List.of(
                        new Ulimit("nofile", policy.openFiles(), policy.openFiles()),
                        new Ulimit("fsize", policy.fileSizeBytes(), policy.fileSizeBytes())))
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", String.valueOf(policy.logSizeBytes()), "max-file", "1")));
        if (!policy.runtime().isBlank()) {
            host.withRuntime(policy.runtime());
        }
        if (!plan.mounts().isEmpty()) {
            host.withMounts(plan.mounts().stream().map(m -> new com.github.dockerjava.api.model.Mount()
                    .withType(m.bind() ? com.github.dockerjava.api.model.MountType.BIND : com.github.dockerjava.api.model.MountType.VOLUME)
                    .withSource(m.source()).withTarget(m.target())).toList());
        }
        cmd.withHostConfig(host)
                .withName(plan.name())
                .withHostName(plan.hostname())
                .withLabels(plan.labels())
                .withAttachStdin(false).withAttachStdout(false).withAttachStderr(false)
                .withTty(false);
    }

    /**
     * The walls every learner-controlled container shares: no capabilities, no new privileges, a pids limit,
     * memory equal to memory+swap, a CPU quota.
     */
    public static HostConfig walls(long memoryBytes, double cpus, int pids) {
        return HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true"))
                .withPidsLimit((long) pids)
                .withMemory(memoryBytes)
                .withMemorySwap(memoryBytes)
                .withCpuPeriod(100_000L)
                .withCpuQuota(Math.round(cpus * 100_000));
    }

    /** Creates and starts a container configured by {@code configure}; removes it if the start fails. */
    public String startWith(String image, java.util.function.Consumer<CreateContainerCmd> configure) {
        CreateContainerCmd cmd = docker().createContainerCmd(image);
        configure.accept(cmd);
        String id = cmd.exec().getId();
        try {
            docker().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            remove(id);
            throw e;
        }
        return id;
    }

    public SandboxPolicy policy() {
        return policy;
    }

    public void remove(String containerId) {
        try {
            docker().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }
}
