package dev.baeum.content.lesson;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.FrontMatter;
import dev.baeum.content.LessonFiles;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.Rendered;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads one lesson file into a {@link Lesson}; whatever is wrong becomes a problem, never an exception. */
final class LessonLoader {

    /** Keys we use, plus keys common in blog front matter that we accept and ignore. */
    private static final Set<String> KNOWN_KEYS = Set.of("title", "order", "summary", "description", "labs",
            "references", "author", "date", "categories", "tags", "math", "mermaid", "toc", "layout", "image");

    private final MarkdownRenderer renderer;

    LessonLoader(MarkdownRenderer renderer) {
        this.renderer = renderer;
    }

    Lesson load(Path root, Path file) {
        String name = file.getFileName().toString();
        String slug = LessonFiles.slug(name);
        int order = LessonFiles.order(name);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            return broken(file, slug, order, name, "UTF-8로 읽을 수 없는 파일입니다. UTF-8로 저장해 주세요.");
        } catch (IOException e) {
            return broken(file, slug, order, name, "파일을 읽을 수 없습니다: " + e.getMessage());
        }
        try {
            return parse(root, file, slug, order, text);
        } catch (RuntimeException e) {
            return broken(file, slug, order, name, "레슨을 처리하지 못했습니다: " + e);
        }
    }

    private Lesson parse(Path root, Path file, String slug, int order, String text) {
        FrontMatter front = FrontMatter.parse(file, text);
        List<ContentProblem> problems = new ArrayList<>(front.problems());
        JsonNode data = front.data();
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) {
                problems.add(ContentProblem.warning(file, FrontMatter.lineOf(text, key), ContentProblem.Code.UNKNOWN_KEY,
                        "앞부분에 알 수 없는 키 '" + key + "'가 있습니다 (무시됨)."));
            }
        }
        if (data.has("order")) {
            if (data.get("order").canConvertToInt() && data.get("order").isIntegralNumber()) {
                order = data.get("order").asInt();
            } else {
                problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "order"), ContentProblem.Code.BAD_VALUE,
                        "order는 정수여야 합니다: " + data.get("order").asText()));
            }
        }
        List<String> labs = new ArrayList<>();
        JsonNode labsNode = data.get("labs");
        if (labsNode != null && !labsNode.isNull()) {
            if (labsNode.isArray()) {
                labsNode.forEach(n -> labs.add(n.asText().trim()));
            } else if (labsNode.isTextual()) {
                labs.add(labsNode.asText().trim());
            } else {
                problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "labs"), ContentProblem.Code.BAD_VALUE,
                        "labs는 실습 id 목록이어야 합니다 (예: labs: [process-isolation])."));
            }
        }
        List<Lesson.Reference> references = new ArrayList<>();
        JsonNode refs = data.get("references");
        if (refs != null && !refs.isNull()) {
            if (!refs.isArray()) {
                problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "references"), ContentProblem.Code.BAD_VALUE,
                        "references는 '- title: ..., url: ...' 목록이어야 합니다."));
            } else {
                for (JsonNode ref : refs) {
                    String url = ref.isTextual() ? ref.asText() : ref.path("url").asText("");
                    String title = ref.isTextual() ? url : ref.path("title").asText(url);
                    if (!url.startsWith("http://") && !url.startsWith("https://")) {
                        problems.add(ContentProblem.error(file, FrontMatter.lineOf(text, "references"), ContentProblem.Code.BAD_VALUE,
                                "참고 자료 주소는 http(s)로 시작해야 합니다: " + url));
                    } else {
                        references.add(new Lesson.Reference(title, url));
                    }
                }
            }
        }
        Rendered rendered = renderer.render(new MarkdownRenderer.Source(file, front.body(), root,
                "/lessons/files/", true, true));
        problems.addAll(rendered.problems());

        String title = front.text("title");
        if (title == null || title.isBlank()) {
            title = rendered.firstHeading() != null && !rendered.firstHeading().isBlank()
                    ? rendered.firstHeading()
                    : LessonFiles.stripExtension(file.getFileName().toString());
        }
        String summary = front.text("summary");
        if (summary == null) {
            summary = front.text("description");
        }
        return new Lesson(slug, file, order, title.strip(), summary == null ? "" : summary.strip(),
                List.copyOf(labs), List.copyOf(references), rendered, List.copyOf(problems));
    }

    private static Lesson broken(Path file, String slug, int order, String name, String message) {
        return new Lesson(slug, file, order, LessonFiles.stripExtension(name), "", List.of(), List.of(),
                new Rendered(List.of(), List.of(), List.of(), List.of(), null, 0),
                List.of(ContentProblem.error(file, 1, ContentProblem.Code.UNREADABLE, message)));
    }
}
