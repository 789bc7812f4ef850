package dev.baeum.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Optional YAML front matter between {@code ---} lines at the top of a Markdown file. The body keeps its
 * original line numbers (the front matter is blanked, not cut) so every problem points at the right line.
 */
public final class FrontMatter {

    private final JsonNode data;
    private final String body;
    private final List<ContentProblem> problems;

    private FrontMatter(JsonNode data, String body, List<ContentProblem> problems) {
        this.data = data;
        this.body = body;
        this.problems = problems;
    }

    public static FrontMatter parse(Path file, String text) {
        List<ContentProblem> problems = new ArrayList<>();
        String normalized = text.replace("\r\n", "\n");
        if (normalized.startsWith("\uFEFF")) {
            normalized = normalized.substring(1);
        }
        String[] lines = normalized.split("\n", -1);
        if (lines.length == 0 || !lines[0].trim().equals("---")) {
            return new FrontMatter(NullNode.getInstance(), normalized, problems);
        }
        int close = -1;
        for (int i = 1; i < lines.length; i++) {
            String t = lines[i].trim();
            if (t.equals("---") || t.equals("...")) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            problems.add(ContentProblem.error(file, 1, ContentProblem.Code.UNCLOSED_FRONT_MATTER,
                    "앞부분(front matter)이 '---'로 시작했지만 닫는 '---' 줄이 없습니다."));
            return new FrontMatter(NullNode.getInstance(), normalized, problems);
        }
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i < close; i++) {
            yaml.append(lines[i]).append('\n');
        }
        JsonNode data = NullNode.getInstance();
        try {
            JsonNode parsed = Yaml.MAPPER.readTree(yaml.toString());
            if (parsed != null && !parsed.isMissingNode() && !parsed.isNull()) {
                if (parsed.isObject()) {
                    data = parsed;
                } else {
                    problems.add(ContentProblem.error(file, 2, ContentProblem.Code.BAD_YAML,
                            "앞부분(front matter)은 '키: 값' 형태의 YAML 맵이어야 합니다."));
                }
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            problems.add(ContentProblem.error(file, 1 + Math.max(line, 1), ContentProblem.Code.BAD_YAML,
                    "앞부분(front matter) YAML을 읽을 수 없습니다: " + firstLine(e.getOriginalMessage())));
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > close) {
                body.append(lines[i]);
            }
            if (i < lines.length - 1) {
                body.append('\n');
            }
        }
        return new FrontMatter(data, body.toString(), problems);
    }

    /** The YAML map, or a null node when there is none. */
    public JsonNode data() {
        return data;
    }

    /** The Markdown after the front matter, with blank lines in its place. */
    public String body() {
        return body;
    }

    public List<ContentProblem> problems() {
        return problems;
    }

    public String text(String key) {
        JsonNode node = data.get(key);
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /** The line where a key is written, for messages; 1 when it cannot be found. */
    public static int lineOf(String text, String key) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(key + ":")) {
                return i + 1;
            }
            if (i > 0 && lines[i].trim().equals("---")) {
                break;
            }
        }
        return 1;
    }

    /** The line of the front matter where {@code value} is written under {@code key} (a list item); else the key's line. */
    public static int lineOf(String text, String key, String value) {
        int keyLine = lineOf(text, key);
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = keyLine - 1; i < lines.length; i++) {
            if (i > 0 && lines[i].trim().equals("---")) {
                break;
            }
            if (lines[i].contains(value)) {
                return i + 1;
            }
        }
        return keyLine;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
