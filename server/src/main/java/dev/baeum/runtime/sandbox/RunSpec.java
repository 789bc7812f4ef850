package dev.baeum.runtime.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the runtime needs to know of a lab to run it, and nothing more: the runtime never reads lab content
 * (instructions, hints, solutions); services turn a lab into this.
 *
 * @param id        the lab's id, for container names and labels
 * @param source    the lab's file name, for instructors' file:line messages
 * @param bindPaths folders of the learner's home their containers may bind-mount (docker labs)
 * @param limits    the lab's own limits; null fields fall back to the server's defaults
 */
public record RunSpec(String id, String source, ImageSpec image, List<String> nodes, boolean network, boolean docker,
                      List<String> bindPaths, Limits limits, Duration timeLimit, List<String> capabilities,
                      List<Script> setup) {

    /** Which image the lab runs: a shared one from {@code labs/images/<name>/} or the lab's own Dockerfile. */
    public record ImageSpec(String name, Path dockerfile, Path contextDir, boolean shared) {
    }

    /** Resource limits; null fields fall back to the server's defaults. */
    public record Limits(Long memoryBytes, Double cpus, Integer pids) {
    }

    /** A shell script run in one node as a user (null: the runner's default), with where it came from. */
    public record Script(String body, String node, String user, Duration timeout, int line) {
    }

    public String firstNode() {
        return nodes.get(0);
    }
}
