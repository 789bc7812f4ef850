package dev.baeum.runtime.engine.proxy;

import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Attach and exec start: after the engine upgrades the connection, bytes flow both ways untouched. When the
 * learner's side ends its input (stdin closed), the engine's side is half-closed so the output keeps
 * coming, as docker/cli's hijack code expects; when the output ends, the learner's side is told the same.
 */
final class Hijack {

    private Hijack() {
    }

    static void run(Ctx ctx, ClientReply reply, Conn conn, String enginePath, byte[] body) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open("POST", enginePath, body, body == null ? null : "application/json", true)) {
            ResponseHead head = ex.response(false);
            if (head.status() != 101 && head.status() != 200) {
                Relay.error(ctx, reply, new EngineClient.Response(head.status(), ex.reader().readBody(Relay.MAX_JSON)));
                return;
            }
            String type = head.headers().get("Content-Type");
            OutputStream clientOut = reply.upgrade(type == null ? "application/vnd.docker.raw-stream" : type);
            InputStream engineIn = head.status() == 101 ? ex.reader().rawRemainder() : ex.reader().body();
            InputStream clientIn = conn.rawIn();
            Thread input = Thread.ofVirtual().name("engine-stdin").start(() -> {
                try {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = clientIn.read(buf)) >= 0) {
                        ex.out().write(buf, 0, n);
                        ex.out().flush();
                    }
                    ex.shutdownOutput();
                } catch (IOException e) {
                    // the engine or the client went away; the output side notices too
                }
            });
            try {
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = engineIn.read(buf)) >= 0) {
                    clientOut.write(buf, 0, n);
                    clientOut.flush();
                }
            } catch (IOException e) {
                // one side closed
            }
            try {
                conn.shutdownOutput();
                input.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            input.interrupt();
        }
    }
}
