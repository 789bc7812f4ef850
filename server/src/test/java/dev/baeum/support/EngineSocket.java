package dev.baeum.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Raw HTTP over a docker-lab session's engine socket, for requests no Docker client would send (smuggling,
 * odd paths, hand-made archives). The bytes go as given; the answer is everything the proxy sends until it
 * closes the connection (it serves one request per connection).
 */
public final class EngineSocket {

    /** The proxy's answer: its status line's code and the whole raw text (head and body). */
    public record Reply(int status, String raw) {
        public boolean contains(String text) {
            return raw.contains(text);
        }
    }

    private final Path socket;

    private EngineSocket(Path socket) {
        this.socket = socket;
    }

    /** The socket the lab container of {@code sessionId} sees as /var/run/docker.sock. */
    public static EngineSocket of(TestApp app, String sessionId) {
        return new EngineSocket(app.app().runtime().docker().proxy().dir(sessionId).resolve("docker.sock"));
    }

    public Path path() {
        return socket;
    }

    /** A well-formed request with an optional body (sent with Content-Length). */
    public Reply request(String method, String target, String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: docker\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return raw(out.toByteArray());
    }

    public Reply get(String target) {
        return request("GET", target, null, null);
    }

    public Reply raw(String request) {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends the bytes, then reads until the proxy closes the connection (at most 60 s). */
    public Reply raw(byte[] request) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(ch));
            ByteBuffer buf = ByteBuffer.wrap(request);
            try {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } catch (IOException e) {
                // the proxy refused early and closed; its answer is what counts
            }
            byte[] bytes;
            try {
                bytes = answer.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the engine socket did not answer and close within 60 s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
            return new Reply(status, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(SocketChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
                if (out.size() > 8 << 20) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed under us: what arrived is the answer
        }
        return out.toByteArray();
    }
}
