package dev.baeum.web.labs;

import dev.baeum.runtime.sandbox.ContainerFactory;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.sessions.Sandboxes;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.http.ResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.base.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser terminals: each WebSocket is bridged to a TTY {@code docker exec} of {@code baeum-shell} (tmux) as
 * the learner. Output goes to the browser as binary frames at a bounded rate (blocking the reader pushes
 * back to the container, so neither server memory nor the browser can be flooded); input arrives as small
 * JSON messages and is queued with a cap. Closing the socket only detaches tmux: the shell lives on in the
 * container for the next connection, even one to another server instance.
 *
 * <p>A reset keeps the session id and replaces its containers, so a terminal always attaches to the
 * container the database records at connect time, and one whose container disappears is closed with
 * {@link #CLOSE_CONTAINER_GONE} rather than {@link #CLOSE_SHELL_ENDED}: the browser then re-reads the session
 * before it reconnects instead of attaching again to a container that no longer exists.
 */
public final class TerminalHub {

    private static final Logger log = LoggerFactory.getLogger(TerminalHub.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    public static final String SESSION_ATTRIBUTE = "baeum.sandbox";
    public static final String NODE_ATTRIBUTE = "baeum.node";
    /** Close codes the browser understands (lab.js). The shell ended: reconnect to the same container. */
    public static final int CLOSE_SHELL_ENDED = 4000;
    /** The container was removed (reset, end, reaper): re-read the session, then attach to its current one. */
    public static final int CLOSE_CONTAINER_GONE = 4001;
    /** No container to attach to right now (session over, or a reset still starting its new one). */
    public static final int CLOSE_UNAVAILABLE = 4004;
    private static final int INPUT_CAPACITY = 256 * 1024;
    private static final int MAX_DIMENSION = 500;

    private final EngineClient engine;
    private final Sandboxes sandboxes;
    private final long bytesPerSecond;
    private final Map<String, Terminal> terminals = new ConcurrentHashMap<>();

    /** @param engine the Engine API client (without an engine, one whose every request fails: no terminal opens) */
    public TerminalHub(EngineClient engine, Sandboxes sandboxes, long bytesPerSecond) {
        this.engine = engine;
        this.sandboxes = sandboxes;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Browser terminals attached to this server instance right now. */
    public int attached() {
        return terminals.size();
    }

    public void connect(WsConnectContext ctx) {
        SandboxSession authorized = ctx.attribute(SESSION_ATTRIBUTE);
        String node = ctx.attribute(NODE_ATTRIBUTE);
        // The session as recorded now, not when the upgrade was authorized: a reset may have replaced its container.
        SandboxSession session = authorized == null ? null
                : sandboxes.find(authorized.id()).filter(SandboxSession::active).orElse(null);
        String containerId = session == null ? null : session.container(node);
        if (containerId == null) {
            ctx.closeSession(CLOSE_UNAVAILABLE, "unavailable");
            return;
        }
        ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
        ctx.enableAutomaticPings(30, java.util.concurrent.TimeUnit.SECONDS, null); // keeps proxies from closing a quiet terminal
        int cols = dimension(ctx.queryParam("cols"), 80);
        int rows = dimension(ctx.queryParam("rows"), 24);
        Terminal terminal = new Terminal(ctx, session.id(), session.resets(), node, containerId);
        terminals.put(ctx.sessionId(), terminal);
        try {
            ObjectNode create = JSON.createObjectNode().put("User", "1000:1000").put("Tty", true)
                    .put("AttachStdin", true).put("AttachStdout", true).put("AttachStderr", true)
                    .put("WorkingDir", ContainerFactory.LEARNER_HOME);
            ArrayNode env = create.putArray("Env");
            List.of("TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME=" + ContainerFactory.LEARNER_HOME,
                    "COLUMNS=" + cols, "LINES=" + rows).forEach(env::add);
            create.putArray("Cmd").add("/usr/local/bin/baeum-shell");
            terminal.execId = engine.post("/containers/" + containerId + "/exec", create).path("Id").asText();
            EngineClient.Exchange exchange = engine.open("POST", "/exec/" + terminal.execId + "/start",
                    JSON.writeValueAsBytes(JSON.createObjectNode().put("Detach", false).put("Tty", true)),
                    "application/json", true);
            ResponseHead head = exchange.response(false);
            if (head.status() != 101 && head.status() != 200) {
                String why = engine.message(exchange.reader().readBody(64 * 1024));
                exchange.close();
                throw new EngineException(head.status(), why);
            }
            terminal.exchange = exchange;
            InputStream output = head.status() == 101 ? exchange.reader().rawRemainder() : exchange.reader().body();
            // Two virtual threads per terminal, no platform thread: hundreds of idle terminals cost little.
            Thread.ofVirtual().name("terminal-out").start(() -> pumpOutput(terminal, output));
            Thread.ofVirtual().name("terminal-in").start(() -> pumpInput(terminal, exchange));
            terminal.started = true;
            resize(terminal, terminal.pendingCols > 0 ? terminal.pendingCols : cols,
                    terminal.pendingRows > 0 ? terminal.pendingRows : rows);
        } catch (IOException | RuntimeException e) {
            log.info("Terminal for session {} could not start: {}", session.id(), e.getMessage());
            terminals.remove(ctx.sessionId());
            terminal.control("error", "터미널을 열지 못했습니다. 실습 환경을 초기화해 보세요.");
            ctx.closeSession(CLOSE_UNAVAILABLE, "exec failed");
        }
    }

    /** Container → browser, at most bytesPerSecond (waiting here stops reading, which stalls the writer). */
    private void pumpOutput(Terminal terminal, InputStream output) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = output.read(buf)) >= 0) {
                if (n > 0) {
                    terminal.output(java.util.Arrays.copyOf(buf, n));
                }
            }
        } catch (IOException e) {
            log.debug("Terminal stream ended: {}", e.toString());
        }
        ended(terminal);
    }

    /** Browser → container: the queued input, as the shell reads it. */
    private void pumpInput(Terminal terminal, EngineClient.Exchange exchange) {
        byte[] buf = new byte[8 * 1024];
        try {
            int n;
            while ((n = terminal.stdin.read(buf, 0, buf.length)) >= 0) {
                exchange.out().write(buf, 0, n);
                exchange.out().flush();
            }
        } catch (IOException e) {
            log.debug("Terminal input ended: {}", e.toString());
        }
    }

    private void ended(Terminal terminal) {
        if (terminals.values().remove(terminal)) {
            if (containerGone(terminal)) {
                terminal.control("gone", "이 터미널의 컨테이너가 없어졌습니다. 실습 환경을 다시 확인합니다.");
                terminal.ws.closeSession(CLOSE_CONTAINER_GONE, "container gone");
            } else {
                terminal.control("exit", "셸이 종료되었습니다. 다시 연결합니다.");
                terminal.ws.closeSession(CLOSE_SHELL_ENDED, "shell ended");
            }
        }
        terminal.detach();
    }

    public void message(WsMessageContext ctx) {
        Terminal terminal = terminals.get(ctx.sessionId());
        if (terminal == null) {
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(ctx.message());
        } catch (Exception e) {
            terminal.control("notice", "알 수 없는 메시지를 무시했습니다.");
            return;
        }
        if (msg == null || !msg.isObject()) {
            terminal.control("notice", "알 수 없는 메시지를 무시했습니다.");
            return;
        }
        switch (msg.path("type").asText("")) {
            case "input" -> input(terminal, msg.path("data").asText("").getBytes(StandardCharsets.UTF_8));
            case "resize" -> resize(terminal, dimension(msg.path("cols").asText(), 80), dimension(msg.path("rows").asText(), 24));
            case "ping" -> terminal.control("pong", null);
            default -> terminal.control("notice", "알 수 없는 메시지를 무시했습니다.");
        }
    }

    public void binary(WsBinaryMessageContext ctx) {
        Terminal terminal = terminals.get(ctx.sessionId());
        if (terminal != null) {
            byte[] data = new byte[ctx.length()];
            System.arraycopy(ctx.data(), ctx.offset(), data, 0, ctx.length());
            input(terminal, data);
        }
    }

    public void close(WsCloseContext ctx) {
        Terminal terminal = terminals.remove(ctx.sessionId());
        if (terminal != null) {
            terminal.detach();
        }
    }

    private void input(Terminal terminal, byte[] data) {
        if (data.length == 0) {
            return;
        }
        if (!terminal.stdin.offer(data)) {
            terminal.control("notice", "입력이 너무 많아 일부를 버렸습니다. 조금씩 나눠 붙여 넣어 주세요.");
            return;
        }
        sandboxes.touch(terminal.sandboxSessionId);
    }

    private void resize(Terminal terminal, int cols, int rows) {
        if (terminal.execId == null || !terminal.started) {
            terminal.pendingCols = cols;
            terminal.pendingRows = rows;
            return;
        }
        try {
            engine.act("POST", "/exec/" + terminal.execId + "/resize?h=" + rows + "&w=" + cols, null);
        } catch (RuntimeException e) {
            log.debug("Resize failed: {}", e.getMessage());
        }
    }

    private static int dimension(String value, int fallback) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            return n >= 2 && n <= MAX_DIMENSION ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** One attached browser terminal. */
    private final class Terminal {
        final WsContext ws;
        final String sandboxSessionId;
        final int resets;
        final String node;
        final String containerId;
        final QueueInputStream stdin = new QueueInputStream(INPUT_CAPACITY);
        volatile String execId;
        volatile boolean started;
        volatile int pendingCols;
        volatile int pendingRows;
        volatile EngineClient.Exchange exchange;
        private final Object sendLock = new Object();
        private long windowStart = System.nanoTime();
        private long windowBytes;

        Terminal(WsContext ws, String sandboxSessionId, int resets, String node, String containerId) {
            this.ws = ws;
            this.sandboxSessionId = sandboxSessionId;
            this.resets = resets;
            this.node = node;
            this.containerId = containerId;
        }

        void output(byte[] data) {
            throttle(data.length);
            synchronized (sendLock) {
                if (ws.session.isOpen()) {
                    try {
                        ws.send(ByteBuffer.wrap(data));
                    } catch (Exception e) { // Jetty's IOException arrives unchecked through Kotlin
                        log.debug("Terminal output dropped: {}", e.getMessage());
                    }
                }
            }
        }

        void control(String type, String message) {
            ObjectNode node = JSON.createObjectNode().put("type", type);
            if (message != null) {
                node.put("message", message);
            }
            synchronized (sendLock) {
                if (ws.session.isOpen()) {
                    try {
                        ws.send(node.toString());
                    } catch (Exception e) {
                        log.debug("Could not send to terminal: {}", e.getMessage());
                    }
                }
            }
        }

        /** At most bytesPerSecond: sleeping here stops reading from Docker, which stalls the writer. */
        private void throttle(int bytes) {
            long now = System.nanoTime();
            if (now - windowStart >= 1_000_000_000L) {
                windowStart = now;
                windowBytes = 0;
            }
            windowBytes += bytes;
            if (windowBytes > bytesPerSecond) {
                long wait = 1_000_000_000L - (now - windowStart);
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                windowStart = System.nanoTime();
                windowBytes = 0;
            }
        }

        void detach() {
            stdin.close();
            EngineClient.Exchange e = exchange;
            if (e != null) {
                e.close(); // tmux sees its client go; the shell stays for the next connection
            }
        }
    }

    /**
     * Whether the terminal's container is no longer the session's: the session ended, or was reset (counted
     * before the old container is removed, while the database still names it), or the container stopped.
     */
    private boolean containerGone(Terminal terminal) {
        try {
            boolean current = sandboxes.find(terminal.sandboxSessionId)
                    .filter(s -> s.active() && s.resets() == terminal.resets)
                    .map(s -> terminal.containerId.equals(s.container(terminal.node)))
                    .orElse(false);
            return !current || !sandboxes.running(terminal.containerId);
        } catch (RuntimeException e) { // database or engine unreachable: a plain reconnect is the safe guess
            log.debug("Could not tell why terminal of session {} ended: {}", terminal.sandboxSessionId, e.toString());
            return false;
        }
    }
}
