package dev.baeum.runtime.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pre-started, hardened, unassigned containers, a few per sandbox profile (image + limits + hostname), so
 * a lab is ready before the learner finishes reading its first line. A claim is a row in
 * {@code pool_claims} (exactly one server instance wins it) followed by a rename to the session's name;
 * Docker cannot change labels on a running container, so ownership lives in the database, and the
 * container's pool labels keep an expiry so the reaper removes unclaimed leftovers like anything else.
 */
public final class WarmPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);

    /** A sandbox profile: containers are interchangeable only if all of these match. */
    public record Key(String image, SandboxPolicy.Limits limits, List<String> capabilities, String hostname) {
        String id() {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(toString().getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d.digest()).substring(0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A claimed container and how long Docker took to create and start it, back when it was pooled. */
    public record Claim(String containerId, int startMillis) {
    }

    private final DockerEngine engine;
    private final ContainerFactory factory;
    private final ContainerExec exec;
    private final SandboxRepository repository;
    private final SandboxPolicy policy;
    private final Map<String, Key> wanted = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> ready = new ConcurrentHashMap<>();
    private final AtomicBoolean refillQueued = new AtomicBoolean();
    private final ExecutorService filler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baeum-warm-pool");
        t.setDaemon(true);
        return t;
    });

    public WarmPool(DockerEngine engine, ContainerFactory factory, ContainerExec exec, SandboxRepository repository,
                    SandboxPolicy policy) {
        this.engine = engine;
        this.factory = factory;
        this.exec = exec;
        this.repository = repository;
        this.policy = policy;
    }

    private DockerClient docker() {
        return engine.client();
    }

    public boolean enabled() {
        return policy.poolSize() > 0;
    }

    /** Keeps containers of this profile ready from now on. */
    public void want(Key key) {
        if (enabled() && wanted.putIfAbsent(key.id(), key) == null) {
            ready.putIfAbsent(key.id(), new ConcurrentLinkedQueue<>());
            refillSoon();
        }
    }

    /** How many containers are waiting, over all profiles. */
    public int readyCount() {
        return ready.values().stream().mapToInt(Queue::size).sum();
    }

    /** Takes a ready container for the session and renames it; empty when none is ready. */
    public Optional<Claim> claim(Key key, String sessionId, String name) {
        Queue<String> queue = ready.get(key.id());
        if (queue == null) {
            return Optional.empty();
        }
        try {
            String id;
            while ((id = queue.poll()) != null) {
                if (!repository.claim(id, sessionId)) {
                    continue; // another instance took it
                }
                try {
                    docker().renameContainerCmd(id).withName(name).exec();
                    InspectContainerResponse c = docker().inspectContainerCmd(id).exec();
                    if (c.getState() == null || !Boolean.TRUE.equals(c.getState().getRunning())) {
                        throw new IllegalStateException("pooled container is not running");
                    }
                    long ms = Duration.between(Instant.parse(c.getCreated()),
                            Instant.parse(c.getState().getStartedAt())).toMillis();
                    return Optional.of(new Claim(id, (int) Math.max(0, ms)));
                } catch (RuntimeException e) {
                    repository.forgetClaim(id);
                    factory.remove(id);
                }
            }
            return Optional.empty();
        } finally {
            refillSoon();
        }
    }

    /** Re-learns which pooled containers exist (after a restart) and tops every profile up. */
    public void refillSoon() {
        if (enabled() && refillQueued.compareAndSet(false, true)) {
            filler.submit(() -> {
                refillQueued.set(false);
                try {
                    refill();
                } catch (RuntimeException e) {
                    log.warn("Warm pool refill failed: {}", e.toString());
                }
            });
        }
    }

    void refill() {
        Map<String, Integer> alive = new HashMap<>();
        for (Container c : docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.SCOPE, policy.scope())).exec()) {
            String keyId = c.getLabels().get(SandboxLabels.POOL);
            if (keyId == null) {
                continue;
            }
            if (!SandboxLabels.POOL_OWNER.equals(c.getLabels().get(SandboxLabels.SESSION))
                    || repository.claimedBy(c.getId()).isPresent() || !"running".equals(c.getState())) {
                continue;
            }
            Queue<String> queue = ready.get(keyId);
            if (queue != null) {
                if (!queue.contains(c.getId())) {
                    queue.add(c.getId());
                }
                alive.merge(keyId, 1, Integer::sum);
            }
        }
        for (Key key : wanted.values()) {
            Queue<String> queue = ready.get(key.id());
            queue.removeIf(id -> find(id) == null);
            int missing = policy.poolSize() - alive.getOrDefault(key.id(), 0);
            for (int i = 0; i < missing; i++) {
                queue.add(startOne(key));
            }
        }
    }

    private String startOne(Key key) {
        Instant expires = Instant.now().plus(policy.poolTtl());
        Map<String, String> labels = new HashMap<>();
        labels.put(SandboxLabels.MANAGED, "true");
        labels.put(SandboxLabels.SCOPE, policy.scope());
        labels.put(SandboxLabels.OWNER, SandboxLabels.POOL_OWNER);
        labels.put(SandboxLabels.SESSION, SandboxLabels.POOL_OWNER);
        labels.put(SandboxLabels.LAB, SandboxLabels.POOL_OWNER);
        labels.put(SandboxLabels.NODE, key.hostname());
        labels.put(SandboxLabels.POOL, key.id());
        labels.put(SandboxLabels.EXPIRES, String.valueOf(expires.getEpochSecond()));
        String name = "baeum-pool-" + key.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = factory.start(new ContainerFactory.Plan(key.image(), name, key.hostname(), key.limits(),
                key.capabilities(), null, labels));
        // Warm the learner's shell too: home prepared and tmux running, so attaching draws a prompt at once.
        try {
            exec.run(id, "learner", "tmux -u new-session -d -s main", Map.of(), Duration.ofSeconds(10));
        } catch (DockerException e) {
            log.debug("Could not pre-start tmux in {}: {}", id, e.getMessage());
        }
        return id;
    }

    private Container find(String id) {
        List<Container> found = docker().listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec();
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public void close() {
        filler.shutdownNow();
    }
}
