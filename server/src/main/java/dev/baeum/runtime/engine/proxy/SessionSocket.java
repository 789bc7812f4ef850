package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.runtime.engine.ApiCall;
import dev.baeum.runtime.engine.Catalogue;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.ImageLedger;
import dev.baeum.runtime.engine.http.BadHttpException;
import dev.baeum.runtime.engine.http.BodyTooLargeException;
import dev.baeum.runtime.engine.http.HttpReader;
import dev.baeum.runtime.engine.http.RequestHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's engine socket: a UNIX socket the lab container sees as {@code /var/run/docker.sock}, served
 * on virtual threads (one per connection, one request per connection). Whoever holds the lock file in the
 * session's folder serves it, so after a crash another server instance can take over.
 */
public final class SessionSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionSocket.class);
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final AtomicReference<EngineScope> scope;
    private final EngineClient engine;
    private final ObjectMapper json;
    private final Catalogue catalogue;
    private final ImageLedger ledger;
    private final ApiCall.Sink calls;
    private final String serverHeader;
    private final Path dir;
    private final FileLock lock;
    private final ServerSocketChannel server;
    private final ReentrantLock sessionLock = new ReentrantLock();
    private final ReentrantLock building = new ReentrantLock();
    private final LabHooks hooks;

    private SessionSocket(EngineScope scope, EngineClient engine, Catalogue catalogue, ImageLedger ledger, ApiCall.Sink calls,
                          String serverHeader, Path dir, FileLock lock, ServerSocketChannel server) {
        this.scope = new AtomicReference<>(scope);
        this.engine = engine;
        this.json = engine.json();
        this.catalogue = catalogue;
        this.ledger = ledger;
        this.calls = calls;
        this.serverHeader = serverHeader;
        this.dir = dir;
        this.lock = lock;
        this.server = server;
        this.hooks = new LabHooks(engine, () -> this.scope.get().labContainerId());
    }

    /**
     * Binds the session's socket in {@code dir} if no other process serves it; returns null when another
     * (live) process holds the session's lock.
     */
    static SessionSocket open(EngineScope scope, EngineClient engine, Catalogue catalogue, ImageLedger ledger,
                              ApiCall.Sink calls, String serverHeader, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ports = dir.resolve("ports");
        Files.createDirectories(ports);
        Files.setPosixFilePermissions(ports, PosixFilePermissions.fromString("rwxrwxrwx"));
        ports.toFile().setWritable(true, false);
        var channel = java.nio.channels.FileChannel.open(dir.resolve(".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        Path socket = dir.resolve("docker.sock");
        Files.deleteIfExists(socket); // left by a server that died: we hold the lock now
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), 256);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            server.close();
            lock.release();
            channel.close();
            throw e;
        }
        SessionSocket s = new SessionSocket(scope, engine, catalogue, ledger, calls, serverHeader, dir, lock, server);
        Thread.ofVirtual().name("engine-accept-" + scope.prefix()).start(s::accept);
        return s;
    }

    public EngineScope scope() {
        return scope.get();
    }

    public void update(EngineScope next) {
        scope.set(next);
    }

    public Path dir() {
        return dir;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("engine-conn-" + scope.get().prefix()).start(() -> serve(client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.debug("Accept on {} failed: {}", dir, e.toString());
            }
        }
    }

    private void serve(SocketChannel client) {
        long began = System.nanoTime();
        EngineScope current = scope.get();
        Ctx ctx = new Ctx(current, engine, catalogue, ledger, hooks, sessionLock);
        RequestHead head = null;
        String query = null;
        String path = null;
        String error = null;
        boolean refused = false;
        ClientReply reply = null;
        ApiRequest request = null;
        try (client) {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(client), 16 * 1024);
            reply = new ClientReply(out, json, serverHeader);
            HttpReader reader = HttpReader.requests(in, MAX_HEADER_BYTES);
            try {
                head = reader.readRequest();
                if (head == null) {
                    return;
                }
                int q = head.target().indexOf('?');
                path = q < 0 ? head.target() : head.target().substring(0, q);
                query = q < 0 ? null : head.target().substring(q + 1);
                request = ApiRequest.of(head, reader);
                path = request.path();
                new SessionApi(ctx, building).handle(request, reply, new Conn() {
                    @Override
                    public InputStream rawIn() {
                        return reader.rawRemainder();
                    }

                    @Override
                    public void shutdownOutput() throws IOException {
                        out.flush();
                        client.shutdownOutput();
                    }
                });
            } catch (Refusal r) {
                refused = true;
                error = r.getMessage();
                fail(reply, r.status(), r.getMessage());
            } catch (BodyTooLargeException e) {
                refused = true;
                error = "요청 본문이 너무 큽니다 (" + (e.limit() >> 20) + "MB까지).";
                fail(reply, 413, error);
            } catch (BadHttpException e) {
                refused = true;
                error = "올바른 HTTP 요청이 아닙니다: " + e.getMessage();
                fail(reply, e.status(), error);
            } catch (EngineException e) {
                error = ctx.names.scrub(e.getMessage());
                fail(reply, e.status() == 0 ? 502 : e.status(), error);
            } catch (IOException e) {
                log.debug("Engine proxy connection ended", e);
                fail(reply, 500, "요청을 처리하지 못했습니다: " + e.getMessage());
                error = "연결이 끊겼습니다: " + e;
            } catch (RuntimeException | Error e) {
                log.warn("Engine proxy failed on {} {}", head == null ? "?" : head.method(), path, e);
                error = "프록시가 요청을 처리하지 못했습니다.";
                fail(reply, 500, error);
            }
            out.flush();
        } catch (IOException e) {
            // the client went away
        } finally {
            if (head != null) {
                int millis = (int) ((System.nanoTime() - began) / 1_000_000);
                calls.record(new ApiCall(current.sessionId(), current.userId(), current.labId(), Instant.now(), head.method(),
                        path == null ? "?" : path, query, reply == null ? 0 : reply.status(), millis,
                        request == null ? "" : request.excerpt(), reply == null ? "" : reply.excerpt(),
                        reply == null ? "json" : reply.kind(), refused, error != null || reply == null ? error : reply.streamError()));
            }
        }
    }

    private static void fail(ClientReply reply, int status, String message) {
        if (reply != null && !reply.committed()) {
            try {
                reply.error(status, message);
            } catch (IOException ignored) {
                // the client went away
            }
        }
    }

    /** Stops serving: the socket file goes, so the lab container sees no engine until someone serves it again. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closed already
        }
        try {
            Files.deleteIfExists(dir.resolve("docker.sock"));
            lock.release();
            lock.channel().close();
        } catch (IOException ignored) {
            // the folder may already be gone
        }
    }
}
