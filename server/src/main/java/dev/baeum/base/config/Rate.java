package dev.baeum.base.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit as written in the settings: {@code 20/15m} is at most 20 in every 15-minute window;
 * {@code off} (or {@code 0}) switches the limit off.
 */
public record Rate(int max, Duration window) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\S+)");
    public static final Rate OFF = new Rate(0, Duration.ZERO);

    public boolean enabled() {
        return max > 0 && !window.isZero();
    }

    /** Null when the text is not of the form {@code count/duration}, {@code off} or {@code 0}. */
    public static Rate parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("off") || t.equals("0")) {
            return OFF;
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            return null;
        }
        Duration window = Units.duration(m.group(2));
        int max = Integer.parseInt(m.group(1));
        if (window == null || window.toSeconds() < 1 || max < 1) {
            return null;
        }
        return new Rate(max, window);
    }
}
