package dev.baeum.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.resolve.DirectoryCodeResolver;

import java.nio.file.Path;

/**
 * The jte engine: templates precompiled at build time (static parts already UTF-8 bytes), or, in dev mode,
 * compiled from {@code web/templates/} on the fly so edits show on reload.
 */
public final class Templates {

    private Templates() {
    }

    public static TemplateEngine create(boolean devMode, Path webDir) {
        TemplateEngine engine = devMode
                ? TemplateEngine.create(new DirectoryCodeResolver(webDir.resolve("templates").toAbsolutePath()),
                        Path.of(System.getProperty("java.io.tmpdir"), "baeum-jte-classes"), ContentType.Html)
                : TemplateEngine.createPrecompiled(ContentType.Html);
        engine.setBinaryStaticContent(true);
        return engine;
    }
}
