package dev.baeum.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.sandbox.ContainerFactory;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.RunSpec;
import dev.baeum.runtime.sandbox.SandboxLabels;
import dev.baeum.services.sessions.LabRuns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench}: measures, in one run on this machine, the floor (a bare docker exec, a bare container
 * create+start) beside what the platform adds — lab ready latency cold and from the warm pool, a check
 * round trip, lesson page throughput, the engine proxy beside the engine, 300 live terminals, batch grading — and
 * prints a table; with db.url on PostgreSQL, also the figures there and 300 terminals over two instances.
 * It runs its own throwaway deployment (in-memory database) and removes every container it made.
 */
public final class Benchmark {

    private static final String LAB = "process-isolation";
    /** A docker lab of the shipped course, for the engine rows. */
    private static final String DOCKER_LAB = "client-daemon";
    private static final int RUNS = 20;

    private final PrintStream out;
    private final BenchTable table = new BenchTable();

    private Benchmark(PrintStream out) {
        this.out = out;
    }

    public static int run(Settings base, PrintStream out) throws Exception {
        return new Benchmark(out).all(base);
    }

    private int all(Settings base) throws Exception {
        DockerEngine engine = DockerEngine.detect();
        if (!engine.available()) {
            out.println("bench: " + engine.status().problem());
            return 2;
        }
        out.println("배움 벤치마크 — " + Runtime.getRuntime().availableProcessors() + "코어, Docker " + engine.status().version()
                + ", " + Instant.now());
        Settings settings = throwaway(base).with(Setting.SANDBOX_POOL_SIZE, "0");
        try (BenchDeployment cold = BenchDeployment.start(settings, engine, LAB)) {
            floor(cold);
            labReady(cold, "실습 준비 (요청 → 첫 프롬프트 바이트), 콜드", "p50 ≤ —, p95 ≤ 1200 ms", false);
            checkRoundTrip(cold, "");
            lessonThroughput(cold, "");
            labReady(cold, DOCKER_LAB, "도커 실습 준비 (요청 → 첫 프롬프트 바이트: 네트워크, 소켓, 실습 컨테이너)", "p95 ≤ 1500 ms", false);
            new EngineProxyBench(table, RUNS).run(cold, DOCKER_LAB);
            liveSessions(List.of(cold), 300, "동시 세션 300개 (터미널 연결 유지)");
            grading(cold);
        }
        try (BenchDeployment warm = BenchDeployment.start(throwaway(base).with(Setting.SANDBOX_POOL_SIZE, "2"), engine, LAB)) {
            labReady(warm, "실습 준비 (요청 → 첫 프롬프트 바이트), 예비 컨테이너", "p50 ≤ 150 ms, p95 ≤ 400 ms", true);
        }
        if (base.get(Setting.DB_URL).startsWith("jdbc:postgresql:")) {
            onPostgres(base, engine);
        }
        table.print(out);
        return 0;
    }

    /**
     * The same figures on the operator's PostgreSQL (db.url; give bench an empty database of its own), and 300
     * live terminals spread over two server instances sharing it, as a class behind a load balancer would.
     */
    private void onPostgres(Settings base, DockerEngine engine) throws Exception {
        Settings pg = throwaway(base).with(Setting.DB_URL, base.get(Setting.DB_URL)).with(Setting.SANDBOX_POOL_SIZE, "0");
        try (BenchDeployment a = BenchDeployment.start(pg, engine, LAB);
             BenchDeployment b = BenchDeployment.start(pg, engine, LAB)) {
            labReady(a, "실습 준비, 콜드 — PostgreSQL", "p95 ≤ 1200 ms", false);
            checkRoundTrip(a, " — PostgreSQL");
            lessonThroughput(a, " — PostgreSQL");
            liveSessions(List.of(a, b), 300, "동시 세션 300개, 서버 2대가 PostgreSQL 하나를 함께 씀 (번갈아 배정)");
        }
    }

    private static Settings throwaway(Settings base) {
        return base.with(Setting.DB_URL, "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .with(Setting.PORT, "0")
                .with(Setting.LABS_BUILD_ON_START, "false")
                .with(Setting.SANDBOX_MAX_SESSIONS, "320")
                // The benchmark's learners are guests from one address: measure capacity, not the abuse limits.
                .with(Setting.SANDBOX_GUEST_SHARE, "1")
                .with(Setting.LIMITS_GUEST_IP, "off")
                .with(Setting.LIMITS_SESSION_IP, "off")
                .with(Setting.LIMITS_SESSION_ACCOUNT, "off")
                .with(Setting.GRADING_CONCURRENCY, "3");
    }

    private void floor(BenchDeployment d) throws Exception {
        DockerClient docker = d.app().runtime().engine().client();
        ContainerFactory factory = d.app().runtime().factory();
        RunSpec lab = LabRuns.of(d.app().core().labs().find(LAB).orElseThrow());
        String image = d.app().runtime().images().tagFor(lab.image());
        ContainerFactory.Plan template = new ContainerFactory.Plan(image, null, "bench", d.app().runtime().policy().limitsFor(lab), List.of(), null,
                SandboxLabels.forRun(d.app().runtime().policy().scope(), "bench", "bench", LAB, java.time.Duration.ofHours(1)));
        List<Long> starts = new ArrayList<>();
        String keep = null;
        for (int i = 0; i < RUNS + 2; i++) {
            ContainerFactory.Plan plan = new ContainerFactory.Plan(template.image(), "baeum-bench-" + UUID.randomUUID(),
                    template.hostname(), template.limits(), template.capabilities(), null, template.labels());
            long t = System.nanoTime();
            String id = factory.start(plan);
            long took = System.nanoTime() - t;
            if (i >= 2) {
                starts.add(took);
            }
            if (keep == null) {
                keep = id;
            } else {
                factory.remove(id);
            }
        }
        List<Long> execs = new ArrayList<>();
        for (int i = 0; i < RUNS + 5; i++) {
            long t = System.nanoTime();
            String exec = docker.execCreateCmd(keep).withCmd("true").withAttachStdout(true).withAttachStderr(true).exec().getId();
            docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10, TimeUnit.SECONDS);
            if (i >= 5) {
                execs.add(System.nanoTime() - t);
            }
        }
        factory.remove(keep);
        table.row("바닥: docker exec (`true`, docker-java)", BenchTable.percentiles(execs), "—");
        table.row("바닥: 컨테이너 생성+시작 (같은 제한)", BenchTable.percentiles(starts), "—");
    }

    private void labReady(BenchDeployment d, String name, String goal, boolean pooled) throws Exception {
        labReady(d, LAB, name, goal, pooled);
    }

    private void labReady(BenchDeployment d, String labId, String name, String goal, boolean pooled) throws Exception {
        List<Long> ready = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
            if (pooled) {
                awaitPool(d);
            }
            BenchClient learner = new BenchClient(d.base()).guest();
            long t = System.nanoTime();
            HttpResponse<String> r = learner.post("/labs/" + labId + "/session", "", "text/plain");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("session did not open: " + r.statusCode() + " " + r.body());
            }
            String session = r.body().replaceAll("(?s).*\"session\":\"([^\"]+)\".*", "$1");
            BenchClient.Terminal terminal = learner.terminal("/sandbox/" + session + "/terminal");
            long first = terminal.firstByte.get(30, TimeUnit.SECONDS);
            if (i >= 2) {
                ready.add(first - t);
            }
            terminal.close();
            learner.post("/labs/" + labId + "/session/end", "", "text/plain");
        }
        table.row(name, BenchTable.percentiles(ready), goal);
    }

    private static void awaitPool(BenchDeployment d) throws InterruptedException {
        for (int i = 0; i < 100 && d.app().runtime().pool().readyCount() == 0; i++) {
            Thread.sleep(100);
        }
        Thread.sleep(300); // let the refill's tmux warm-up finish
    }

    private void checkRoundTrip(BenchDeployment d, String where) throws Exception {
        BenchClient learner = new BenchClient(d.base()).guest();
        learner.post("/labs/" + LAB + "/session", "", "text/plain");
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < RUNS + 5; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = learner.post("/labs/" + LAB + "/check", "", "text/plain");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("check failed: " + r.body());
            }
            if (i >= 5) {
                times.add(System.nanoTime() - t);
            }
        }
        learner.post("/labs/" + LAB + "/session/end", "", "text/plain");
        table.row("채점 왕복 (과제 3개, 채점 버튼 → 결과)" + where, BenchTable.percentiles(times), "p95 ≤ 250 ms");
    }

    /**
     * Lesson page throughput. With wrk installed (a C load generator) the server is measured, not the
     * client; otherwise a Java client on the same two cores measures both together and reads lower.
     */
    private void lessonThroughput(BenchDeployment d, String where) throws Exception {
        String url = d.base() + "/lessons/containers";
        if (EngineProxyBench.onPath("wrk")) {
            Process warm = new ProcessBuilder("wrk", "-t2", "-c8", "-d3s", url).redirectErrorStream(true).start();
            warm.getInputStream().readAllBytes();
            warm.waitFor();
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c8", "-d10s", "--latency", url).redirectErrorStream(true).start();
            String report = new String(wrk.getInputStream().readAllBytes());
            wrk.waitFor();
            String perSecond = grab(report, "Requests/sec:\\s+([\\d.]+)");
            table.put("레슨 페이지 (wrk, 8개 동시 연결, 같은 기계)" + where, new String[]{
                    String.format(Locale.ROOT, "%,.0f req/s · p50 %s · p99 %s · 오류 %s", Double.parseDouble(perSecond),
                            grab(report, "(?m)^\\s+50%\\s+(\\S+)"), grab(report, "(?m)^\\s+99%\\s+(\\S+)"),
                            report.contains("Non-2xx") ? grab(report, "Non-2xx or 3xx responses:\\s+(\\d+)") : "0"),
                    "≥ 3,000 req/s, p99 ≤ 20 ms"});
            return;
        }
        int threads = 8;
        long warmup = 3_000_000_000L;
        long measure = 10_000_000_000L;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger errors = new AtomicInteger();
        List<List<Long>> perThread = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Long> times = new ArrayList<>();
            perThread.add(times);
            futures.add(pool.submit(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
                while (System.nanoTime() - start < warmup + measure) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    long t1 = System.nanoTime();
                    if (t0 - start >= warmup) {
                        times.add(t1 - t0);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        List<Long> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        double perSecond = all.size() / (measure / 1e9);
        long[] p = BenchTable.percentiles(all);
        table.put("레슨 페이지 (Java 클라이언트 " + threads + "개 동시 연결, 같은 기계; wrk가 있으면 wrk로 잽니다)" + where, new String[]{
                String.format(Locale.ROOT, "%,.0f req/s · p50 %s · p99 %s · 오류 %d", perSecond, BenchTable.ms(p[0]), BenchTable.ms(p[2]), errors.get()),
                "≥ 3,000 req/s, p99 ≤ 20 ms"});
    }

    /** {@code count} learners with a live terminal each, handed to the deployments in turn. */
    private void liveSessions(List<BenchDeployment> deployments, int count, String name) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<BenchClient.Terminal> terminals = Collections.synchronizedList(new ArrayList<>());
        List<BenchClient> learners = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicLong slowest = new AtomicLong();
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BenchDeployment d = deployments.get(i % deployments.size());
            futures.add(pool.submit(() -> {
                try {
                    BenchClient learner = new BenchClient(d.base()).guest();
                    long t = System.nanoTime();
                    HttpResponse<String> r = learner.post("/labs/" + LAB + "/session", "", "text/plain");
                    if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                        return null;
                    }
                    String session = r.body().replaceAll("(?s).*\"session\":\"([^\"]+)\".*", "$1");
                    BenchClient.Terminal terminal = learner.terminal("/sandbox/" + session + "/terminal");
                    terminal.firstByte.get(60, TimeUnit.SECONDS);
                    slowest.accumulateAndGet(System.nanoTime() - t, Math::max);
                    terminals.add(terminal);
                    learners.add(learner);
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long rampSeconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.gc();
        Thread.sleep(500);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = rss();
        int threads = Thread.activeCount();
        BenchClient probe = new BenchClient(deployments.get(0).base());
        long t = System.nanoTime();
        int status = probe.get("/lessons/containers").statusCode();
        long probeMillis = (System.nanoTime() - t) / 1_000_000;
        table.put(name, new String[]{
                String.format(Locale.ROOT, "연결 %d/%d, 오류 %d, 힙 %dMB, RSS %dMB, 스레드 %d, %d초에 모두 시작 (가장 느린 준비 %s), 그때 레슨 페이지 %d ms (%d)",
                        terminals.size(), count, errors.get(), heap >> 20, rss >> 20, threads, rampSeconds,
                        BenchTable.ms(slowest.get()), probeMillis, status),
                "힙 ≤ 512MB, 오류 0"});
        terminals.forEach(BenchClient.Terminal::close);
        for (BenchClient learner : learners) {
            pool.submit(() -> learner.post("/labs/" + LAB + "/session/end", "", "text/plain"));
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.MINUTES);
    }

    private void grading(BenchDeployment d) throws Exception {
        Path dir = Files.createTempDirectory("bench-submissions");
        for (int i = 0; i < 24; i++) {
            Files.writeString(dir.resolve("student" + i + ".sh"),
                    "cat /proc/1/comm > ~/pid1.txt\nps -e --no-headers | wc -l > ~/count.txt\nhostname > ~/hostname.txt\n");
        }
        Lab lab = d.app().core().labs().find(LAB).orElseThrow();
        int parallel = 3;
        long t = System.nanoTime();
        int exit = GradeCommand.run(new GradeCommand.Options(LAB, dir, dir.resolve("reports"), parallel), lab,
                d.app().runtime().grading(), new PrintStream(new ByteArrayOutputStream()));
        double seconds = (System.nanoTime() - t) / 1e9;
        table.put("일괄 채점 (CLI, 제출물 24개, 동시 " + parallel + "개)", new String[]{
                String.format(Locale.ROOT, "분당 %.0f개 (%.1f초, 종료 코드 %d)", 24 / seconds * 60, seconds, exit), "≥ 60개/분"});
    }

    private static String grab(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "?";
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }
}
