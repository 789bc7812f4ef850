package dev.baeum.runtime.sandbox;

import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;

import java.time.Duration;

/** Every limit a sandbox runs under, resolved from the settings once. */
public record SandboxPolicy(String scope, long memoryBytes, double cpus, int pids, long homeTmpfsBytes, long tmpTmpfsBytes,
                            long fileSizeBytes, int openFiles, long logSizeBytes, String runtime,
                            Duration checkTimeout, Duration idleTimeout, Duration maxLifetime,
                            Duration guestLifetime, int maxSessions, int poolSize, Duration poolTtl,
                            long terminalBytesPerSecond, int guestMaxSessions, dev.baeum.runtime.engine.Budget dockerBudget) {

    /** How long a new session runs before the learner has to extend it. */
    public static final Duration SESSION_LENGTH = Duration.ofHours(1);
    public static final Duration EXTEND_STEP = Duration.ofMinutes(30);

    /**
     * @param scope the deployment these sandboxes belong to (every instance sharing a database shares it);
     *              the reaper and the pool only ever touch containers of their own scope
     */
    public static SandboxPolicy from(Settings s, String scope) {
        return new SandboxPolicy(
                scope,
                s.bytes(Setting.SANDBOX_MEMORY),
                s.decimal(Setting.SANDBOX_CPUS),
                s.integer(Setting.SANDBOX_PIDS),
                s.bytes(Setting.SANDBOX_TMPFS_HOME),
                s.bytes(Setting.SANDBOX_TMPFS_TMP),
                s.bytes(Setting.SANDBOX_FILE_SIZE),
                s.integer(Setting.SANDBOX_NOFILE),
                s.bytes(Setting.SANDBOX_LOG_SIZE),
                s.get(Setting.SANDBOX_RUNTIME),
                s.duration(Setting.SANDBOX_CHECK_TIMEOUT),
                s.duration(Setting.SANDBOX_IDLE_TIMEOUT),
                s.duration(Setting.SANDBOX_MAX_LIFETIME),
                s.duration(Setting.SANDBOX_GUEST_LIFETIME),
                s.integer(Setting.SANDBOX_MAX_SESSIONS),
                s.integer(Setting.SANDBOX_POOL_SIZE),
                s.duration(Setting.SANDBOX_POOL_TTL),
                s.bytes(Setting.SANDBOX_TERMINAL_RATE),
                (int) Math.floor(s.integer(Setting.SANDBOX_MAX_SESSIONS) * s.fraction(Setting.SANDBOX_GUEST_SHARE)),
                EngineChecks.budget(s));
    }

    /** The limits for one lab: its own where it sets them, the server's otherwise. */
    public Limits limitsFor(RunSpec lab) {
        RunSpec.Limits l = lab.limits();
        // A docker lab's container holds the whole session: everything the learner starts runs inside its budget.
        long memory = lab.docker() ? dockerBudget.memoryBytes() : memoryBytes;
        double cpu = lab.docker() ? dockerBudget.cpus() : cpus;
        int pid = lab.docker() ? dockerBudget.pids() : pids;
        return new Limits(
                l.memoryBytes() != null ? l.memoryBytes() : memory,
                l.cpus() != null ? l.cpus() : cpu,
                l.pids() != null ? l.pids() : pid);
    }

    public record Limits(long memoryBytes, double cpus, int pids) {
    }
}
