package dev.baeum.runtime.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The Docker engine as Testcontainers finds it. Detection happens once, at start: without an engine the
 * site still serves lessons and every lab page explains, in Korean, why labs are unavailable.
 */
public final class DockerEngine {

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

    /** What the engine is, or why there is none. */
    public record Status(boolean available, String version, String apiVersion, String kernel,
                         String operatingSystem, String hostname, String problem) {
        static Status unavailable(String problem) {
            return new Status(false, null, null, null, null, null, problem);
        }
    }

    private final DockerClient client;
    private final java.net.URI host;
    private final Status status;

    private DockerEngine(DockerClient client, java.net.URI host, Status status) {
        this.client = client;
        this.host = host;
        this.status = status;
    }

    public static DockerEngine detect() {
        DockerClient client;
        java.net.URI host;
        try {
            DockerClientProviderStrategy strategy = connect();
            client = strategy.getDockerClient();
            host = strategy.getTransportConfig().getDockerHost();
        } catch (RuntimeException e) {
            log.warn("No Docker engine found: {}", e.getMessage());
            return new DockerEngine(null, null, Status.unavailable(
                    "Docker 엔진에 연결할 수 없습니다. Docker를 설치하고 실행한 뒤(예: sudo systemctl start docker)"
                            + " 서버를 다시 시작하세요. 레슨은 그대로 읽을 수 있습니다."));
        }
        try {
            Version version = client.versionCmd().exec();
            Info info = client.infoCmd().exec();
            log.info("Docker {} (API {}) on {}", version.getVersion(), version.getApiVersion(), info.getOperatingSystem());
            return new DockerEngine(client, host, new Status(true, version.getVersion(), version.getApiVersion(),
                    info.getKernelVersion(), info.getOperatingSystem(), info.getName(), null));
        } catch (RuntimeException e) {
            log.warn("Docker is not usable: {}", e.toString());
            return new DockerEngine(null, null, Status.unavailable(
                    "Docker 엔진을 쓸 수 없습니다: " + e.getMessage() + ". Docker가 실행 중인지 확인한 뒤 서버를 다시 시작하세요."));
        }
    }

    /** An engine known to be absent, for commands and tests that must not touch Docker. */
    public static DockerEngine absent(String why) {
        return new DockerEngine(null, null, Status.unavailable(why));
    }

    public boolean available() {
        return status.available();
    }

    public Status status() {
        return status;
    }

    /** The shared docker-java client; only call when {@link #available()}. */
    public DockerClient client() {
        if (client == null) {
            throw new LabsUnavailableException(status.problem());
        }
        return client;
    }

    /**
     * Finds the engine the way Testcontainers does (DOCKER_HOST, {@code ~/.testcontainers.properties}, the
     * usual sockets, rootless and Docker Desktop) and returns its docker-java client, without going through
     * {@code DockerClientFactory}: that one would start Ryuk (which removes every learner's container when
     * this server stops), run start-up checks in an {@code alpine} container and probe the host's IP, and
     * can be told not to only through environment variables. We need none of it: our Reaper cleans up and
     * no port of a lab container is reached through the host.
     */
    private static DockerClientProviderStrategy connect() {
        List<DockerClientProviderStrategy> strategies = ServiceLoader.load(DockerClientProviderStrategy.class)
                .stream().map(ServiceLoader.Provider::get).toList();
        return DockerClientProviderStrategy.getFirstValidStrategy(strategies);
    }

    /** The engine's address (unix:///var/run/docker.sock, tcp://…), for the platform's own Engine API client. */
    public java.net.URI host() {
        if (host == null) {
            throw new LabsUnavailableException(status.problem());
        }
        return host;
    }
}
