package dev.baeum.services.limits;

import dev.baeum.base.config.Rate;
import dev.baeum.base.config.Settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Per-address and per-account limits in fixed windows counted in the database (see
 * {@link RateLimitRepository}). A refusal is a {@link RateLimitedException}: 429 with a Korean message.
 */
public final class RateLimiter {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final int MAX_SUBJECT = 100;

    /** Told about every refusal, e.g. to count it for the operator. */
    public interface Listener {
        void refused(Limit limit);
    }

    private final RateLimitRepository repository;
    private final Map<Limit, Rate> rates = new EnumMap<>(Limit.class);
    private final Listener listener;
    private final Clock clock;
    /** Only spaces out purges; losing it loses nothing. */
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    public RateLimiter(RateLimitRepository repository, Settings settings, Listener listener, Clock clock) {
        this.repository = repository;
        this.listener = listener;
        this.clock = clock;
        for (Limit limit : Limit.values()) {
            rates.put(limit, settings.rate(limit.setting()));
        }
    }

    /** Counts one more request and refuses it if that goes over the limit. */
    public void acquire(Limit limit, String subject) {
        Window w = window(limit);
        if (w == null) {
            return;
        }
        int count = repository.increment(bucket(limit, subject), w.start, w.end);
        if (count > w.rate.max()) {
            refuse(limit, w);
        }
    }

    /**
     * Refuses if the limit is already used up, without counting; for work that is counted with
     * {@link #count} only once it has really been done (a lab session that actually started).
     */
    public void ensureBelow(Limit limit, String subject) {
        Window w = window(limit);
        if (w != null && repository.count(bucket(limit, subject), w.start) >= w.rate.max()) {
            refuse(limit, w);
        }
    }

    public void count(Limit limit, String subject) {
        Window w = window(limit);
        if (w != null) {
            repository.increment(bucket(limit, subject), w.start, w.end);
        }
    }

    /**
     * Takes back one count of this window, for an attempt that turned out fine (a correct password):
     * counting every attempt first and returning the good ones keeps parallel guesses inside the limit.
     */
    public void release(Limit limit, String subject) {
        Window w = window(limit);
        if (w != null) {
            repository.decrement(bucket(limit, subject), w.start);
        }
    }

    /** Forgets the subject's count, e.g. an account's failed logins once the right password came. */
    public void clear(Limit limit, String subject) {
        repository.clear(bucket(limit, subject));
    }

    private record Window(Rate rate, Instant start, Instant end) {
    }

    private Window window(Limit limit) {
        Rate rate = rates.get(limit);
        if (!rate.enabled()) {
            return null;
        }
        Instant now = clock.instant();
        purgeNowAndThen(now);
        long length = rate.window().toSeconds();
        long start = Math.floorDiv(now.getEpochSecond(), length) * length;
        return new Window(rate, Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + length));
    }

    private void refuse(Limit limit, Window w) {
        long retryAfter = Math.max(1, Duration.between(clock.instant(), w.end).toSeconds());
        listener.refused(limit);
        throw new RateLimitedException(limit, retryAfter);
    }

    private void purgeNowAndThen(Instant now) {
        Instant last = lastPurge.get();
        if (Duration.between(last, now).compareTo(PURGE_EVERY) >= 0 && lastPurge.compareAndSet(last, now)) {
            repository.purge(now);
        }
    }

    /** {@code login-account:kim}; long or odd subjects (anything a client typed) are stored as a hash. */
    static String bucket(Limit limit, String subject) {
        String s = subject == null ? "" : subject.strip().toLowerCase(Locale.ROOT);
        if (s.length() > MAX_SUBJECT || !s.chars().allMatch(c -> c > 32 && c < 127)) {
            s = "#" + sha256(s);
        }
        return limit.id() + ":" + s;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
