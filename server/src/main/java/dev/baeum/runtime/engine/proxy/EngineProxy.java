package dev.baeum.runtime.engine.proxy;

import dev.baeum.runtime.engine.ApiCall;
import dev.baeum.runtime.engine.Catalogue;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.ImageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The per-session Docker engines learners see: one scoping proxy socket per docker-lab session, in its own
 * folder under {@code root} (which the engine bind-mounts into the lab container). The sockets are the only
 * in-memory part; everything they decide on comes from the engine's labels and the database, so a restarted
 * or different server instance serves the same session the same way.
 */
public final class EngineProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineProxy.class);

    private final EngineClient engine;
    private final Catalogue catalogue;
    private final ImageLedger ledger;
    private final ApiCall.Sink calls;
    private final Path root;
    private final String serverHeader;
    private final Map<String, SessionSocket> sockets = new ConcurrentHashMap<>();

    public EngineProxy(EngineClient engine, Catalogue catalogue, ImageLedger ledger, ApiCall.Sink calls, Path root) {
        this.engine = engine;
        this.catalogue = catalogue;
        this.ledger = ledger;
        this.calls = calls;
        this.root = root.toAbsolutePath().normalize();
        String version;
        try {
            version = engine.get("/version").path("Version").asText("20.10");
        } catch (RuntimeException e) {
            version = "20.10";
        }
        this.serverHeader = "Docker/" + version + " (linux)";
        try {
            Files.createDirectories(this.root);
            // Others may pass through (the lab containers' users) but not list which sessions exist.
            Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException("엔진 소켓 폴더를 만들 수 없습니다: " + this.root, e);
        }
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    /** The folder the lab container mounts for this session (the socket and port sockets live there). */
    public Path dir(String sessionId) {
        if (!sessionId.matches("[a-zA-Z0-9-]{8,64}")) {
            throw new IllegalArgumentException("bad session id");
        }
        return root.resolve(sessionId);
    }

    /** Starts (or keeps) serving a session; false when another live server instance serves it. */
    public boolean serve(EngineScope scope) {
        SessionSocket existing = sockets.get(scope.sessionId());
        if (existing != null) {
            existing.update(scope);
            return true;
        }
        try {
            SessionSocket socket = SessionSocket.open(scope, engine, catalogue, ledger, calls, serverHeader, dir(scope.sessionId()));
            if (socket == null) {
                return false;
            }
            SessionSocket raced = sockets.putIfAbsent(scope.sessionId(), socket);
            if (raced != null) {
                socket.close();
                raced.update(scope);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("세션의 도커 소켓을 열지 못했습니다: " + e.getMessage(), e);
        }
    }

    public boolean serving(String sessionId) {
        return sockets.containsKey(sessionId);
    }

    public Optional<EngineScope> scope(String sessionId) {
        return Optional.ofNullable(sockets.get(sessionId)).map(SessionSocket::scope);
    }

    /** Stops serving a session (its socket goes away), keeping its folder. */
    public void stop(String sessionId) {
        SessionSocket socket = sockets.remove(sessionId);
        if (socket != null) {
            socket.close();
        }
    }

    /** Stops serving and removes the session's folder. */
    public void forget(String sessionId) {
        stop(sessionId);
        Path dir = dir(sessionId);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        log.debug("Could not delete {}: {}", p, e.getMessage());
                    }
                });
            } catch (IOException e) {
                log.debug("Could not clean {}: {}", dir, e.getMessage());
            }
        }
    }

    public int count() {
        return sockets.size();
    }

    @Override
    public void close() {
        sockets.keySet().forEach(this::stop);
    }
}
