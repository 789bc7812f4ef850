package dev.baeum.content;

import java.nio.file.Path;

/**
 * Something wrong in an instructor's file, located as {@code file:line}. Errors make {@code lint} fail;
 * warnings are advice. Either way the rest of the course keeps working.
 */
public record ContentProblem(Path file, int line, Severity severity, String message) {

    public enum Severity { ERROR, WARNING }

    public static ContentProblem error(Path file, int line, String message) {
        return new ContentProblem(file, line, Severity.ERROR, message);
    }

    public static ContentProblem warning(Path file, int line, String message) {
        return new ContentProblem(file, line, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code lessons/03-containers.md:12: message}, relative to the working directory when possible. */
    public String format() {
        return location() + ": " + (isError() ? "" : "경고: ") + message;
    }

    public String location() {
        Path shown = file;
        Path cwd = Path.of("").toAbsolutePath();
        if (file.isAbsolute() && file.startsWith(cwd)) {
            shown = cwd.relativize(file);
        }
        return shown.toString().replace('\\', '/') + ":" + line;
    }
}
