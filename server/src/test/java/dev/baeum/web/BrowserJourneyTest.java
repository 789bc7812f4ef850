package dev.baeum.web;

import dev.baeum.base.config.Setting;
import dev.baeum.content.Quiz;
import dev.baeum.support.Browser;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learner's and the instructor's journeys in a real Chromium against the real server and real Docker,
 * with screenshots of every major page at a desktop and a phone width (server/target/screenshots/).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserJourneyTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static TestApp app;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Docker.require();
        app = TestApp.start(Map.of(Setting.ADMIN_USERNAME, "teacher", Setting.ADMIN_PASSWORD, "teacher-password"));
        app.image("process-isolation");
        app.image("dockerfile-basics");
        browser = Browser.open(app.baseUrl(), 1400, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void learnerSignsUpReadsALessonAndAnswersAQuiz() {
        browser.go("/signup");
        browser.find("input[name=username]").sendKeys("minji");
        browser.find("input[name=displayName]").sendKeys("김민지");
        browser.find("input[name=password]").sendKeys("minji-password");
        browser.find("input[name=passwordConfirm]").sendKeys("minji-password");
        browser.find("form.stacked-form button[type=submit]").click();
        browser.await(LONG, d -> d.findElement(By.cssSelector(".account-name")).getText().equals("김민지"));

        browser.go("/");
        assertTrue(browser.driver().findElements(By.cssSelector(".lesson-card")).size() >= 8, "the course lists its lessons");
        assertTrue(browser.find(".hero h1").getText().contains("도커"));

        browser.go("/lessons/containers");
        assertTrue(browser.driver().findElements(By.cssSelector(".lesson-toc li")).size() >= 5, "a table of contents");
        WebElement diagram = browser.find(".prose img[src*='vm-vs-container.svg']");
        assertTrue(((Number) browser.js("return arguments[0].naturalWidth", diagram)).intValue() > 0, "the diagram is visible");
        assertTrue(browser.find(".prose").getText().contains("커널"), "Korean text renders");


        Quiz quiz = app.app().core().lessons().find("containers").orElseThrow().quizzes().stream()
                .filter(q -> q.kind() == Quiz.Kind.SINGLE).findFirst().orElseThrow();
        WebElement form = browser.find("#quiz-" + quiz.id());
        int correct = quiz.correctChoices().iterator().next();
        browser.js("arguments[0].scrollIntoView({block: 'center'})", form);
        form.findElement(By.cssSelector("input[value='" + correct + "']")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await(LONG, d -> form.findElement(By.cssSelector(".quiz-result")).getText().contains("정답입니다"));
        assertTrue(form.getAttribute("class").contains("quiz-correct"));
    }

    @Test
    @Order(1)
    void mermaidDiagramsAndCodeHighlightingAreDrawn() {
        browser.go("/lessons/microservices");
        browser.await(LONG, d -> !d.findElements(By.cssSelector("pre.mermaid svg")).isEmpty());
        browser.go("/lessons/architecture");
        browser.await(LONG, d -> !d.findElements(By.cssSelector(".prose pre code.hljs .hljs-built_in, .prose pre code.hljs .hljs-string")).isEmpty());
        browser.go("/lessons/microservices");
        browser.await(LONG, d -> !d.findElements(By.cssSelector("pre.mermaid svg")).isEmpty());
        WebElement svg = browser.find("pre.mermaid svg");
        assertTrue(svg.getSize().getWidth() > 100, "the diagram has a size");
        assertTrue(svg.getText().contains("컨테이너") || svg.getAttribute("innerHTML").contains("컨테이너"), "with its Korean labels");
    }

    @Test
    @Order(2)
    void learnerWorksInATerminalAndAutoCheckTurnsATaskGreen() {
        browser.go("/labs/process-isolation");
        awaitTerminal();
        String start = browser.find("#start-time").getText();
        assertTrue(start.matches("컨테이너 시작: \\d+\\.\\d\\d초.*"), start);

        typeInTerminal("echo 안녕 브라우저 $((6*7))\n");
        awaitTerminalText("안녕 브라우저 42");

        WebElement run = browser.find("#pid1 .run-button");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", run);
        run.click();
        awaitTerminalText("docker-init");

        typeInTerminal("cat /proc/1/comm > ~/pid1.txt\n");
        browser.await(LONG, d -> d.findElement(By.cssSelector(".lab-section[data-task=pid1]")).getAttribute("class").contains("done"));
        assertTrue(browser.find(".lab-section[data-task=pid1] .task-message").getText().contains("PID 1"));
        assertEquals("1", browser.find("#done-count").getText());
        browser.screenshot("lab-terminal-desktop");
    }

    @Test
    @Order(3)
    void reloadFindsTheSameTerminalAndPassedTasksThenResetStartsFresh() {
        browser.driver().navigate().refresh();
        awaitTerminal();
        assertTrue(browser.find(".lab-section[data-task=pid1]").getAttribute("class").contains("done"), "passed tasks stay passed");
        typeInTerminal("cat ~/pid1.txt && echo same-$((1+1))\n");
        awaitTerminalText("same-2");

        browser.find("#reset-button").click();
        browser.driver().switchTo().alert().accept();
        browser.await(LONG, d -> Boolean.FALSE.equals(browser.js("return document.getElementById('terminal-overlay').hidden")));
        awaitTerminal();
        typeInTerminal("ls ~/pid1.txt || echo gone-$((2+2))\n");
        awaitTerminalText("gone-4");
        assertTrue(browser.find(".lab-section[data-task=pid1]").getAttribute("class").contains("done"), "done stays done after reset");
    }

    @Test
    @Order(4)
    void dockerLabBuildAnImageRunItAndOpenThePreview() {
        browser.go("/labs/dockerfile-basics");
        awaitTerminal();
        typeInTerminal("cd ~/app && printf 'FROM node:18-slim\\nWORKDIR /src\\nCOPY . .\\nRUN node --test\\nRUN node build.js\\n"
                + "EXPOSE 8080\\nCMD [\"node\", \"serve.js\"]\\n' > Dockerfile && docker build -t myapp . && echo built-$((3*3))\n");
        awaitTerminalText("built-9");
        assertTrue(terminalText().contains("Step 7/7 : CMD [\"node\", \"serve.js\"]"), "the real classic builder's log:\n" + terminalText());
        browser.await(LONG, d -> d.findElement(By.cssSelector(".lab-section[data-task=first-build]")).getAttribute("class").contains("done"));
        assertTrue(browser.find(".lab-section[data-task=first-build] .task-message").getText().contains("Node v18"),
                "the check read the image in the learner's engine");

        typeInTerminal("docker run -d --name site -p 8080:8080 myapp\n");
        WebElement link = browser.await(LONG, d -> d.findElements(By.cssSelector("#engine-rows .port-link")).stream()
                .filter(a -> a.getText().equals("8080→8080/tcp")).findFirst().orElse(null));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", link);
        link.click();
        browser.await(LONG, d -> {
            d.switchTo().frame(d.findElement(By.id("preview-frame")));
            try {
                return d.findElement(By.tagName("body")).getText().contains("로 빌드했습니다");
            } catch (RuntimeException e) {
                return false;
            } finally {
                d.switchTo().defaultContent();
            }
        });
        browser.js("document.getElementById('engine-panel').scrollIntoView({block: 'start'})");
        browser.screenshot("dockerfile-lab-preview-desktop");
        browser.resize(390, 844);
        browser.js("document.getElementById('engine-panel').scrollIntoView({block: 'start'})");
        browser.screenshot("dockerfile-lab-preview-mobile");
        assertFalse(browser.overflowsHorizontally(), "the docker lab with its preview fits a phone");
        browser.resize(1400, 900);
    }

    @Test
    @Order(5)
    void instructorSeesTheLearnerAndDownloadsGrades() {
        browser.driver().manage().deleteAllCookies();
        browser.go("/login");
        browser.find("input[name=username]").sendKeys("teacher");
        browser.find("input[name=password]").sendKeys("teacher-password");
        browser.find("form.stacked-form button[type=submit]").click();
        browser.await(LONG, d -> d.findElement(By.cssSelector(".account-name")).getText().equals("teacher"));
        browser.go("/instructor");
        String table = browser.find("main").getText();
        assertTrue(table.contains("김민지"), "the dashboard lists the learner");
        assertFalse(browser.driver().findElements(By.cssSelector(".chart svg")).isEmpty(), "a chart");
        Object csv = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch('/instructor/grades.csv').then(r => r.text()).then(done);");
        List<String> header = cells(csv.toString().lines().findFirst().orElseThrow());
        List<String> row = cells(csv.toString().lines().filter(l -> l.contains("minji")).findFirst().orElseThrow());
        assertEquals("김민지", row.get(header.indexOf("이름")), row.toString());
        assertEquals("1", row.get(header.indexOf("process-isolation (통과/3)")), "one process-isolation task: " + row);
        assertEquals("1", row.get(header.indexOf("dockerfile-basics (통과/6)")), "one Dockerfile task: " + row);
        assertEquals("2", row.get(header.indexOf("통과 과제")), row.toString());
        browser.screenshot("instructor-dashboard-desktop");
    }

    @Test
    @Order(6)
    void everyMajorPageAtDesktopAndPhoneWidth() {
        String[][] pages = {
                {"home", "/"}, {"lesson", "/lessons/containers"}, {"lesson-table", "/lessons/summary"},
                {"labs", "/labs"}, {"lab", "/labs/image-layers"}, {"dockerfile-lab", "/labs/dockerfile-basics"},
                {"dashboard", "/instructor"}, {"lab-stats", "/instructor/labs/process-isolation"},
                {"account", "/account"}, {"records", "/me/records"}, {"not-found", "/no/such/page"}};
        for (int[] size : new int[][]{{1400, 900}, {390, 844}}) {
            browser.resize(size[0], size[1]);
            String suffix = size[0] > 1000 ? "desktop" : "mobile";
            for (String[] page : pages) {
                browser.go(page[1]);
                if (page[0].equals("lab")) {
                    awaitTerminal();
                }
                browser.screenshot(page[0] + "-" + suffix);
                assertFalse(browser.overflowsHorizontally(), page[1] + " overflows sideways at " + size[0] + "px: "
                        + browser.overflowingElements());
            }
        }
        browser.driver().manage().deleteAllCookies();
        for (int[] size : new int[][]{{1400, 900}, {390, 844}}) {
            browser.resize(size[0], size[1]);
            String suffix = size[0] > 1000 ? "desktop" : "mobile";
            browser.go("/login").screenshot("login-" + suffix);
            browser.go("/signup").screenshot("signup-" + suffix);
            browser.go("/labs/process-isolation").screenshot("lab-anonymous-" + suffix);
            assertFalse(browser.overflowsHorizontally(), "login pages overflow at " + size[0]);
        }
        browser.resize(1400, 900);
    }

    /** One CSV line's cells (the grades file quotes cells but holds no commas or quotes inside them here). */
    private static List<String> cells(String line) {
        return java.util.Arrays.stream(line.replace("\uFEFF", "").split(",", -1)).map(c -> c.replace("\"", "")).toList();
    }

    private static void awaitTerminal() {
        // xterm.js pauses drawing while it is off screen (the terminal sits below the instructions on a phone)
        browser.js("document.getElementById('terminal').scrollIntoView({block: 'center'})");
        try {
            browser.await(LONG, d -> {
                Object hidden = browser.js("return document.getElementById('terminal-overlay').hidden");
                return Boolean.TRUE.equals(hidden) && terminalText().contains("$");
            });
        } catch (RuntimeException e) {
            browser.screenshot("failure-terminal");
            throw new AssertionError("no terminal: hidden=" + browser.js("return document.getElementById('terminal-overlay').hidden")
                    + " status '" + browser.find("#bench-status").getText() + "', overlay '"
                    + browser.find("#overlay-text").getText() + "', terminal '" + terminalText() + "', console "
                    + browser.driver().manage().logs().get("browser").getAll(), e);
        }
    }

    private static void awaitTerminalText(String expected) {
        try {
            browser.await(LONG, d -> terminalText().contains(expected));
        } catch (RuntimeException e) {
            browser.screenshot("failure-terminal-text");
            throw new AssertionError("the terminal never showed '" + expected + "'; it shows:\n" + terminalText(), e);
        }
    }

    private static void typeInTerminal(String text) {
        WebElement input = browser.find(".terminal-node:not([hidden]) .xterm-helper-textarea");
        input.sendKeys(text);
    }

    private static String terminalText() {
        Object text = browser.js("const rows = document.querySelector('.terminal-node:not([hidden]) .xterm-rows');"
                + " return rows ? Array.from(rows.children).map(r => r.textContent).join('\\n') : '';");
        return text == null ? "" : text.toString().replace('\u00a0', ' ');
    }
}
