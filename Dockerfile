# The baeum platform as a container image: the server jar on a jlinked Java runtime, on debian:bookworm-slim,
# running as a non-root user. Production use with PostgreSQL: compose.yaml and README "컨테이너로 운영하기".
#
#   docker build -t baeum .
#
# Why it looks like this (measured on the project's CI machine, where nothing can be pulled):
# - debian:bookworm-slim is the only base image. Every lab image starts FROM it too, so an offline machine needs
#   exactly one base image (labs/images/bootstrap-base-image.sh makes it without a registry).
# - The JDK is Eclipse Temurin from Adoptium's signed apt repository. Debian bookworm itself has only OpenJDK 17
#   (the platform needs 21+), and trixie's OpenJDK 21/25 needs glibc 2.38: its jlinked runtime fails on bookworm
#   (2.36) with "GLIBC_2.38 not found". Temurin is built against an old glibc and runs on any of them.
# - Plain Dockerfile syntax (no RUN --mount, no "# syntax=" line) so it builds with BuildKit and with the classic
#   builder alike (Debian's docker.io 20.10 CLI, docker-java).
#
# Builders that cannot download (air-gapped; the project's CI, which reaches only the Debian mirror from inside
# a build) bring the two downloaded parts from the host instead, as PlatformImageIT does:
#   --build-arg BUILD_IMAGE=<image>  an image with a JDK 21+ for Linux in /opt/jdk (e.g. bookworm-slim + the host's
#                                     JDK: printf 'FROM debian:bookworm-slim\nCOPY . /opt/jdk\n' | docker build -t baeum-jdk -f - "$JAVA_HOME")
#   --build-arg BAEUM_JAR=prebuilt   use server/target/baeum.jar from the build context (./mvnw -pl server package)
#                                     instead of running Maven here

ARG BUILD_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
ARG JAVA_VERSION=25
ARG BAEUM_JAR=build
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]

# Tools the build needs: curl and unzip for the Maven Wrapper (without unzip it fetches the .tar.gz, whose checksum
# is not the one pinned in .mvn/wrapper), ca-certificates for HTTPS, p11-kit for the runtime's trust store below.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        ca-certificates curl unzip p11-kit p11-kit-modules >/dev/null \
 && rm -rf /var/lib/apt/lists/*

# A JDK in /opt/jdk: the one BUILD_IMAGE brings, or Temurin from Adoptium's apt repository.
RUN if [ ! -x /opt/jdk/bin/jlink ]; then \
        install -d -m 0755 /etc/apt/keyrings; \
        curl -fsSL https://packages.adoptium.net/artifactory/api/gpg/key/public -o /etc/apt/keyrings/adoptium.asc; \
        . /etc/os-release; \
        echo "deb [signed-by=/etc/apt/keyrings/adoptium.asc] https://packages.adoptium.net/artifactory/deb $VERSION_CODENAME main" \
            > /etc/apt/sources.list.d/adoptium.list; \
        apt-get update -qq; \
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "temurin-$JAVA_VERSION-jdk" >/dev/null; \
        rm -rf /var/lib/apt/lists/*; \
        ln -s "$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")" /opt/jdk; \
    fi; \
    /opt/jdk/bin/java -version
ENV JAVA_HOME=/opt/jdk PATH=/opt/jdk/bin:$PATH

# The Java runtime's CA certificates are Debian's (ca-certificates, written as a Java keystore by p11-kit), whatever
# the JDK brought: a JDK copied from a host often links lib/security/cacerts to that host's own store, which would
# dangle here or carry the host's local CAs into the image. (The server itself makes no outgoing HTTPS calls; this
# is for PostgreSQL over TLS with DefaultJavaSSLFactory and anything an operator adds.)
RUN trust extract --format=java-cacerts --purpose=server-auth --filter=ca-anchors /tmp/cacerts \
 && rm -f /opt/jdk/lib/security/cacerts \
 && install -m 0644 /tmp/cacerts /opt/jdk/lib/security/cacerts

# The Java runtime: only the modules the server uses. From `jdeps --print-module-deps` on the jar, minus
# java.desktop (24 MB; only java.beans/java.awt references in code the server never runs: Jackson's optional
# @ConstructorProperties support, JNA's AWT helpers, flexmark's Swing helpers, H2's GUI console), plus
# jdk.crypto.ec where it is still a module of its own (JDK 21; part of java.base since 22) for TLS.
# --strip-java-debug-attributes rather than --strip-debug: the latter also strips native symbols with objcopy
# (binutils), which saves nothing on Temurin's already stripped libraries. Rebuilt only when the JDK changes.
RUN modules=java.base,java.compiler,java.instrument,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,jdk.management,jdk.net,jdk.unsupported; \
    if java --list-modules | grep -q '^jdk\.crypto\.ec@'; then modules="$modules,jdk.crypto.ec"; fi; \
    jlink --add-modules "$modules" --strip-java-debug-attributes --no-man-pages --no-header-files --output /opt/jre; \
    /opt/jre/bin/java -version

# The server jar. Dependencies and plugins get their own layer, so a source change does not download them again
# (resolve + resolve-plugins rather than go-offline, which also fetches the site plugin's reporting stack).
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY server/pom.xml server/
RUN if [ "$BAEUM_JAR" = build ]; then \
        ./mvnw -B -q -pl server dependency:resolve dependency:resolve-plugins -DexcludeArtifactIds=maven-site-plugin; \
    fi
COPY web web
COPY db db
COPY server server
RUN case "$BAEUM_JAR" in \
        build) ./mvnw -B -q -pl server package -DskipTests ;; \
        prebuilt) echo "Using the prebuilt server/target/baeum.jar from the build context" ;; \
        *) echo "BAEUM_JAR must be build or prebuilt, not '$BAEUM_JAR'" >&2; exit 2 ;; \
    esac; \
    test -s server/target/baeum.jar || { echo "server/target/baeum.jar is missing" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# A fixed UID/GID (not root, not a host user's) so ownership on the host is predictable: the engine-socket folder
# is created for 10001 (README). /var/lib/baeum is its home, data/ the H2 default's volume. Both are 1777 like /tmp:
# on an engine with userns-remap the server must run with --userns=host to reach the engine's socket, and such a
# container sees the image's files owned by the remapped IDs (110001 for 10001), so only world-writable folders
# stay writable for it. The same holds for any --user an operator picks.
RUN groupadd --system --gid 10001 baeum \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/baeum --no-create-home --shell /usr/sbin/nologin baeum \
 && install -d -o 10001 -g 10001 -m 1777 /var/lib/baeum /var/lib/baeum/data

# LANG: file names and messages in UTF-8 (Korean lesson files); the server writes its logs in UTF-8 regardless.
ENV LANG=C.UTF-8 \
    PATH=/opt/baeum/jre/bin:$PATH \
    BAEUM_DATA_DIR=/var/lib/baeum/data

# Templates, static files and migrations (web/, db/) are inside the jar; the server reads lessons/ and labs/ from
# its working directory (lessons.dir, labs.dir) and sends lab image build contexts from labs/ to the engine.
WORKDIR /opt/baeum
COPY --from=build /opt/jre jre
COPY lessons lessons
COPY labs labs
COPY --from=build /src/server/target/baeum.jar baeum.jar

USER 10001:10001
EXPOSE 7070
VOLUME ["/var/lib/baeum/data"]

# /healthz is 200 while the database answers (with "degraded" when Docker is not reachable: lessons still work).
# bash's /dev/tcp instead of curl keeps the image free of an HTTP client.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${BAEUM_SERVER_PORT:-7070} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# The heap follows the container's memory limit; JNA (docker-java's UNIX sockets) loads a native library, which
# Java 24+ otherwise warns about. `docker run baeum lint` (or selftest, grade, help) runs a command instead.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", \
            "-jar", "/opt/baeum/baeum.jar"]
CMD ["serve"]
