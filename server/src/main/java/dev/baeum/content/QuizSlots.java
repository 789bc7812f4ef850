package dev.baeum.content;

import com.vladsch.flexmark.util.ast.Node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Quizzes in a document: read from {@code quiz} fences, rendered as slots, and the HTML cut at those slots. */
final class QuizSlots {

    private static final Pattern SLOT = Pattern.compile("<div data-baeum-slot=\"(\\d+)\"></div>");

    private QuizSlots() {
    }

    static String slot(int line) {
        return "<div data-baeum-slot=\"" + line + "\"></div>";
    }

    /** The document's well-formed quizzes by fence line; problems of the others go to {@code problems}. */
    static Map<Integer, Quiz> parse(Path file, Node document, UnaryOperator<String> inline, List<ContentProblem> problems) {
        Map<Integer, Quiz> quizzes = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        int n = 0;
        for (Fences.Fence fence : Fences.all(document)) {
            if (!fence.kind().equals("quiz")) {
                continue;
            }
            n++;
            QuizParser.Parsed parsed = QuizParser.parse(file, fence.line(), fence.body(), "q" + n, inline);
            problems.addAll(parsed.problems());
            if (parsed.quiz() == null) {
                continue;
            }
            if (!ids.add(parsed.quiz().id())) {
                problems.add(ContentProblem.error(file, fence.line(), ContentProblem.Code.DUPLICATE_ID,
                        "퀴즈 id '" + parsed.quiz().id() + "'가 이 문서에 두 번 나옵니다."));
            } else {
                quizzes.put(fence.line(), parsed.quiz());
            }
        }
        return quizzes;
    }

    /** Cuts clean HTML at quiz slots; a slot whose quiz is malformed just disappears (its problem is reported). */
    static List<Part> split(String html, Map<Integer, Quiz> quizzes) {
        List<Part> parts = new ArrayList<>();
        Matcher m = SLOT.matcher(html);
        int last = 0;
        while (m.find()) {
            Quiz quiz = quizzes.get(Integer.parseInt(m.group(1)));
            if (quiz == null) {
                continue;
            }
            if (m.start() > last) {
                parts.add(new Part.Html(html.substring(last, m.start())));
            }
            parts.add(new Part.QuizSlot(quiz));
            last = m.end();
        }
        String rest = SLOT.matcher(html.substring(last)).replaceAll("");
        if (!rest.isBlank()) {
            parts.add(new Part.Html(rest));
        }
        return parts;
    }
}
