package dev.baeum.web.labs;

import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.runtime.engine.http.Header;
import dev.baeum.runtime.engine.http.HttpReader;
import dev.baeum.runtime.engine.http.HttpWriter;
import dev.baeum.runtime.engine.http.ResponseHead;
import dev.baeum.runtime.sandbox.DockerLabs;
import dev.baeum.runtime.sandbox.EngineRepository;
import dev.baeum.runtime.sandbox.EngineViews;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.accounts.User;
import dev.baeum.services.sessions.Sandboxes;
import dev.baeum.web.Csrf;
import dev.baeum.web.Identity;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A docker lab's engine as the lab page shows it: the learner's containers (start times, published ports), the
 * live list of API calls their client made, and port previews — each published port opened through the
 * platform, for the session's owner only.
 */
public final class EngineController {

    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "accept-language", "accept-encoding", "content-type",
            "user-agent", "if-none-match", "if-modified-since", "range", "x-requested-with", "authorization", "origin");
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-encoding", "content-disposition",
            "content-language", "vary", "www-authenticate", "content-range", "accept-ranges");
    private static final Set<String> OUR_COOKIES = Set.of(Identity.SESSION_COOKIE, Csrf.COOKIE);

    private final LabCatalog labs;
    private final Sandboxes sandboxes;
    private final DockerLabs docker;
    private final EngineViews views;
    private final Identity identity;

    public record Containers(List<ContainerRow> containers) {
    }

    public record ContainerRow(String id, String name, String image, String state, String status, Long startMillis,
                               List<PortRow> ports) {
    }

    /** A published port; {@code preview} is the relay path for TCP ports, empty otherwise. */
    public record PortRow(int hostPort, int containerPort, String protocol, String preview) {
    }

    public record Calls(List<CallView> calls) {
    }

    /** One recorded engine API call; missing texts are empty strings, as the page's script expects. */
    public record CallView(long id, long at, String method, String path, String query, int status, int millis,
                           String kind, boolean refused, String error, String request, String response) {
    }

    public EngineController(LabCatalog labs, Sandboxes sandboxes, DockerLabs docker, EngineViews views, Identity identity) {
        this.labs = labs;
        this.sandboxes = sandboxes;
        this.docker = docker;
        this.views = views;
        this.identity = identity;
    }

    /** The learner's containers in this lab's session, with start times and preview links. */
    public void containers(Context ctx) {
        Lab lab = lab(ctx);
        SandboxSession session = session(ctx, lab);
        List<ContainerRow> out = new ArrayList<>();
        for (EngineViews.ContainerView c : views.containers(session.id())) {
            List<PortRow> ports = c.ports().stream().map(p -> new PortRow(p.hostPort(), p.containerPort(), p.protocol(),
                    p.protocol().equals("tcp") ? "/labs/" + lab.id() + "/preview/" + p.hostPort() + "/" : "")).toList();
            out.add(new ContainerRow(c.id(), c.name(), c.image(), c.state(), c.status(), c.startMillis(), ports));
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(new Containers(out));
    }

    /** The API calls of this session after {@code after} (an id), oldest first. */
    public void calls(Context ctx) {
        Lab lab = lab(ctx);
        SandboxSession session = session(ctx, lab);
        long after;
        try {
            after = Long.parseLong(ctx.queryParamAsClass("after", String.class).getOrDefault("0"));
        } catch (NumberFormatException e) {
            after = 0;
        }
        List<CallView> out = new ArrayList<>();
        for (EngineRepository.CallRow c : views.calls(session.id(), after)) {
            out.add(new CallView(c.id(), c.at().toEpochMilli(), c.method(), c.path(), orEmpty(c.query()), c.status(),
                    c.millis(), c.kind(), c.refused(), orEmpty(c.error()), orEmpty(c.request()), orEmpty(c.response())));
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(new Calls(out));
    }

    /**
     * An HTTP request to a learner's published port, relayed through the lab container's forwarder socket in the
     * session's folder. Only the session's owner gets through; the platform's own cookies never reach the app.
     */
    public void preview(Context ctx) throws IOException {
        Lab lab = lab(ctx);
        SandboxSession session = session(ctx, lab);
        int port = port(ctx.pathParam("port"));
        String prefix = "/labs/" + lab.id() + "/preview/" + port;
        if (ctx.path().equals(prefix)) {
            ctx.redirect(prefix + "/"); // the app's relative links need the slash
            return;
        }
        if (views.publisher(session.id(), port).isEmpty()) {
            gone(ctx, port);
            return;
        }
        Path socket = docker.proxy().dir(session.id()).resolve("ports").resolve(port + ".sock");
        for (int i = 0; i < 30 && !Files.exists(socket); i++) {
            sleep(100); // the forwarder starts right after the container
        }
        if (!Files.exists(socket)) {
            gone(ctx, port);
            return;
        }
        String rest = ctx.path().substring(prefix.length());
        String target = (rest.isEmpty() ? "/" : rest) + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                gone(ctx, port);
                return;
            }
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
            byte[] body = ctx.bodyAsBytes();
            List<Header> headers = new ArrayList<>();
            headers.add(new Header("Host", "localhost:" + port));
            for (String name : ctx.headerMap().keySet()) {
                if (REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.add(new Header(name, ctx.header(name)));
                }
            }
            String cookies = appCookies(ctx.header("Cookie"));
            if (!cookies.isEmpty()) {
                headers.add(new Header("Cookie", cookies));
            }
            headers.add(new Header("X-Forwarded-Prefix", prefix));
            headers.add(new Header("Content-Length", String.valueOf(body.length)));
            headers.add(new Header("Connection", "close"));
            HttpWriter.requestHead(out, ctx.method().name(), target, headers);
            out.write(body);
            out.flush();
            HttpReader reader = HttpReader.responses(Channels.newInputStream(channel), 64 * 1024);
            ResponseHead head;
            try {
                head = reader.readResponse(ctx.method().name().equals("HEAD"));
            } catch (IOException e) {
                ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
                ctx.status(502).contentType("text/html; charset=utf-8")
                        .result(page("응답이 없습니다", "포트 " + port + " 의 프로그램이 HTTP로 답하지 않았습니다: " + e.getMessage()));
                return;
            }
            ctx.status(head.status());
            for (Header h : head.headers().fields()) {
                String name = h.name().toLowerCase(Locale.ROOT);
                if (RESPONSE_HEADERS.contains(name)) {
                    ctx.res().addHeader(h.name(), h.value());
                } else if (name.equals("location")) {
                    ctx.header("Location", h.value().startsWith("/") ? prefix + h.value() : h.value());
                } else if (name.equals("set-cookie")) {
                    String cookie = scopeCookie(h.value(), prefix);
                    if (cookie != null) {
                        ctx.res().addHeader("Set-Cookie", cookie);
                    }
                }
            }
            // A preview shows what runs now: after a change or a removed container, nothing stale from the cache.
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Content-Security-Policy", "frame-ancestors 'self'");
            try (InputStream in = reader.body(); OutputStream res = ctx.res().getOutputStream()) {
                in.transferTo(res);
            }
        }
    }

    private void gone(Context ctx, int port) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
        ctx.status(502).contentType("text/html; charset=utf-8").result(page("컨테이너가 없습니다",
                "포트 " + port + " 을(를) 공개한 실행 중인 컨테이너가 이 실습 세션에 없습니다. 컨테이너가 멈췄거나 지워졌다면 "
                        + "docker ps -a 로 확인하고 다시 실행해 보세요 (예: docker run -d -p " + port + ":80 …)."));
    }

    private static String page(String title, String message) {
        return "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>" + esc(title) + "</title>"
                + "<body style=\"font-family:sans-serif;max-width:40rem;margin:3rem auto;line-height:1.6\"><h1>" + esc(title)
                + "</h1><p>" + esc(message) + "</p></body></html>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Cookies the learner's app set for itself; the platform's never leave the platform. */
    static String appCookies(String header) {
        if (header == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String part : header.split(";")) {
            String name = part.strip().split("=", 2)[0];
            if (!name.isEmpty() && !OUR_COOKIES.contains(name)) {
                kept.add(part.strip());
            }
        }
        return String.join("; ", kept);
    }

    /** An app's cookie kept under its preview path; one that would shadow the platform's is dropped. */
    static String scopeCookie(String setCookie, String prefix) {
        String name = setCookie.split("=", 2)[0].strip();
        if (OUR_COOKIES.contains(name)) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        boolean path = false;
        for (String attr : setCookie.split(";")) {
            String a = attr.strip();
            String lower = a.toLowerCase(Locale.ROOT);
            if (lower.startsWith("domain=")) {
                continue;
            }
            if (lower.startsWith("path=")) {
                String p = a.substring(5);
                a = "Path=" + prefix + (p.startsWith("/") ? p : "/" + p);
                path = true;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(a);
        }
        if (!path) {
            out.append("; Path=").append(prefix).append("/");
        }
        return out.toString();
    }

    private static int port(String raw) {
        try {
            int p = Integer.parseInt(raw);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new NotFoundResponse("그런 포트는 없습니다.");
    }

    private SandboxSession session(Context ctx, Lab lab) {
        User user = identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
        if (!lab.docker() || !docker.status().available()) {
            throw new NotFoundResponse("도커 실습이 아닙니다.");
        }
        return sandboxes.active(user, lab).orElseThrow(() -> new LabsUnavailableException(
                "열려 있는 실습 환경이 없습니다. 실습 페이지에서 '실습 시작'을 눌러 주세요."));
    }

    private Lab lab(Context ctx) {
        return labs.find(ctx.pathParam("id")).orElseThrow(() -> new NotFoundResponse("그런 실습은 없습니다."));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
