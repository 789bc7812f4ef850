package dev.baeum.runtime.engine.proxy;

import dev.baeum.runtime.engine.http.BodyTooLargeException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A learner's build context, spooled to a temporary file with a size cap (uncompressed, so a small gzip
 * cannot expand past it). The Dockerfile the engine will read is found the way the engine finds it, and can
 * be replaced in place by the checked version.
 */
final class BuildContext implements AutoCloseable {

    private final Path file;

    private BuildContext(Path file) {
        this.file = file;
    }

    static BuildContext spool(InputStream body, long max) throws IOException {
        Path file = Files.createTempFile("baeum-build-", ".tar");
        try {
            BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            InputStream source = in;
            if (b1 == 0x1f && b2 == 0x8b) {
                source = new GZIPInputStream(in, 64 * 1024);
            } else if (b1 == 'B' && b2 == 'Z' || b1 == 0xfd && b2 == '7') {
                throw Refusal.badRequest("빌드 컨텍스트는 tar 또는 gzip 이어야 합니다.");
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = source.read(buf)) >= 0) {
                    total += n;
                    if (total > max) {
                        throw new BodyTooLargeException(max);
                    }
                    out.write(buf, 0, n);
                }
            }
            return new BuildContext(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    long size() throws IOException {
        return Files.size(file);
    }

    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n.replaceAll("/+", "/").replaceAll("/$", "");
    }

    /**
     * The Dockerfile's text: the last regular-file entry at that path (later entries win when a tar is
     * unpacked). Refused when the path or a folder on it is a link, since the engine would then read
     * something else than what was checked.
     */
    String dockerfile(String path) throws IOException {
        String wanted = normalize(path);
        String text = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = normalize(e.getName());
                boolean onPath = name.equals(wanted) || wanted.startsWith(name + "/");
                if (!onPath) {
                    continue;
                }
                if (e.isSymbolicLink() || e.isLink()) {
                    throw Refusal.forbidden("Dockerfile(또는 그 위 폴더)이 링크입니다: " + name + ". 링크가 아닌 파일을 쓰세요.");
                }
                if (name.equals(wanted) && e.isFile()) {
                    if (e.getSize() > 1 << 20) {
                        throw Refusal.badRequest("Dockerfile 이 너무 큽니다 (1MB까지).");
                    }
                    text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        return text;
    }

    /** Writes the context with every entry at {@code path} holding {@code text} instead. */
    void writeReplacing(String path, String text, OutputStream out) throws IOException {
        String wanted = normalize(path);
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
        tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tarOut.setAddPaxHeadersForNonAsciiNames(true);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && normalize(e.getName()).equals(wanted)) {
                    // A new entry: changing the size of the one being read would make the reader lose its place.
                    TarArchiveEntry replaced = new TarArchiveEntry(e.getName());
                    replaced.setMode(e.getMode());
                    replaced.setModTime(e.getModTime());
                    replaced.setUserId(e.getLongUserId());
                    replaced.setGroupId(e.getLongGroupId());
                    replaced.setUserName(e.getUserName());
                    replaced.setGroupName(e.getGroupName());
                    replaced.setSize(content.length);
                    tarOut.putArchiveEntry(replaced);
                    tarOut.write(content);
                } else {
                    tarOut.putArchiveEntry(e);
                    if (e.isFile()) {
                        tar.transferTo(tarOut);
                    }
                }
                tarOut.closeArchiveEntry();
            }
        }
        tarOut.finish();
        tarOut.flush();
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
