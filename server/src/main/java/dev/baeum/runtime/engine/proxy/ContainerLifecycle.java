package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.Names;
import dev.baeum.runtime.engine.http.ResponseHead;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A learner container's life: create (through the {@link ContainerSpec} allowlist, within the session's count),
 * start (ports checked against the session's other containers), rename, update (within the same ceilings),
 * wait, remove and prune, with the session volumes that go with them.
 */
final class ContainerLifecycle {

    private static final int MAX_CREATE_BODY = 1 << 20;

    private final Ctx ctx;

    ContainerLifecycle(Ctx ctx) {
        this.ctx = ctx;
    }

    void create(ApiRequest r, ClientReply reply) throws IOException {
        String name = r.query().get("name");
        if (name != null && name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name != null && !name.isEmpty() && !Names.validObjectName(name)) {
            throw Refusal.badRequest("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        JsonNode body = new ContainerApi(ctx).readJson(r, MAX_CREATE_BODY);
        ctx.lock.lock();
        try {
            ArrayNode existing = ctx.ownedContainers(Map.of(), false);
            if (existing.size() >= ctx.scope.budget().maxContainers()) {
                throw Refusal.forbidden("이 실습 세션에서는 컨테이너를 " + ctx.scope.budget().maxContainers()
                        + "개까지 만들 수 있습니다. 쓰지 않는 컨테이너를 지우세요 (docker rm, docker container prune).");
            }
            Set<Integer> used = new HashSet<>();
            for (JsonNode c : existing) {
                ContainerPorts.published(ctx.json, c.path("Labels"))
                        .forEach(list -> list.forEach(b -> used.add(b.path("HostPort").asInt())));
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

    void start(ClientReply reply, String id, Query q) throws IOException {
        ctx.lock.lock();
        try {
            JsonNode c = ctx.engine.get("/containers/" + id + "/json");
            ObjectNode ports = ContainerPorts.published(ctx.json, c.path("Config").path("Labels"));
            if (!ports.isEmpty() && !c.path("State").path("Running").asBoolean(false)) {
                Set<String> wanted = new HashSet<>();
                ports.forEach(list -> list.forEach(b -> wanted.add(b.path("HostPort").asText())));
                for (JsonNode other : ctx.ownedContainers(Map.of("status", List.of("running")), false)) {
                    if (other.path("Id").asText().equals(id)) {
                        continue;
                    }
                    for (JsonNode list : ContainerPorts.published(ctx.json, other.path("Labels"))) {
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

    void remove(ApiRequest r, ClientReply reply, String id) throws IOException {
        if (r.query().flag("link")) {
            throw Refusal.forbidden("링크 삭제(docker rm --link)는 지원하지 않습니다.");
        }
        JsonNode c = ctx.engine.get("/containers/" + id + "/json");
        EngineClient.Response removed = Relay.call(ctx, "DELETE", "/containers/" + id + Query.build(r.query().only("force", "v")), null);
        if (removed.ok()) {
            ObjectNode ports = ContainerPorts.published(ctx.json, c.path("Config").path("Labels"));
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

    /**
     * Anonymous volumes of --rm containers go when their container goes, as Docker does: removes those no container
     * mounts any more, and returns how many the engine still refused (it lets go of a removed container's mounts
     * just after the removal).
     */
    int sweepAutoRemoved() {
        Set<String> keep = new HashSet<>();
        for (JsonNode c : ctx.ownedContainers(Map.of(), false)) {
            for (JsonNode m : c.path("Mounts")) {
                keep.add(m.path("Name").asText());
            }
        }
        Map<String, Object> q = Map.of("filters", Query.filtersJson(ctx.json, Map.of("label",
                List.of(dev.baeum.runtime.engine.EngineScope.SESSION + "=" + ctx.scope.sessionId(), "baeum.autoremove=true"))));
        int refused = 0;
        for (JsonNode v : ctx.engine.get("/volumes" + Query.build(q)).path("Volumes")) {
            String name = v.path("Name").asText();
            if (!keep.contains(name)) {
                try {
                    ctx.engine.act("DELETE", "/volumes/" + name, null);
                } catch (EngineException stillInUse) {
                    refused++;
                }
            }
        }
        return refused;
    }

    void prune(ApiRequest r, ClientReply reply) throws IOException {
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

    void rename(ClientReply reply, String id, String name) throws IOException {
        if (name == null || !Names.validObjectName(name.replaceFirst("^/", ""))) {
            throw Refusal.badRequest("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        Relay.forward(ctx, reply, "POST", "/containers/" + id + "/rename"
                + Query.build(Map.of("name", ctx.names.object(name.replaceFirst("^/", "")))));
    }

    /**
     * docker update: the restart policy, and memory, CPU and process limits within the same ceilings as at
     * creation (memory+swap stays equal to memory). Nothing else may change after creation.
     */
    void update(ApiRequest r, ClientReply reply, String base) throws IOException {
        JsonNode body = new ContainerApi(ctx).readJson(r, 64 * 1024);
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

    void wait(ClientReply reply, String base, Query q) throws IOException {
        String condition = q.get("condition");
        if (condition != null && !condition.matches("not-running|next-exit|removed")) {
            throw Refusal.badRequest("condition 값이 올바르지 않습니다: " + condition);
        }
        try (EngineClient.Exchange ex = ctx.engine.open("POST", base + "wait" + Query.build(q.only("condition")), null, null, false)) {
            ResponseHead head = ex.response(false);
            Relay.lines(ctx, reply, ex, head, line -> ctx.names.scrub(line));
        }
        if ("removed".equals(condition) && sweepAutoRemoved() > 0) {
            // The engine answers the wait before it lets go of the container's mounts: try again until it has.
            Thread.ofVirtual().name("baeum-sweep").start(() -> {
                try {
                    for (int tries = 0; tries < 50; tries++) {
                        Thread.sleep(100);
                        if (sweepAutoRemoved() == 0) {
                            return;
                        }
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // the next sweep (or the session's end) takes it
                }
            });
        }
    }
}
