package dev.baeum.content.lesson;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.Quiz;
import dev.baeum.content.Rendered;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownRendererTest {

    private final MarkdownRenderer renderer = new MarkdownRenderer();

    private Rendered render(String markdown) throws Exception {
        Path dir = Files.createTempDirectory("md");
        Files.createDirectories(dir.resolve("images"));
        Files.writeString(dir.resolve("images/a.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
        return renderer.render(new MarkdownRenderer.Source(dir.resolve("01-x.md"), markdown, dir, "/lessons/files/", true, true));
    }

    @Test
    void rendersGfmFeatures() throws Exception {
        String html = render("""
                ## 표와 취소선

                | 항목 | VM | 컨테이너 |
                | --- | --- | --- |
                | 속도 | 느림 | 빠름 |

                ~~VM이 빠르다~~

                - [x] 완료
                - [ ] 할 일

                ```bash
                docker run hello-world
                ```
                """).html();
        assertTrue(html.contains("<table>") && html.contains("<td>빠름</td>"), html);
        assertTrue(html.contains("<div class=\"table-wrap\">"), "tables scroll on narrow screens");
        assertTrue(html.contains("<del>VM이 빠르다</del>"), html);
        assertTrue(html.contains("type=\"checkbox\"") && html.contains("checked"), html);
        assertTrue(html.contains("class=\"language-bash\""), html);
    }

    @Test
    void headingsGetAnchorsAndATableOfContents() throws Exception {
        Rendered r = render("# 제목\n\n## 왜 도커인가\n\n### 환경 차이\n\n## 정리\n");
        assertEquals("제목", r.firstHeading());
        assertEquals(3, r.toc().size());
        assertEquals(2, r.toc().get(0).level());
        assertEquals("왜 도커인가", r.toc().get(0).text());
        assertFalse(r.toc().get(0).id().isBlank());
        assertTrue(r.html().contains("id=\"" + r.toc().get(0).id() + "\""));
        assertFalse(r.html().contains("<h1"), "the leading title is shown by the page, not repeated");
    }

    @Test
    void rawHtmlFromTheNotesRendersButScriptsDoNot() throws Exception {
        String html = render("""
                줄<br>바꿈

                <center><img src="images/a.svg" width="450px" onerror="alert(1)"></center>

                <details><summary>더 보기</summary>숨은 내용</details>

                <script>alert('x')</script>

                [클릭](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">링크</a>

                <img src=x onerror=alert(4)>
                """).html();
        assertTrue(html.contains("<br>"), html);
        assertTrue(html.contains("<center>"), html);
        assertTrue(html.contains("<details>") && html.contains("<summary>"), html);
        assertTrue(html.contains("src=\"/lessons/files/images/a.svg\""), "relative images are served beside the lesson: " + html);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.toLowerCase().contains("onerror"), html);
        assertFalse(html.toLowerCase().contains("onclick"), html);
        assertFalse(html.toLowerCase().contains("javascript:"), html);
    }

    @Test
    void calloutsMermaidAndLabLinks() throws Exception {
        String html = render("""
                > [!TIP] 직접 해 보기
                > 터미널에서 확인하세요.

                > [!WARNING]
                > 조심하세요.

                ```mermaid
                graph LR; A-->B
                ```

                [실습](lab:process-isolation) · [다음](02-virtualization.md#intro)
                """).html();
        assertTrue(html.contains("callout callout-tip") && html.contains("직접 해 보기"), html);
        assertTrue(html.contains("callout-warning") && html.contains(">주의<"), html);
        assertTrue(html.contains("<pre class=\"mermaid\">graph LR; A--&gt;B"), html);
        assertTrue(html.contains("href=\"/labs/process-isolation\""), html);
        assertTrue(html.contains("href=\"/lessons/virtualization#intro\""), html);
    }

    @Test
    void aCalloutTitleKeepsItsInlineCode() throws Exception {
        String html = render("""
                > [!NOTE] 이 실습의 `docker compose` 와 `docker-compose`
                > 둘 다 같은 파일을 읽습니다.
                """).html();
        assertTrue(html.contains("<p class=\"callout-title\">이 실습의 <code>docker compose</code> 와 <code>docker-compose</code></p>"), html);
        assertTrue(html.contains("둘 다 같은 파일을 읽습니다."), html);
        assertFalse(html.substring(html.indexOf("</p>")).contains("<code>docker compose</code>"), "the code stays in the title: " + html);
    }

    @Test
    void quizzesBecomeSlotsAndTheAnswerIsNotInTheHtml() throws Exception {
        Rendered r = render("""
                ```quiz
                id: kernel
                question: 컨테이너들이 함께 쓰는 것은?
                choices:
                  - 게스트 OS
                  - 호스트 커널
                answer: 2
                explanation: 비밀 해설
                ```
                """);
        assertEquals(1, r.quizzes().size());
        Quiz quiz = r.quizzes().get(0);
        assertEquals(Quiz.Kind.SINGLE, quiz.kind());
        assertTrue(quiz.check(java.util.List.of("2")).correct());
        assertFalse(quiz.check(java.util.List.of("1")).correct());
        assertFalse(r.html().contains("비밀 해설"), "explanations are sent only after answering");
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @Test
    void shortAnswersMatchLoosely() {
        Quiz quiz = new Quiz("q", Quiz.Kind.SHORT, "", java.util.List.of(), java.util.Set.of(),
                java.util.List.of("커널", "kernel"), "", 1);
        assertTrue(quiz.check(java.util.List.of("  Kernel. ")).correct());
        assertTrue(quiz.check(java.util.List.of("커널")).correct());
        assertFalse(quiz.check(java.util.List.of("")).correct());
    }

    @Test
    void unclosedFencesAndBrokenQuizzesAreReportedWithLines() throws Exception {
        Rendered r = render("첫 줄\n\n```quiz\nquestion: 답이 없는 퀴즈\nchoices: [가, 나]\n```\n\n```bash\necho 끝나지 않음\n");
        assertTrue(r.problems().stream().anyMatch(p -> p.line() == 3 && p.code() == ContentProblem.Code.BAD_QUIZ && p.message().contains("answer")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.line() == 8 && p.code() == ContentProblem.Code.UNCLOSED_FENCE), r.problems().toString());
        assertNotNull(r.html());
    }
}
