package dev.baeum.runtime.engine.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile the way the classic builder does (parser directives, the escape character, line
 * continuations, comments) to find what makes the engine reach outside the build: the images named by
 * {@code FROM} and {@code COPY --from} (which would be pulled from a registry if missing) and {@code ADD}
 * sources that are URLs (which the engine itself would fetch). Image names are resolved in the learner's
 * namespace and written back literally, so the engine builds exactly what was checked; ADD may only take
 * files from the build context.
 */
final class Dockerfiles {

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern ARG = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?");

    /** A logical instruction: its physical lines and its text with continuations joined. */
    record Instruction(int firstLine, int lastLine, String keyword, String args) {
    }

    /** How image names resolve: to the literal the engine should see, or null when the image is not there. */
    interface Images {
        String resolve(String learnerRef);
    }

    private Dockerfiles() {
    }

    static List<Instruction> parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        char escape = '\\';
        int i = 0;
        Set<String> seen = new HashSet<>();
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                break;
            }
            if (name.equals("escape")) {
                String value = m.group(2);
                if (!value.equals("\\") && !value.equals("`")) {
                    throw Refusal.badRequest("Dockerfile 의 escape 지시어는 \\ 또는 ` 만 쓸 수 있습니다: " + value);
                }
                escape = value.charAt(0);
            }
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        int first = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String trimmed = line.strip();
            if (current == null) {
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                current = new StringBuilder();
                first = n;
            } else if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue; // comments and empty lines inside a continuation are skipped, as the builder does
            }
            String body = stripTrailing(line);
            if (!body.isEmpty() && body.charAt(body.length() - 1) == escape) {
                current.append(body, 0, body.length() - 1);
                continue;
            }
            current.append(body);
            out.add(instruction(first, n, current.toString()));
            current = null;
        }
        if (current != null) {
            out.add(instruction(first, lines.length - 1, current.toString()));
        }
        return out;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static Instruction instruction(int first, int last, String text) {
        String t = text.strip();
        int space = indexOfSpace(t);
        String keyword = (space < 0 ? t : t.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : t.substring(space).strip();
        return new Instruction(first, last, keyword, args);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks and rewrites a Dockerfile; returns the text to build, or the original when nothing needed
     * changing. Line numbers are kept, so the builder's messages still point at the learner's lines.
     */
    private static final Set<String> INSTRUCTIONS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
            "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

    static String rewrite(String text, Map<String, String> buildArgs, Images images) {
        List<Instruction> instructions = parse(text);
        String[] lines = text.split("\r?\n", -1);
        Map<String, String> metaArgs = new HashMap<>();
        Set<String> stages = new HashSet<>();
        boolean seenFrom = false;
        boolean changed = false;
        int stageCount = 0;
        for (Instruction ins : instructions) {
            if (!INSTRUCTIONS.contains(ins.keyword())) {
                // The engine's own words, so a learner can look the message up; checked here before anything is built.
                throw Refusal.badRequest("dockerfile parse error line " + (ins.firstLine() + 1) + ": unknown instruction: "
                        + ins.keyword());
            }
            String replacement = null;
            switch (ins.keyword()) {
                case "ARG" -> {
                    if (!seenFrom) {
                        for (String word : ins.args().split("\\s+")) {
                            Matcher m = ARG.matcher(word);
                            if (m.matches()) {
                                String value = buildArgs.containsKey(m.group(1)) ? buildArgs.get(m.group(1))
                                        : m.group(2) == null ? null : unquote(m.group(2));
                                metaArgs.put(m.group(1), value);
                            }
                        }
                    }
                }
                case "FROM" -> {
                    seenFrom = true;
                    replacement = from(ins, metaArgs, stages, images);
                    stageCount++;
                }
                case "COPY", "ADD" -> replacement = copy(ins, ins.keyword(), stages, stageCount, images);
                case "ONBUILD" -> {
                    Instruction inner = instruction(ins.firstLine(), ins.lastLine(), ins.args());
                    if (inner.keyword().equals("ADD") || inner.keyword().equals("COPY")) {
                        String rewritten = copy(inner, inner.keyword(), Set.of(), 0, images);
                        if (rewritten != null) {
                            replacement = "ONBUILD " + rewritten;
                        }
                    } else if (inner.keyword().equals("FROM") || inner.keyword().equals("ONBUILD")) {
                        throw Refusal.badRequest("ONBUILD 에는 FROM 이나 ONBUILD 를 쓸 수 없습니다.");
                    }
                }
                default -> {
                }
            }
            if (replacement != null) {
                changed = true;
                lines[ins.firstLine()] = replacement;
                for (int n = ins.firstLine() + 1; n <= ins.lastLine(); n++) {
                    lines[n] = "";
                }
            }
        }
        if (!seenFrom) {
            throw Refusal.badRequest("Dockerfile 에 FROM 이 없습니다. 첫 명령(ARG 다음)은 FROM 이어야 합니다.");
        }
        return changed ? String.join("\n", lines) : text;
    }

    /** FROM [--platform=…] image [AS name]: the image resolved and written literally. */
    private static String from(Instruction ins, Map<String, String> metaArgs, Set<String> stages, Images images) {
        List<String> words = new ArrayList<>(List.of(ins.args().split("\\s+")));
        words.removeIf(w -> w.toLowerCase(Locale.ROOT).startsWith("--platform="));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw Refusal.badRequest("FROM 다음에 이미지 이름이 필요합니다 (" + (ins.firstLine() + 1) + "번째 줄).");
        }
        if (words.get(0).startsWith("--")) {
            throw Refusal.badRequest("FROM 의 옵션 " + words.get(0) + " 은(는) 쓸 수 없습니다.");
        }
        String alias = null;
        if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
            alias = words.get(2).toLowerCase(Locale.ROOT);
        } else if (words.size() != 1) {
            throw Refusal.badRequest("FROM 형식이 올바르지 않습니다: FROM 이미지 [AS 이름] (" + (ins.firstLine() + 1) + "번째 줄)");
        }
        String image = expand(words.get(0), metaArgs, ins);
        String resolved;
        if (image.equalsIgnoreCase("scratch")) {
            resolved = "scratch";
        } else if (stages.contains(image.toLowerCase(Locale.ROOT))) {
            resolved = image;
        } else {
            resolved = images.resolve(image);
            if (resolved == null) {
                throw Refusal.notFound("FROM 의 이미지 '" + image + "' 을(를) 찾을 수 없습니다 (" + (ins.firstLine() + 1)
                        + "번째 줄). 이 실습 환경에서는 미리 준비된 이미지와 이 세션에서 만든 이미지만 쓸 수 있습니다 (docker images 로 확인).");
            }
        }
        if (alias != null) {
            stages.add(alias);
        }
        return "FROM " + resolved + (alias == null ? "" : " AS " + alias);
    }

    /** COPY/ADD: --from names a stage or an image; ADD takes only files from the build context. */
    private static String copy(Instruction ins, String keyword, Set<String> stages, int stageCount, Images images) {
        String args = ins.args();
        List<String> flags = new ArrayList<>();
        String rest = args;
        while (rest.startsWith("--")) {
            int space = indexOfSpace(rest);
            String flag = space < 0 ? rest : rest.substring(0, space);
            flags.add(flag);
            rest = space < 0 ? "" : rest.substring(space).strip();
        }
        if (keyword.equals("ADD")) {
            for (String source : sources(rest)) {
                if (source.contains("://") || source.startsWith("git@") || source.contains("$")) {
                    throw Refusal.forbidden("ADD 는 빌드 컨텍스트의 파일만 쓸 수 있습니다 (" + (ins.firstLine() + 1)
                            + "번째 줄: " + source + "). 이 실습 환경의 빌드는 인터넷에 연결되지 않습니다.");
                }
            }
        }
        boolean changed = false;
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            if (flag.toLowerCase(Locale.ROOT).startsWith("--from=")) {
                String from = flag.substring("--from=".length());
                if (from.contains("$")) {
                    throw Refusal.badRequest("COPY --from 에는 변수를 쓸 수 없습니다 (" + (ins.firstLine() + 1) + "번째 줄).");
                }
                if (stages.contains(from.toLowerCase(Locale.ROOT)) || from.matches("[0-9]+") && Integer.parseInt(from) < stageCount) {
                    continue;
                }
                String resolved = images.resolve(from);
                if (resolved == null) {
                    throw Refusal.notFound("COPY --from 의 '" + from + "' 은(는) 앞선 단계 이름도, 이 세션에서 쓸 수 있는 이미지도 아닙니다 ("
                            + (ins.firstLine() + 1) + "번째 줄).");
                }
                flags.set(i, "--from=" + resolved);
                changed = true;
            }
        }
        return changed ? keyword + " " + String.join(" ", flags) + " " + rest : null;
    }

    /** The sources of COPY/ADD (all words but the last), in either the JSON or the shell form. */
    private static List<String> sources(String rest) {
        List<String> words = new ArrayList<>();
        if (rest.startsWith("[")) {
            Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(rest);
            while (m.find()) {
                words.add(m.group(1));
            }
        } else {
            words.addAll(List.of(rest.split("\\s+")));
        }
        return words.size() <= 1 ? List.of() : words.subList(0, words.size() - 1);
    }

    /** $NAME, ${NAME}, ${NAME:-default} and ${NAME:+alternative}, from the ARGs declared before the first FROM. */
    static String expand(String word, Map<String, String> args, Instruction ins) {
        if (word.indexOf('\\') >= 0 || word.indexOf('`') >= 0 || word.indexOf('"') >= 0 || word.indexOf('\'') >= 0) {
            throw Refusal.badRequest("FROM 의 이미지 이름에는 따옴표나 이스케이프를 쓸 수 없습니다 (" + (ins.firstLine() + 1) + "번째 줄).");
        }
        Function<String, String> value = name -> args.get(name);
        Matcher m = VARIABLE.matcher(word);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(word, last, m.start());
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String v = value.apply(name);
            String op = m.group(2);
            if (op == null) {
                out.append(v == null ? "" : v);
            } else {
                boolean set = op.startsWith(":") ? v != null && !v.isEmpty() : v != null;
                if (op.endsWith("-")) {
                    out.append(set ? v : m.group(3));
                } else {
                    out.append(set ? m.group(3) : "");
                }
            }
            last = m.end();
        }
        out.append(word.substring(last));
        String result = out.toString();
        if (result.contains("$")) {
            throw Refusal.badRequest("FROM 의 변수를 풀 수 없습니다: " + word + " (" + (ins.firstLine() + 1) + "번째 줄)");
        }
        return result;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
