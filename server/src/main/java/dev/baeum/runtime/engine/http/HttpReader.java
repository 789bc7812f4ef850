package dev.baeum.runtime.engine.http;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads one HTTP/1.1 message from a blocking stream with Jetty's parser (strict RFC 7230: an ambiguous
 * message, such as one with both Content-Length and Transfer-Encoding, is refused rather than guessed at).
 * The body comes out de-chunked; whatever follows the message (an upgraded stream) stays available.
 */
public final class HttpReader {

    private static final int BUFFER_BYTES = 16 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final InputStream in;
    private final HttpParser parser;
    private final Collector collector = new Collector();
    private final byte[] array = new byte[BUFFER_BYTES];
    private final ByteBuffer buffer = ByteBuffer.wrap(array).limit(0);
    private boolean eof;
    private boolean received;
    private boolean nudged;

    private HttpReader(InputStream in, boolean requests, int maxHeaderBytes) {
        this.in = in;
        this.parser = requests
                ? new HttpParser((HttpParser.RequestHandler) collector, maxHeaderBytes, HttpCompliance.RFC7230)
                : new HttpParser((HttpParser.ResponseHandler) collector, maxHeaderBytes, HttpCompliance.RFC7230);
    }

    public static HttpReader requests(InputStream in, int maxHeaderBytes) {
        return new HttpReader(in, true, maxHeaderBytes);
    }

    public static HttpReader responses(InputStream in, int maxHeaderBytes) {
        return new HttpReader(in, false, maxHeaderBytes);
    }

    /** The next request's head, or null when the peer closed the connection before sending anything. */
    public RequestHead readRequest() throws IOException {
        try {
            parseUntil(() -> collector.headerDone);
        } catch (EOFException e) {
            if (!received) {
                return null; // the peer hung up between requests
            }
            throw e;
        }
        if (!collector.headerDone) {
            return null;
        }
        Headers headers = new Headers(collector.fields);
        onlyChunked(headers);
        return new RequestHead(collector.method, collector.target, headers);
    }

    /** The response's head; {@code toHead} tells the parser that no body follows (a HEAD request's answer). */
    public ResponseHead readResponse(boolean toHead) throws IOException {
        parser.setHeadResponse(toHead);
        parseUntil(() -> collector.headerDone);
        if (!collector.headerDone) {
            throw new EOFException("the engine closed the connection without answering");
        }
        Headers headers = new Headers(collector.fields);
        onlyChunked(headers);
        return new ResponseHead(collector.status, collector.reason, headers);
    }

    /** The one transfer coding we relay; anything else would be passed on with a meaning we did not check. */
    private static void onlyChunked(Headers headers) throws BadHttpException {
        for (Header h : headers.fields()) {
            if (h.name().equalsIgnoreCase("Transfer-Encoding") && !h.value().trim().equalsIgnoreCase("chunked")) {
                throw new BadHttpException(400, "unsupported Transfer-Encoding: " + h.value());
            }
        }
    }

    /** The declared Content-Length, or -1 when the body is chunked or runs to the end of the connection. */
    public long contentLength() {
        return parser.getContentLength();
    }

    /** The message body, de-chunked; ends where the message ends. */
    public InputStream body() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readBody(b, off, len);
            }
        };
    }

    /** The whole body, or {@link BodyTooLargeException} past {@code max} bytes. */
    public byte[] readBody(int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = readBody(chunk, 0, chunk.length)) >= 0) {
            if (out.size() + n > max) {
                throw new BodyTooLargeException(max);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /** After an upgrade: the bytes already read past the message, then the rest of the connection. */
    public InputStream rawRemainder() {
        byte[] left = new byte[buffer.remaining()];
        buffer.get(left);
        // Not a SequenceInputStream: that closes the connection's stream at its end, which would close the
        // whole socket when the peer only half-closed it.
        return new InputStream() {
            private int offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (offset < left.length) {
                    int n = Math.min(len, left.length - offset);
                    System.arraycopy(left, offset, b, off, n);
                    offset += n;
                    return n;
                }
                return in.read(b, off, len);
            }
        };
    }

    private int readBody(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        parseUntil(() -> collector.pending != null || collector.messageDone);
        byte[] pending = collector.pending;
        if (pending == null) {
            if (!collector.messageDone) {
                throw new EOFException("the connection closed in the middle of a message body");
            }
            return -1;
        }
        int n = Math.min(len, pending.length - collector.pendingOffset);
        System.arraycopy(pending, collector.pendingOffset, b, off, n);
        collector.pendingOffset += n;
        if (collector.pendingOffset == pending.length) {
            collector.pending = null;
            collector.pendingOffset = 0;
        }
        return n;
    }

    private void parseUntil(BooleanSupplier done) throws IOException {
        while (!done.getAsBoolean()) {
            if (collector.bad != null) {
                throw new BadHttpException(collector.bad.getCode(), collector.bad.getReason());
            }
            if (collector.earlyEof) {
                throw new EOFException("the connection closed in the middle of a message");
            }
            if (buffer.hasRemaining()) {
                parser.parseNext(buffer);
                nudged = false;
                continue;
            }
            if (!nudged && !eof) {
                // The parser moves to its next state (content done → message done) only when called again.
                nudged = true;
                parser.parseNext(EMPTY);
                continue;
            }
            if (eof) {
                return; // nothing more will come; callers check what they got
            }
            buffer.compact().flip(); // empty: reset to the start of the array
            int n = in.read(array, 0, array.length);
            if (n < 0) {
                eof = true;
                parser.atEOF();
                parser.parseNext(EMPTY);
            } else {
                received |= n > 0;
                nudged = false;
                buffer.position(0).limit(n);
            }
        }
        if (collector.bad != null) {
            throw new BadHttpException(collector.bad.getCode(), collector.bad.getReason());
        }
    }

    /** Collects what the parser reports; returning true makes the parser hand control back to us. */
    private static final class Collector implements HttpParser.RequestHandler, HttpParser.ResponseHandler {
        String method;
        String target;
        int status;
        String reason;
        final List<Header> fields = new ArrayList<>();
        boolean headerDone;
        boolean messageDone;
        boolean earlyEof;
        BadMessageException bad;
        byte[] pending;
        int pendingOffset;

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            this.method = method;
            this.target = uri;
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.status = status;
            this.reason = reason == null ? "" : reason;
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(new Header(field.getName(), field.getValue() == null ? "" : field.getValue()));
        }

        @Override
        public boolean headerComplete() {
            headerDone = true;
            return true;
        }

        @Override
        public boolean content(ByteBuffer item) {
            byte[] copy = new byte[item.remaining()];
            item.get(copy);
            pending = copy;
            pendingOffset = 0;
            return true;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            messageDone = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            earlyEof = true;
        }

        @Override
        public void badMessage(BadMessageException failure) {
            bad = failure;
        }
    }
}
