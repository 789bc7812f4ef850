package dev.baeum.web;

import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders jte templates with a page model, straight to UTF-8 bytes (no intermediate String), and builds the
 * chrome every page shares.
 */
public final class Views {

    private final Identity identity;
    private final TemplateEngine templates;

    public Views(Identity identity, TemplateEngine templates) {
        this.identity = identity;
        this.templates = templates;
    }

    public Chrome chrome(Context ctx, String title, String section) {
        return chrome(ctx, title, section, "");
    }

    public Chrome chrome(Context ctx, String title, String section, String description) {
        return new Chrome(title, identity.viewer(ctx).orElse(null), Csrf.token(ctx), section, description);
    }

    /** Renders {@code template} with the record as its {@code page} parameter. */
    public void render(Context ctx, String template, Object page) {
        Utf8ByteOutput output = new Utf8ByteOutput();
        templates.render(template, Map.of("page", page), output);
        ByteArrayOutputStream html = new ByteArrayOutputStream(output.getContentLength());
        try {
            output.writeTo(html);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/html; charset=utf-8").result(html.toByteArray());
    }
}
