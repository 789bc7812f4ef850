package dev.baeum.runtime.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Where the Docker engine listens: a UNIX socket (the usual case) or plain TCP. */
public record EngineAddress(Path socket, String host, int port) {

    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    /** From a DOCKER_HOST-style URI ({@code unix:///var/run/docker.sock}, {@code tcp://host:2375}). */
    public static EngineAddress of(URI uri) {
        return switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "unix" -> new EngineAddress(Path.of(uri.getPath()), null, 0);
            case "tcp", "http" -> new EngineAddress(null, uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
            default -> throw new IllegalArgumentException("지원하지 않는 Docker 엔진 주소입니다: " + uri);
        };
    }

    public static EngineAddress unix(Path socket) {
        return new EngineAddress(socket, null, 0);
    }

    public SocketChannel connect() throws IOException {
        SocketAddress address = socket != null ? UnixDomainSocketAddress.of(socket) : new InetSocketAddress(host, port);
        SocketChannel channel = SocketChannel.open(socket != null ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        try {
            channel.connect(address);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    @Override
    public String toString() {
        return socket != null ? "unix://" + socket : "tcp://" + host + ":" + port;
    }
}
