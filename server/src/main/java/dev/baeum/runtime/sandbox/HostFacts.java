package dev.baeum.runtime.sandbox;

import com.github.dockerjava.api.command.InspectImageResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Facts from outside the sandbox that checks may compare with what the learner finds inside, passed to
 * every check as environment variables (e.g. the host's kernel release for "containers share the kernel").
 */
public final class HostFacts {

    private final DockerEngine engine;
    private final Map<String, Integer> layerCounts = new ConcurrentHashMap<>();

    public HostFacts(DockerEngine engine) {
        this.engine = engine;
    }

    public Map<String, String> forCheck(RunSpec lab, SandboxPolicy.Limits limits, String imageTag, String node,
                                        int resets) {
        DockerEngine.Status status = engine.status();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BAEUM_LAB", lab.id());
        env.put("BAEUM_NODE", node);
        env.put("BAEUM_NODES", String.join(" ", lab.nodes()));
        env.put("BAEUM_HOST_KERNEL", nullToEmpty(status.kernel()));
        env.put("BAEUM_HOST_OS", nullToEmpty(status.operatingSystem()));
        env.put("BAEUM_HOST_HOSTNAME", nullToEmpty(status.hostname()));
        env.put("BAEUM_LIMIT_MEMORY", String.valueOf(limits.memoryBytes()));
        env.put("BAEUM_LIMIT_CPUS", String.valueOf(limits.cpus()));
        env.put("BAEUM_LIMIT_CPU_QUOTA", String.valueOf(Math.round(limits.cpus() * 100_000)));
        env.put("BAEUM_LIMIT_PIDS", String.valueOf(limits.pids()));
        env.put("BAEUM_SESSION_RESETS", String.valueOf(resets));
        if (imageTag != null) {
            env.put("BAEUM_IMAGE", imageTag);
            env.put("BAEUM_IMAGE_LAYERS", String.valueOf(layers(imageTag)));
        }
        return env;
    }

    /** How many filesystem layers the image has (docker image inspect → RootFS.Layers). */
    public int layers(String imageTag) {
        return layerCounts.computeIfAbsent(imageTag, tag -> {
            InspectImageResponse image = engine.client().inspectImageCmd(tag).exec();
            return image.getRootFS() == null || image.getRootFS().getLayers() == null
                    ? 0 : image.getRootFS().getLayers().size();
        });
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
