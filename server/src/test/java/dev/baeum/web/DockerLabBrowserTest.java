package dev.baeum.web;

import dev.baeum.base.config.Setting;
import dev.baeum.support.Browser;
import dev.baeum.support.Docker;
import dev.baeum.support.EngineLab;
import dev.baeum.support.TestApp;
import dev.baeum.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A docker lab in a real Chromium: a web server started with -p opens in the lab page's preview (and nobody
 * else's browser reaches it), the REST API panel shows the calls a docker command makes, and the instructor
 * dashboard counts them. Screenshots at desktop and phone widths go to server/target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerLabBrowserTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String LAB = EngineLab.LAB;
    private static TestApp app;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Docker.require();
        app = EngineLab.start(Map.of(Setting.ADMIN_USERNAME, "teacher", Setting.ADMIN_PASSWORD, "teacher-pass-1234"));
        browser = Browser.open(app.baseUrl(), 1400, 1000);
        browser.go("/labs/" + LAB);
        browser.find("form[action='/guest'] button[type=submit]").click();
        browser.await(LONG, d -> !d.findElements(By.cssSelector("#terminal")).isEmpty());
        awaitTerminal();
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
    void aPublishedPortOpensInThePreviewForItsOwnerOnly() {
        typeInTerminal("docker run -d -p 8080:80 --name web nginx:1.22\n");
        WebElement link = browser.await(LONG, d -> d.findElements(By.cssSelector("#engine-rows .port-link")).stream()
                .filter(a -> a.getText().equals("8080→80/tcp")).findFirst().orElse(null));
        assertTrue(browser.find("#engine-rows").getText().contains("web"));
        assertTrue(browser.find("#engine-rows .engine-start").getText().matches("\\d+\\.\\d\\d초"),
                "the container's own start time, as the engine recorded it");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", link);
        link.click();
        browser.await(LONG, d -> {
            d.switchTo().frame(d.findElement(By.id("preview-frame")));
            try {
                return d.findElement(By.tagName("body")).getText().contains("Welcome to nginx!");
            } catch (RuntimeException e) {
                return false;
            } finally {
                d.switchTo().defaultContent();
            }
        });
        typeInTerminal("curl -s localhost:8080 | grep -o 'Welcome to [a-z]*' | tr a-z A-Z\n");
        awaitTerminalText("WELCOME TO NGINX");
        browser.js("document.getElementById('engine-panel').scrollIntoView({block: 'start'})");
        browser.screenshot("docker-lab-preview-desktop");

        String url = "/labs/" + LAB + "/preview/8080/";
        WebClient anonymous = app.client();
        WebClient.Response r = anonymous.get(url);
        assertNotEquals(200, r.status());
        assertFalse(r.body().contains("Welcome to nginx"), "an anonymous client gets nothing of the learner's page");
        WebClient stranger = app.client().guest();
        r = stranger.get(url);
        assertNotEquals(200, r.status());
        assertFalse(r.body().contains("Welcome to nginx"), "a learner without a session gets nothing");
        assertEquals(200, stranger.post("/labs/" + LAB + "/session").status());
        r = stranger.get(url);
        assertNotEquals(200, r.status());
        assertFalse(r.body().contains("Welcome to nginx"), "another learner's session has no such port");
        assertTrue(r.body().contains("컨테이너가 없습니다"), r.body());
        stranger.post("/labs/" + LAB + "/session/end");
    }

    @Test
    @Order(2)
    void theApiPanelShowsTheCallsOfADockerRun() {
        browser.find("#engine-tab-api").click();
        typeInTerminal("docker run --rm debian:bookworm-slim true && echo ran-$((2+3))\n");
        awaitTerminalText("ran-5");
        browser.await(LONG, d -> {
            String text = d.findElement(By.id("api-calls")).getText();
            return text.contains("/containers/create") && text.contains("/attach") && text.contains("/wait") && text.contains("/start");
        });
        List<WebElement> calls = browser.driver().findElements(By.cssSelector("#api-calls .api-call"));
        assertTrue(calls.stream().anyMatch(c -> c.getText().contains("/containers/create") && c.getText().contains("201")));
        assertTrue(calls.stream().anyMatch(c -> c.getText().contains("/attach") && c.getText().contains("101")));
        assertTrue(calls.stream().anyMatch(c -> c.getText().contains("/start") && c.getText().contains("204")));
        WebElement create = calls.stream().filter(c -> c.getText().contains("/containers/create")).reduce((a, b) -> b).orElseThrow();
        browser.js("arguments[0].scrollIntoView({block: 'center'})", create);
        create.findElement(By.tagName("button")).click();
        assertTrue(create.findElement(By.className("api-detail")).getText().contains("debian:bookworm-slim"),
                "the request body is shown on click");

        typeInTerminal("docker run --rm --privileged debian:bookworm-slim true; echo refused-$((3+4))\n");
        awaitTerminalText("refused-7");
        browser.await(LONG, d -> d.findElement(By.id("api-calls")).findElements(By.cssSelector(".api-call.refused")).size() > 0);
        browser.js("document.getElementById('engine-panel').scrollIntoView({block: 'start'})");
        browser.screenshot("docker-lab-api-panel-desktop");
    }

    @Test
    @Order(3)
    void aRemovedContainersPreviewSaysItIsGone() {
        browser.find("#engine-tab-containers").click();
        typeInTerminal("docker rm -f web && echo removed-$((4+4))\n");
        awaitTerminalText("removed-8");
        browser.await(LONG, d -> d.findElements(By.cssSelector("#engine-rows .port-link")).isEmpty());
        awaitPreview("컨테이너가 없습니다");
    }

    private static void awaitPreview(String text) {
        try {
            browser.await(LONG, d -> {
                d.switchTo().frame(d.findElement(By.id("preview-frame")));
                try {
                    return d.findElement(By.tagName("body")).getText().contains(text);
                } catch (RuntimeException e) {
                    return false;
                } finally {
                    d.switchTo().defaultContent();
                }
            });
        } catch (RuntimeException e) {
            browser.screenshot("failure-docker-preview");
            throw new AssertionError("the preview never showed '" + text + "'; frame src "
                    + browser.js("return document.getElementById('preview-frame').src") + ", preview hidden "
                    + browser.js("return document.getElementById('preview').hidden") + ", frame text "
                    + browser.js("return document.getElementById('preview-frame').contentDocument.body.innerText")
                    + ", rows " + browser.find("#engine-rows").getText() + ", console "
                    + browser.driver().manage().logs().get("browser").getAll(), e);
        }
    }

    @Test
    @Order(4)
    void thePanelAndThePreviewFitAPhone() {
        typeInTerminal("docker run -d -p 8081:80 --name web2 nginx:1.22\n");
        WebElement link = browser.await(LONG, d -> d.findElements(By.cssSelector("#engine-rows .port-link")).stream()
                .filter(a -> a.getText().startsWith("8081")).findFirst().orElse(null));
        browser.resize(390, 844);
        browser.js("arguments[0].scrollIntoView({block: 'center'})", link);
        link.click();
        browser.await(LONG, d -> {
            d.switchTo().frame(d.findElement(By.id("preview-frame")));
            try {
                return d.findElement(By.tagName("body")).getText().contains("Welcome to nginx!");
            } catch (RuntimeException e) {
                return false;
            } finally {
                d.switchTo().defaultContent();
            }
        });
        browser.js("document.getElementById('engine-panel').scrollIntoView({block: 'start'})");
        browser.screenshot("docker-lab-preview-mobile");
        assertFalse(browser.overflowsHorizontally(), "the lab page overflows on a phone");
        browser.find("#engine-tab-api").click();
        browser.js("document.getElementById('engine-panel').scrollIntoView({block: 'start'})");
        browser.screenshot("docker-lab-api-panel-mobile");
        assertFalse(browser.overflowsHorizontally(), "the API panel overflows on a phone");
        browser.resize(1400, 1000);
    }

    @Test
    @Order(5)
    void theInstructorDashboardCountsTheLabsDockerCommands() {
        WebClient teacher = app.client();
        assertEquals(302, teacher.postForm("/login", Map.of("username", "teacher", "password", "teacher-pass-1234")).status());
        app.app().runtime().engineRecords().flush();
        String page = teacher.get("/instructor/labs/" + LAB).body();
        assertTrue(page.contains("docker run/create"), page);
        assertTrue(page.contains("docker rm"), page);
        assertTrue(page.contains("id=\"docker-failures\""), "failed calls are listed: " + page);
        assertTrue(page.contains("--privileged"), "with the refusal's message: " + page);
    }

    private static void awaitTerminal() {
        browser.js("document.getElementById('terminal').scrollIntoView({block: 'center'})");
        browser.await(LONG, d -> Boolean.TRUE.equals(browser.js("return document.getElementById('terminal-overlay').hidden"))
                && terminalText().contains("$"));
    }

    private static void awaitTerminalText(String expected) {
        try {
            browser.await(LONG, d -> terminalText().contains(expected));
        } catch (RuntimeException e) {
            browser.screenshot("failure-docker-terminal");
            throw new AssertionError("the terminal never showed '" + expected + "'; it shows:\n" + terminalText(), e);
        }
    }

    private static void typeInTerminal(String text) {
        browser.js("document.getElementById('terminal').scrollIntoView({block: 'center'})");
        WebElement input = browser.find(".terminal-node:not([hidden]) .xterm-helper-textarea");
        input.sendKeys(text);
    }

    private static String terminalText() {
        Object text = browser.js("const rows = document.querySelector('.terminal-node:not([hidden]) .xterm-rows');"
                + " return rows ? Array.from(rows.children).map(r => r.textContent).join('\\n') : '';");
        return text == null ? "" : text.toString().replace('\u00a0', ' ');
    }
}
