package dev.baeum.engine;

import dev.baeum.sandbox.ContainerExec;
import dev.baeum.support.Docker;
import dev.baeum.support.EngineLab;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerLabSmokeTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        Docker.require();
        app = EngineLab.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aLearnerRunsDockerInTheTerminal() {
        try (EngineLab.Learner kim = EngineLab.Learner.open(app).terminal()) {
            kim.type("docker run --rm debian:bookworm-slim echo 안-$((1+1))-녕\r");
            kim.await("안-2-녕", Duration.ofSeconds(60));
            ContainerExec.Result r = kim.sh("docker version --format '{{.Server.Version}}' && docker info --format '{{.Name}}'");
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stdout().contains("baeum"), r.stdout());
        }
    }
}
