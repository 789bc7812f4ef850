package dev.baeum.base.config;

/**
 * Every setting the platform reads, with its default. The README's configuration table lists exactly
 * these (a test keeps the two in step). Each can be set in {@code baeum.properties} under {@link #key()}
 * or as the environment variable {@link #env()}; the environment wins.
 */
public enum Setting {
    PORT("server.port", "7070", "HTTP 포트"),
    DATA_DIR("data.dir", "data", "H2 데이터베이스 파일과 서버 데이터를 두는 폴더"),
    DB_URL("db.url", "", "JDBC URL. 비워 두면 data.dir 안의 H2 파일 데이터베이스. 운영에서는 PostgreSQL (jdbc:postgresql://호스트:5432/baeum)"),
    DB_USER("db.user", "sa", "데이터베이스 사용자"),
    DB_PASSWORD("db.password", "", "데이터베이스 비밀번호"),
    DB_POOL_SIZE("db.pool.size", "16", "서버 하나가 여는 데이터베이스 연결 수 상한 (서버 수 × 이 값이 PostgreSQL의 max_connections보다 작아야 함)"),
    LESSONS_DIR("lessons.dir", "lessons", "레슨 Markdown 폴더"),
    LABS_DIR("labs.dir", "labs", "실습 정의와 이미지 폴더"),
    WEB_DIR("web.dir", "web", "템플릿과 정적 파일 폴더 (개발 모드에서 직접 읽음)"),
    DEV_MODE("dev.mode", "false", "개발 모드: 템플릿·정적 파일·레슨을 요청마다 디스크에서 다시 읽음"),
    PUBLIC_URL("public.url", "", "문서와 API 예시에 쓰는 외부 주소. 비우면 요청의 Host 헤더"),
    ADMIN_USERNAME("admin.username", "", "시작할 때 만들거나 강사로 올리는 첫 강사 계정 이름"),
    ADMIN_PASSWORD("admin.password", "", "첫 강사 계정의 비밀번호 (admin.username과 함께)"),
    GUEST_ENABLED("guest.enabled", "true", "가입 없이 게스트로 실습을 체험할 수 있게 할지"),
    PROXY_HOPS("proxy.hops", "0", "배움 앞의 리버스 프록시 수. 0이면 X-Forwarded-For를 믿지 않고 연결한 주소를 씀. 1이면 프록시가 붙인 마지막 주소를 씀"),
    METRICS_TOKEN("metrics.token", "", "/metrics 를 다른 기계(Prometheus)에서 읽을 때 쓰는 Bearer 토큰. 비우면 같은 기계에서만 읽을 수 있음"),
    LIMITS_LOGIN_IP("limits.login.ip", "50/15m", "한 주소에서 로그인 실패 횟수 상한 (넘으면 기간이 끝날 때까지 429)"),
    LIMITS_LOGIN_ACCOUNT("limits.login.account", "10/15m", "한 계정의 로그인 실패 횟수 상한 (넘으면 기간이 끝날 때까지 그 계정의 로그인을 잠금)"),
    LIMITS_SIGNUP_IP("limits.signup.ip", "300/1h", "한 주소에서 가입 요청 수 상한"),
    LIMITS_GUEST_IP("limits.guest.ip", "300/1h", "한 주소에서 만들 수 있는 게스트 수 상한"),
    LIMITS_SESSION_IP("limits.session.ip", "1000/1h", "한 주소에서 실습 환경 시작(초기화 포함) 수 상한"),
    LIMITS_SESSION_ACCOUNT("limits.session.account", "60/1h", "한 계정의 실습 환경 시작(초기화 포함) 수 상한"),
    LIMITS_GRADING_IP("limits.grading.ip", "600/1h", "한 주소에서 채점 API 요청 수 상한"),
    LIMITS_GRADING_ACCOUNT("limits.grading.account", "600/1h", "한 API 토큰 주인의 채점 API 요청 수 상한"),
    SANDBOX_IDLE_TIMEOUT("sandbox.idle.timeout", "30m", "입력이 없을 때 실습 컨테이너를 정리하기까지의 시간"),
    SANDBOX_MAX_LIFETIME("sandbox.max.lifetime", "2h", "실습 컨테이너의 최대 수명 (연장해도 넘지 않음)"),
    SANDBOX_GUEST_LIFETIME("sandbox.guest.lifetime", "30m", "게스트 실습 컨테이너의 최대 수명"),
    SANDBOX_MAX_SESSIONS("sandbox.max.sessions", "40", "서버 전체에서 동시에 실행할 수 있는 실습 세션 수"),
    SANDBOX_GUEST_SHARE("sandbox.guest.share", "0.5", "동시 세션 중 게스트가 쓸 수 있는 몫 (0~1, 0이면 게스트는 실습을 열 수 없음)"),
    SANDBOX_MEMORY("sandbox.memory", "256m", "컨테이너 메모리 상한 (스왑 포함 같은 값)"),
    SANDBOX_CPUS("sandbox.cpus", "0.5", "컨테이너 CPU 할당량 (코어 수)"),
    SANDBOX_PIDS("sandbox.pids", "128", "컨테이너 안 프로세스 수 상한"),
    SANDBOX_TMPFS_HOME("sandbox.tmpfs.home", "64m", "학습자 홈 디렉터리(tmpfs) 크기"),
    SANDBOX_TMPFS_TMP("sandbox.tmpfs.tmp", "32m", "/tmp 와 /var/tmp (tmpfs) 크기"),
    SANDBOX_FILE_SIZE("sandbox.file.size", "32m", "한 파일의 최대 크기 (ulimit -f)"),
    SANDBOX_NOFILE("sandbox.nofile", "1024", "프로세스당 열 수 있는 파일 수 (ulimit -n)"),
    SANDBOX_LOG_SIZE("sandbox.log.size", "1m", "컨테이너 로그 파일 크기 상한"),
    SANDBOX_RUNTIME("sandbox.runtime", "", "컨테이너 런타임 (예: runsc). 비우면 엔진 기본값(runc)"),
    SANDBOX_CHECK_TIMEOUT("sandbox.check.timeout", "10s", "채점 스크립트 하나의 제한 시간"),
    SANDBOX_REAPER_INTERVAL("sandbox.reaper.interval", "30s", "만료된 컨테이너를 정리하는 주기"),
    SANDBOX_POOL_SIZE("sandbox.pool.size", "1", "실습 이미지마다 미리 띄워 둘 컨테이너 수 (0이면 끔)"),
    SANDBOX_POOL_TTL("sandbox.pool.ttl", "30m", "미리 띄운 컨테이너가 배정되지 않고 기다릴 수 있는 시간"),
    SANDBOX_TERMINAL_RATE("sandbox.terminal.rate", "262144", "터미널 출력 전송 상한 (바이트/초)"),
    DOCKER_LABS("docker.labs", "auto", "도커 실습(docker: true)을 열지: auto = 엔진이 컨테이너의 root를 호스트의 일반 사용자로 실행할 때만(userns-remap, rootless), on = 그렇지 않아도 연다(위험: 학습자의 이미지가 호스트 root로 돈다), off = 닫는다"),
    DOCKER_SOCKET_DIR("docker.socket.dir", "", "도커 실습 세션마다 도커 소켓을 두는 폴더 (엔진이 실습 컨테이너에 마운트). 비우면 data.dir/engine. 플랫폼을 컨테이너로 실행하면 호스트와 같은 절대 경로로 마운트해야 함"),
    DOCKER_CATALOG("docker.catalog", "debian:bookworm-slim,node:18-slim,node:16-slim,python:3.11-slim,nginx:1.22", "도커 실습에서 누구나 쓸 수 있는 기본 이미지 (쉼표로 구분, 읽기 전용). 없으면 서버가 받고, 받을 수 없는 기계에서는 labs/catalog/bootstrap.sh 로 만듦"),
    DOCKER_MEMORY("docker.memory", "1g", "도커 실습 세션 하나의 메모리 예산: 실습 컨테이너와 학습자가 띄운 컨테이너·빌드를 모두 합한 상한"),
    DOCKER_CPUS("docker.cpus", "1.0", "도커 실습 세션 하나의 CPU 예산 (코어 수)"),
    DOCKER_PIDS("docker.pids", "512", "도커 실습 세션 하나의 프로세스 수 예산"),
    DOCKER_CONTAINER_MEMORY("docker.container.memory", "256m", "학습자 컨테이너의 기본 메모리 상한 (--memory 를 주지 않았을 때)"),
    DOCKER_CONTAINER_CPUS("docker.container.cpus", "0.5", "학습자 컨테이너의 기본 CPU 상한 (--cpus 를 주지 않았을 때)"),
    DOCKER_CONTAINER_PIDS("docker.container.pids", "128", "학습자 컨테이너의 기본 프로세스 수 상한"),
    DOCKER_MAX_CONTAINERS("docker.max.containers", "20", "도커 실습 세션 하나가 만들 수 있는 컨테이너 수"),
    DOCKER_MAX_IMAGES("docker.max.images", "30", "도커 실습 세션 하나가 만들 수 있는 이미지 수"),
    DOCKER_MAX_VOLUMES("docker.max.volumes", "10", "도커 실습 세션 하나가 만들 수 있는 볼륨 수"),
    DOCKER_MAX_NETWORKS("docker.max.networks", "5", "도커 실습 세션 하나가 만들 수 있는 네트워크 수"),
    DOCKER_BUILD_CONTEXT("docker.build.context.max", "64m", "학습자의 docker build 컨텍스트 크기 상한"),
    DOCKER_BUILD_TIMEOUT("docker.build.timeout", "10m", "학습자의 docker build 하나의 제한 시간"),
    DOCKER_FILE_SIZE("docker.file.size", "256m", "학습자 컨테이너와 빌드 단계에서 한 파일의 최대 크기 (ulimit -f)"),
    LABS_BUILD_ON_START("labs.build.on.start", "true", "서버 시작 시 실습 이미지를 백그라운드에서 미리 빌드할지"),
    GRADING_TIMEOUT("grading.timeout", "90s", "채점 제출 하나의 전체 제한 시간"),
    GRADING_CONCURRENCY("grading.concurrency", "2", "동시에 채점하는 제출 수");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** {@code sandbox.idle.timeout} → {@code BAEUM_SANDBOX_IDLE_TIMEOUT}. */
    public String env() {
        return "BAEUM_" + key.toUpperCase().replace('.', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
