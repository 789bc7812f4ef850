package dev.baeum.support;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Collects what a terminal WebSocket receives and lets tests wait for text to appear. */
public final class TerminalRecorder implements WebSocket.Listener {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<String> controls = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder textPart = new StringBuilder();
    private volatile long firstByteNanos;

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (output) {
            if (firstByteNanos == 0 && bytes.length > 0) {
                firstByteNanos = System.nanoTime();
            }
            output.write(bytes, 0, bytes.length);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        textPart.append(data);
        if (last) {
            controls.add(textPart.toString());
            textPart.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    public String text() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    public int bytes() {
        synchronized (output) {
            return output.size();
        }
    }

    public long firstByteNanos() {
        return firstByteNanos;
    }

    public List<String> controls() {
        return controls;
    }

    public CompletableFuture<Integer> closed() {
        return closed;
    }

    /** Waits until the output matches; fails with what was seen. */
    public String await(Predicate<String> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = text();
            if (condition.test(text)) {
                return text;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; terminal showed:\n" + text());
    }

    public static void type(WebSocket ws, String text) {
        String json = "{\"type\":\"input\",\"data\":" + quote(text) + "}";
        ws.sendText(json, true).join();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
