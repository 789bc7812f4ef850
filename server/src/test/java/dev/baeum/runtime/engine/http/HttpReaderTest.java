package dev.baeum.runtime.engine.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpReaderTest {

    private static HttpReader requests(String raw) {
        return HttpReader.requests(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), 8192);
    }

    private static HttpReader responses(String raw) {
        return HttpReader.responses(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), 8192);
    }

    @Test
    void readsARequestWithAChunkedBody() throws IOException {
        HttpReader r = requests("POST /v1.41/build?t=a HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        RequestHead head = r.readRequest();
        assertEquals("POST", head.method());
        assertEquals("/v1.41/build?t=a", head.target());
        assertEquals("abcde", new String(r.readBody(100), StandardCharsets.UTF_8));
    }

    @Test
    void acceptsTheEmptyHostTheDockerCliSendsOnAttach() throws IOException {
        HttpReader r = requests("POST /v1.41/containers/x/attach?stream=1 HTTP/1.1\r\nHost: \r\nContent-Length: 0\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nRAW");
        RequestHead head = r.readRequest();
        assertTrue(head.wantsUpgrade());
        assertEquals(0, r.readBody(10).length);
        assertArrayEquals("RAW".getBytes(), r.rawRemainder().readAllBytes());
    }

    @Test
    void refusesContentLengthTogetherWithTransferEncoding() {
        HttpReader r = requests("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n");
        assertThrows(BadHttpException.class, () -> {
            r.readRequest();
            r.readBody(100);
        });
    }

    @Test
    void refusesTwoContentLengths() {
        HttpReader r = requests("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde");
        assertThrows(BadHttpException.class, () -> {
            r.readRequest();
            r.readBody(100);
        });
    }

    @Test
    void refusesAnUnknownTransferEncoding() {
        HttpReader r = requests("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        assertThrows(BadHttpException.class, () -> {
            r.readRequest();
            r.readBody(100);
        });
    }

    @Test
    void refusesABodyPastTheCallersLimit() throws IOException {
        HttpReader r = requests("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
        r.readRequest();
        assertThrows(BodyTooLargeException.class, () -> r.readBody(5));
    }

    @Test
    void cleanEndOfStreamIsNoRequest() throws IOException {
        assertNull(requests("").readRequest());
    }

    @Test
    void aTruncatedBodyIsAnError() throws IOException {
        HttpReader r = requests("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234");
        r.readRequest();
        assertThrows(IOException.class, () -> r.readBody(100));
    }

    @Test
    void readsAnUpgradedResponseAndKeepsTheRawStream() throws IOException {
        HttpReader r = responses("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003hi\n");
        ResponseHead head = r.readResponse(false);
        assertEquals(101, head.status());
        InputStream raw = r.rawRemainder();
        assertEquals(11, raw.readAllBytes().length);
    }

    @Test
    void readsABodyThatRunsToTheEndOfTheConnection() throws IOException {
        HttpReader r = responses("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"a\":1}");
        assertEquals(200, r.readResponse(false).status());
        assertEquals("{\"a\":1}", new String(r.readBody(100), StandardCharsets.UTF_8));
    }

    @Test
    void aHeadAnswerHasNoBodyWhateverItsLength() throws IOException {
        HttpReader r = responses("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        assertEquals(200, r.readResponse(true).status());
        assertEquals(0, r.readBody(100).length);
    }

    /** A client that sends a whole request and then waits for the answer: reading the body must not wait for more. */
    @Test
    void aCompleteBodyEndsWithoutMoreInput() throws IOException {
        java.io.PipedOutputStream client = new java.io.PipedOutputStream();
        java.io.PipedInputStream server = new java.io.PipedInputStream(client, 65536);
        client.write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
        client.flush();
        HttpReader r = HttpReader.requests(server, 8192);
        r.readRequest();
        assertEquals("hello", new String(r.readBody(100), StandardCharsets.UTF_8));
    }

    @Test
    void largeBinaryBodiesArriveIntact() throws IOException {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        raw.write(("POST /build HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        raw.write(body);
        HttpReader r = HttpReader.requests(new java.io.ByteArrayInputStream(raw.toByteArray()), 8192);
        r.readRequest();
        assertArrayEquals(body, r.body().readAllBytes());
    }

    @Test
    void largeChunkedBodiesArriveIntact() throws IOException {
        byte[] body = new byte[300_000];
        new java.util.Random(8).nextBytes(body);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        raw.write("POST /build HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        java.io.OutputStream chunked = HttpWriter.chunked(raw);
        for (int off = 0; off < body.length; off += 7000) {
            chunked.write(body, off, Math.min(7000, body.length - off));
        }
        chunked.close();
        HttpReader r = HttpReader.requests(new java.io.ByteArrayInputStream(raw.toByteArray()), 8192);
        r.readRequest();
        assertArrayEquals(body, r.body().readAllBytes());
    }
}
