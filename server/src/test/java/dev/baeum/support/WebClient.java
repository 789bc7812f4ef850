package dev.baeum.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A browser-like HTTP client for tests: keeps cookies, sends the CSRF token like our pages do. */
public final class WebClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Response(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final String base;
    private final CookieManager cookies;
    private final HttpClient http;

    public WebClient(String base) {
        this(base, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    private WebClient(String base, CookieManager cookies) {
        this.base = base;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The same browser (its cookies) talking to another server instance, as after a reload behind a balancer. */
    public WebClient at(String otherBase) {
        CookieManager copy = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        URI other = URI.create(otherBase);
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            copy.getCookieStore().add(other, c);
        }
        return new WebClient(otherBase, copy);
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Whether a server answers {@code /healthz} yet (for waiting on one that is still starting). */
    public boolean answersHealth() {
        try {
            return get("/healthz").status() == 200;
        } catch (AssertionError notListeningYet) {
            return false;
        }
    }

    public Response getJson(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").GET().build());
    }

    /** A form post with the CSRF field, as our HTML forms send it. */
    public Response postForm(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("_csrf", csrf());
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(all))).build());
    }

    /** A JSON-expecting post with the CSRF header, as our page scripts send it. */
    public Response post(String path) {
        return post(path, "");
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json").header("X-CSRF-Token", csrf())
                .header("Content-Type", "text/plain; charset=utf-8")
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String csrf() {
        String token = cookie("baeum_csrf");
        if (token == null) {
            get("/login");
            token = cookie("baeum_csrf");
        }
        return token;
    }

    public String cookie(String name) {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    public WebClient guest() {
        Response r = postForm("/guest", Map.of("next", "/"));
        if (r.status() != 302) {
            throw new AssertionError("guest failed: " + r.status() + " " + r.body());
        }
        return this;
    }

    public WebClient signup(String username, String password) {
        Response r = postForm("/signup", Map.of("username", username, "displayName", username,
                "password", password, "passwordConfirm", password, "next", "/"));
        if (r.status() != 302) {
            throw new AssertionError("signup failed: " + r.status() + " " + r.body());
        }
        return this;
    }

    public Response login(String username, String password) {
        return postForm("/login", Map.of("username", username, "password", password, "next", "/"));
    }

    /** Opens a terminal WebSocket the way the lab page does (cookies and Origin included). */
    public CompletionStage<WebSocket> terminal(String path, WebSocket.Listener listener) {
        String ws = base.replaceFirst("^http", "ws") + path;
        return http.newWebSocketBuilder()
                .header("Origin", base)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(ws), listener);
    }

    public WebSocket terminalNow(String path, WebSocket.Listener listener) {
        try {
            return terminal(path, listener).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("terminal did not connect: " + e, e);
        }
    }

    static String encode(Map<String, String> fields) {
        StringJoiner joiner = new StringJoiner("&");
        fields.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }
}
