package dev.baeum.content.lab;

import dev.baeum.content.ContentProblem.Code;
import dev.baeum.content.ContentProblem;
import dev.baeum.content.MarkdownRenderer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab format of labs/README.md, read without a server or Docker. */
class LabParserTest {

    private static final String LAB = """
            ---
            nodes: [web, db]
            limits: {memory: 256m, pids: 64}
            time_limit: 45m
            ---

            # 두 노드 실습

            소개입니다.

            ```setup node=db
            touch /tmp/ready
            ```

            ## 웹 서버 띄우기 {#web-up}

            ```bash
            ## 이건 코드 안의 줄이라 섹션이 아닙니다
            ```

            ```check node=web timeout=30s user=root passes-fresh
            test -f /srv/index.html
            ```

            ```hint
            `nginx`를 쓰세요.
            ```

            ```solution node=web
            touch /srv/index.html
            ```

            ```solution node=db
            touch /tmp/db
            ```

            ## 참고

            설명만 있는 섹션입니다.

            ## 처음부터 다시

            ```check
            test ! -f /tmp/x
            ```

            ```solution action=reset
            ```
            """;

    private static Lab parse(String markdown) throws Exception {
        Path labs = Files.createTempDirectory("labs");
        Path dir = Files.createDirectories(labs.resolve("two-nodes"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian:bookworm-slim\n");
        Files.writeString(dir.resolve("lab.md"), markdown);
        return new LabParser(new MarkdownRenderer()).parse(labs, dir);
    }

    @Test
    void readsSectionsTasksAndBlocks() throws Exception {
        Lab lab = parse(LAB);
        assertTrue(lab.problems().isEmpty(), lab.problems().toString());
        assertEquals("두 노드 실습", lab.title());
        assertEquals(List.of("web", "db"), lab.nodes());
        assertEquals(new Lab.Limits(256L << 20, null, 64), lab.limits());
        assertEquals(Duration.ofMinutes(45), lab.timeLimit());
        assertEquals("lab-two-nodes", lab.image().name());
        assertFalse(lab.introHtml().contains("두 노드 실습"), "the title heading is not repeated in the intro");
        assertTrue(lab.introHtml().contains("소개입니다"));
        assertEquals(1, lab.setup().size());
        assertEquals("db", lab.setup().get(0).node());
        assertEquals(11, lab.setup().get(0).line());

        assertEquals(List.of("web-up", "section-2", "task-2"), lab.sections().stream().map(Lab.Section::id).toList());
        assertEquals(List.of("웹 서버 띄우기", "참고", "처음부터 다시"), lab.sections().stream().map(Lab.Section::title).toList());
        assertEquals(15, lab.sections().get(0).line());
        assertTrue(lab.sections().get(0).html().contains("## 이건 코드 안의 줄"), "a heading inside a fence stays code");
        assertFalse(lab.sections().get(0).html().contains("test -f /srv/index.html"), "check blocks are not shown");

        Lab.Task web = lab.task("web-up").orElseThrow();
        Lab.Script check = web.checks().get(0);
        assertEquals("test -f /srv/index.html\n", check.body());
        assertEquals("web", check.node());
        assertEquals("root", check.user());
        assertEquals(Duration.ofSeconds(30), check.timeout());
        assertEquals(21, check.line());
        assertTrue(web.passesFresh());
        assertEquals(List.of("<code>nginx</code>를 쓰세요."), web.hintsHtml());
        assertEquals(List.of("web", "db"), web.solutions().stream().map(Lab.Script::node).toList());
        assertNull(web.solutionAction());

        Lab.Task reset = lab.task("task-2").orElseThrow();
        assertEquals("reset", reset.solutionAction());
        assertEquals("web", reset.checks().get(0).node(), "a block without node= runs on the first node");
    }

    @Test
    void mistakesAreProblemsAtTheirLines() throws Exception {
        Lab lab = parse("""
                ---
                title: 틀린 실습
                nodes: [web]
                docker: maybe
                title2: x
                ---

                ## 과제 {#terminal}

                ```check node=db timeout=soon
                true
                ```

                ## 설명

                ```solution
                echo 과제가 아닌 곳의 풀이
                ```
                """);
        List<String> found = lab.problems().stream().map(p -> p.line() + " " + p.code()).sorted().toList();
        assertEquals(List.of("10 BAD_VALUE", "10 UNKNOWN_NODE", "16 MISPLACED_BLOCK", "4 BAD_VALUE", "5 UNKNOWN_KEY",
                "8 BAD_ID", "8 MISSING_SOLUTION"), found, lab.problems().toString());
        assertTrue(lab.problems().stream().filter(ContentProblem::isError).allMatch(p -> !p.message().isBlank()));
    }

    @Test
    void aValueOfTheWrongShapeIsReportedNotThrown() throws Exception {
        Lab lab = parse("---\ntitle: [목록, 제목]\nnetwork: bridge\n---\n\n## 과제\n\n```check\ntrue\n```\n\n```solution\ntrue\n```\n");
        assertEquals(List.of("2 BAD_VALUE"), lab.problems().stream().map(p -> p.line() + " " + p.code()).toList());
        assertTrue(lab.network(), "the other keys still count");
        assertEquals("two-nodes", lab.title(), "no usable title: the folder name");
    }

    @Test
    void anUnclosedFenceIsReportedOnceAtItsOpeningLine() throws Exception {
        Lab lab = parse("## 과제\n\n```check\ntrue\n```\n\n```solution\ntrue\n```\n\n```bash\necho 끝\n");
        List<ContentProblem> unclosed = lab.problems().stream().filter(p -> p.code() == Code.UNCLOSED_FENCE).toList();
        assertEquals(1, unclosed.size(), lab.problems().toString());
        assertEquals(11, unclosed.get(0).line());
    }
}
