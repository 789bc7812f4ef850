package dev.baeum.content;

import com.vladsch.flexmark.ast.FencedCodeBlock;
import com.vladsch.flexmark.util.ast.Node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one reader of fenced code blocks, for lessons and labs alike: flexmark finds the fences, this reads
 * their info string ({@code check timeout=30s node=web passes-fresh}) and tells which never close.
 */
public final class Fences {

    /**
     * @param kind    the first word of the info string, lower case ({@code check}, {@code quiz}, {@code bash}); "" if none
     * @param options the other words: {@code key=value}, or a flag mapped to ""
     * @param line    1-based line of the opening fence
     * @param endLine 1-based line of the closing fence (the last line of the document when unclosed)
     */
    public record Fence(FencedCodeBlock node, String kind, Map<String, String> options, String body, int line,
                        int endLine, boolean closed) {
        public boolean flag(String name) {
            return options.containsKey(name);
        }
    }

    private Fences() {
    }

    /** Every fenced block in the tree, in document order (also those inside quotes and lists). */
    public static List<Fence> all(Node document) {
        List<Fence> fences = new ArrayList<>();
        for (Node node : document.getDescendants()) {
            if (node instanceof FencedCodeBlock block) {
                fences.add(read(block));
            }
        }
        return fences;
    }

    public static Fence read(FencedCodeBlock block) {
        String info = block.getInfo().toString().strip();
        String[] words = info.isEmpty() ? new String[0] : info.split("\\s+");
        Map<String, String> options = new LinkedHashMap<>();
        for (int w = 1; w < words.length; w++) {
            int eq = words[w].indexOf('=');
            if (eq > 0) {
                options.put(words[w].substring(0, eq), words[w].substring(eq + 1));
            } else {
                options.put(words[w], "");
            }
        }
        boolean closed = !block.getClosingMarker().isEmpty();
        int endLine = closed ? block.getDocument().getLineNumber(block.getClosingMarker().getStartOffset()) + 1
                : block.getEndLineNumber() + 1;
        return new Fence(block, words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT), options,
                block.getContentChars().normalizeEOL(), block.getStartLineNumber() + 1, endLine, closed);
    }

    /** The first word of a fence's info string, lower case. */
    public static String kind(FencedCodeBlock block) {
        String info = block.getInfo().toString().strip();
        int space = info.indexOf(' ');
        return (space < 0 ? info : info.substring(0, space)).toLowerCase(Locale.ROOT);
    }

    /** A fence opened and never closed swallows the rest of its block; CommonMark allows it, lint does not. */
    public static List<ContentProblem> unclosed(Path file, Node document) {
        List<ContentProblem> problems = new ArrayList<>();
        for (Fence fence : all(document)) {
            if (!fence.closed()) {
                problems.add(ContentProblem.error(file, fence.line(), ContentProblem.Code.UNCLOSED_FENCE,
                        "코드 블록(" + fence.node().getOpeningMarker() + ")이 열렸지만 닫히지 않았습니다. 파일 끝까지 코드로 보입니다."));
            }
        }
        return problems;
    }
}
