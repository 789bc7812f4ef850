package dev.baeum.runtime.engine.http;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes HTTP/1.1 heads and chunked bodies. Every field is checked, so nothing can smuggle a line break in. */
public final class HttpWriter {

    private HttpWriter() {
    }

    public static void requestHead(OutputStream out, String method, String target, List<Header> headers) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(token(method)).append(' ').append(line(target)).append(" HTTP/1.1\r\n");
        fields(sb, headers);
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public static void responseHead(OutputStream out, int status, String reason, List<Header> headers) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(status).append(' ').append(line(reason)).append("\r\n");
        fields(sb, headers);
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A stream that frames what is written as chunks; close() ends the body but leaves {@code out} open. */
    public static OutputStream chunked(OutputStream out) {
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return;
                }
                out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(b, off, len);
                out.write(CRLF);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        };
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static void fields(StringBuilder sb, List<Header> headers) {
        for (Header h : headers) {
            sb.append(token(h.name())).append(": ").append(line(h.value())).append("\r\n");
        }
        sb.append("\r\n");
    }

    private static String token(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty HTTP token");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("not an HTTP token: " + s);
            }
        }
        return s;
    }

    /** Header values and targets: printable Latin-1 only; anything else is replaced, never passed through. */
    private static String line(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= ' ' && c < 127) || c == '\t';
            if (!ok) {
                if (sb == null) {
                    sb = new StringBuilder(s.substring(0, i));
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
