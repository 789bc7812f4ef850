package dev.baeum.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

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
    private final Status status;

    private DockerEngine(DockerClient client, Status status) {
        this.client = client;
        this.status = status;
    }

    public static DockerEngine detect() {
        String missing = missingTestcontainersSettings();
        if (missing != null) {
            log.warn(missing);
            return new DockerEngine(null, Status.unavailable(missing));
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return new DockerEngine(null, Status.unavailable(
                        "Docker 엔진에 연결할 수 없습니다. Docker를 설치하고 실행한 뒤(예: sudo systemctl start docker)"
                                + " 서버를 다시 시작하세요. 레슨은 그대로 읽을 수 있습니다."));
            }
            DockerClient client = DockerClientFactory.instance().client();
            Version version = client.versionCmd().exec();
            Info info = client.infoCmd().exec();
            log.info("Docker {} (API {}) on {}", version.getVersion(), version.getApiVersion(), info.getOperatingSystem());
            return new DockerEngine(client, new Status(true, version.getVersion(), version.getApiVersion(),
                    info.getKernelVersion(), info.getOperatingSystem(), info.getName(), null));
        } catch (RuntimeException e) {
            log.warn("Docker is not usable: {}", e.toString());
            return new DockerEngine(null, Status.unavailable(
                    "Docker 엔진을 쓸 수 없습니다: " + e.getMessage() + ". Docker가 실행 중인지 확인한 뒤 서버를 다시 시작하세요."));
        }
    }

    /** An engine known to be absent, for commands and tests that must not touch Docker. */
    public static DockerEngine absent(String why) {
        return new DockerEngine(null, Status.unavailable(why));
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
     * Testcontainers reads these only from the environment. Without them it would try to pull its Ryuk
     * reaper image, and Ryuk would remove every learner's container whenever this server restarts.
     */
    private static String missingTestcontainersSettings() {
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            return "환경 변수 TESTCONTAINERS_RYUK_DISABLED=true 가 필요합니다 (서버가 자체 정리기를 씁니다)."
                    + " README의 실행 명령을 쓰거나 이 변수를 설정한 뒤 다시 시작하세요.";
        }
        return null;
    }
}
