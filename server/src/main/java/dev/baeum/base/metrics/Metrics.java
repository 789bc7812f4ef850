package dev.baeum.base.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What an operator watches, in one Micrometer registry that {@code /metrics} shows to Prometheus.
 * One per process, handed to whoever records through constructors; each recording is one call.
 * Figures from the database (active sessions) are read when Prometheus scrapes, so they are the whole
 * deployment's; figures kept in memory (terminals, counters, timings) are this instance's.
 */
public final class Metrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Metrics.class);
    /** Buckets around the README's targets (warm p50 150 ms, cold p95 1.2 s), for histogram_quantile(). */
    private static final Duration[] READY_BUCKETS = durations(100, 150, 250, 400, 700, 1_000, 1_200, 2_000, 5_000, 10_000);
    private static final Duration[] CHECK_BUCKETS = durations(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000);
    private static final Duration[] BUILD_BUCKETS = durations(1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 900_000);
    private static final Duration[] HTTP_BUCKETS = durations(5, 10, 25, 50, 100, 250, 500, 1_000, 5_000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** From "open the lab" to a running session, on the server; a warm pool container or a new one. */
    public void labReady(String lab, boolean fromPool, Duration took) {
        String pool = fromPool ? "hit" : "miss";
        Timer.builder("baeum.lab.ready").description("Time from a lab start request to a ready session")
                .tags("lab", lab, "pool", pool).serviceLevelObjectives(READY_BUCKETS).register(registry).record(took);
        Counter.builder("baeum.pool.claims").description("Lab starts served from the warm pool (hit) or not (miss)")
                .tag("result", pool).register(registry).increment();
    }

    /** One round of checks (a learner's 채점 button, or the grading API's checks for one submission). */
    public void check(String lab, String source, Duration took) {
        Timer.builder("baeum.check").description("Duration of one round of task checks")
                .tags("lab", lab, "source", source).serviceLevelObjectives(CHECK_BUCKETS).register(registry).record(took);
    }

    /** A lab image build ({@code lab-image}) or a learner's {@code docker build} through the engine proxy ({@code learner}). */
    public void build(String kind, boolean succeeded, Duration took) {
        Timer.builder("baeum.build").description("Duration of image builds")
                .tags("kind", kind, "outcome", succeeded ? "ok" : "failed").serviceLevelObjectives(BUILD_BUCKETS)
                .register(registry).record(took);
    }

    /** A request refused by a rate limit ({@code login-ip}, {@code guest-ip}, ...). */
    public void rateLimited(String limit) {
        Counter.builder("baeum.rate.limited").description("Requests refused with 429 by a rate limit")
                .tag("limit", limit).register(registry).increment();
    }

    /** Every HTTP response, by status class; 5xx are the errors to alert on. */
    public void response(int status, Duration took) {
        Timer.builder("baeum.http.requests").description("HTTP requests by status class")
                .tag("status", (status / 100) + "xx").serviceLevelObjectives(HTTP_BUCKETS).register(registry).record(took);
    }

    /** An exception no handler expected (answered with 500 and an error number in the log). */
    public void unhandledError() {
        Counter.builder("baeum.errors").description("Unhandled exceptions").tag("kind", "unhandled")
                .register(registry).increment();
    }

    /** A figure read when scraped; a failing read (the database is down) shows as NaN, not as an error. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, () -> {
            try {
                return value.get();
            } catch (RuntimeException e) {
                log.debug("Gauge {} could not be read: {}", name, e.toString());
                return Double.NaN;
            }
        }).description(description).tags(tags).register(registry);
    }

    /** The Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static Duration[] durations(long... millis) {
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofMillis(millis[i]);
        }
        return d;
    }
}
