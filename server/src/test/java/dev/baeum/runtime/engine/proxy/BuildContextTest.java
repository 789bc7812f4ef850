package dev.baeum.runtime.engine.proxy;

import dev.baeum.runtime.engine.http.BodyTooLargeException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BuildContext}: the build context a learner sends, spooled with a cap, its Dockerfile found and replaced. */
class BuildContextTest {

    /** A tar of regular files (name → text), and one symbolic link when {@code link} is given as "name→target". */
    private static byte[] tar(Map<String, String> files, String link) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            if (link != null) {
                TarArchiveEntry e = new TarArchiveEntry(link.split("→")[0], TarArchiveEntry.LF_SYMLINK);
                e.setLinkName(link.split("→")[1]);
                out.putArchiveEntry(e);
                out.closeArchiveEntry();
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                out.putArchiveEntry(e);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static BuildContext spool(byte[] body, long max) throws IOException {
        return BuildContext.spool(new ByteArrayInputStream(body), max);
    }

    @Test
    void findsTheDockerfileAsTheEngineDoes() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./Dockerfile", "FROM debian:bookworm-slim\n");
        files.put("app/run.sh", "echo hi\n");
        try (BuildContext ctx = spool(tar(files, null), 1 << 20)) {
            assertEquals("FROM debian:bookworm-slim\n", ctx.dockerfile("Dockerfile"));
            assertEquals("FROM debian:bookworm-slim\n", ctx.dockerfile("/Dockerfile"));
            assertNull(ctx.dockerfile("docker/Dockerfile"));
        }
        assertEquals("a/b", BuildContext.normalize("./a//b/"));
        assertEquals("a", BuildContext.normalize("///a"));
    }

    @Test
    void aGzippedContextIsCappedUncompressed() throws IOException {
        Map<String, String> files = Map.of("Dockerfile", "FROM x\n", "big", "0".repeat(200_000));
        byte[] plain = tar(files, null);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        try (BuildContext ctx = spool(gz.toByteArray(), 1 << 20)) {
            assertEquals(plain.length, ctx.size(), "spooled as the engine will read it: unpacked");
        }
        assertThrows(BodyTooLargeException.class, () -> spool(gz.toByteArray(), 100_000), "a small gzip cannot expand past the cap");
        assertThrows(BodyTooLargeException.class, () -> spool(plain, 100_000));
        assertEquals("빌드 컨텍스트는 tar 또는 gzip 이어야 합니다.",
                assertThrows(Refusal.class, () -> spool("BZh91AY".getBytes(StandardCharsets.US_ASCII), 1 << 20)).getMessage());
    }

    @Test
    void aLinkedDockerfileIsRefused() throws IOException {
        try (BuildContext ctx = spool(tar(Map.of("x", "y"), "Dockerfile→/etc/shadow"), 1 << 20)) {
            assertEquals("Dockerfile(또는 그 위 폴더)이 링크입니다: Dockerfile. 링크가 아닌 파일을 쓰세요.",
                    assertThrows(Refusal.class, () -> ctx.dockerfile("Dockerfile")).getMessage());
        }
        try (BuildContext ctx = spool(tar(Map.of("x", "y"), "build→/etc"), 1 << 20)) {
            assertEquals(403, assertThrows(Refusal.class, () -> ctx.dockerfile("build/Dockerfile")).status(),
                    "a linked folder on the way counts too");
        }
    }

    @Test
    void theCheckedDockerfileReplacesEveryCopyAndTheRestStays() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", "FROM evil\n");
        files.put("src/app.txt", "data");
        files.put("./Dockerfile", "FROM later\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BuildContext ctx = spool(tar(files, null), 1 << 20)) {
            assertEquals("FROM later\n", ctx.dockerfile("Dockerfile"), "the last entry wins, as when unpacked");
            ctx.writeReplacing("Dockerfile", "FROM checked\n", out);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                seen.merge(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8), (a, b) -> a + "|" + b);
            }
        }
        assertEquals(Map.of("Dockerfile", "FROM checked\n", "src/app.txt", "data", "./Dockerfile", "FROM checked\n"), seen);
    }
}
