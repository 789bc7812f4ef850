package dev.baeum.web;

import dev.baeum.base.metrics.Metrics;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.SandboxAccessException;
import dev.baeum.services.limits.RateLimitedException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * Every failure reaches the user as a Korean page (or JSON for scripts and the API), never a stack trace.
 * Unexpected errors are logged with a short reference the page shows, so an operator can find them.
 */
public final class ErrorPages {

    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);

    public record ErrorPage(Chrome chrome, int status, String heading, String message) {
    }

    private final Views views;
    private final Metrics metrics;

    public ErrorPages(Views views, Metrics metrics) {
        this.views = views;
        this.metrics = metrics;
    }

    public void register(Javalin app) {
        app.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String message = e.getMessage();
            if (status == 401 && !wantsJson(ctx)) {
                ctx.redirect("/login?next=" + java.net.URLEncoder.encode(ctx.path(), java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            respond(ctx, status, heading(status), korean(status, message));
        });
        app.exception(LabsUnavailableException.class, (e, ctx) ->
                respond(ctx, 503, "지금은 실습을 열 수 없습니다", e.getMessage()));
        app.exception(SandboxAccessException.class, (e, ctx) ->
                respond(ctx, 403, "접근할 수 없습니다", e.getMessage()));
        app.exception(RateLimitedException.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            respond(ctx, 429, heading(429), e.getMessage());
        });
        app.exception(Exception.class, (e, ctx) -> {
            String ref = UUID.randomUUID().toString().substring(0, 8);
            metrics.unhandledError();
            log.error("Unhandled error {} on {} {}", ref, ctx.method(), ctx.path(), e);
            respond(ctx, 500, "문제가 생겼습니다",
                    "요청을 처리하는 중 예상하지 못한 문제가 생겼습니다. 잠시 뒤 다시 시도해 주세요. (오류 번호 " + ref + ")");
        });
    }

    private void respond(Context ctx, int status, String heading, String message) {
        ctx.status(status);
        if (wantsJson(ctx)) {
            ctx.json(Map.of("error", message, "message", message, "status", status));
            return;
        }
        try {
            views.render(ctx, "web/error.jte", new ErrorPage(views.chrome(ctx, heading, ""), status, heading, message));
        } catch (RuntimeException renderFailure) {
            // The error page itself failed (e.g. the database is down): plain text, still Korean.
            log.error("Error page failed", renderFailure);
            ctx.contentType("text/plain; charset=utf-8").result(heading + "\n" + message);
        }
    }

    public static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        String type = ctx.contentType();
        return ctx.path().startsWith("/api/") || ctx.path().equals("/healthz")
                || (accept != null && accept.contains("application/json") && !accept.contains("text/html"))
                || (type != null && type.startsWith("application/json"));
    }

    private static String heading(int status) {
        return switch (status) {
            case 400 -> "요청을 이해하지 못했습니다";
            case 401 -> "로그인이 필요합니다";
            case 403 -> "접근할 수 없습니다";
            case 404 -> "페이지를 찾을 수 없습니다";
            case 405 -> "허용되지 않는 요청입니다";
            case 413 -> "요청이 너무 큽니다";
            case 429 -> "요청이 너무 많습니다";
            default -> status >= 500 ? "문제가 생겼습니다" : "요청을 처리할 수 없습니다";
        };
    }

    /** Javalin's own messages are English; keep ours, replace theirs. */
    private static String korean(int status, String message) {
        boolean hangul = message != null && message.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3);
        if (hangul) {
            return message;
        }
        return switch (status) {
            case 400 -> "요청 형식이 올바르지 않습니다.";
            case 401 -> "이 기능을 쓰려면 로그인하세요.";
            case 403 -> "이 페이지나 기능에 접근할 권한이 없습니다.";
            case 404 -> "주소가 바뀌었거나 없는 페이지입니다.";
            case 405 -> "이 주소에서는 그 방법으로 요청할 수 없습니다.";
            case 413 -> "보낸 내용이 너무 큽니다.";
            default -> HttpStatus.forStatus(status).getMessage();
        };
    }
}
