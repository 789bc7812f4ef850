package dev.baeum.content;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Naming rules for lesson files: an optional numeric prefix gives the order, the rest the slug. */
public final class LessonFiles {

    private static final Pattern NAME = Pattern.compile("^(\\d+)[-_. ]*(.*)$");

    private LessonFiles() {
    }

    public static boolean isLesson(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".md") && !lower.equals("readme.md") && !fileName.startsWith(".");
    }

    /** {@code 03-containers.md} → 3; no prefix → {@link Integer#MAX_VALUE} (sorted last, by name). */
    public static int order(String fileName) {
        Matcher m = NAME.matcher(stripExtension(fileName));
        if (m.matches()) {
            try {
                return Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** {@code 03-containers.md} → {@code containers}; a name that is only a number keeps it. */
    public static String slug(String fileName) {
        String base = stripExtension(fileName);
        Matcher m = NAME.matcher(base);
        String rest = m.matches() && !m.group(2).isBlank() ? m.group(2) : base;
        String slug = rest.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
        return slug.isEmpty() ? base : slug;
    }

    /** The file name without extension, as a last-resort title. */
    public static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
