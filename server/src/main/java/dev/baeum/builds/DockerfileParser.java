package dev.baeum.builds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a Dockerfile into instructions: comments and blank lines dropped, backslash continuations
 * joined (the instruction keeps its first line number), exec-form JSON arrays recognised.
 */
public final class DockerfileParser {

    public static final Set<String> SUPPORTED = Set.of("FROM", "RUN", "COPY", "ADD", "WORKDIR", "ENV", "ARG", "USER",
            "CMD", "ENTRYPOINT", "EXPOSE", "LABEL");
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("SHELL", "VOLUME", "HEALTHCHECK", "ONBUILD",
            "STOPSIGNAL", "MAINTAINER");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Parsed(List<Instruction> instructions, List<BuildProblem> problems) {
    }

    private DockerfileParser() {
    }

    public static Parsed parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        List<BuildProblem> problems = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue; // comment lines inside a continuation are dropped, as Docker does
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = line.stripTrailing().endsWith("\\");
            String content = continues ? line.stripTrailing().substring(0, line.stripTrailing().length() - 1) : line;
            current.append(content).append(continues ? " " : "");
            if (!continues) {
                add(instructions, problems, start, current.toString().strip());
                current = null;
            }
        }
        if (current != null) {
            add(instructions, problems, start, current.toString().strip());
        }
        return new Parsed(instructions, problems);
    }

    private static void add(List<Instruction> out, List<BuildProblem> problems, int line, String text) {
        if (text.isEmpty()) {
            return;
        }
        int space = indexOfWhitespace(text);
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : text.substring(space).strip();
        if (KNOWN_UNSUPPORTED.contains(keyword)) {
            problems.add(new BuildProblem(line, "'" + keyword + "' 명령은 이 실습의 빌더에서 쓸 수 없습니다. "
                    + "FROM, RUN, COPY, WORKDIR, ENV, ARG, USER, CMD, ENTRYPOINT, EXPOSE, LABEL 을 써 주세요."));
            return;
        }
        if (!SUPPORTED.contains(keyword)) {
            problems.add(new BuildProblem(line, "알 수 없는 명령어 '" + keyword + "'입니다. Dockerfile의 각 줄은 "
                    + "FROM, RUN, COPY 같은 명령어로 시작해야 합니다."));
            return;
        }
        if (args.isEmpty()) {
            problems.add(new BuildProblem(line, keyword + " 뒤에 내용이 없습니다."));
            return;
        }
        out.add(new Instruction(line, keyword, args, execForm(args)));
    }

    /** {@code ["a", "b"]} → [a, b]; anything that is not a JSON array of strings is shell form (null). */
    static List<String> execForm(String args) {
        if (!args.startsWith("[")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(args);
            if (!node.isArray()) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    return null;
                }
                parts.add(n.asText());
            }
            return parts;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
