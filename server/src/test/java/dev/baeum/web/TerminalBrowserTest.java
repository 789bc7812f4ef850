package dev.baeum.web;

import dev.baeum.base.config.Setting;
import dev.baeum.runtime.sandbox.ContainerExec;
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
import org.openqa.selenium.WindowType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The browser terminal in a real Chromium: reconnecting across a reset (from the tab that asked for it and
 * from another tab on the same session), and Korean input, both as Chromium's IME composes it and as WebKit
 * (Safari) delivers it. The lab here has a setup script that takes two seconds, so a browser that
 * reconnects before the reset has answered does so while the old container is already gone and the new one
 * is not yet recorded: the ordering that failed one run in two, made certain.
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

    /**
     * WebKit's Korean input, replayed event by event as measured in Safari (xterm.js issue 6084): no
     * composition events; the IME edits the hidden textarea in place and fires {@code input} events, insertText
     * for a syllable's first jamo and insertReplacementText for each jamo added to it, each followed by the
     * key's keydown with keyCode 229. 쓰 starts with Shift held (ㅆ), and in 가나 the ㄴ of 간 moves on to
     * the next syllable inside one replacement.
     */
    @Test
    @Order(2)
    void koreanTypedAsWebKitDoesReachesTheShellIntact() {
        awaitTerminal();
        type("echo ");
        webkitTypes(List.of(
                key("ㅎ", "insertText", "ㅎ", "ㅎ"), key("ㅏ", "insertReplacementText", "하", "하"),
                key("ㄴ", "insertReplacementText", "한", "한"), key("ㄱ", "insertText", "ㄱ", "한ㄱ"),
                key("ㅡ", "insertReplacementText", "그", "한그"), key("ㄹ", "insertReplacementText", "글", "한글")));
        type(" ");
        webkitTypes(List.of(
                shifted("ㅆ", "insertText", "ㅆ", "한글ㅆ"), key("ㅡ", "insertReplacementText", "쓰", "한글쓰"),
                key("ㄱ", "insertText", "ㄱ", "한글쓰ㄱ"), key("ㅣ", "insertReplacementText", "기", "한글쓰기")));
        type(" ");
        webkitTypes(List.of(
                key("ㄱ", "insertText", "ㄱ", "한글쓰기ㄱ"), key("ㅏ", "insertReplacementText", "가", "한글쓰기가"),
                key("ㄴ", "insertReplacementText", "간", "한글쓰기간"), key("ㅏ", "insertReplacementText", "가나", "한글쓰기가나")));
        type(" > ~/webkit.txt; echo saved-$((2+3))\n");
        awaitText("saved-5");
        assertEquals("한글 쓰기 가나\n", fileInSandbox("webkit.txt"));
    }

    /** Chromium's own IME path, driven through DevTools: real composition events from the browser. */
    @Test
    @Order(3)
    void koreanComposedByChromiumsImeReachesTheShellIntact() {
        awaitTerminal();
        type("echo ");
        browser.js("const textarea = document.querySelector('.terminal-node:not([hidden]) .xterm-helper-textarea');"
                + " window.compositions = 0; textarea.addEventListener('compositionend', () => window.compositions++);");
        for (String syllable : List.of("ㅎ", "하", "한")) {
            browser.cdp("Input.imeSetComposition", Map.of("text", syllable, "selectionStart", 1, "selectionEnd", 1));
        }
        browser.cdp("Input.insertText", Map.of("text", "한"));
        for (String syllable : List.of("ㄱ", "그", "글")) {
            browser.cdp("Input.imeSetComposition", Map.of("text", syllable, "selectionStart", 1, "selectionEnd", 1));
        }
        browser.cdp("Input.insertText", Map.of("text", "글"));
        type(" > ~/ime.txt; echo saved-$((3+4))\n");
        awaitText("saved-7");
        assertEquals(2L, browser.js("return window.compositions"), "each syllable was composed, as an IME does");
        assertEquals("한글\n", fileInSandbox("ime.txt"));
    }

    /** Hangul takes two cells in the terminal; the screenshots are for a person to look at. */
    @Test
    @Order(4)
    void koreanInTheTerminalAtDesktopAndPhoneWidth() {
        for (int[] size : new int[][]{{1400, 900}, {390, 844}}) {
            String suffix = size[0] > 1000 ? "desktop" : "mobile";
            browser.resize(size[0], size[1]);
            browser.go("/labs/" + LAB);
            awaitTerminal();
            type("clear; echo 한글 터미널 $((40+2)); printf '%s|\\n' 가나다 abcdef\n");
            awaitText("한글 터미널 42");
            assertFalse(browser.overflowsHorizontally(), "the lab overflows sideways at " + size[0] + "px");
            // Where the bar after each printed line sits (null until both lines are on screen).
            List<?> left = browser.await(LONG, d -> (List<?>) browser.js("""
                    const rows = Array.from(document.querySelectorAll('.terminal-node:not([hidden]) .xterm-rows > div'));
                    const barOf = (text) => {
                      const row = rows.find((r) => r.textContent.replace(/\\u00a0/g, ' ').trimEnd() === text);
                      if (!row) return null;
                      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
                      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                        const at = node.data.indexOf('|');
                        if (at < 0) continue;
                        const range = document.createRange();
                        range.setStart(node, at);
                        range.setEnd(node, at + 1);
                        return range.getBoundingClientRect().left;
                      }
                      return null;
                    };
                    const bars = [barOf('가나다|'), barOf('abcdef|')];
                    return bars.includes(null) ? null : bars;"""));
            assertEquals(((Number) left.get(1)).doubleValue(), ((Number) left.get(0)).doubleValue(), 1.0,
                    "three Hangul syllables line up with six Latin letters at " + size[0] + "px");
            browser.screenshotOf("#workbench", "terminal-korean-" + suffix);
        }
        browser.resize(1400, 900);
    }

    /**
     * One keystroke as WebKit reports it: the jamo's key, the input event's type and data, and the textarea's
     * value after WebKit edited it.
     */
    private static List<Object> key(String jamo, String inputType, String data, String value) {
        return List.of(jamo, inputType, data, value, false);
    }

    /** A keystroke with Shift held (ㅆ ㄲ ㄸ ㅃ ㅉ): Shift's keydown comes first. */
    private static List<Object> shifted(String jamo, String inputType, String data, String value) {
        return List.of(jamo, inputType, data, value, true);
    }

    private static void webkitTypes(List<List<Object>> keys) {
        ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const [keys, done] = arguments;
                const textarea = document.querySelector('.terminal-node:not([hidden]) .xterm-helper-textarea');
                textarea.focus();
                const keyboard = (type, key, keyCode, shiftKey) => textarea.dispatchEvent(new KeyboardEvent(type,
                    { key, keyCode, shiftKey, bubbles: true, cancelable: true, composed: true }));
                (async () => {
                  for (const [jamo, inputType, data, value, shift] of keys) {
                    if (shift) keyboard('keydown', 'Shift', 16, true);
                    textarea.dispatchEvent(new InputEvent('beforeinput',
                        { inputType, data, bubbles: true, cancelable: true, composed: true }));
                    textarea.value = value;
                    textarea.setSelectionRange(value.length, value.length);
                    textarea.dispatchEvent(new InputEvent('input', { inputType, data, bubbles: true, composed: true }));
                    keyboard('keydown', jamo, 229, shift);
                    keyboard('keyup', jamo, 229, shift);
                    if (shift) keyboard('keyup', 'Shift', 16, false);
                    await new Promise((next) => setTimeout(next, 30)); // one keystroke per task, as typed
                  }
                  done();
                })();
                """, keys);
    }

    /** What the shell wrote, read straight from the learner's container. */
    private static String fileInSandbox(String name) {
        Object session = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " fetch('/labs/" + LAB + "/session', {headers: {Accept: 'application/json'}}).then(r => r.json()).then(s => done(s.session));");
        String container = app.app().runtime().sandboxes().find(String.valueOf(session)).orElseThrow().container("sandbox");
        ContainerExec.Result cat = app.app().runtime().exec().run(container, "learner", "cat ~/" + name, Map.of(),
                Duration.ofSeconds(10));
        assertEquals(0, cat.exitCode(), cat.stderr());
        return cat.stdout();
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
