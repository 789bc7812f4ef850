package dev.baeum.support;

import java.time.Duration;

/** Polls a condition instead of sleeping a fixed time: fast when things are fast, patient when the box is slow. */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(200);

    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() {
    }

    /** Whether the condition came to hold within the limit; the caller asserts what it needs. */
    public static boolean within(Duration limit, Condition condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }
}
