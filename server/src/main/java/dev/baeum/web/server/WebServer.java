package dev.baeum.web.server;

import dev.baeum.base.metrics.Metrics;
import dev.baeum.web.AccessRules;
import dev.baeum.web.ErrorPages;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import dev.baeum.base.json.Json;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Javalin, configured: static files and WebJars, JSON, access rules, security headers, error pages. */
public final class WebServer {

    private WebServer() {
    }

    /**
     * @param webDir  {@code web/}: templates and static files are read from it directly in dev mode
     *                (edits show on reload); otherwise the precompiled templates and packaged files are used
     */
    public static Javalin create(boolean devMode, Path webDir, Routes routes, AccessRules access, ErrorPages errors,
                                 Metrics metrics) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            // Requests (a preview relay, a build stream) may wait on a container: virtual threads make that cheap.
            config.useVirtualThreads = true;
            // Runs once the response is final (after error mapping), so 5xx from any cause are counted.
            config.requestLogger.http((ctx, millis) ->
                    metrics.response(ctx.statusCode(), Duration.ofNanos((long) (millis * 1_000_000))));
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                if (devMode) {
                    files.directory = webDir.resolve("static").toAbsolutePath().toString();
                    files.location = Location.EXTERNAL;
                    files.headers = Map.of("Cache-Control", "no-cache");
                } else {
                    files.directory = "/static";
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("Cache-Control", "public, max-age=600");
                }
            });
            config.staticFiles.enableWebjars();
            config.http.maxRequestSize = 1_200_000L;
            config.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setMaxTextMessageSize(64 * 1024);
                factory.setMaxBinaryMessageSize(64 * 1024);
                factory.setIdleTimeout(Duration.ofMinutes(10));
            });
            config.router.apiBuilder(routes::endpoints);
        });
        app.before(access::csrf);
        app.beforeMatched(access::check);
        app.after(WebServer::securityHeaders);
        errors.register(app);
        return app;
    }

    /** A strict policy for our pages: scripts only from this origin, so lesson HTML cannot run any. */
    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        if (ctx.res().getHeader("Content-Security-Policy") == null) {
            String host = ctx.host() == null ? "" : ctx.host();
            ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                    + "style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; font-src 'self' data:; "
                    + "connect-src 'self' ws://" + host + " wss://" + host + "; object-src 'none'; base-uri 'self'; "
                    + "frame-ancestors 'none'; form-action 'self'");
            ctx.header("X-Frame-Options", "DENY");
        }
    }
}
