package dev.baeum.runtime.engine;

import java.time.Instant;

/**
 * One request a learner's client made to the session's engine, as the API panel and the instructor
 * dashboard show it.
 *
 * @param path    without the version prefix ({@code /containers/create})
 * @param kind    json, text, stream or hijacked
 * @param refused true when the proxy answered itself to refuse it
 */
public record ApiCall(String sessionId, long userId, String labId, Instant at, String method, String path, String query,
                      int status, int millis, String requestExcerpt, String responseExcerpt, String kind, boolean refused,
                      String error) {

    /** Receives every call as it finishes. */
    public interface Sink {
        void record(ApiCall call);

        Sink NONE = call -> {
        };
    }
}
