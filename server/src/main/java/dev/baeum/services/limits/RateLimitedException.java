package dev.baeum.services.limits;

/** A request refused by a rate limit: answered with 429, a Retry-After header and the Korean message. */
public final class RateLimitedException extends RuntimeException {

    private final Limit limit;
    private final long retryAfterSeconds;

    RateLimitedException(Limit limit, long retryAfterSeconds) {
        super(limit.message(retryAfterSeconds), null, false, false); // expected, so no stack trace to fill
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Limit limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
