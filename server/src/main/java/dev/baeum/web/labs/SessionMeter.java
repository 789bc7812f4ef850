package dev.baeum.web.labs;

import dev.baeum.base.metrics.Metrics;
import dev.baeum.services.accounts.User;
import dev.baeum.services.limits.Limit;
import dev.baeum.services.limits.RateLimiter;
import dev.baeum.web.ClientAddresses;
import io.javalin.http.Context;

import java.time.Duration;

/** The rate limits on starting sessions (per account and per address) and the timings they report. */
public record SessionMeter(RateLimiter limits, ClientAddresses clients, Metrics metrics) {

    /** Refuses a start when the account or the address is over its limit, without counting it yet. */
    void ensureCanStart(Context ctx, User user) {
        limits.ensureBelow(Limit.SESSION_ACCOUNT, String.valueOf(user.id()));
        limits.ensureBelow(Limit.SESSION_IP, clients.key(ctx));
    }

    void countStart(Context ctx, User user) {
        limits.count(Limit.SESSION_ACCOUNT, String.valueOf(user.id()));
        limits.count(Limit.SESSION_IP, clients.key(ctx));
    }

    /** A reset gives fresh containers, so it counts like a new start. */
    void acquireReset(Context ctx, User user) {
        limits.acquire(Limit.SESSION_ACCOUNT, String.valueOf(user.id()));
        limits.acquire(Limit.SESSION_IP, clients.key(ctx));
    }

    void ready(String labId, boolean fromPool, long startedNanos) {
        metrics.labReady(labId, fromPool, Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    void checked(String labId, long millis) {
        metrics.check(labId, "learner", Duration.ofMillis(millis));
    }
}
