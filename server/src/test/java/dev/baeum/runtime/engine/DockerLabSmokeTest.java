package dev.baeum.runtime.engine;

import dev.baeum.runtime.sandbox.ContainerExec;
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

    /** A check that reads the engine passes on the engine's real state, not on text the learner writes down. */
    @Test
    void checksReadTheEngineNotFilesTheLearnerWrites() {
        try (EngineLab.Learner lee = EngineLab.Learner.open(app)) {
            ContainerExec.Result faked = lee.sh("echo web > ~/web.txt; printf 'NAMES\\nweb\\n' > ~/ps.txt; "
                    + "docker run --name notweb debian:bookworm-slim true");
            assertEquals(0, faked.exitCode(), faked.stderr());
            var round = lee.client.post("/labs/" + EngineLab.LAB + "/check");
            assertEquals(200, round.status(), round.body());
            assertTrue(round.json().path("tasks").get(0).path("passed").asBoolean() == false, round.body());
            assertTrue(round.json().path("tasks").get(0).path("message").asText().contains("web 컨테이너가 없습니다"), round.body());

            lee.sh("docker run -d --name web debian:bookworm-slim sleep 300");
            round = lee.client.post("/labs/" + EngineLab.LAB + "/check");
            assertTrue(round.json().path("tasks").get(0).path("passed").asBoolean(), round.body());
        }
    }

    /** A folder the lab declares in binds: is the learner's own, and a real, live bind mount for their containers. */
    @Test
    void aBindFolderIsTheLearnersAndMountsLive() {
        try (EngineLab.Learner park = EngineLab.Learner.open(app)) {
            ContainerExec.Result r = park.sh("echo 첫째 > ~/site/index.html && docker run -d --name reader -v ~/site:/data "
                    + "debian:bookworm-slim sleep 300 >/dev/null && docker exec reader cat /data/index.html "
                    + "&& echo 둘째 > ~/site/index.html && docker exec reader cat /data/index.html && stat -c %u ~/site");
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertEquals("첫째\n둘째\n1000", r.stdout().strip());
        }
    }
}
