package dev.baeum.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.baeum.support.ChildProcess;
import dev.baeum.support.Docker;
import dev.baeum.support.Eventually;
import dev.baeum.support.TerminalRecorder;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform as a container (issue 15, part 3), run the way the README tells an operator to: the root
 * {@code Dockerfile} builds the image, {@code compose.yaml} starts it beside PostgreSQL with the engine's socket
 * and the engine-socket folder mounted, {@code /healthz} answers, the image's own HEALTHCHECK reports healthy, the
 * instructor from {@code BAEUM_ADMIN_*} logs in, a lab opens with a live terminal and grading, and ends.
 * Everything it starts goes again: {@code compose down -v} plus the lab containers of the deployment's scope.
 *
 * <p>A failsafe test: it runs after {@code package} in {@code ./mvnw verify} and builds the image from this
 * build's {@code server/target/baeum.jar} ({@code BAEUM_JAR=prebuilt}) and, on Linux, a build image holding the
 * JDK running this test ({@code BUILD_IMAGE}), because a build on the CI machine reaches no JDK or Maven
 * download. {@code BAEUM_TEST_IMAGE_BUILD=source} builds it as a normal machine does (Temurin and Maven inside the
 * build). PostgreSQL is {@code BAEUM_TEST_POSTGRES_IMAGE} if set (e.g. {@code postgres:15}), else a stand-in built
 * from Debian's PostgreSQL 15 ({@code server/src/test/docker/postgres}). Needs the docker CLI and Compose
 * ({@code docker compose} or {@code docker-compose}); without them, or without an engine, it fails with CI=true.
 */
class PlatformImageIT {

    private static final String LAB = "process-isolation";
    private static final String DOCKER_LAB = "client-daemon";
    private static final String JDK_IMAGE_REPOSITORY = "baeum-build-jdk";
    private static final String POSTGRES_STAND_IN = "baeum-test/postgres:15";
    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");
    /** The image's user (Dockerfile); the engine-socket folder is made for it as the README says. */
    private static final int PLATFORM_UID = 10001;

    private final Path root = TestApp.root();
    private final List<String> compose = composeCommand();
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String project = "baeum-it-" + id;
    private final String image = "baeum-it:" + id;

    @Test
    void theImageServesHealthAndOpensALabUnderCompose() throws Exception {
        DockerClient docker = Docker.require().client();
        requireTools();
        Path work = Files.createTempDirectory("baeum-it");
        Path engineDir = engineSocketFolder();
        int port = ChildProcess.freePort();
        String adminPassword = "it-" + UUID.randomUUID();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BAEUM_IMAGE", image);
        env.put("POSTGRES_PASSWORD", "pg-" + UUID.randomUUID());
        env.put("DOCKER_GID", String.valueOf(Files.getAttribute(DOCKER_SOCKET, "unix:gid")));
        env.put("BAEUM_ENGINE_DIR", engineDir.toString());
        env.put("BAEUM_PORT", "127.0.0.1:" + port);
        env.put("BAEUM_ADMIN_USERNAME", "teacher");
        env.put("BAEUM_ADMIN_PASSWORD", adminPassword);
        String scope = null;
        boolean passed = false;
        try {
            buildPlatformImage();
            InspectImageResponse built = docker.inspectImageCmd(image).exec();
            System.out.printf("[PlatformImageIT] image %s: %.0f MB%n", image, built.getSize() / 1e6);
            assertEquals("10001:10001", built.getConfig().getUser(), "the server runs as a non-root user");
            assertTrue(built.getConfig().getHealthcheck() != null
                    && String.join(" ", built.getConfig().getHealthcheck().getTest()).contains("/healthz"),
                    "the image checks its own /healthz");

            env.put("POSTGRES_IMAGE", postgresImage());
            List<String> up = composeArgs(work, "up", "-d", "--no-build");
            run(up, env, Duration.ofMinutes(5), "compose up");

            WebClient client = new WebClient("http://127.0.0.1:" + port);
            boolean healthy = Eventually.within(Duration.ofMinutes(3), () -> client.answersHealth()
                    && client.get("/healthz").json().path("status").asText().equals("ok"));
            JsonNode health = healthy ? client.get("/healthz").json() : null;
            assertTrue(healthy, "/healthz never said ok:\n" + logs(work, env));
            assertTrue(health.path("docker").path("ok").asBoolean(), "the mounted engine socket works: " + health);
            assertTrue(health.path("content").path("lessons").asInt() > 0, "lessons are in the image: " + health);
            assertEquals(0, health.path("content").path("labsWithErrors").asInt(), health.toString());

            String container = run(composeArgs(work, "ps", "-q", "baeum"), env, Duration.ofMinutes(1), "compose ps").strip();
            scope = run(composeArgs(work, "exec", "-T", "db", "psql", "-U", "baeum", "-d", "baeum", "-Atc",
                    "SELECT secret FROM app_secrets WHERE name = 'sandbox-scope'"), env, Duration.ofMinutes(1),
                    "the sandbox scope from PostgreSQL").strip();
            assertTrue(Eventually.within(Duration.ofMinutes(1), () -> "healthy".equals(
                            docker.inspectContainerCmd(container).exec().getState().getHealth().getStatus())),
                    "the image's HEALTHCHECK reports healthy");

            // The engine-socket folder is the same folder at the same absolute path inside and outside.
            run(List.of("docker", "exec", container, "bash", "-c", "mkdir \"$BAEUM_DOCKER_SOCKET_DIR/probe\""),
                    Map.of(), Duration.ofMinutes(1), "writing into the engine-socket folder");
            assertTrue(Files.isDirectory(engineDir.resolve("probe")), "the platform wrote into " + engineDir + " on the host");

            assertEquals(302, client.login("teacher", adminPassword).status(), "the BAEUM_ADMIN_* instructor logs in");
            JsonNode session = openLab(client);
            // A claimed pool container keeps its pool labels; its name carries the session (LabLauncher, WarmPool).
            String sessionName = session.path("session").asText().substring(0, 8);
            List<String> lab = docker.listContainersCmd().withNameFilter(List.of(sessionName)).exec().stream()
                    .map(Container::getId).toList();
            assertEquals(1, lab.size(), "the engine runs the lab container");

            TerminalRecorder out = new TerminalRecorder();
            WebSocket ws = client.terminalNow(session.path("terminal").asText() + "?node=sandbox&cols=100&rows=30", out);
            out.await(t -> t.contains("$ "), Duration.ofSeconds(30), "a prompt");
            TerminalRecorder.type(ws, "echo container-$((6*7))\r");
            out.await(t -> t.contains("container-42"), Duration.ofSeconds(15), "the command's output");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

            WebClient.Response check = client.post("/labs/" + LAB + "/check");
            assertEquals(200, check.status(), check.body());
            assertTrue(check.json().path("tasks").size() > 0, "the lab's tasks were checked: " + check.body());

            WebClient.Response ended = client.post("/labs/" + LAB + "/session/end");
            assertEquals(200, ended.status(), ended.body());
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> docker.listContainersCmd().withShowAll(true)
                    .withIdFilter(lab).exec().isEmpty()), "ending removed the lab container");

            // A docker lab: the platform in its container serves the session's engine socket in the shared folder.
            JsonNode dockerLab = openLab(client, DOCKER_LAB);
            TerminalRecorder dockerOut = new TerminalRecorder();
            WebSocket dockerWs = client.terminalNow(dockerLab.path("terminal").asText() + "?cols=100&rows=30", dockerOut);
            dockerOut.await(t -> t.contains("$ "), Duration.ofSeconds(30), "a prompt in the docker lab");
            TerminalRecorder.type(dockerWs, "docker run --rm debian:bookworm-slim echo docker-$((6*7))\r");
            dockerOut.await(t -> t.contains("docker-42"), Duration.ofSeconds(60), "docker run through the session's engine");
            dockerWs.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            assertEquals(200, client.post("/labs/" + DOCKER_LAB + "/session/end").status());
            passed = true;
        } finally {
            if (!passed) {
                System.out.println("[PlatformImageIT] compose logs:\n" + logs(work, env));
            }
            cleanUp(docker, work, env, scope);
            deleteTree(engineDir);
            deleteTree(work);
        }
    }

    /**
     * The root Dockerfile, built from this build's jar; on Linux the JDK comes from a build image made of the JDK
     * running this test (once per JDK version: it is the cache, like the base image).
     */
    private void buildPlatformImage() {
        List<String> build = new ArrayList<>(List.of("docker", "build", "-t", image));
        if (!"source".equalsIgnoreCase(System.getenv("BAEUM_TEST_IMAGE_BUILD"))) {
            Path jar = root.resolve("server/target/baeum.jar");
            assertTrue(Files.isRegularFile(jar), jar + " is missing: run this test through `./mvnw verify` (after package)");
            build.addAll(List.of("--build-arg", "BAEUM_JAR=prebuilt"));
            String jdkImage = jdkBuildImage();
            if (jdkImage != null) {
                build.addAll(List.of("--build-arg", "BUILD_IMAGE=" + jdkImage));
            }
        }
        build.add(root.toString());
        long started = System.nanoTime();
        run(build, Map.of(), Duration.ofMinutes(20), "docker build of the platform image");
        System.out.printf("[PlatformImageIT] docker build took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** debian:bookworm-slim with this JVM's JDK in /opt/jdk, or null when that JDK cannot serve a Linux build. */
    private static String jdkBuildImage() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                || !Files.isExecutable(javaHome.resolve("bin/jlink"))) {
            return null; // the Dockerfile installs Temurin itself
        }
        String tag = JDK_IMAGE_REPOSITORY + ":" + (System.getProperty("java.vendor") + "-" + System.getProperty("java.runtime.version")
                + "-" + System.getProperty("os.arch")).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-");
        if (exec(List.of("docker", "image", "inspect", "--format", "{{.Id}}", tag), Map.of(), Duration.ofMinutes(1)).exit() != 0) {
            runWithInput(List.of("docker", "build", "-t", tag, "-f", "-", javaHome.toString()), Map.of(), Duration.ofMinutes(10),
                    "FROM debian:bookworm-slim\nCOPY . /opt/jdk\n", "docker build of " + tag);
        }
        return tag;
    }

    private String postgresImage() {
        String given = System.getenv("BAEUM_TEST_POSTGRES_IMAGE");
        if (given != null && !given.isBlank()) {
            return given;
        }
        run(List.of("docker", "build", "-t", POSTGRES_STAND_IN, root.resolve("server/src/test/docker/postgres").toString()),
                Map.of(), Duration.ofMinutes(10), "docker build of " + POSTGRES_STAND_IN);
        return POSTGRES_STAND_IN;
    }

    /** The folder README tells operators to make (mode 0711, owned by the image's user), here a fresh one. */
    private static Path engineSocketFolder() throws IOException {
        Path dir = Files.createTempDirectory("baeum-engine");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        try {
            Files.setAttribute(dir, "unix:uid", PLATFORM_UID);
            Files.setAttribute(dir, "unix:gid", PLATFORM_UID);
        } catch (IOException | SecurityException notRoot) {
            // A developer's machine without root: the platform's user still needs to write here.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return dir;
    }

    /** Starts (or keeps) a lab session; answers 202 while the lab image is still being built. */
    private static JsonNode openLab(WebClient client) throws Exception {
        return openLab(client, LAB);
    }

    private static JsonNode openLab(WebClient client, String labId) throws Exception {
        JsonNode[] ready = new JsonNode[1];
        String[] last = {""};
        boolean opened = Eventually.within(Duration.ofMinutes(10), () -> {
            WebClient.Response r = client.post("/labs/" + labId + "/session");
            last[0] = r.status() + " " + r.body();
            if (r.status() == 200 && "ready".equals(r.json().path("state").asText())) {
                ready[0] = r.json();
                return true;
            }
            assertEquals(202, r.status(), "while the image builds the answer is 202: " + r.body());
            Thread.sleep(1000);
            return false;
        });
        assertTrue(opened, "the lab never became ready; last answer: " + last[0]);
        return ready[0];
    }

    /** compose down -v, the lab containers and networks of this deployment's scope, the image tag. */
    private void cleanUp(DockerClient docker, Path work, Map<String, String> env, String scope) {
        List<String> problems = new ArrayList<>();
        if (scope == null) { // a failure before it was read: read it now, while PostgreSQL still runs
            Result r = exec(composeArgs(work, "exec", "-T", "db", "psql", "-U", "baeum", "-d", "baeum", "-Atc",
                    "SELECT secret FROM app_secrets WHERE name = 'sandbox-scope'"), env, Duration.ofMinutes(1));
            scope = r.exit() == 0 && !r.output().isBlank() ? r.output().strip() : null;
        }
        Result down = exec(composeArgs(work, "down", "-v", "--remove-orphans", "--timeout", "30"), env, Duration.ofMinutes(3));
        if (down.exit() != 0) {
            problems.add("compose down: " + down.output());
        }
        if (scope != null) {
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("baeum.scope", scope)).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
            for (Network n : docker.listNetworksCmd().withFilter("label", List.of("baeum.scope=" + scope)).exec()) {
                docker.removeNetworkCmd(n.getId()).exec();
            }
        }
        // --no-prune: the untagged layers below stay as the build cache of the next run.
        exec(List.of("docker", "rmi", "--no-prune", image), Map.of(), Duration.ofMinutes(1));
        if (!problems.isEmpty()) {
            Assertions.fail(String.join("\n", problems));
        }
    }

    private String logs(Path work, Map<String, String> env) {
        return exec(composeArgs(work, "logs", "--no-color", "--tail", "200"), env, Duration.ofMinutes(1)).output();
    }

    /** compose with this project's name, compose.yaml plus a fast health-check interval, and no .env of anyone's. */
    private List<String> composeArgs(Path work, String... args) {
        Path override = work.resolve("compose.it.yaml");
        Path emptyEnv = work.resolve("empty.env");
        try {
            if (!Files.exists(override)) {
                Files.writeString(override, """
                        services:
                          baeum:
                            healthcheck:
                              interval: 2s
                        """);
                Files.writeString(emptyEnv, "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("--env-file", emptyEnv.toString(), "-p", project,
                "-f", root.resolve("compose.yaml").toString(), "-f", override.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** {@code docker compose} (v2) if the CLI has it, else {@code docker-compose}; null when neither works. */
    private static List<String> composeCommand() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            if (exec(version, Map.of(), Duration.ofMinutes(1)).exit() == 0) {
                return candidate;
            }
        }
        return null;
    }

    /** The docker CLI, Compose and the engine's socket where compose.yaml mounts it from. */
    private void requireTools() {
        String reason = null;
        if (exec(List.of("docker", "version"), Map.of(), Duration.ofMinutes(1)).exit() != 0) {
            reason = "the docker CLI is not usable here";
        } else if (compose == null) {
            reason = "Docker Compose (docker compose or docker-compose) is not installed";
        } else if (!Files.exists(DOCKER_SOCKET)) {
            reason = "compose.yaml mounts the engine from " + DOCKER_SOCKET + ", which does not exist here";
        }
        if (reason != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + reason);
            }
            Assumptions.abort(reason);
        }
    }

    record Result(int exit, String output) {
    }

    /** Runs a command and fails with its output unless it succeeds; returns the output. */
    private static String run(List<String> command, Map<String, String> env, Duration limit, String what) {
        return runWithInput(command, env, limit, null, what);
    }

    private static String runWithInput(List<String> command, Map<String, String> env, Duration limit, String stdin,
                                       String what) {
        Result r = exec(command, env, limit, stdin);
        if (r.exit() != 0) {
            String out = r.output();
            Assertions.fail(what + " failed (exit " + r.exit() + "): " + String.join(" ", command) + "\n"
                    + out.substring(Math.max(0, out.length() - 6000)));
        }
        return r.output();
    }

    /** Runs a command; its exit code and output (both streams), whatever they are. */
    private static Result exec(List<String> command, Map<String, String> env, Duration limit) {
        return exec(command, env, limit, null);
    }

    private static Result exec(List<String> command, Map<String, String> env, Duration limit, String stdin) {
        try {
            Path output = Files.createTempFile("baeum-it-cmd", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                pb.environment().putAll(env);
                if (stdin == null) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                }
                Process p = pb.start();
                if (stdin != null) {
                    try (var in = p.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    return new Result(-1, "timed out after " + limit + ":\n"
                            + new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString()); // e.g. the program is not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; nothing depends on it
        }
    }
}
