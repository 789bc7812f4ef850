package dev.baeum.ops;

import dev.baeum.support.ChildProcess;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Started by systemd or {@code env -i}, with no UTF-8 locale, the JVM's console encoding is ASCII and
 * Korean came out as {@code ?? ??}. Command output and log lines must reach the terminal or journal as UTF-8
 * whatever the locale (issue 15, part 7).
 */
class Utf8OutputTest {

    private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

    @Test
    void commandOutputIsUtf8WithoutALocale() throws Exception {
        for (Map<String, String> locale : List.of(Map.<String, String>of(), Map.of("LANG", "C", "LC_ALL", "C"))) {
            try (ChildProcess help = ChildProcess.start(Map.of(), locale, "help")) {
                assertEquals(0, help.awaitExit(EXIT_LIMIT));
                String out = strictUtf8(help.stdoutBytes());
                assertTrue(out.contains("배움 — 직접 해 보며 배우는 도커 코스"), "locale " + locale + ": " + out);
            }
            try (ChildProcess unknown = ChildProcess.start(Map.of(), locale, "nosuch")) {
                assertEquals(2, unknown.awaitExit(EXIT_LIMIT));
                String err = strictUtf8(unknown.stderrBytes());
                assertTrue(err.contains("알 수 없는 명령: nosuch"), "locale " + locale + ": " + err);
            }
        }
    }

    @Test
    void logLinesAreUtf8EvenWhenTheDefaultCharsetFollowsTheLocale() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            // file.encoding=COMPAT makes the JVM's default charset the locale's (ASCII here), as before Java 18.
            try (ChildProcess server = ChildProcess.start(ChildProcess.serverSettings(taken.getLocalPort()),
                    Map.of(), List.of("-Dfile.encoding=COMPAT"), "serve")) {
                assertEquals(1, server.awaitExit(EXIT_LIMIT), "the port is taken, so the server cannot start");
                String out = strictUtf8(server.stdoutBytes());
                assertTrue(out.contains("ERROR") && out.contains("배움을 시작하지 못했습니다"), out);
            }
        }
    }

    /** Decodes bytes that must be valid UTF-8; a '?' stand-in or a legacy encoding fails here or in the search. */
    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
