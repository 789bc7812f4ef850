package dev.baeum.runtime.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * A learner's lab session as the database records it. The containers (node → container id) change on
 * reset; the session id stays, so the page and its terminal reconnect to the same session.
 */
public record SandboxSession(String id, long userId, String labId, boolean active, Instant createdAt,
                             Instant lastActiveAt, Instant idleDeadline, Instant expiresAt, Instant endedAt,
                             String endReason, int resets, Integer startMillis, boolean fromPool,
                             Map<String, String> containers) {

    /** When the session ends if nothing happens: the earlier of its idle deadline and its expiry. */
    public Instant deadline() {
        return idleDeadline.isBefore(expiresAt) ? idleDeadline : expiresAt;
    }

    public String container(String node) {
        return containers.get(node);
    }
}
