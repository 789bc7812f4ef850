package dev.baeum.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev.baeum.cli.Main} in a child JVM with a clean environment, as an operator's systemd unit or
 * {@code env -i} would start it: only PATH and HOME (a fresh, empty home), no TESTCONTAINERS_*, no LANG or
 * LC_* and no BAEUM_* variables; settings come from a {@code baeum.properties} in its working directory.
 */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final Path stdout;
    private final Path stderr;

    private ChildProcess(Process process, Path dir, Path stdout, Path stderr) {
        this.process = process;
        this.dir = dir;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The settings a child server needs to serve this checkout's content (data stays in its own folder). */
    public static Map<String, String> serverSettings(int port) {
        Path root = TestApp.root();
        return Map.of(
                "server.port", String.valueOf(port),
                "data.dir", "data",
                "lessons.dir", root.resolve("lessons").toString(),
                "labs.dir", root.resolve("labs").toString(),
                "web.dir", root.resolve("web").toString(),
                "labs.build.on.start", "false",
                "sandbox.pool.size", "0");
    }

    /** Starts {@code java dev.baeum.cli.Main args...} in a new folder holding {@code properties} as baeum.properties. */
    public static ChildProcess start(Map<String, String> properties, Map<String, String> extraEnv, String... args) {
        return start(properties, extraEnv, List.of(), args);
    }

    /** As {@link #start(Map, Map, String...)}, with JVM options before the main class. */
    public static ChildProcess start(Map<String, String> properties, Map<String, String> extraEnv,
                                     List<String> jvmOptions, String... args) {
        try {
            Path dir = Files.createTempDirectory("baeum-child");
            Path home = Files.createDirectories(dir.resolve("home"));
            StringBuilder file = new StringBuilder();
            properties.forEach((k, v) -> file.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            Files.writeString(dir.resolve("baeum.properties"), file, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.baeum.cli.Main"));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            env.put("HOME", home.toString());
            env.putAll(extraEnv);
            Path stdout = dir.resolve("stdout.log");
            Path stderr = dir.resolve("stderr.log");
            pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            return new ChildProcess(pb.start(), dir, stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    public Path dir() {
        return dir;
    }

    /** What the process wrote to standard output so far, as raw bytes. */
    public byte[] stdoutBytes() {
        return read(stdout);
    }

    public byte[] stderrBytes() {
        return read(stderr);
    }

    /** Both streams, decoded as UTF-8, for assertion messages and searches. */
    public String output() {
        return new String(stdoutBytes(), StandardCharsets.UTF_8) + new String(stderrBytes(), StandardCharsets.UTF_8);
    }

    /** Waits for the process to exit by itself; fails if it does not within the limit. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child process did not exit within " + limit + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until the child server answers /healthz (failing at once if it exits). */
    public void awaitHealthy(WebClient client, Duration limit) throws Exception {
        boolean up = Eventually.within(limit, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
            }
            return client.answersHealth();
        });
        if (!up) {
            throw new AssertionError("the server did not answer /healthz within " + limit + ":\n" + output());
        }
    }

    /** SIGTERM, as systemd stops a service, and waits for the shutdown hooks. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
