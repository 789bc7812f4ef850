package dev.baeum.runtime.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.support.Docker;
import dev.baeum.support.EngineLab;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two learners at once on the one shared engine, both with an image called myapp and a container called web.
 * Each sees only their own; neither reaches the other's objects by the learner's name, the engine's
 * (namespaced) name, the full ID or an ID prefix, though the test hands them the real IDs straight from the
 * engine; neither sees the platform's containers.
 */
class EngineIsolationTest {

    private static TestApp app;
    private static DockerClient docker;
    private static EngineLab.Learner kim;
    private static EngineLab.Learner lee;

    /** What the engine itself says one learner owns. */
    record Owned(String containerId, String containerName, String imageId, String imageName, String labContainerId) {
    }

    @BeforeAll
    static void start() {
        docker = Docker.require().client();
        app = EngineLab.start(Map.of());
        kim = EngineLab.Learner.open(app);
        lee = EngineLab.Learner.open(app);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> buildAndRun(kim, "kim"));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> buildAndRun(lee, "lee"));
        a.join();
        b.join();
    }

    @AfterAll
    static void stop() {
        List<String> sessions = new ArrayList<>();
        try {
            for (EngineLab.Learner l : new EngineLab.Learner[]{kim, lee}) {
                if (l != null) {
                    sessions.add(l.sessionId());
                    l.close();
                }
            }
            for (String s : sessions) {
                assertEquals(0, docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(EngineScope.SESSION, s)).exec().size());
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** Both learners type the same commands; only the file they build in differs. */
    private static void buildAndRun(EngineLab.Learner learner, String who) {
        ok(learner, "mkdir -p ~/app && cd ~/app && echo " + who + " > owner.txt && printf 'FROM debian:bookworm-slim\\n"
                + "COPY owner.txt /owner.txt\\nCMD [\"sleep\", \"600\"]\\n' > Dockerfile && docker build -q -t myapp . "
                + "&& docker run -d --name web myapp");
    }

    @Test
    void eachLearnerSeesOnlyTheirOwn() {
        for (EngineLab.Learner l : List.of(kim, lee)) {
            Owned own = owned(l);
            assertEquals(List.of("web"), lines(ok(l, "docker ps -a --format '{{.Names}}'")));
            assertEquals(List.of(own.containerId()), lines(ok(l, "docker ps -aq --no-trunc")));
            assertEquals(List.of(own.imageId()), lines(ok(l, "docker images -q --no-trunc myapp")));
            List<String> repositories = lines(ok(l, "docker images --format '{{.Repository}}'"));
            assertEquals(1, repositories.stream().filter(x -> x.endsWith("myapp")).count(), "only their own myapp: " + repositories);
        }
        assertEquals("kim", ok(kim, "docker exec web cat /owner.txt").strip());
        assertEquals("lee", ok(lee, "docker exec web cat /owner.txt").strip());
        assertNotEquals(owned(kim).imageId(), owned(lee).imageId(), "two different images, both called myapp");
    }

    @Test
    void kimCannotReachLeesContainerOrImage() {
        cannotReach(kim, owned(lee), "lee");
    }

    @Test
    void leeCannotReachKimsContainerOrImage() {
        cannotReach(lee, owned(kim), "kim");
    }

    @Test
    void noLearnerSeesAPlatformContainer() {
        for (EngineLab.Learner l : List.of(kim, lee)) {
            String lab = l.container();
            String script = String.join("\n", refs(lab, "/" + docker.inspectContainerCmd(lab).exec().getName().substring(1)).stream()
                    .map(ref -> "docker container inspect " + ref + " >/dev/null 2>&1; echo \"inspect " + ref + " rc=$?\"").toList());
            String out = ok(l, script + "\ndocker ps -aq --no-trunc");
            assertFalse(out.contains(" rc=0"), "the lab container is found by its learner:\n" + out);
            assertFalse(out.contains(lab + "\n"), "the lab container is listed:\n" + out);
            String api = ok(l, "curl -s --unix-socket /var/run/docker.sock -G http://localhost/v1.41/containers/json "
                    + "--data-urlencode all=1 --data-urlencode 'filters={\"label\":[\"baeum.purpose=platform\"]}'");
            assertEquals("[]", api.strip(), "a label filter cannot widen the list to the platform's containers");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Every way a learner names a container or an image, tried on someone else's: inspect, exec, logs, stop,
     * rm, cp, tag, rmi, history and run. All fail, and the other's objects are untouched afterwards.
     */
    private static void cannotReach(EngineLab.Learner attacker, Owned victim, String victimSecret) {
        List<String> lines = new ArrayList<>();
        for (String ref : refs(victim.containerId(), victim.containerName())) {
            for (String cmd : List.of("container inspect " + ref, "exec " + ref + " cat /owner.txt", "logs " + ref,
                    "stop -t 1 " + ref, "kill " + ref, "rm -f " + ref, "cp " + ref + ":/owner.txt /tmp/stolen",
                    "top " + ref, "rename " + ref + " mine")) {
                lines.add(attempt(cmd));
            }
        }
        String hex = victim.imageId().substring("sha256:".length());
        for (String ref : List.of(victim.imageName(), victim.imageId(), hex, hex.substring(0, 12), hex.substring(0, 5))) {
            for (String cmd : List.of("image inspect " + ref, "tag " + ref + " stolen", "rmi -f " + ref, "history " + ref,
                    "run --rm " + ref + " cat /owner.txt")) {
                lines.add(attempt(cmd));
            }
        }
        ContainerExec.Result r = attacker.sh(String.join("\n", lines) + "\ntest -e /tmp/stolen && echo STOLEN-FILE; true");
        String out = r.stdout();
        assertEquals(lines.size(), out.lines().filter(l -> l.startsWith("[")).count(), out + r.stderr());
        for (String line : out.lines().filter(l -> l.startsWith("[")).toList()) {
            // rm -f and rmi -f exit 0 on a missing object, as Docker's do: what the engine said is what counts
            boolean forced = line.startsWith("[rm -f") || line.startsWith("[rmi -f");
            assertTrue(line.contains("No such") && (forced || !line.endsWith(" rc=0"))
                    || line.startsWith("[run ") && line.contains("레지스트리") && !line.endsWith(" rc=0"),
                    "reached the other learner's object: " + line + "\n" + out);
        }
        assertFalse(out.contains("STOLEN-FILE"), out);
        assertFalse(out.contains(victimSecret + "\n") || r.stderr().contains(victimSecret + "\n"), "the other's file was read: " + out);
        assertEquals("", ok(attacker, "docker images -q stolen").strip(), "no tag was made of the other's image");

        assertTrue(docker.inspectContainerCmd(victim.containerId()).exec().getState().getRunning(), "the victim's container still runs");
        assertEquals(victim.containerName(), docker.inspectContainerCmd(victim.containerId()).exec().getName(), "and keeps its name");
        assertEquals(victim.imageId(), docker.inspectImageCmd(victim.imageName()).exec().getId(), "the victim's image still carries its tag");
    }

    private static String attempt(String cmd) {
        return "docker " + cmd + " >/dev/null 2>/tmp/err; rc=$?; echo \"[" + cmd + "] $(head -c 160 /tmp/err | tr '\\n' ' ') rc=$rc\"";
    }

    /** The ways to name an object: the engine's own name, the full ID, a 12-character and a 5-character prefix. */
    private static List<String> refs(String id, String engineName) {
        return List.of(engineName.replaceFirst("^/", ""), id, id.substring(0, 12), id.substring(0, 5));
    }

    /** The learner's web container and myapp image, as the engine lists them by the session's labels. */
    private static Owned owned(EngineLab.Learner l) {
        List<Container> cs = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(EngineScope.SESSION, l.sessionId(), EngineScope.PURPOSE, EngineScope.LEARNER)).exec();
        assertEquals(1, cs.size(), "one learner container");
        Container c = cs.get(0);
        String prefix = EngineScope.prefixFor(l.sessionId());
        return new Owned(c.getId(), c.getNames()[0], c.getImageId(), prefix + "/myapp:latest", l.container());
    }

    private static String ok(EngineLab.Learner l, String script) {
        ContainerExec.Result r = l.sh(script);
        assertEquals(0, r.exitCode(), "$ " + script + "\n" + r.stdout() + r.stderr());
        return r.stdout();
    }

    private static List<String> lines(String text) {
        return text.strip().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
