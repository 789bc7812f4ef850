package dev.baeum.web;

import dev.baeum.config.Setting;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The browser terminal in a real Chromium: reconnecting across a reset (from the tab that asked for it and
 * from another tab on the same session). The lab here has a setup script that takes two seconds, so a
 * browser that reconnects before the reset has answered does so while the old container is already gone
 * and the new one is not yet recorded: the ordering that failed one run in two, made certain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerminalBrowserTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String LAB = "slow-setup";
    private static TestApp app;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Docker.require();
        Path labs = TestApp.tempDir("terminal-labs");
        copyTree(TestApp.root().resolve("labs/images"), labs.resolve("images"));
        Files.createDirectories(labs.resolve(LAB));
        Files.writeString(labs.resolve(LAB + "/lab.md"), """
                ---
                title: 준비가 느린 실습
                summary: 컨테이너를 준비하는 데 2초가 걸리는 실습입니다.
                ---

                # 준비가 느린 실습

                ```setup
                sleep 2
                ```

                ## 파일 만들기 {#file}

                ```check
                [ -f /home/learner/file.txt ] || { echo "~/file.txt 가 없습니다."; exit 1; }
                echo "~/file.txt 가 있습니다."
                ```

                ```solution
                touch ~/file.txt
                ```
                """);
        app = TestApp.start(Map.of(Setting.LABS_DIR, labs.toString()));
        app.image(LAB);
        browser = Browser.open(app.baseUrl(), 1400, 900);
        browser.go("/labs/" + LAB);
        browser.find("form[action='/guest'] button[type=submit]").click();
        browser.await(LONG, d -> !d.findElements(By.cssSelector("#terminal")).isEmpty());
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
    void afterResetBothTabsTypeIntoTheNewContainer() {
        awaitTerminal();
        type("echo keep > ~/marker.txt; echo before-$((1+1))\n");
        awaitText("before-2");
        String first = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.go("/labs/" + LAB);
        awaitTerminal();
        String second = browser.driver().getWindowHandle();

        browser.driver().switchTo().window(first);
        browser.find("#reset-button").click();
        browser.driver().switchTo().alert().accept();
        // As a learner would: type as soon as the terminal looks ready again.
        awaitTerminal();
        type("test -e ~/marker.txt || echo fresh-$((3+4))\n");
        awaitText("fresh-7");

        // The other tab lost its container without asking; it must find the new one by itself.
        browser.driver().switchTo().window(second);
        awaitTerminal();
        type("test -e ~/marker.txt || echo also-$((4+5))\n");
        awaitText("also-9");
        browser.driver().close();
        browser.driver().switchTo().window(first);
    }

    private static void awaitTerminal() {
        browser.js("document.getElementById('terminal').scrollIntoView({block: 'center'})");
        try {
            browser.await(LONG, d -> Boolean.TRUE.equals(browser.js("return document.getElementById('terminal-overlay').hidden"))
                    && terminalText().contains("$"));
        } catch (RuntimeException e) {
            browser.screenshot("failure-terminal-browser");
            throw new AssertionError("no terminal: status '" + browser.find("#bench-status").getText() + "', overlay '"
                    + browser.find("#overlay-text").getText() + "', terminal '" + terminalText() + "'", e);
        }
    }

    private static void awaitText(String expected) {
        try {
            browser.await(LONG, d -> terminalText().contains(expected));
        } catch (RuntimeException e) {
            browser.screenshot("failure-terminal-browser-text");
            throw new AssertionError("the terminal never showed '" + expected + "'; status '"
                    + browser.find("#bench-status").getText() + "'; it shows:\n" + terminalText(), e);
        }
    }

    private static void type(String text) {
        WebElement input = browser.find(".terminal-node:not([hidden]) .xterm-helper-textarea");
        input.sendKeys(text);
    }

    private static String terminalText() {
        Object text = browser.js("const rows = document.querySelector('.terminal-node:not([hidden]) .xterm-rows');"
                + " return rows ? Array.from(rows.children).map(r => r.textContent).join('\\n') : '';");
        return text == null ? "" : text.toString().replace('\u00a0', ' ');
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
