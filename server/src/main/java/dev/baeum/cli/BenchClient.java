package dev.baeum.cli;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A learner as the benchmark plays one: cookies, CSRF header, a terminal WebSocket. */
final class BenchClient {

    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    BenchClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String contentType) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("X-CSRF-Token", csrf()).header("Content-Type", contentType).timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Becomes a guest (a new learner with no history). */
    BenchClient guest() throws IOException, InterruptedException {
        get("/login");
        http.send(HttpRequest.newBuilder(URI.create(base + "/guest")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf() + "&next=/")).build(), HttpResponse.BodyHandlers.discarding());
        return this;
    }

    String csrf() {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals("baeum_csrf")) {
                return c.getValue();
            }
        }
        return "";
    }

    /** Opens the terminal; the returned future completes at the first byte of output (the prompt). */
    Terminal terminal(String path) {
        Terminal t = new Terminal();
        t.socket = http.newWebSocketBuilder().header("Origin", base).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(base.replaceFirst("^http", "ws") + path + "?cols=100&rows=30"), t);
        return t;
    }

    static final class Terminal implements WebSocket.Listener {
        final CompletableFuture<Long> firstByte = new CompletableFuture<>();
        CompletableFuture<WebSocket> socket;

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (data.hasRemaining()) {
                firstByte.complete(System.nanoTime());
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            firstByte.completeExceptionally(error);
        }

        void close() {
            socket.thenAccept(ws -> ws.abort());
        }
    }
}
