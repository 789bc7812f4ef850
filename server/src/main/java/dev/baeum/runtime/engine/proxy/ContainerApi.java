package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.Names;
import dev.baeum.runtime.engine.http.BodyTooLargeException;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /containers/…} and {@code /exec/…}: the learner's own containers only, under the walls. */
final class ContainerApi {

    private static final int MAX_CREATE_BODY = 1 << 20;
    private static final long MAX_ARCHIVE_UPLOAD = 64L << 20;

    private final Ctx ctx;

    ContainerApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void route(ApiRequest r, ClientReply reply, Conn conn) throws IOException {
        if (r.segment(0).equals("exec")) {
            exec(r, reply, conn);
            return;
        }
        int n = r.size();
        if (n == 2 && r.is("GET") && r.segment(1).equals("json")) {
            list(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("create")) {
            create(r, reply);
        } else if (n == 2 && r.is("POST") && r.segment(1).equals("prune")) {
            prune(r, reply);
        } else if (n == 2 && r.is("DELETE")) {
            remove(r, reply, ctx.container(r.segment(1)));
        } else if (n == 3) {
            String id = ctx.container(r.segment(1));
            action(r, reply, conn, id, r.segment(2));
        } else if (n == 4 && r.segment(2).equals("attach") && r.segment(3).equals("ws")) {
            throw Refusal.forbidden("WebSocket attach 는 지원하지 않습니다. docker attach 를 쓰세요.");
        } else {
            throw unknown(r);
        }
    }

    static Refusal unknown(ApiRequest r) {
        return Refusal.notFound("이 실습 환경의 도커 엔진은 " + r.method() + " " + r.path() + " 을(를) 지원하지 않습니다.");
    }

    private void action(ApiRequest r, ClientReply reply, Conn conn, String id, String action) throws IOException {
        String base = "/containers/" + id + "/";
        Query q = r.query();
        switch (r.method() + " " + action) {
            case "GET json" -> Relay.json(ctx, reply, Relay.call(ctx, "GET", base + "json" + Query.build(q.only("size")), null),
                    c -> rewrite((ObjectNode) c));
            case "GET top" -> Relay.json(ctx, reply, Relay.call(ctx, "GET", base + "top" + Query.build(q.only("ps_args")), null), c -> c);
            case "GET changes" -> Relay.json(ctx, reply, Relay.call(ctx, "GET", base + "changes", null), c -> c);
            case "GET logs" -> stream(reply, "GET", base + "logs" + Query.build(q.only("follow", "stdout", "stderr", "since",
                    "until", "timestamps", "tail", "details")));
            case "GET stats" -> lines(reply, base + "stats" + Query.build(q.only("stream", "one-shot")));
            case "GET export" -> stream(reply, "GET", base + "export");
            case "POST start" -> start(reply, id, q);
            case "POST stop", "POST restart" -> simple(reply, base + action + Query.build(q.only("t")));
            case "POST kill" -> {
                String signal = q.get("signal");
                if (signal != null && !signal.matches("(SIG)?[A-Z0-9+-]{1,16}|[0-9]{1,2}")) {
                    throw Refusal.badRequest("시그널이 올바르지 않습니다: " + signal);
                }
                simple(reply, base + "kill" + Query.build(q.only("signal")));
            }
            case "POST pause", "POST unpause" -> simple(reply, base + action);
            case "POST resize" -> simple(reply, base + "resize" + Query.build(numbers(q, "h", "w")));
            case "POST wait" -> wait(reply, base, q);
            case "POST rename" -> rename(reply, id, q.get("name"));
            case "POST update" -> update(r, reply, base);
            case "POST attach" -> {
                r.reader().readBody(0);
                Hijack.run(ctx, reply, conn, base + "attach" + Query.build(q.only("stream", "stdin", "stdout", "stderr",
                        "logs", "detachKeys")), null);
            }
            case "POST exec" -> execCreate(r, reply, base);
            case "GET archive", "HEAD archive" -> archiveRead(r, reply, base + "archive" + Query.build(q.only("path")));
            case "PUT archive" -> archiveWrite(r, reply, base + "archive" + Query.build(q.only("path", "noOverwriteDirNonDir",
                    "copyUIDGID")));
            default -> throw unknown(r);
        }
    }

    // ---- list and inspect ---------------------------------------------------------------------------

    private void list(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        List<String> nameFilters = filters.remove("name");
        List<String> ancestors = filters.remove("ancestor");
        List<String> networks = filters.remove("network");
        List<String> volumes = filters.remove("volume");
        for (String key : filters.keySet()) {
            if (!Set.of("label", "status", "exited", "health", "id", "before", "since", "isolation", "is-task",
                    "publish", "expose").contains(key)) {
                throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
            }
        }
        filters.remove("publish"); // our ports are labels, not engine ports: matched below
        List<String> publish = r.query().filters(ctx.json).get("publish");
        ArrayNode all = ctx.ownedContainers(filters, r.query().flag("size"));
        boolean showAll = r.query().flag("all");
        ArrayNode out = ctx.json.createArrayNode();
        for (JsonNode c : all) {
            ObjectNode entry = (ObjectNode) c;
            if (!showAll && !"running".equals(entry.path("State").asText()) && filters.get("status") == null
                    && filters.get("exited") == null) {
                continue;
            }
            rewriteListed(entry);
            if (nameFilters != null && nameFilters.stream().noneMatch(f -> matchesName(entry, f))) {
                continue;
            }
            if (ancestors != null && ancestors.stream().noneMatch(a -> ancestor(entry, a))) {
                continue;
            }
            if (networks != null && networks.stream().noneMatch(nf -> entry.path("NetworkSettings").path("Networks").has(nf))) {
                continue;
            }
            if (volumes != null && volumes.stream().noneMatch(v -> mountsVolume(entry, v))) {
                continue;
            }
            if (publish != null && publish.stream().noneMatch(p -> publishes(entry, p))) {
                continue;
            }
            out.add(entry);
        }
        String limit = r.query().get("limit");
        if (limit != null && limit.matches("[0-9]{1,6}") && Integer.parseInt(limit) > 0 && out.size() > Integer.parseInt(limit)) {
            ArrayNode cut = ctx.json.createArrayNode();
            for (int i = 0; i < Integer.parseInt(limit); i++) {
                cut.add(out.get(i));
            }
            out = cut;
        }
        reply.json(200, out);
    }

    private static boolean matchesName(JsonNode entry, String filter) {
        for (JsonNode n : entry.path("Names")) {
            try {
                var pattern = java.util.regex.Pattern.compile(filter);
                // As the engine does: the name with its leading slash, or without it.
                if (pattern.matcher(n.asText()).find() || pattern.matcher(n.asText().replaceFirst("^/", "")).find()) {
                    return true;
                }
            } catch (java.util.regex.PatternSyntaxException e) {
                throw Refusal.badRequest("name 필터가 올바른 정규식이 아닙니다: " + filter);
            }
        }
        return false;
    }

    private boolean ancestor(JsonNode entry, String ref) {
        return ctx.findImage(ref).map(img -> img.id().equals(entry.path("ImageID").asText())).orElse(false);
    }

    private static boolean mountsVolume(JsonNode entry, String volume) {
        for (JsonNode m : entry.path("Mounts")) {
            if (volume.equals(m.path("Name").asText()) || volume.equals(m.path("Destination").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean publishes(JsonNode entry, String port) {
        for (JsonNode p : entry.path("Ports")) {
            String hostPort = p.path("PublicPort").asText();
            if (port.equals(hostPort) || port.equals(hostPort + "/" + p.path("Type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A {@code /containers/json} entry as the learner should see it. */
    private void rewriteListed(ObjectNode c) {
        List<String> learnerNames = names(c);
        ArrayNode names = c.putArray("Names");
        learnerNames.forEach(names::add);
        c.put("Image", learnerImage(c.path("Image").asText()));
        ObjectNode ports = published(c.path("Labels"));
        boolean running = "running".equals(c.path("State").asText());
        List<JsonNode> exposed = new ArrayList<>();
        c.path("Ports").forEach(exposed::add);
        ArrayNode list = c.putArray("Ports");
        Set<String> shown = new HashSet<>();
        if (running) { // published ports are forwarded while the container runs, as Docker binds them only then
            ports.fields().forEachRemaining(e -> {
                String[] pt = e.getKey().split("/");
                for (JsonNode b : e.getValue()) {
                    list.addObject().put("IP", b.path("HostIp").asText("0.0.0.0")).put("PrivatePort", Integer.parseInt(pt[0]))
                            .put("PublicPort", Integer.parseInt(b.path("HostPort").asText())).put("Type", pt[1]);
                    shown.add(e.getKey());
                }
            });
        }
        for (JsonNode p : exposed) { // exposed ports nobody published: "80/tcp", as docker ps shows them
            String key = p.path("PrivatePort").asInt() + "/" + p.path("Type").asText("tcp");
            if (shown.add(key)) {
                list.addObject().put("PrivatePort", p.path("PrivatePort").asInt()).put("Type", p.path("Type").asText("tcp"));
            }
        }
        Ctx.stripOurLabels(c.path("Labels"));
        if (c.path("HostConfig") instanceof ObjectNode h && h.has("NetworkMode")) {
            h.put("NetworkMode", ctx.learnerNetwork(h.path("NetworkMode").asText()));
        }
        renameNetworks(c.path("NetworkSettings").path("Networks"));
        for (JsonNode m : c.path("Mounts")) {
            renameMount((ObjectNode) m);
        }
    }

    private List<String> names(JsonNode c) {
        List<String> out = new ArrayList<>();
        JsonNode names = c.path("Names");
        if (names.isArray()) {
            names.forEach(n -> out.add(ctx.learnerName(n.asText())));
        }
        return out;
    }

    /** A container's inspect answer as the learner should see it. */
    ObjectNode rewrite(ObjectNode c) {
        c.put("Name", ctx.learnerName(c.path("Name").asText()));
        JsonNode labels = c.path("Config").path("Labels");
        ObjectNode ports = published(labels);
        if (c.path("Config") instanceof ObjectNode config) {
            config.put("Image", learnerImage(config.path("Image").asText()));
            Ctx.stripOurLabels(config.path("Labels"));
        }
        if (c.path("HostConfig") instanceof ObjectNode host) {
            host.put("NetworkMode", ctx.learnerNetwork(host.path("NetworkMode").asText()));
            host.set("PortBindings", ports);
            host.remove("CgroupParent");
        }
        if (c.path("NetworkSettings") instanceof ObjectNode net) {
            renameNetworks(net.path("Networks"));
            ObjectNode shown = ctx.json.createObjectNode();
            JsonNode exposed = c.path("Config").path("ExposedPorts");
            if (exposed.isObject()) {
                exposed.fieldNames().forEachRemaining(p -> shown.putNull(p));
            }
            if ("true".equals(c.path("State").path("Running").asText())) {
                shown.setAll(ports);
            }
            net.set("Ports", shown);
        }
        for (JsonNode m : c.path("Mounts")) {
            renameMount((ObjectNode) m);
        }
        return c;
    }

    private void renameNetworks(JsonNode networks) {
        if (networks instanceof ObjectNode nets) {
            Map<String, JsonNode> renamed = new LinkedHashMap<>();
            nets.fields().forEachRemaining(e -> renamed.put(ctx.learnerNetwork(e.getKey()), e.getValue()));
            nets.removeAll();
            renamed.forEach(nets::set);
        }
    }

    private void renameMount(ObjectNode m) {
        if (m.has("Name")) {
            String name = ctx.learnerName(m.path("Name").asText());
            if (name.startsWith("bind-")) { // a lab's bind folder: shown as the bind mount the learner asked for
                String folder = "/home/learner/" + name.substring("bind-".length());
                m.remove(List.of("Name", "Driver"));
                m.put("Type", "bind").put("Source", folder).put("Propagation", "rprivate");
                return;
            }
            m.put("Name", name);
        }
        if (m.has("Source")) {
            m.put("Source", ctx.names.scrub(m.path("Source").asText()));
        }
    }

    private String learnerImage(String engineRef) {
        return ctx.names.learnerImage(engineRef).map(Object::toString).orElse(engineRef);
    }

    /** The ports a container publishes (from its label), e.g. {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}. */
    ObjectNode published(JsonNode labels) {
        String raw = labels.path(ContainerSpec.PORTS_LABEL).asText("");
        if (raw.isEmpty()) {
            return ctx.json.createObjectNode();
        }
        try {
            return (ObjectNode) ctx.json.readTree(raw);
        } catch (IOException | ClassCastException e) {
            return ctx.json.createObjectNode();
        }
    }

    // ---- create, start, remove ----------------------------------------------------------------------

    private void create(ApiRequest r, ClientReply reply) throws IOException {
        String name = r.query().get("name");
        if (name != null && name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name != null && !name.isEmpty() && !Names.validObjectName(name)) {
            throw Refusal.badRequest("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        JsonNode body = readJson(r, MAX_CREATE_BODY);
        ctx.lock.lock();
        try {
            ArrayNode existing = ctx.ownedContainers(Map.of(), false);
            if (existing.size() >= ctx.scope.budget().maxContainers()) {
                throw Refusal.forbidden("이 실습 세션에서는 컨테이너를 " + ctx.scope.budget().maxContainers()
                        + "개까지 만들 수 있습니다. 쓰지 않는 컨테이너를 지우세요 (docker rm, docker container prune).");
            }
            Set<Integer> used = new HashSet<>();
            for (JsonNode c : existing) {
                published(c.path("Labels")).forEach(list -> list.forEach(b -> used.add(b.path("HostPort").asInt())));
            }
            String imageRef = Fields.text(body, "Image");
            Ctx.Image image = ctx.image(imageRef);
            String learnerName = name == null || name.isEmpty() ? null : name;
            ContainerSpec.Built built = new ContainerSpec(ctx, used).build(body, learnerName, image);
            createVolumes(built, body.path("HostConfig").path("AutoRemove").asBoolean(false));
            String query = learnerName == null ? "" : Query.build(Map.of("name", ctx.names.object(learnerName)));
            EngineClient.Response created = Relay.call(ctx, "POST", "/containers/create" + query, ctx.json.writeValueAsBytes(built.body()));
            Relay.json(ctx, reply, created, node -> node);
        } finally {
            ctx.lock.unlock();
        }
    }

    /** Named volumes a create mentions that do not exist yet, and anonymous ones, are made here with our labels. */
    private void createVolumes(ContainerSpec.Built built, boolean autoRemove) {
        for (String volume : built.volumes()) {
            boolean anonymous = built.anonymous().contains(volume);
            try {
                ctx.engine.get("/volumes/" + volume);
                continue;
            } catch (EngineException e) {
                if (!e.notFound()) {
                    throw e;
                }
            }
            if (!anonymous) {
                VolumeApi.checkQuota(ctx);
            }
            ObjectNode body = ctx.json.createObjectNode().put("Name", volume).put("Driver", "local");
            ObjectNode labels = body.putObject("Labels");
            ctx.scope.labels().forEach(labels::put);
            if (anonymous) {
                labels.put("baeum.anonymous", "true");
                if (autoRemove) {
                    labels.put("baeum.autoremove", "true");
                }
            }
            ctx.engine.post("/volumes/create", body);
        }
    }

    private void start(ClientReply reply, String id, Query q) throws IOException {
        ctx.lock.lock();
        try {
            JsonNode c = ctx.engine.get("/containers/" + id + "/json");
            ObjectNode ports = published(c.path("Config").path("Labels"));
            if (!ports.isEmpty() && !c.path("State").path("Running").asBoolean(false)) {
                Set<String> wanted = new HashSet<>();
                ports.forEach(list -> list.forEach(b -> wanted.add(b.path("HostPort").asText())));
                for (JsonNode other : ctx.ownedContainers(Map.of("status", List.of("running")), false)) {
                    if (other.path("Id").asText().equals(id)) {
                        continue;
                    }
                    for (JsonNode list : published(other.path("Labels"))) {
                        for (JsonNode b : list) {
                            if (wanted.contains(b.path("HostPort").asText())) {
                                reply.error(500, "driver failed programming external connectivity on endpoint "
                                        + ctx.learnerName(c.path("Name").asText()).substring(1) + " (" + id + "): Bind for 0.0.0.0:"
                                        + b.path("HostPort").asText() + " failed: port is already allocated");
                                return;
                            }
                        }
                    }
                }
            }
            EngineClient.Response started = Relay.call(ctx, "POST", "/containers/" + id + "/start" + Query.build(q.only("detachKeys")), null);
            if (started.ok() && started.status() == 204 && !ports.isEmpty()) {
                ctx.lab.publish(c.path("Name").asText().substring(1), c.path("HostConfig").path("NetworkMode").asText(), ports);
            }
            if (started.ok()) {
                reply.empty(started.status());
            } else {
                Relay.error(ctx, reply, started);
            }
        } finally {
            ctx.lock.unlock();
        }
    }

    private void remove(ApiRequest r, ClientReply reply, String id) throws IOException {
        if (r.query().flag("link")) {
            throw Refusal.forbidden("링크 삭제(docker rm --link)는 지원하지 않습니다.");
        }
        JsonNode c = ctx.engine.get("/containers/" + id + "/json");
        EngineClient.Response removed = Relay.call(ctx, "DELETE", "/containers/" + id + Query.build(r.query().only("force", "v")), null);
        if (removed.ok()) {
            ObjectNode ports = published(c.path("Config").path("Labels"));
            if (!ports.isEmpty()) {
                ctx.lab.unpublish(c.path("Name").asText().substring(1), ports);
            }
            if (r.query().flag("v")) {
                removeAnonymous(c.path("Config").path("Labels").path(ContainerSpec.ANON_LABEL).asText(""));
            }
            reply.empty(removed.status());
        } else {
            Relay.error(ctx, reply, removed);
        }
    }

    private void removeAnonymous(String volumes) {
        for (String v : volumes.split(",")) {
            if (!v.isBlank()) {
                try {
                    ctx.engine.act("DELETE", "/volumes/" + v, null);
                } catch (EngineException e) {
                    // in use elsewhere (--volumes-from) or already gone: it stays until the session ends
                }
            }
        }
    }

    /** Anonymous volumes of --rm containers go when their container goes, as Docker does. */
    void sweepAutoRemoved() {
        Set<String> keep = new HashSet<>();
        for (JsonNode c : ctx.ownedContainers(Map.of(), false)) {
            for (JsonNode m : c.path("Mounts")) {
                keep.add(m.path("Name").asText());
            }
        }
        Map<String, Object> q = Map.of("filters", Query.filtersJson(ctx.json, Map.of("label",
                List.of(dev.baeum.runtime.engine.EngineScope.SESSION + "=" + ctx.scope.sessionId(), "baeum.autoremove=true"))));
        for (JsonNode v : ctx.engine.get("/volumes" + Query.build(q)).path("Volumes")) {
            String name = v.path("Name").asText();
            if (!keep.contains(name)) {
                try {
                    ctx.engine.act("DELETE", "/volumes/" + name, null);
                } catch (EngineException ignored) {
                    // still in use
                }
            }
        }
    }

    private void prune(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        for (String key : filters.keySet()) {
            if (!key.equals("until") && !key.equals("label") && !key.equals("label!")) {
                throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
            }
        }
        List<String> labels = new ArrayList<>(filters.getOrDefault("label", List.of()));
        labels.addAll(ctx.scope.labelFilter());
        filters.put("label", labels);
        EngineClient.Response pruned = Relay.call(ctx, "POST", "/containers/prune"
                + Query.build(Map.of("filters", Query.filtersJson(ctx.json, filters))), null);
        sweepAutoRemoved();
        Relay.json(ctx, reply, pruned, node -> node);
    }

    private void rename(ClientReply reply, String id, String name) throws IOException {
        if (name == null || !Names.validObjectName(name.replaceFirst("^/", ""))) {
            throw Refusal.badRequest("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        simple(reply, "/containers/" + id + "/rename" + Query.build(Map.of("name", ctx.names.object(name.replaceFirst("^/", "")))));
    }

    /**
     * docker update: the restart policy, and memory, CPU and process limits within the same ceilings as at
     * creation (memory+swap stays equal to memory). Nothing else may change after creation.
     */
    private void update(ApiRequest r, ClientReply reply, String base) throws IOException {
        JsonNode body = readJson(r, 64 * 1024);
        Fields.onlyKnown(body, "HostConfig.", Set.of("RestartPolicy", "Memory", "MemorySwap", "MemoryReservation", "NanoCpus",
                "CpuQuota", "CpuPeriod", "CpuShares", "PidsLimit"), Map.of());
        ObjectNode out = ctx.json.createObjectNode();
        JsonNode policy = body.path("RestartPolicy");
        if (policy.isObject() && !policy.path("Name").asText("").isEmpty()) {
            String name = policy.path("Name").asText();
            if (!name.matches("no|always|unless-stopped|on-failure")) {
                throw Refusal.badRequest("재시작 정책이 올바르지 않습니다: " + name);
            }
            out.putObject("RestartPolicy").put("Name", name)
                    .put("MaximumRetryCount", Math.min(10, Math.max(0, policy.path("MaximumRetryCount").asInt(0))));
        }
        dev.baeum.runtime.engine.Budget budget = ctx.scope.budget();
        long memory = body.path("Memory").asLong(0);
        if (memory > 0) {
            if (memory > budget.memoryBytes()) {
                throw Refusal.forbidden("컨테이너 메모리(--memory)는 이 실습 세션의 메모리 예산 "
                        + (budget.memoryBytes() >> 20) + "MB보다 클 수 없습니다.");
            }
            out.put("Memory", memory).put("MemorySwap", memory);
        }
        double cpus = body.path("NanoCpus").asLong(0) / 1e9;
        if (cpus == 0 && body.path("CpuQuota").asLong(0) > 0) {
            long period = body.path("CpuPeriod").asLong(0);
            cpus = (double) body.path("CpuQuota").asLong() / (period > 0 ? period : 100_000);
        }
        if (cpus > 0) {
            if (cpus > budget.cpus() + 1e-9) {
                throw Refusal.forbidden("컨테이너 CPU(--cpus)는 이 실습 세션의 CPU 예산 " + budget.cpus() + "코어보다 클 수 없습니다.");
            }
            out.put("NanoCpus", Math.round(cpus * 1e9));
        }
        long pids = body.path("PidsLimit").asLong(0);
        if (pids != 0) {
            if (pids < 0 || pids > budget.pids()) {
                throw Refusal.forbidden("프로세스 수 상한(--pids-limit)은 1부터 이 실습 세션의 예산 " + budget.pids() + "개까지입니다.");
            }
            out.put("PidsLimit", pids);
        }
        long shares = body.path("CpuShares").asLong(0);
        if (shares > 0) {
            out.put("CpuShares", Math.max(2, Math.min(262_144, shares)));
        }
        Relay.json(ctx, reply, Relay.call(ctx, "POST", base + "update", ctx.json.writeValueAsBytes(out)), node -> node);
    }

    private void wait(ClientReply reply, String base, Query q) throws IOException {
        String condition = q.get("condition");
        if (condition != null && !condition.matches("not-running|next-exit|removed")) {
            throw Refusal.badRequest("condition 값이 올바르지 않습니다: " + condition);
        }
        try (EngineClient.Exchange ex = ctx.engine.open("POST", base + "wait" + Query.build(q.only("condition")), null, null, false)) {
            ResponseHead head = ex.response(false);
            Relay.lines(ctx, reply, ex, head, line -> ctx.names.scrub(line));
        }
        if ("removed".equals(condition)) {
            sweepAutoRemoved();
            // The engine may still be finishing the removal: look once more in a moment.
            Thread.ofVirtual().name("baeum-sweep").start(() -> {
                try {
                    Thread.sleep(1500);
                    sweepAutoRemoved();
                } catch (InterruptedException | RuntimeException e) {
                    // the next sweep (or the session's end) takes it
                }
            });
        }
    }

    // ---- exec ----------------------------------------------------------------------------------------

    private void execCreate(ApiRequest r, ClientReply reply, String base) throws IOException {
        JsonNode body = readJson(r, 256 * 1024);
        Fields.onlyKnown(body, "", Set.of("AttachStdin", "AttachStdout", "AttachStderr", "DetachKeys", "Tty", "Env", "Cmd",
                "User", "WorkingDir", "ConsoleSize"), Map.of("Privileged", "docker exec --privileged 는 쓸 수 없습니다."));
        ObjectNode out = ctx.json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("Privileged")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        out.put("Privileged", false);
        Relay.json(ctx, reply, Relay.call(ctx, "POST", base + "exec", ctx.json.writeValueAsBytes(out)), node -> node);
    }

    private void exec(ApiRequest r, ClientReply reply, Conn conn) throws IOException {
        if (r.size() != 3) {
            throw unknown(r);
        }
        String execId = r.segment(1);
        if (!Ctx.FULL_ID.matcher(execId).matches()) {
            throw Refusal.notFound("No such exec instance: " + execId);
        }
        JsonNode info;
        try {
            info = ctx.engine.get("/exec/" + execId + "/json");
        } catch (EngineException e) {
            throw Refusal.notFound("No such exec instance: " + execId);
        }
        try {
            ctx.container(info.path("ContainerID").asText());
        } catch (Refusal notOurs) {
            throw Refusal.notFound("No such exec instance: " + execId);
        }
        String base = "/exec/" + execId + "/";
        switch (r.method() + " " + r.segment(2)) {
            case "GET json" -> reply.json(200, info);
            case "POST resize" -> simple(reply, base + "resize" + Query.build(numbers(r.query(), "h", "w")));
            case "POST start" -> {
                JsonNode body = readJson(r, 64 * 1024);
                ObjectNode out = ctx.json.createObjectNode();
                out.put("Detach", body.path("Detach").asBoolean(false)).put("Tty", body.path("Tty").asBoolean(false));
                if (body.path("ConsoleSize").isArray()) {
                    out.set("ConsoleSize", body.get("ConsoleSize"));
                }
                if (out.path("Detach").asBoolean()) {
                    Relay.json(ctx, reply, Relay.call(ctx, "POST", base + "start", ctx.json.writeValueAsBytes(out)), n -> n);
                } else {
                    Hijack.run(ctx, reply, conn, base + "start", ctx.json.writeValueAsBytes(out));
                }
            }
            default -> throw unknown(r);
        }
    }

    // ---- archives (docker cp) -------------------------------------------------------------------------

    private void archiveRead(ApiRequest r, ClientReply reply, String path) throws IOException {
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

    private void archiveWrite(ApiRequest r, ClientReply reply, String path) throws IOException {
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

    // ---- helpers -------------------------------------------------------------------------------------

    private void simple(ClientReply reply, String path) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open("POST", path, null, null, false)) {
            Relay.plain(ctx, reply, ex, ex.response(false));
        }
    }

    private void stream(ClientReply reply, String method, String path) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open(method, path, null, null, false)) {
            Relay.plain(ctx, reply, ex, ex.response(false));
        }
    }

    private void lines(ClientReply reply, String path) throws IOException {
        try (EngineClient.Exchange ex = ctx.engine.open("GET", path, null, null, false)) {
            ResponseHead head = ex.response(false);
            Relay.lines(ctx, reply, ex, head, line -> {
                try {
                    JsonNode node = ctx.json.readTree(line);
                    if (node instanceof ObjectNode o) {
                        o.put("name", ctx.learnerName(o.path("name").asText()));
                        renameNetworks(o.path("networks"));
                        return o.toString();
                    }
                } catch (IOException ignored) {
                    // not JSON: pass it on scrubbed
                }
                return ctx.names.scrub(line);
            });
        }
    }

    private static Map<String, Object> numbers(Query q, String... keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            String v = q.get(k);
            if (v != null) {
                if (!v.matches("[0-9]{1,5}")) {
                    throw Refusal.badRequest(k + " 값이 올바르지 않습니다.");
                }
                out.put(k, v);
            }
        }
        return out;
    }

    JsonNode readJson(ApiRequest r, int max) throws IOException {
        byte[] bytes = r.reader().readBody(max);
        r.noteBody(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        if (bytes.length == 0) {
            return ctx.json.createObjectNode();
        }
        try {
            return ctx.json.readTree(bytes);
        } catch (IOException e) {
            throw Refusal.badRequest("요청 본문이 올바른 JSON이 아닙니다.");
        }
    }
}
