package dev.baeum.runtime.engine.proxy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy's Dockerfile check: names resolved to the session's images, mistakes told in the engine's words. */
class DockerfilesTest {

    /** The catalogue and one image of the learner's; anything else is unknown. */
    private static final Dockerfiles.Images IMAGES = ref -> switch (ref) {
        case "debian:bookworm-slim" -> "debian:bookworm-slim";
        case "myapp" -> "s-1234/myapp:latest";
        default -> null;
    };

    @Test
    void anUnknownInstructionIsRefusedWithItsLineAsDockerSaysIt() {
        Refusal r = assertThrows(Refusal.class, () -> Dockerfiles.rewrite("# comment\nFORM debian:bookworm-slim\n", Map.of(), IMAGES));
        assertEquals("dockerfile parse error line 2: unknown instruction: FORM", r.getMessage());
    }

    @Test
    void everyDockerInstructionIsKnown() {
        String text = """
                ARG BASE=debian:bookworm-slim
                FROM ${BASE} AS build
                LABEL a=b
                MAINTAINER x
                SHELL ["/bin/sh", "-c"]
                ENV A=1
                WORKDIR /src
                ADD a.txt .
                COPY b.txt .
                RUN true
                USER 1000
                VOLUME /data
                EXPOSE 80
                STOPSIGNAL SIGTERM
                HEALTHCHECK CMD true
                ONBUILD RUN true
                ENTRYPOINT ["sh"]
                CMD ["-c", "true"]
                """;
        String rewritten = Dockerfiles.rewrite(text, Map.of(), IMAGES);
        assertEquals(text.lines().count(), rewritten.lines().count(), "line numbers are kept");
    }

    @Test
    void aLearnersOwnImageIsBuiltFromUnderItsEngineName() {
        String rewritten = Dockerfiles.rewrite("FROM myapp\nRUN true\n", Map.of(), IMAGES);
        assertTrue(rewritten.startsWith("FROM s-1234/myapp:latest"), rewritten);
    }
}
