package dev.baeum.runtime.engine.proxy;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every request of a learner's client comes through here and is decided by an allowlist: each endpoint the
 * Docker CLI (and docker-compose) uses for a beginner's course has a handler; anything else is refused.
 */
final class SessionApi {

    private static final String MAX_VERSION = "1.41";

    private final Ctx ctx;
    private final ReentrantLock building;

    SessionApi(Ctx ctx, ReentrantLock building) {
        this.ctx = ctx;
        this.building = building;
    }

    void handle(ApiRequest r, ClientReply reply, Conn conn) throws IOException {
        String v = r.version();
        if (v != null && compare(v, MAX_VERSION) > 0) {
            throw Refusal.badRequest("client version " + v + " is too new. Maximum supported API version is " + MAX_VERSION);
        }
        if (v != null && compare(v, "1.12") < 0) {
            throw Refusal.badRequest("client version " + v + " is too old. Minimum supported API version is 1.12");
        }
        String first = r.segment(0);
        if (first == null) {
            throw Refusal.notFound("page not found");
        }
        SystemApi system = new SystemApi(ctx);
        switch (first) {
            case "_ping" -> system.ping(r, reply);
            case "version" -> only(r, "GET", () -> system.version(reply));
            case "info" -> only(r, "GET", () -> system.info(reply));
            case "events" -> only(r, "GET", () -> system.events(r, reply));
            case "system" -> {
                if (r.size() == 2 && r.segment(1).equals("df") && r.is("GET")) {
                    system.df(reply);
                } else {
                    throw ContainerApi.unknown(r);
                }
            }
            case "containers", "exec" -> new ContainerApi(ctx).route(r, reply, conn);
            case "images", "commit" -> new ImageApi(ctx).route(r, reply);
            case "build" -> new BuildApi(ctx, building).route(r, reply);
            case "networks" -> new NetworkApi(ctx).route(r, reply);
            case "volumes" -> new VolumeApi(ctx).route(r, reply);
            case "auth" -> throw Refusal.forbidden("이 실습 환경은 레지스트리에 연결되어 있지 않아 docker login 을 할 수 없습니다. "
                    + "실제로는 docker login 으로 Docker Hub 같은 레지스트리에 로그인한 뒤 push 합니다.");
            case "session", "grpc" -> throw BuildApi.buildKit();
            case "swarm", "nodes", "services", "tasks", "secrets", "configs" ->
                    throw Refusal.forbidden("스웜(docker swarm, service, node, secret, config)은 이 실습 환경에서 쓸 수 없습니다.");
            case "plugins" -> throw Refusal.forbidden("플러그인(docker plugin)은 이 실습 환경에서 쓸 수 없습니다.");
            case "distribution" -> throw Refusal.forbidden("이 실습 환경은 레지스트리에 연결되어 있지 않습니다.");
            default -> throw Refusal.notFound("page not found");
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void only(ApiRequest r, String method, Action action) throws IOException {
        if (!r.is(method) && !(method.equals("GET") && r.is("HEAD"))) {
            throw ContainerApi.unknown(r);
        }
        action.run();
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }
}
