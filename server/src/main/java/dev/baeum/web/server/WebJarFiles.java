package dev.baeum.web.server;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import org.webjars.WebJarVersionLocator;

import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves WebJar files without their version in the path ({@code /webjars/highlightjs/highlight.min.js}), so
 * the pom is the one place that names a front-end library's version. The versioned paths stay served by
 * Javalin's own WebJar handler.
 */
final class WebJarFiles {

    private static final WebJarVersionLocator LOCATOR = new WebJarVersionLocator();
    /** A WebJar's name, and a path of plain segments inside it: nothing else is looked up. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}){0,7}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "map", "application/json");

    private WebJarFiles() {
    }

    static void serve(Context ctx) {
        String name = ctx.pathParam("name");
        String path = ctx.pathParam("path");
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        // Only plain names and relative paths of known file types (no segment starts with a dot): no way out of the WebJar.
        boolean plain = type != null && NAME.matcher(name).matches() && PATH.matcher(path).matches();
        String full = plain ? LOCATOR.fullPath(name, path) : null;
        InputStream in = full == null ? null : WebJarFiles.class.getClassLoader().getResourceAsStream(full);
        if (in == null) {
            throw new NotFoundResponse("그런 파일은 없습니다.");
        }
        ctx.contentType(type);
        ctx.header("Cache-Control", "public, max-age=600");
        ctx.result(in);
    }
}
