package dev.baeum.runtime.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import dev.baeum.base.config.Setting;
import dev.baeum.support.Databases;
import dev.baeum.support.Docker;
import dev.baeum.support.Eventually;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pre-started containers: hardened, handed over by a database claim (on H2 and PostgreSQL), refilled, and
 * reaped when stale.
 */
class WarmPoolTest {

    private static final String LAB = "process-isolation";

    @ParameterizedTest(name = "{0}")
    @EnumSource(Databases.Kind.class)
    void aLearnerGetsAWarmContainerThePoolRefillsAndStaleOnesAreReaped(Databases.Kind kind) throws Exception {
        var docker = Docker.require().client();
        try (Databases.TestDatabase db = Databases.create(kind);
             TestApp app = TestApp.start(db.with(Map.of(Setting.SANDBOX_POOL_SIZE, "1", Setting.SANDBOX_POOL_TTL, "4s")))) {
            String image = app.image(LAB);
            app.app().runtime().launcher().warm(dev.baeum.services.sessions.LabRuns.of(app.lab(LAB)), image);
            String scope = app.app().runtime().policy().scope();
            List<Container> pooled = awaitPool(app, docker, scope, 1);
            Container warm = pooled.get(0);
            var host = docker.inspectContainerCmd(warm.getId()).exec().getHostConfig();
            assertTrue(host.getReadonlyRootfs() && host.getPidsLimit() == 128 && "none".equals(host.getNetworkMode()),
                    "pooled containers are hardened like any other");

            WebClient learner = app.client().guest();
            JsonNode session = learner.post("/labs/" + LAB + "/session").json();
            assertTrue(session.path("fromPool").asBoolean(), session.toString());
            String assigned = app.app().runtime().sandboxes().find(session.path("session").asText()).orElseThrow().container("sandbox");
            assertEquals(warm.getId(), assigned, "the learner got the warm container");
            String name = docker.inspectContainerCmd(assigned).exec().getName();
            assertTrue(name.contains(session.path("session").asText().substring(0, 8)), "renamed to the session: " + name);
            assertTrue(app.app().runtime().repository().claimedBy(assigned).isPresent(), "ownership is recorded in the database");

            List<Container> refilled = awaitPool(app, docker, scope, 1);
            assertFalse(refilled.stream().anyMatch(c -> c.getId().equals(assigned)));
            String spare = refilled.get(0).getId();

            Eventually.within(Duration.ofSeconds(20), () -> { // until the spare is past the pool's TTL
                app.app().runtime().reaper().pass();
                return docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(spare)).exec().isEmpty();
            });
            assertTrue(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(spare)).exec().isEmpty(),
                    "an unclaimed container past its TTL is reaped");
            assertFalse(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(assigned)).exec().isEmpty(),
                    "the claimed one belongs to a live session and stays");
        }
    }

    /** Unclaimed pooled containers (a claimed one keeps its pool labels: Docker cannot change labels). */
    private static List<Container> awaitPool(TestApp app, com.github.dockerjava.api.DockerClient docker, String scope, int n)
            throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<Container> pooled = docker.listContainersCmd().withLabelFilter(Map.of(SandboxLabels.SCOPE, scope,
                    SandboxLabels.SESSION, SandboxLabels.POOL_OWNER)).exec().stream()
                    .filter(c -> app.app().runtime().repository().claimedBy(c.getId()).isEmpty()).toList();
            if (pooled.size() >= n) {
                Thread.sleep(300);
                return pooled;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the pool never filled");
    }
}
