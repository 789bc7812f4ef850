package dev.baeum.content;

import java.util.List;

/**
 * A Markdown document turned into safe HTML parts, with what lint needs to know about it.
 *
 * @param links every link and image target with its line, for lint to check
 * @param textLength visible characters, for the reading-time estimate
 */
public record Rendered(List<Part> parts, List<TocEntry> toc, List<LinkRef> links, List<ContentProblem> problems,
                       String firstHeading, int textLength) {

    public record LinkRef(int line, String target, boolean image) {
    }

    public List<Quiz> quizzes() {
        return parts.stream()
                .filter(p -> p instanceof Part.QuizSlot)
                .map(p -> ((Part.QuizSlot) p).quiz())
                .toList();
    }

    /** The parts joined, for places that have no quizzes. */
    public String html() {
        StringBuilder sb = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Part.Html h) {
                sb.append(h.html());
            }
        }
        return sb.toString();
    }
}
