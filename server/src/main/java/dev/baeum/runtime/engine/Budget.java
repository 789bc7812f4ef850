package dev.baeum.runtime.engine;

import java.time.Duration;

/**
 * What one docker-lab session may use of the engine. Memory, CPU and processes are one budget for the whole
 * session (the lab container's cgroup is the parent of every container and build step the learner starts,
 * so the kernel enforces the sum); each container also gets its own default and ceiling, and the counts,
 * build context size and build time are checked by the proxy.
 */
public record Budget(long memoryBytes, double cpus, int pids,
                     long containerMemoryBytes, double containerCpus, int containerPids,
                     int maxContainers, int maxImages, int maxVolumes, int maxNetworks,
                     long buildContextBytes, Duration buildTimeout, long fileSizeBytes, long logBytes,
                     long shmBytes, long tmpfsBytes, long diskBytes) {

    /** Sizes that suit a beginner's lab on a small server; every one is a setting. */
    public static Budget defaults() {
        return new Budget(1024L << 20, 1.0, 512, 256L << 20, 0.5, 128, 20, 30, 10, 5, 64L << 20,
                Duration.ofMinutes(10), 256L << 20, 1L << 20, 64L << 20, 64L << 20, 2048L << 20);
    }
}
