package dev.baeum.runtime.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script in a container with docker exec. The script travels in an environment variable of the
 * exec'd process: it is never written to the container's filesystem, does not show in {@code ps}
 * (only the fixed wrapper does), and a root process's environment is unreadable to the learner.
 * A {@code timeout -s KILL} inside the container enforces the time limit even if we lose the connection.
 */
public final class ContainerExec {

    public record Result(int exitCode, String stdout, String stderr, long millis, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The last line the script printed: its message to the learner. */
        public String lastLine() {
            String[] lines = stdout.strip().split("\n");
            String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
            return last.length() > 300 ? last.substring(0, 300) + "…" : last;
        }
    }

    private static final int MAX_OUTPUT = 64 * 1024;
    private static final String WRAPPER = "eval \"$BAEUM_SCRIPT\"";

    private final DockerEngine engine;

    /** @param engine the engine; without one, every run refuses with the reason it is missing */
    public ContainerExec(DockerEngine engine) {
        this.engine = engine;
    }

    private DockerClient docker() {
        return engine.client();
    }

    /** Runs {@code script} with bash as {@code user} ("root" or "learner"), with extra environment. */
    public Result run(String containerId, String user, String script, Map<String, String> env, Duration timeout) {
        List<String> environment = new ArrayList<>();
        environment.add("BAEUM_SCRIPT=" + script);
        environment.add("LANG=C.UTF-8");
        environment.add("HOME=" + ("root".equals(user) ? "/root" : ContainerFactory.LEARNER_HOME));
        env.forEach((k, v) -> environment.add(k + "=" + v));
        long seconds = Math.max(1, timeout.toSeconds());
        List<String> cmd = "learner".equals(user)
                ? List.of("timeout", "-s", "KILL", String.valueOf(seconds), "/usr/local/bin/baeum-shell", "run")
                : List.of("timeout", "-s", "KILL", String.valueOf(seconds), "bash", "-c", WRAPPER);
        return exec(containerId, "learner".equals(user) ? "1000:1000" : "0:0", cmd, environment, timeout);
    }

    private Result exec(String containerId, String user, List<String> cmd, List<String> env, Duration timeout) {
        long started = System.nanoTime();
        String execId = docker().execCreateCmd(containerId)
                .withUser(user)
                .withEnv(env)
                .withWorkingDir(user.startsWith("0") ? "/" : ContainerFactory.LEARNER_HOME)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withCmd(cmd.toArray(String[]::new))
                .exec()
                .getId();
        Collector collector = new Collector();
        boolean finished;
        try {
            docker().execStartCmd(execId).exec(collector);
            finished = collector.awaitCompletion(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } finally {
            closeQuietly(collector);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int exit = -1;
        if (finished) {
            InspectExecResponse inspect = docker().inspectExecCmd(execId).exec();
            exit = inspect.getExitCodeLong() == null ? -1 : inspect.getExitCodeLong().intValue();
        }
        // `timeout -s KILL` exits 137 when it had to kill the script.
        boolean timedOut = !finished || exit == 137 && millis >= timeout.toMillis();
        return new Result(exit, collector.stdout(), collector.stderr(), millis, timedOut);
    }

    private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
        try {
            callback.close();
        } catch (Exception ignored) {
            // closing a finished stream can fail harmlessly
        }
    }

    /** Collects stdout and stderr, each capped so a chatty script cannot fill our memory. */
    private static final class Collector extends ResultCallback.Adapter<Frame> {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        @Override
        public void onNext(Frame frame) {
            ByteArrayOutputStream target = frame.getStreamType() == StreamType.STDERR ? err : out;
            synchronized (this) {
                if (target.size() < MAX_OUTPUT) {
                    byte[] payload = frame.getPayload();
                    target.write(payload, 0, Math.min(payload.length, MAX_OUTPUT - target.size()));
                }
            }
        }

        synchronized String stdout() {
            return out.toString(StandardCharsets.UTF_8);
        }

        synchronized String stderr() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
