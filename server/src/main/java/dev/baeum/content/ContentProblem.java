package dev.baeum.content;

import java.nio.file.Path;

/**
 * Something wrong in an instructor's file, located as {@code file:line}. Errors make {@code lint} fail;
 * warnings are advice. Either way the rest of the course keeps working. Code decides; the Korean message explains.
 */
public record ContentProblem(Path file, int line, Severity severity, Code code, String message) {

    public enum Severity { ERROR, WARNING }

    /** What kind of problem it is, for code that must tell problems apart (never by the message text). */
    public enum Code {
        UNREADABLE, BAD_YAML, UNCLOSED_FRONT_MATTER, UNKNOWN_KEY, BAD_VALUE, UNCLOSED_FENCE, BAD_QUIZ, DUPLICATE_ID,
        BAD_ID, MISSING_SOLUTION, MISPLACED_BLOCK, EMPTY_BLOCK, NO_TASKS, UNKNOWN_NODE, MISSING_IMAGE,
        DUPLICATE_SLUG, BROKEN_LINK, UNKNOWN_LESSON, UNKNOWN_LAB, LAB_NOT_LISTED_BACK, OUTSIDE_CONTENT, UNSUPPORTED
    }

    public static ContentProblem error(Path file, int line, Code code, String message) {
        return new ContentProblem(file, line, Severity.ERROR, code, message);
    }

    public static ContentProblem warning(Path file, int line, Code code, String message) {
        return new ContentProblem(file, line, Severity.WARNING, code, message);
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
