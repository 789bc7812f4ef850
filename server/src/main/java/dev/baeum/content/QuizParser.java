package dev.baeum.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads a {@code ```quiz} block: YAML with {@code question}, optional {@code choices}, {@code answer}
 * and {@code explanation}. With choices it is multiple choice (answer = choice number, or a list of them
 * for several correct choices); without, a short answer (answer = accepted text, or a list).
 */
final class QuizParser {

    private static final Set<String> KEYS = Set.of("id", "question", "choices", "answer", "explanation", "multiple");

    record Parsed(Quiz quiz, List<ContentProblem> problems) {
    }

    private QuizParser() {
    }

    /**
     * @param fenceLine the 1-based line of the opening fence; YAML line n is fenceLine + n
     * @param inline renders a Markdown snippet to safe HTML
     */
    static Parsed parse(Path file, int fenceLine, String yaml, String defaultId, UnaryOperator<String> inline) {
        List<ContentProblem> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = Yaml.MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            problems.add(bad(file, fenceLine + line,
                    "퀴즈 YAML을 읽을 수 없습니다: " + FrontMatter.firstLine(e.getOriginalMessage())));
            return new Parsed(null, problems);
        }
        if (root == null || !root.isObject()) {
            problems.add(bad(file, fenceLine, "퀴즈 블록은 'question:', 'answer:' 같은 키를 가진 YAML이어야 합니다."));
            return new Parsed(null, problems);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add(ContentProblem.warning(file, fenceLine + lineOf(yaml, key), ContentProblem.Code.UNKNOWN_KEY,
                        "퀴즈에 알 수 없는 키 '" + key + "'가 있습니다 (쓸 수 있는 키: " + String.join(", ", KEYS) + ")."));
            }
        }
        String id = root.hasNonNull("id") ? root.get("id").asText().trim() : defaultId;
        if (!id.matches("[A-Za-z0-9_-]{1,100}")) {
            problems.add(bad(file, fenceLine + lineOf(yaml, "id"),
                    "퀴즈 id '" + id + "'에는 영문, 숫자, '-', '_'만 쓸 수 있습니다."));
            return new Parsed(null, problems);
        }
        String question = root.hasNonNull("question") ? root.get("question").asText().trim() : "";
        if (question.isEmpty()) {
            problems.add(bad(file, fenceLine, "퀴즈 '" + id + "'에 question(질문)이 없습니다."));
        }
        JsonNode answer = root.get("answer");
        if (answer == null || answer.isNull() || (answer.isTextual() && answer.asText().isBlank())
                || (answer.isArray() && answer.isEmpty())) {
            problems.add(bad(file, fenceLine, "퀴즈 '" + id + "'에 answer(정답)가 없습니다."));
        }
        String explanation = root.hasNonNull("explanation") ? root.get("explanation").asText().trim() : "";
        List<String> choices = new ArrayList<>();
        JsonNode choicesNode = root.get("choices");
        if (choicesNode != null && !choicesNode.isNull()) {
            if (!choicesNode.isArray() || choicesNode.size() < 2) {
                problems.add(bad(file, fenceLine + lineOf(yaml, "choices"),
                        "퀴즈 '" + id + "'의 choices는 두 개 이상의 보기 목록이어야 합니다."));
            } else {
                choicesNode.forEach(c -> choices.add(c.asText()));
            }
        }
        if (problems.stream().anyMatch(ContentProblem::isError)) {
            return new Parsed(null, problems);
        }

        Set<Integer> correct = new LinkedHashSet<>();
        List<String> accepted = new ArrayList<>();
        Quiz.Kind kind;
        if (choices.isEmpty()) {
            kind = Quiz.Kind.SHORT;
            if (answer.isArray()) {
                answer.forEach(a -> accepted.add(a.asText()));
            } else {
                accepted.add(answer.asText());
            }
        } else {
            List<JsonNode> values = new ArrayList<>();
            if (answer.isArray()) {
                answer.forEach(values::add);
            } else {
                values.add(answer);
            }
            for (JsonNode v : values) {
                int n = v.canConvertToInt() ? v.asInt() : -1;
                if (!v.isIntegralNumber() && v.isTextual()) {
                    n = parseIntOr(v.asText(), -1);
                }
                if (n < 1 || n > choices.size()) {
                    problems.add(bad(file, fenceLine + lineOf(yaml, "answer"),
                            "퀴즈 '" + id + "'의 answer는 보기 번호(1~" + choices.size() + ")여야 합니다: " + v.asText()));
                } else {
                    correct.add(n);
                }
            }
            boolean multiple = root.path("multiple").asBoolean(false) || correct.size() > 1;
            kind = multiple ? Quiz.Kind.MULTIPLE : Quiz.Kind.SINGLE;
        }
        if (problems.stream().anyMatch(ContentProblem::isError)) {
            return new Parsed(null, problems);
        }
        Quiz quiz = new Quiz(id, kind, inline.apply(question), choices.stream().map(inline).toList(),
                Set.copyOf(correct), List.copyOf(accepted), explanation.isEmpty() ? "" : inline.apply(explanation),
                fenceLine);
        return new Parsed(quiz, problems);
    }

    private static ContentProblem bad(Path file, int line, String message) {
        return ContentProblem.error(file, line, ContentProblem.Code.BAD_QUIZ, message);
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int lineOf(String yaml, String key) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(key + ":")) {
                return i + 1;
            }
        }
        return 1;
    }
}
