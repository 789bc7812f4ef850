package dev.baeum.runtime.sandbox;

import dev.baeum.support.Docker;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation: Testcontainers reaches the engine and starts a container from the locally present base
 * image (pulled, or built offline by labs/images/bootstrap-base-image.sh) and runs a command in it.
 */
class ContainerSmokeTest {

    @Test
    void aContainerFromTheBaseImageRunsACommand() throws Exception {
        Docker.require();
        try (GenericContainer<?> debian = new GenericContainer<>(DockerImageName.parse("debian:bookworm-slim"))
                .withCommand("sleep", "60")) {
            debian.start();
            Container.ExecResult result = debian.execInContainer("sh", "-c", "cat /etc/debian_version; uname -r");
            assertEquals(0, result.getExitCode(), result.getStderr());
            String[] lines = result.getStdout().strip().split("\n");
            assertTrue(lines[0].startsWith("12"), "Debian 12 (bookworm): " + lines[0]);
            assertEquals(Docker.engine().status().kernel(), lines[1], "the container runs on the host's kernel");
        }
    }
}
