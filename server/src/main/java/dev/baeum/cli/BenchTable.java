package dev.baeum.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results: one row per measurement (result, goal), printed as a Markdown table. */
final class BenchTable {

    private final Map<String, String[]> rows = new LinkedHashMap<>();

    void put(String name, String[] resultAndGoal) {
        rows.put(name, resultAndGoal);
    }

    void row(String name, long[] p, String goal) {
        rows.put(name, new String[]{"p50 " + ms(p[0]) + " · p95 " + ms(p[1]), goal});
    }

    /** p50, p95, p99 of nanosecond samples. */
    static long[] percentiles(List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new long[]{at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99)};
    }

    private static long at(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String ms(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    void print(PrintStream out) {
        out.println();
        out.println("| 측정 | 결과 | 목표 |");
        out.println("| --- | --- | --- |");
        rows.forEach((name, v) -> out.println("| " + name + " | " + v[0] + " | " + v[1] + " |"));
    }
}
