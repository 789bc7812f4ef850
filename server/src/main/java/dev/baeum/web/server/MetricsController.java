package dev.baeum.web.server;

import dev.baeum.base.metrics.Metrics;
import dev.baeum.services.accounts.Tokens;
import dev.baeum.web.ClientAddresses;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

/**
 * {@code /metrics} for Prometheus. Readable from this machine (a client on loopback that did not come
 * through a proxy) and, when {@code metrics.token} is set, by anyone presenting it as a bearer token.
 */
public final class MetricsController {

    private static final String[] PROXY_HEADERS = {"X-Forwarded-For", "Forwarded", "X-Real-IP"};

    private final Metrics metrics;
    private final ClientAddresses clients;
    private final String token;

    public MetricsController(Metrics metrics, ClientAddresses clients, String token) {
        this.metrics = metrics;
        this.clients = clients;
        this.token = token == null ? "" : token.strip();
    }

    public void scrape(Context ctx) {
        if (!allowed(ctx)) {
            throw new ForbiddenResponse("/metrics 는 이 서버가 도는 기계에서만, 또는 metrics.token 으로만 읽을 수 있습니다.");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private boolean allowed(Context ctx) {
        String header = ctx.header("Authorization");
        if (!token.isEmpty() && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Tokens.constantTimeEquals(token, header.substring(7).strip());
        }
        return clients.isLoopback(ctx) && (clients.behindProxy() || !forwarded(ctx));
    }

    /**
     * With {@code proxy.hops=0} a proxy on this machine makes everyone look local; one that says so in a
     * forwarding header does not get the local privilege.
     */
    private static boolean forwarded(Context ctx) {
        for (String name : PROXY_HEADERS) {
            if (ctx.header(name) != null) {
                return true;
            }
        }
        return false;
    }
}
