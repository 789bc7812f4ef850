package dev.baeum.web.labs;

import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.SandboxAccessException;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.accounts.User;
import dev.baeum.services.sessions.Sandboxes;
import dev.baeum.web.Identity;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;

import java.net.URI;

/** Decides, before the upgrade, whether a terminal WebSocket may attach to a sandbox. */
public final class TerminalAccessController {

    private final Sandboxes sandboxes;
    private final DockerEngine engine;
    private final Identity identity;

    public TerminalAccessController(Sandboxes sandboxes, DockerEngine engine, Identity identity) {
        this.sandboxes = sandboxes;
        this.engine = engine;
        this.identity = identity;
    }

    /**
     * Before a terminal WebSocket is accepted: the viewer must own the session, the session must be live,
     * and the page must be ours (Origin), so no other learner or site can attach.
     */
    public void authorizeTerminal(Context ctx) {
        if (!engine.available()) {
            throw new LabsUnavailableException(engine.status().problem());
        }
        checkOrigin(ctx);
        User user = identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
        SandboxSession session = sandboxes.find(ctx.pathParam("session"))
                .filter(s -> s.userId() == user.id())
                .orElseThrow(() -> new SandboxAccessException("이 실습 환경의 터미널에 연결할 수 없습니다."));
        if (!session.active()) {
            throw new LabsUnavailableException("이미 끝난 실습 환경입니다.");
        }
        String node = ctx.queryParam("node");
        if (node == null || node.isBlank()) {
            node = session.containers().keySet().stream().findFirst().orElse("");
        }
        if (!session.containers().containsKey(node)) {
            throw new NotFoundResponse("그런 노드는 없습니다.");
        }
        ctx.attribute(TerminalHub.SESSION_ATTRIBUTE, session);
        ctx.attribute(TerminalHub.NODE_ATTRIBUTE, node);
    }

    private static void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return; // not a browser: the session cookie still has to match
        }
        try {
            URI uri = URI.create(origin);
            String host = ctx.header("Host");
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            if (host == null || !host.equalsIgnoreCase(originHost)) {
                throw new ForbiddenResponse("다른 사이트에서 터미널에 연결할 수 없습니다.");
            }
        } catch (IllegalArgumentException e) {
            throw new ForbiddenResponse("다른 사이트에서 터미널에 연결할 수 없습니다.");
        }
    }
}
