package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.ImageRef;
import dev.baeum.runtime.engine.Names;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code POST /build}: the real classic builder, behind the session's walls. The context is spooled and
 * capped, the Dockerfile checked and its image names resolved in the session's namespace, and every build
 * step runs with no network, under the session's cgroup, with memory, CPU, file-size and time limits.
 */
final class BuildApi {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baeum-build-timeout");
        t.setDaemon(true);
        return t;
    });

    private final Ctx ctx;
    private final ReentrantLock building;

    BuildApi(Ctx ctx, ReentrantLock building) {
        this.ctx = ctx;
        this.building = building;
    }

    void route(ApiRequest r, ClientReply reply) throws IOException {
        if (r.size() == 2 && r.segment(1).equals("prune") && r.is("POST")) {
            // The classic builder keeps its cache as images; there is no BuildKit cache to prune.
            reply.json(200, ctx.json.createObjectNode().putNull("CachesDeleted").put("SpaceReclaimed", 0));
            return;
        }
        if (r.size() != 1 || !r.is("POST")) {
            throw ContainerApi.unknown(r);
        }
        build(r, reply);
    }

    private void build(ApiRequest r, ClientReply reply) throws IOException {
        Query q = r.query();
        if ("2".equals(q.get("version")) || q.has("session")) {
            throw buildKit();
        }
        if (q.get("remote") != null && !q.get("remote").isEmpty()) {
            throw Refusal.forbidden("원격 빌드 컨텍스트(URL, git 저장소)는 쓸 수 없습니다: 이 실습 환경의 빌드는 인터넷에 연결되지 않습니다.");
        }
        if (q.flag("squash")) {
            throw Refusal.forbidden("--squash 는 쓸 수 없습니다.");
        }
        if (q.get("outputs") != null && !q.get("outputs").isEmpty()) {
            throw buildKit();
        }
        String network = q.get("networkmode");
        if (network != null && !network.isEmpty() && !network.equals("default") && !network.equals("none")) {
            throw Refusal.forbidden("빌드의 네트워크(--network " + network + ")는 바꿀 수 없습니다: 빌드 단계는 네트워크 없이 돕니다.");
        }
        String platform = q.get("platform");
        if (platform != null && !platform.isEmpty() && !platform.equals("linux/amd64") && !platform.equals("linux")) {
            throw Refusal.forbidden("이 엔진은 linux/amd64 이미지만 빌드합니다: " + platform);
        }
        if (q.get("cgroupparent") != null && !q.get("cgroupparent").isEmpty()) {
            throw Refusal.forbidden("--cgroup-parent 는 쓸 수 없습니다.");
        }
        if (q.get("extrahosts") != null && !q.get("extrahosts").isEmpty()) {
            throw Refusal.forbidden("--add-host 는 빌드에 쓸 수 없습니다.");
        }
        List<String> tags = new ArrayList<>();
        for (String t : q.all("t")) {
            ImageRef ref = ImageRef.parse(t).filter(x -> x.digest() == null && Names.namespaceable(x))
                    .orElseThrow(() -> Refusal.badRequest("invalid reference format: " + t));
            tags.add(ctx.names.image(ref));
        }
        Map<String, String> buildArgs = stringMap(q.get("buildargs"), "buildargs");
        Map<String, String> labels = stringMap(q.get("labels"), "labels");
        labels.keySet().forEach(k -> {
            if (k.startsWith("baeum.")) {
                throw Refusal.forbidden("'baeum.' 으로 시작하는 라벨은 붙일 수 없습니다.");
            }
        });
        String target = q.get("target");
        if (target != null && !target.isEmpty() && !target.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}")) {
            throw Refusal.badRequest("--target 이름이 올바르지 않습니다: " + target);
        }

        if (!building.tryLock()) {
            throw Refusal.forbidden("이미 빌드가 진행 중입니다. 앞의 빌드가 끝난 뒤 다시 실행하세요.");
        }
        try (BuildContext context = BuildContext.spool(r.reader().body(), ctx.scope.budget().buildContextBytes())) {
            String dockerfilePath = q.get("dockerfile");
            String text;
            if (dockerfilePath == null || dockerfilePath.isEmpty()) {
                dockerfilePath = "Dockerfile";
                text = context.dockerfile(dockerfilePath);
                if (text == null) {
                    dockerfilePath = "dockerfile";
                    text = context.dockerfile(dockerfilePath);
                }
            } else {
                if (dockerfilePath.startsWith("/") || List.of(dockerfilePath.split("/")).contains("..") || dockerfilePath.length() > 512) {
                    throw Refusal.badRequest("Dockerfile 경로는 빌드 컨텍스트 안의 상대 경로여야 합니다: " + dockerfilePath);
                }
                text = context.dockerfile(dockerfilePath);
            }
            if (text == null) {
                throw Refusal.badRequest("Cannot locate specified Dockerfile: " + dockerfilePath);
            }
            String checked = Dockerfiles.rewrite(text, buildArgs, this::resolveForBuild);
            ctx.lock.lock();
            try {
                new ImageApi(ctx).checkQuota();
            } finally {
                ctx.lock.unlock();
            }
            run(reply, context, dockerfilePath, checked.equals(text) ? null : checked, q, tags, buildArgs, labels, target);
        } finally {
            building.unlock();
        }
    }

    static Refusal buildKit() {
        return Refusal.forbidden("BuildKit(DOCKER_BUILDKIT=1, docker buildx)은 이 실습 환경에서 쓸 수 없습니다. "
                + "기본 빌더를 쓰세요: DOCKER_BUILDKIT=0 docker build …");
    }

    /** FROM and COPY --from names: the learner's own images first, then the catalogue; null when neither. */
    private String resolveForBuild(String ref) {
        return ctx.findImage(ref).map(Ctx.Image::engineRef).orElse(null);
    }

    private void run(ClientReply reply, BuildContext context, String dockerfilePath, String replacement, Query q,
                     List<String> tags, Map<String, String> buildArgs, Map<String, String> labels, String target) throws IOException {
        Budget b = ctx.scope.budget();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("t", tags.isEmpty() ? null : tags);
        params.put("dockerfile", dockerfilePath);
        params.put("q", q.flag("q") ? "1" : null);
        params.put("nocache", q.flag("nocache") ? "1" : null);
        params.put("rm", "1");
        params.put("forcerm", "1");
        params.put("networkmode", "none");
        params.put("memory", String.valueOf(Math.max(b.containerMemoryBytes(), b.memoryBytes() / 2)));
        params.put("memswap", String.valueOf(Math.max(b.containerMemoryBytes(), b.memoryBytes() / 2)));
        params.put("cpuperiod", "100000");
        params.put("cpuquota", String.valueOf(Math.round(b.containerCpus() * 100_000)));
        params.put("shmsize", String.valueOf(b.shmBytes()));
        params.put("ulimits", "[{\"Name\":\"fsize\",\"Soft\":" + b.fileSizeBytes() + ",\"Hard\":" + b.fileSizeBytes()
                + "},{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":1024}]");
        if (ctx.scope.cgroupParent() != null) {
            params.put("cgroupparent", ctx.scope.cgroupParent());
        }
        if (!buildArgs.isEmpty()) {
            params.put("buildargs", ctx.json.writeValueAsString(buildArgs));
        }
        if (!labels.isEmpty()) {
            params.put("labels", ctx.json.writeValueAsString(labels));
        }
        params.put("target", target == null || target.isEmpty() ? null : target);

        try (EngineClient.Exchange ex = ctx.engine.openStreaming("POST", "/build" + Query.build(params), "application/x-tar", List.of())) {
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> timeout = TIMER.schedule(() -> {
                timedOut.set(true);
                ex.close(); // the engine cancels a build whose client went away
            }, b.buildTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                try (OutputStream body = ex.bodyStream()) {
                    if (replacement == null) {
                        try (InputStream in = context.open()) {
                            in.transferTo(body);
                        }
                    } else {
                        context.writeReplacing(dockerfilePath, replacement, body);
                    }
                }
                ResponseHead head = ex.response(false);
                Relay.lines(ctx, reply, ex, head, line -> outputLine(line, reply));
            } catch (IOException e) {
                if (!timedOut.get()) {
                    throw e;
                }
            } finally {
                timeout.cancel(false);
            }
            if (timedOut.get()) {
                if (!reply.committed()) {
                    reply.error(500, timeoutMessage(b));
                }
            }
        }
    }

    private static String timeoutMessage(Budget b) {
        return "빌드가 " + b.buildTimeout().toMinutes() + "분 안에 끝나지 않아 멈췄습니다.";
    }

    /** Build output: namespaces taken out of the text; image IDs recorded as the session's. */
    private String outputLine(String line, ClientReply reply) {
        try {
            JsonNode node = ctx.json.readTree(line);
            if (node instanceof ObjectNode o) {
                String id = o.path("aux").path("ID").asText("");
                if (id.startsWith("sha256:")) {
                    ctx.ledger.record(ctx.scope.sessionId(), id);
                }
                if (o.has("stream")) {
                    String stream = o.path("stream").asText();
                    if (stream.strip().matches("sha256:[0-9a-f]{64}")) { // docker build -q prints only the image ID
                        ctx.ledger.record(ctx.scope.sessionId(), stream.strip());
                    }
                    o.put("stream", ctx.names.scrub(stream));
                }
                if (o.has("error")) {
                    o.put("error", ctx.names.scrub(o.path("error").asText()));
                    reply.streamFailed(o.path("error").asText());
                }
                if (o.path("errorDetail") instanceof ObjectNode d && d.has("message")) {
                    d.put("message", ctx.names.scrub(d.path("message").asText()));
                }
                return o.toString();
            }
        } catch (IOException ignored) {
            // not JSON
        }
        return ctx.names.scrub(line);
    }

    private Map<String, String> stringMap(String raw, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = ctx.json.readTree(raw);
        } catch (IOException e) {
            throw Refusal.badRequest(what + " 값이 올바른 JSON이 아닙니다.");
        }
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject() || node.size() > 100) {
            throw Refusal.badRequest(what + " 값이 올바르지 않습니다.");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }
}
