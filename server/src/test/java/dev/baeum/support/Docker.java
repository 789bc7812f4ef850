package dev.baeum.support;

import dev.baeum.runtime.sandbox.DockerEngine;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a Docker engine call {@link #require()}: without one they are skipped on a developer's
 * machine, but with {@code CI=true} they fail loudly, so CI can never go green without real containers.
 */
public final class Docker {

    private static DockerEngine engine;

    private Docker() {
    }

    public static synchronized DockerEngine engine() {
        if (engine == null) {
            engine = DockerEngine.detect();
        }
        return engine;
    }

    public static DockerEngine require() {
        DockerEngine e = engine();
        if (!e.available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but Docker is not usable: " + e.status().problem());
            }
            Assumptions.abort("Docker is not available here: " + e.status().problem());
        }
        return e;
    }
}
