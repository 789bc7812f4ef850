package dev.baeum.web;

import dev.baeum.services.accounts.ApiTokens;
import dev.baeum.services.accounts.User;
import dev.baeum.services.accounts.UserRepository;
import dev.baeum.services.accounts.WebSessions;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.util.Optional;

/**
 * Who is asking: resolved once per request from the session cookie (or an API token) and kept on the
 * request. Logging in, out and becoming a guest go through here too.
 */
public final class Identity {

    public static final String SESSION_COOKIE = "baeum_session";
    private static final String ATTRIBUTE = "baeum.viewer";
    private static final String RESOLVED = "baeum.viewer.resolved";

    private final UserRepository users;
    private final WebSessions sessions;
    private final ApiTokens tokens;

    public Identity(UserRepository users, WebSessions sessions, ApiTokens tokens) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** The current user, if any (a guest counts). */
    public Optional<User> viewer(Context ctx) {
        if (ctx.attribute(RESOLVED) == null) {
            ctx.attribute(RESOLVED, Boolean.TRUE);
            User user = sessions.userId(ctx.cookie(SESSION_COOKIE)).flatMap(users::find)
                    .or(() -> apiUser(ctx)) // scripts and CI authenticate with a bearer token instead
                    .orElse(null);
            ctx.attribute(ATTRIBUTE, user);
        }
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** The user behind {@code Authorization: Bearer <token>}, if valid. */
    public Optional<User> apiUser(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return tokens.authenticate(header.substring(7).trim());
    }

    public static boolean hasBearer(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    public void login(Context ctx, User user) {
        String old = ctx.cookie(SESSION_COOKIE);
        if (old != null) {
            sessions.end(old);
        }
        String token = sessions.start(user.id());
        ctx.cookie(new Cookie(SESSION_COOKIE, token, "/", (int) WebSessions.LIFETIME.toSeconds(), secure(ctx), 0,
                true, null, null, SameSite.LAX));
        Csrf.rotate(ctx);
        ctx.attribute(ATTRIBUTE, user);
        ctx.attribute(RESOLVED, Boolean.TRUE);
    }

    public void logout(Context ctx) {
        sessions.end(ctx.cookie(SESSION_COOKIE));
        ctx.removeCookie(SESSION_COOKIE, "/");
        Csrf.rotate(ctx);
        ctx.attribute(ATTRIBUTE, null);
    }

    /** The current identity, creating a guest one if there is none yet. */
    public User viewerOrGuest(Context ctx) {
        return viewer(ctx).orElseGet(() -> {
            User guest = users.createGuest();
            login(ctx, guest);
            return guest;
        });
    }

    static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
