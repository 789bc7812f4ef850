package dev.baeum.base.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units used in settings and lab files: {@code 30s}, {@code 2h}, {@code 256m}. */
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg])?b?");

    private Units() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 30m}, {@code 2h}, {@code 1d}; a bare number is seconds; null if invalid. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** {@code 512k}, {@code 256m}, {@code 1g}; a bare number is bytes; null if invalid. */
    public static Long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** 268435456 → "256MB", for people. */
    public static String humanBytes(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GB";
        }
        if (bytes >= (1L << 20)) {
            return Math.round(bytes / (double) (1L << 20)) + "MB";
        }
        if (bytes >= 1024) {
            return Math.round(bytes / 1024.0) + "KB";
        }
        return bytes + "B";
    }
}
