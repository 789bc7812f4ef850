package dev.baeum.web;

import dev.baeum.accounts.Csrf;
import dev.baeum.accounts.Identity;
import io.javalin.http.Context;

import java.util.Map;

/** Renders jte templates with a page model, and builds the chrome every page shares. */
public final class Views {

    private final Identity identity;

    public Views(Identity identity) {
        this.identity = identity;
    }

    public Chrome chrome(Context ctx, String title, String section) {
        return chrome(ctx, title, section, "");
    }

    public Chrome chrome(Context ctx, String title, String section, String description) {
        return new Chrome(title, identity.viewer(ctx).orElse(null), Csrf.token(ctx), section, description);
    }

    /** Renders {@code template} with the record as its {@code page} parameter. */
    public void render(Context ctx, String template, Object page) {
        ctx.header("Cache-Control", "no-store");
        ctx.render(template, Map.of("page", page));
    }
}
