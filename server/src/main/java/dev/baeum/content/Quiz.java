package dev.baeum.content;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A question inside a lesson. The correct answer stays on the server: pages render only the question,
 * the choices and, once answered, the explanation.
 */
public record Quiz(String id, Kind kind, String questionHtml, List<String> choicesHtml,
                   Set<Integer> correctChoices, List<String> acceptedAnswers, String explanationHtml, int line) {

    public enum Kind { SINGLE, MULTIPLE, SHORT }

    public record Result(boolean correct, String shownAnswer) {
    }

    /**
     * Checks submitted values: choice numbers (1-based) for multiple choice, free text for short answers.
     */
    public Result check(List<String> submitted) {
        return switch (kind) {
            case SHORT -> {
                String given = submitted.isEmpty() ? "" : submitted.get(0);
                String normalized = normalize(given);
                boolean ok = !normalized.isEmpty()
                        && acceptedAnswers.stream().anyMatch(a -> normalize(a).equals(normalized));
                yield new Result(ok, given.strip());
            }
            case SINGLE, MULTIPLE -> {
                Set<Integer> chosen = new TreeSet<>();
                for (String s : submitted) {
                    try {
                        int n = Integer.parseInt(s.trim());
                        if (n >= 1 && n <= choicesHtml.size()) {
                            chosen.add(n);
                        }
                    } catch (NumberFormatException ignored) {
                        // not a choice number: ignored, so it cannot count as correct
                    }
                }
                boolean ok = !chosen.isEmpty() && chosen.equals(new TreeSet<>(correctChoices))
                        && (kind == Kind.MULTIPLE || chosen.size() == 1);
                yield new Result(ok, String.join(",", chosen.stream().map(String::valueOf).toList()));
            }
        };
    }

    /** Short answers match ignoring case, surrounding space, repeated spaces and a final period. */
    static String normalize(String s) {
        String n = Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFC).strip()
                .toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        while (n.endsWith(".") || n.endsWith("。")) {
            n = n.substring(0, n.length() - 1).strip();
        }
        return n;
    }
}
