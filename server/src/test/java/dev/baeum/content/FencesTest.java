package dev.baeum.content;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FencesTest {

    private final MarkdownRenderer renderer = new MarkdownRenderer();

    @Test
    void readsKindOptionsBodyAndLines() {
        List<Fences.Fence> fences = Fences.all(renderer.parse(
                "intro\n\n```Check timeout=30s node=web user=root passes-fresh\ntest -f x\n```\n\n~~~solution action=reset\n~~~\n"));
        assertEquals(2, fences.size());
        Fences.Fence check = fences.get(0);
        assertEquals("check", check.kind());
        assertEquals(Map.of("timeout", "30s", "node", "web", "user", "root", "passes-fresh", ""), check.options());
        assertTrue(check.flag("passes-fresh"));
        assertEquals("test -f x\n", check.body());
        assertEquals(3, check.line());
        assertEquals(5, check.endLine());
        assertTrue(check.closed());
        Fences.Fence solution = fences.get(1);
        assertEquals("reset", solution.options().get("action"));
        assertEquals("", solution.body());
        assertEquals(7, solution.line());
        assertEquals(8, solution.endLine());
    }

    @Test
    void aFenceInsideAQuoteOrListIsStillAFence() {
        List<Fences.Fence> fences = Fences.all(renderer.parse("> ```bash\n> echo a\n> ```\n\n- item\n\n  ```hint\n  b\n  ```\n"));
        assertEquals(List.of("bash", "hint"), fences.stream().map(Fences.Fence::kind).toList());
        assertTrue(fences.stream().allMatch(Fences.Fence::closed));
        assertEquals(List.of(), Fences.unclosed(Path.of("a.md"), renderer.parse("> ```bash\n> echo a\n> ```\n")));
    }

    @Test
    void anUnclosedFenceIsOneProblemAtItsOpeningLine() {
        List<ContentProblem> problems = Fences.unclosed(Path.of("a.md"),
                renderer.parse("# t\n\n```bash\nok\n```\n\n~~~~python\nprint(1)\n```\n"));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(7, problems.get(0).line());
        assertEquals(ContentProblem.Code.UNCLOSED_FENCE, problems.get(0).code());
        assertTrue(problems.get(0).message().contains("~~~~"), problems.get(0).message());
    }

    @Test
    void inlineTripleBackticksAreNotAFence() {
        assertFalse(Fences.all(renderer.parse("text ```a``` more\n")).iterator().hasNext());
        assertEquals(List.of(), Fences.unclosed(Path.of("a.md"), renderer.parse("```a``` more\n")));
    }
}
