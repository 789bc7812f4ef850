package dev.baeum.content;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrontMatterTest {

    private static final Path FILE = Path.of("lesson.md");

    @Test
    void readsTheMapAndKeepsBodyLineNumbers() {
        FrontMatter front = FrontMatter.parse(FILE, "---\ntitle: 제목\norder: 3\n---\n# 본문\n");
        assertTrue(front.problems().isEmpty(), front.problems().toString());
        assertEquals("제목", front.text("title"));
        assertEquals(3, front.data().get("order").asInt());
        assertEquals("\n\n\n\n# 본문\n", front.body(), "the front matter is blanked, not cut");
        assertEquals(3, FrontMatter.lineOf("---\ntitle: a\norder: 3\n---\n", "order"));
        String labs = "---\ntitle: web 실습 안내\nlabs:\n  - first\n  - web\n---\n[web](lab:web)\n";
        assertEquals(5, FrontMatter.lineOf(labs, "labs", "web"), "a list item's own line, not the title that mentions it");
        assertEquals(3, FrontMatter.lineOf(labs, "labs", "gone"), "not written: the key's line");
    }

    @Test
    void badYamlIsAProblemAtItsLine() {
        FrontMatter front = FrontMatter.parse(FILE, "---\ntitle: a\norder: [1, 2\n---\n본문\n");
        assertEquals(1, front.problems().size(), front.problems().toString());
        assertEquals(ContentProblem.Code.BAD_YAML, front.problems().get(0).code());
        assertTrue(front.problems().get(0).line() >= 3, front.problems().toString());
        assertTrue(front.body().endsWith("본문\n"), "the body is still there");
    }

    @Test
    void anUnclosedFrontMatterAndANonMapAreProblems() {
        assertEquals(ContentProblem.Code.UNCLOSED_FRONT_MATTER,
                FrontMatter.parse(FILE, "---\ntitle: a\n\n본문\n").problems().get(0).code());
        FrontMatter list = FrontMatter.parse(FILE, "---\n- a\n- b\n---\n");
        assertEquals(ContentProblem.Code.BAD_YAML, list.problems().get(0).code());
        assertEquals(2, list.problems().get(0).line());
    }

    @Test
    void noFrontMatterIsFine() {
        FrontMatter front = FrontMatter.parse(FILE, "\uFEFF# 제목\r\n본문\r\n");
        assertTrue(front.problems().isEmpty());
        assertTrue(front.data().isNull());
        assertEquals("# 제목\n본문\n", front.body());
    }
}
