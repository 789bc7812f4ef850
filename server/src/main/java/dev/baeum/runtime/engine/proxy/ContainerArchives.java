package dev.baeum.runtime.engine.proxy;

import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.http.BodyTooLargeException;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** {@code docker cp}: tar archives to and from the session's own containers (the ID is resolved before). */
final class ContainerArchives {

    private static final long MAX_ARCHIVE_UPLOAD = 64L << 20;

    private final Ctx ctx;

    ContainerArchives(Ctx ctx) {
        this.ctx = ctx;
    }

    /** {@code docker cp} out of a container (GET), or its stat (HEAD). */
    void read(ApiRequest r, ClientReply reply, String path) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open(r.method(), path, null, null, false)) {
            ResponseHead head = ex.response(r.is("HEAD"));
            String stat = head.headers().get("X-Docker-Container-Path-Stat");
            if (head.status() >= 400 || r.is("HEAD")) {
                if (head.status() >= 400) {
                    Relay.error(ctx, reply, new EngineClient.Response(head.status(), ex.reader().readBody(Relay.MAX_JSON)));
                } else {
                    reply.emptyWith(head.status(), stat);
                }
                return;
            }
            try (OutputStream out = reply.streamWith(head.status(), "application/x-tar", stat)) {
                ex.reader().body().transferTo(out);
            }
        }
    }

    /** {@code docker cp} into a container, capped in size. */
    void write(ApiRequest r, ClientReply reply, String path) throws IOException {
        InputStream body = r.reader().body();
        try (EngineClient.Exchange ex = ctx.engine.openStreaming("PUT", path, "application/x-tar", List.of())) {
            try (OutputStream out = ex.bodyStream()) {
                byte[] buf = new byte[16 * 1024];
                long total = 0;
                int n;
                while ((n = body.read(buf)) >= 0) {
                    total += n;
                    if (total > MAX_ARCHIVE_UPLOAD) {
                        throw new BodyTooLargeException(MAX_ARCHIVE_UPLOAD);
                    }
                    out.write(buf, 0, n);
                }
            }
            ResponseHead head = ex.response(false);
            Relay.plain(ctx, reply, ex, head);
        }
    }
}
