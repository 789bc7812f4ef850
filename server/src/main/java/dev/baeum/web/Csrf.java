package dev.baeum.web;

import dev.baeum.services.accounts.Tokens;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.SameSite;

/**
 * CSRF protection by double submission: a random token lives in an HttpOnly, SameSite=Strict cookie and
 * must come back with every state-changing request, as the {@code _csrf} form field or the
 * {@code X-CSRF-Token} header. Another site can make a browser send the cookie but cannot read it to
 * put it in the form. Requests authenticated by an API token carry no cookie and need no CSRF token.
 */
public final class Csrf {

    public static final String COOKIE = "baeum_csrf";
    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final String ATTRIBUTE = "baeum.csrf";

    private Csrf() {
    }

    /** The token for forms on this page; issues the cookie on first use. */
    public static String token(Context ctx) {
        String token = ctx.attribute(ATTRIBUTE);
        if (token != null) {
            return token;
        }
        token = ctx.cookie(COOKIE);
        if (token == null || token.length() < 20 || token.length() > 100) {
            token = rotate(ctx);
        }
        ctx.attribute(ATTRIBUTE, token);
        return token;
    }

    /** Issues a fresh token, e.g. when someone logs in. */
    public static String rotate(Context ctx) {
        String token = Tokens.random(24);
        Cookie cookie = new Cookie(COOKIE, token, "/", -1, Identity.secure(ctx), 0, true, null, null, SameSite.STRICT);
        ctx.cookie(cookie);
        ctx.attribute(ATTRIBUTE, token);
        return token;
    }

    /** Throws 403 unless the request carries the cookie's token. */
    public static void verify(Context ctx) {
        String expected = ctx.cookie(COOKIE);
        String given = ctx.header(HEADER);
        if (given == null && isForm(ctx)) {
            given = ctx.formParam(FIELD);
        }
        if (expected == null || !Tokens.constantTimeEquals(expected, given)) {
            throw new ForbiddenResponse("보안 토큰이 없거나 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.");
        }
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"));
    }
}
