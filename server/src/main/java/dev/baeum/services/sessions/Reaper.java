package dev.baeum.services.sessions;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.baeum.base.db.Leases;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.sandbox.ContainerFactory;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.DockerLabs;
import dev.baeum.runtime.sandbox.EngineRepository;
import dev.baeum.runtime.sandbox.RunSpec;
import dev.baeum.runtime.sandbox.SandboxLabels;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.runtime.sandbox.SandboxSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Removes what should no longer exist, judging by container labels and the database together: sessions
 * past their deadline, containers past their label expiry, containers whose session is gone or ended,
 * stopped containers, leftover networks. Runs once at start and then periodically, so a crashed server
 * (even {@code kill -9}) never leaks containers.
 */
public final class Reaper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    /** A session row younger than this may still be creating its containers. */
    private static final Duration GRACE = Duration.ofMinutes(2);
    /** The lease reaper passes take turns by, one instance at a time. */
    public static final String LEASE = "reaper";
    /**
     * Longer than any one step of a pass (a pass renews it after each session or container it removes); a killed
     * instance's pass stops counting after it, so a restart after a crash mid-pass waits at most this long.
     */
    private static final Duration LEASE_TIME = Duration.ofSeconds(20);
    /** Longer than any session lasts: a foreign pool container this far past its expiry is abandoned. */
    private static final Duration ABANDONED_POOL = Duration.ofHours(6);

    public record Report(int sessionsEnded, int containersRemoved, int networksRemoved) {
    }

    private final DockerEngine engine;
    private final SandboxRepository repository;
    private final Sandboxes sandboxes;
    private final ContainerFactory factory;
    private final String scope;
    private final DockerLabs dockerLabs;
    private final EngineRepository engineRecords;
    private final Leases leases;
    private final Function<String, Optional<RunSpec>> labs;
    /** This server instance, as the reaper lease names it. */
    private final String instance = UUID.randomUUID().toString();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baeum-reaper");
        t.setDaemon(true);
        return t;
    });

    /** @param engine the engine; without one, passes refuse with the reason it is missing (the app starts none then) */
    public Reaper(DockerEngine engine, SandboxRepository repository, Sandboxes sandboxes, ContainerFactory factory,
                  String scope, DockerLabs dockerLabs, EngineRepository engineRecords, Leases leases,
                  Function<String, Optional<RunSpec>> labs) {
        this.leases = leases;
        this.labs = labs;
        this.dockerLabs = dockerLabs;
        this.engineRecords = engineRecords;
        this.engine = engine;
        this.repository = repository;
        this.sandboxes = sandboxes;
        this.factory = factory;
        this.scope = scope;
    }

    private DockerClient docker() {
        return engine.client();
    }

    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                Report r = pass();
                if (r.sessionsEnded() + r.containersRemoved() + r.networksRemoved() > 0) {
                    log.info("Reaper: {} sessions ended, {} containers and {} networks removed",
                            r.sessionsEnded(), r.containersRemoved(), r.networksRemoved());
                }
            } catch (RuntimeException e) {
                log.warn("Reaper pass failed: {}", e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One pass: reaps, if no other server instance on this database is in the middle of a pass (the lease makes
     * instances take turns; a pass judges by the database and labels, so any instance's verdict is the same),
     * and then serves the engine sockets nobody serves. Adopting needs no lease: each session's lock file lets
     * one process serve it, and a learner must not wait out the lease of an instance killed mid-pass.
     */
    public synchronized Report pass() {
        Report report = new Report(0, 0, 0);
        if (leases.acquire(LEASE, instance, LEASE_TIME)) {
            try {
                report = reap();
            } finally {
                leases.release(LEASE, instance);
            }
        }
        adoptSockets();
        return report;
    }

    /** At start: waits for a pass another instance (or a killed one) may still hold, then makes its own. */
    public Report firstPass() {
        long deadline = System.nanoTime() + LEASE_TIME.toNanos();
        while (!leases.acquire(LEASE, instance, Duration.ofSeconds(1)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        leases.release(LEASE, instance);
        return pass();
    }

    /** Docker-lab sessions whose engine socket nobody serves (their server died) get it back from this instance. */
    private void adoptSockets() {
        if (!dockerLabs.status().available()) {
            return;
        }
        for (SandboxSession s : repository.active()) {
            try {
                labs.apply(s.labId()).filter(RunSpec::docker).ifPresent(lab -> dockerLabs.adopt(s, lab));
            } catch (RuntimeException e) {
                log.debug("Could not serve the engine of session {}: {}", s.id(), e.toString());
            }
        }
    }

    private Report reap() {
        Instant now = Instant.now();
        int ended = 0;
        Map<String, SandboxSession> active = new HashMap<>();
        for (SandboxSession s : repository.active()) {
            String reason = now.isAfter(s.expiresAt()) ? "실습 시간이 끝났습니다."
                    : now.isAfter(s.idleDeadline()) ? "오랫동안 입력이 없어 정리했습니다."
                    : s.containers().isEmpty() && s.createdAt().plus(GRACE).isBefore(now) ? "컨테이너 없이 남은 세션을 정리했습니다."
                    : null;
            if (reason == null) {
                active.put(s.id(), s);
            } else {
                sandboxes.finish(s, reason);
                ended++;
                renewLease();
            }
        }

        int removed = learnerObjects(active, now);
        List<Container> containers = docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true")).exec();
        for (Container c : containers) {
            if (EngineScope.LEARNER.equals(c.getLabels().get(EngineScope.PURPOSE))) {
                continue; // a learner's own container in a docker lab: judged with its run, above
            }
            // Past its expiry label a container goes whoever made it; otherwise only our own scope is judged.
            String reason = scope.equals(c.getLabels().get(SandboxLabels.SCOPE))
                    ? verdict(c, active, now) : expired(c, now);
            if (reason != null) {
                factory.remove(c.getId());
                repository.forgetClaim(c.getId());
                removed++;
                String sessionId = c.getLabels().get(SandboxLabels.SESSION);
                SandboxSession owner = sessionId == null ? null : active.remove(sessionId);
                if (owner != null) {
                    sandboxes.finish(owner, reason);
                    ended++;
                }
                renewLease();
            }
        }

        int networks = 0;
        for (Network n : docker().listNetworksCmd().withFilter("label", List.of(SandboxLabels.SCOPE + "=" + scope)).exec()) {
            String sessionId = n.getLabels() == null ? null : n.getLabels().get(SandboxLabels.SESSION);
            if (sessionId != null && !active.containsKey(sessionId) && !throwawayAlive(n.getLabels(), now)) {
                try {
                    docker().removeNetworkCmd(n.getId()).exec();
                    networks++;
                } catch (RuntimeException e) {
                    log.debug("Network {} still in use: {}", n.getName(), e.getMessage());
                }
            }
        }
        removeExpiredImages(now);
        return new Report(ended, removed, networks);
    }

    /** Images learners built (Dockerfile labs) are removed after checking; a crash in between leaves these. */
    private void removeExpiredImages(Instant now) {
        for (var image : docker().listImagesCmd().withLabelFilter(Map.of(SandboxLabels.SCOPE, scope, SandboxLabels.PURPOSE, "build")).exec()) {
            long expires = parseLong(image.getLabels() == null ? null : image.getLabels().get(SandboxLabels.EXPIRES));
            if (expires > 0 && now.getEpochSecond() > expires) {
                try {
                    docker().removeImageCmd(image.getId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    log.debug("Image {} not removed: {}", image.getId(), e.getMessage());
                }
            }
        }
    }

    /**
     * Docker labs: what learners made through their session's engine goes when its run is over (the session
     * ended, or a grading or self-test run expired), before the lab container it runs under.
     */
    private int learnerObjects(Map<String, SandboxSession> active, Instant now) {
        if (!dockerLabs.status().available()) {
            return 0;
        }
        Map<String, Map<String, String>> runs = new HashMap<>();
        for (Container c : docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.SCOPE, scope, EngineScope.PURPOSE, EngineScope.LEARNER)).exec()) {
            runs.putIfAbsent(c.getLabels().get(SandboxLabels.SESSION), c.getLabels());
        }
        for (var v : docker().listVolumesCmd().withFilter("label", List.of(SandboxLabels.SCOPE + "=" + scope)).exec().getVolumes()) {
            Map<String, String> labels = v.getLabels() == null ? Map.of() : v.getLabels();
            if (labels.containsKey(SandboxLabels.SESSION)) {
                runs.putIfAbsent(labels.get(SandboxLabels.SESSION), labels);
            }
        }
        int removed = 0;
        for (Map.Entry<String, Map<String, String>> run : runs.entrySet()) {
            String id = run.getKey();
            if (id == null || active.containsKey(id) || throwawayAlive(run.getValue(), now) || young(id, now)) {
                continue;
            }
            removed += dockerLabs.removeLearnerObjects(id, null).total();
            renewLease();
        }
        for (String run : engineRecords.sessionsWithImages()) {
            boolean session = repository.find(run).isPresent();
            boolean over = session ? !active.containsKey(run) && !young(run, now)
                    : engineRecords.firstImageAt(run).plus(Duration.ofHours(1)).isBefore(now);
            if (over) {
                removed += dockerLabs.objects().removeImages(run);
            }
        }
        return removed;
    }

    /**
     * Keeps the lease while a long pass goes on. Should it have run out all the same, the pass goes on: another
     * instance's pass reaches the same verdicts, and removing what is already gone is a no-op.
     */
    private void renewLease() {
        leases.acquire(LEASE, instance, LEASE_TIME);
    }

    /** A grading or self-test run's objects live until their expiry label; a session's follow the session. */
    private static boolean throwawayAlive(Map<String, String> labels, Instant now) {
        String run = labels == null ? null : labels.get(EngineScope.RUN);
        if (run == null || run.equals(EngineScope.SESSION_RUN)) {
            return false;
        }
        long expires = parseLong(labels.get(SandboxLabels.EXPIRES));
        return expires == 0 || now.getEpochSecond() <= expires;
    }

    private boolean young(String sessionId, Instant now) {
        return repository.find(sessionId).map(s -> s.active() && s.createdAt().plus(GRACE).isAfter(now)).orElse(false);
    }

    private static String expired(Container c, Instant now) {
        long expires = parseLong(c.getLabels().get(SandboxLabels.EXPIRES));
        if (SandboxLabels.POOL_OWNER.equals(c.getLabels().get(SandboxLabels.SESSION))) {
            // Another deployment's pool container may have been claimed (its label keeps the pool's expiry): only its
            // own reaper can tell. Long after any session could have claimed it, it is a leftover of a gone server.
            return expires > 0 && now.getEpochSecond() > expires + ABANDONED_POOL.toSeconds()
                    ? "다른 서버가 남긴 예비 컨테이너" : null;
        }
        return expires > 0 && now.getEpochSecond() > expires ? "실습 환경의 최대 수명이 지났습니다." : null;
    }

    /**
     * Removes every container and network of this deployment, live or not: for throwaway deployments
     * (tests, benchmarks) when they end. A real server never calls this; its sandboxes outlive restarts.
     */
    public synchronized int purge() {
        if (!engine.available()) {
            return 0; // without an engine this deployment started nothing
        }
        int removed = 0;
        if (dockerLabs.status().available()) {
            for (Container c : docker().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.SCOPE, scope, EngineScope.PURPOSE, EngineScope.LEARNER)).exec()) {
                factory.remove(c.getId()); // learners' containers first: they run under the lab containers' cgroups
                removed++;
            }
        }
        for (Container c : docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.SCOPE, scope)).exec()) {
            factory.remove(c.getId());
            removed++;
        }
        for (Network n : docker().listNetworksCmd().withFilter("label", List.of(SandboxLabels.SCOPE + "=" + scope)).exec()) {
            try {
                docker().removeNetworkCmd(n.getId()).exec();
            } catch (RuntimeException e) {
                log.debug("Network {} not removed: {}", n.getName(), e.getMessage());
            }
        }
        for (var v : docker().listVolumesCmd().withFilter("label", List.of(SandboxLabels.SCOPE + "=" + scope)).exec().getVolumes()) {
            try {
                docker().removeVolumeCmd(v.getName()).exec();
            } catch (RuntimeException e) {
                log.debug("Volume {} not removed: {}", v.getName(), e.getMessage());
            }
        }
        if (dockerLabs.status().available()) {
            engineRecords.sessionsWithImages().forEach(run -> dockerLabs.objects().removeImages(run));
        }
        return removed;
    }

    /** Why a container must go, or null to keep it. */
    private String verdict(Container c, Map<String, SandboxSession> active, Instant now) {
        Map<String, String> labels = c.getLabels();
        long expires = parseLong(labels.get(SandboxLabels.EXPIRES));
        // A pooled container's expiry label is the pool's; once claimed, its session's deadlines rule instead
        // (Docker cannot relabel a running container, so the claim lives in the database).
        boolean claimed = SandboxLabels.POOL_OWNER.equals(labels.get(SandboxLabels.SESSION))
                && repository.claimedBy(c.getId()).isPresent();
        if (expires > 0 && now.getEpochSecond() > expires && !claimed) {
            return "실습 환경의 최대 수명이 지났습니다.";
        }
        if (labels.containsKey(SandboxLabels.PURPOSE)) {
            return expires > 0 ? null : "목적만 있고 만료가 없는 컨테이너";
        }
        String sessionId = labels.get(SandboxLabels.SESSION);
        if (SandboxLabels.POOL_OWNER.equals(sessionId)) {
            Optional<String> claimedBy = repository.claimedBy(c.getId());
            if (claimedBy.isEmpty()) {
                return "running".equals(c.getState()) ? null : "멈춘 예비 컨테이너";
            }
            sessionId = claimedBy.get();
        }
        SandboxSession session = sessionId == null ? null : active.get(sessionId);
        if (session == null) {
            Optional<SandboxSession> recorded = sessionId == null ? Optional.empty() : repository.find(sessionId);
            boolean young = recorded.isPresent() && recorded.get().active()
                    && recorded.get().createdAt().plus(GRACE).isAfter(now);
            return young ? null : "세션이 없거나 끝났습니다.";
        }
        if (!session.containers().containsValue(c.getId())) {
            // A reset starts the new container before the database names it: judge by the container's own age.
            boolean young = session.createdAt().plus(GRACE).isAfter(now)
                    || c.getCreated() != null && Instant.ofEpochSecond(c.getCreated()).plus(GRACE).isAfter(now);
            return young ? null : "세션에 속하지 않은 컨테이너(초기화 전 것)";
        }
        if (!"running".equals(c.getState())) {
            return "컨테이너가 멈췄습니다. 다시 시작해 주세요.";
        }
        return null;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
