package dev.baeum.cli;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's engine rows: a docker lab's session engine beside the engine itself. */
final class EngineProxyBench {

    private final BenchTable table;
    private final int runs;

    EngineProxyBench(BenchTable table, int runs) {
        this.table = table;
        this.runs = runs;
    }

    /**
     * The docker-lab engine against the engine itself, side by side in one run, interleaved: the same docker CLI
     * and the same walls (network, cgroup parent, limits, capabilities), once through the session's socket and
     * once straight to the engine. What differs is the proxy.
     */
    void run(BenchDeployment d, String dockerLab) throws Exception {
        if (!onPath("docker")) {
            table.put("도커 실습 엔진 (docker CLI가 없어 재지 못함)", new String[]{"—", "—"});
            return;
        }
        BenchClient learner = new BenchClient(d.base()).guest();
        HttpResponse<String> r = learner.post("/labs/" + dockerLab + "/session", "", "text/plain");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("docker lab did not open: " + r.statusCode() + " " + r.body());
        }
        String session = r.body().replaceAll("(?s).*\"session\":\"([^\"]+)\".*", "$1");
        try {
            String socket = "unix://" + d.app().runtime().docker().proxy().dir(session).resolve("docker.sock");
            String engine = d.app().runtime().engine().host().toString();
            String lab = d.app().runtime().sandboxes().find(session).orElseThrow().containers().values().iterator().next();
            var scope = d.app().runtime().docker().proxy().scope(session).orElseThrow();
            var b = scope.budget();
            List<String> walls = new ArrayList<>(List.of("--network", scope.network(), "--memory", String.valueOf(b.containerMemoryBytes()),
                    "--memory-swap", String.valueOf(b.containerMemoryBytes()), "--cpus", String.valueOf(b.containerCpus()),
                    "--pids-limit", String.valueOf(b.containerPids()), "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
                    "--ulimit", "fsize=" + b.fileSizeBytes(), "--ulimit", "nofile=1024", "--log-opt", "max-size=" + b.logBytes()));
            if (scope.cgroupParent() != null) {
                walls.addAll(List.of("--cgroup-parent", scope.cgroupParent()));
            }
            List<String> viaProxy = List.of("run", "--rm", "debian:bookworm-slim", "true");
            List<String> direct = new ArrayList<>(List.of("run", "--rm"));
            direct.addAll(walls);
            direct.addAll(List.of("debian:bookworm-slim", "true"));
            compare("docker run --rm debian:bookworm-slim true", socket, viaProxy, engine, direct, runs);
            compare("docker ps", socket, List.of("ps"), engine, List.of("ps"), runs);
            Path context = Files.createTempDirectory("bench-build");
            Files.writeString(context.resolve("hello.txt"), "hello\n");
            Files.writeString(context.resolve("Dockerfile"), "FROM debian:bookworm-slim\nCOPY hello.txt /hello.txt\n"
                    + "RUN cat /hello.txt > /copy.txt\nCMD [\"cat\", \"/copy.txt\"]\n");
            List<String> buildDirect = new ArrayList<>(List.of("build", "--no-cache", "-q", "--network", "none", "-t", "baeum-bench-direct"));
            if (scope.cgroupParent() != null) {
                buildDirect.addAll(List.of("--cgroup-parent", scope.cgroupParent()));
            }
            buildDirect.addAll(List.of("--memory", String.valueOf(Math.max(b.containerMemoryBytes(), b.memoryBytes() / 2)), context.toString()));
            compare("docker build --no-cache (FROM, COPY, RUN, CMD)", socket,
                    List.of("build", "--no-cache", "-q", "-t", "benchimg", context.toString()), engine, buildDirect, 5);
            docker(engine, List.of("rmi", "-f", "baeum-bench-direct"));
        } finally {
            learner.post("/labs/" + dockerLab + "/session/end", "", "text/plain");
        }
    }

    private void compare(String what, String socket, List<String> viaProxy, String engine, List<String> direct, int times)
            throws Exception {
        docker(socket, viaProxy);
        docker(engine, direct);
        List<Long> proxied = new ArrayList<>();
        List<Long> straight = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            proxied.add(docker(socket, viaProxy));
            straight.add(docker(engine, direct));
        }
        long[] p = BenchTable.percentiles(proxied);
        long[] s = BenchTable.percentiles(straight);
        table.put(what + " — 세션 소켓 / 엔진 직접 (같은 울타리, 번갈아 " + times + "번)", new String[]{
                String.format(Locale.ROOT, "p50 %s / %s (%.2f×) · p95 %s / %s", BenchTable.ms(p[0]), BenchTable.ms(s[0]), (double) p[0] / s[0],
                        BenchTable.ms(p[1]), BenchTable.ms(s[1])), what.startsWith("docker build") ? "≤ 1.2×" : "≤ 1.3×"});
    }

    /** Runs the docker CLI against an engine address; returns the wall time in nanoseconds. */
    private static long docker(String host, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", host);
        pb.environment().put("DOCKER_BUILDKIT", "0");
        long t = System.nanoTime();
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        long took = System.nanoTime() - t;
        if (exit != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed (" + exit + "): " + output);
        }
        return took;
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
