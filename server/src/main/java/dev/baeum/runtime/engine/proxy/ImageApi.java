package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.ImageRef;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /images/…} and {@code /commit}: the session's own images under the names the learner gave them, plus
 * the read-only catalogue. Catalogue images can be used, tagged and "pulled", never removed.
 */
final class ImageApi {

    private final Ctx ctx;

    ImageApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void route(ApiRequest r, ClientReply reply) throws IOException {
        int n = r.size();
        if (r.segment(0).equals("commit") && n == 1 && r.is("POST")) {
            commit(r, reply);
            return;
        }
        String last = r.segment(n - 1);
        if (n == 2 && r.is("GET") && last.equals("json")) {
            list(r, reply);
        } else if (n == 2 && r.is("POST") && last.equals("create")) {
            pull(r, reply);
        } else if (n == 2 && r.is("POST") && last.equals("prune")) {
            prune(r, reply);
        } else if (n == 2 && last.equals("search")) {
            throw Refusal.forbidden("이 실습 환경은 Docker Hub에 연결되어 있지 않아 검색할 수 없습니다. "
                    + "준비된 이미지는 docker images 로 볼 수 있습니다: " + ctx.catalogue.describe());
        } else if (n == 2 && (last.equals("load") || last.equals("get"))) {
            throw Refusal.forbidden("이미지를 파일로 내보내거나 불러오는 기능(docker save/load)은 이 실습 환경에서 쓸 수 없습니다.");
        } else if (n >= 2 && r.is("DELETE")) {
            delete(r, reply, String.join("/", r.segments().subList(1, n)));
        } else if (n >= 3) {
            String name = String.join("/", r.segments().subList(1, n - 1));
            switch (r.method() + " " + last) {
                case "GET json" -> inspect(reply, name);
                case "GET history" -> history(reply, name);
                case "POST tag" -> tag(r, reply, name);
                case "POST push" -> throw Refusal.forbidden("docker push 는 이미지를 레지스트리(예: Docker Hub)로 올리는 명령입니다. "
                        + "이 실습 환경은 레지스트리에 연결되어 있지 않아 보내지 않습니다. 실제로는 docker login 으로 로그인한 뒤 "
                        + "docker tag 로 <사용자 이름>/<이미지>:<태그> 이름을 붙여 docker push 합니다.");
                case "GET get" -> throw Refusal.forbidden("이미지를 파일로 내보내는 기능(docker save)은 이 실습 환경에서 쓸 수 없습니다.");
                default -> throw ContainerApi.unknown(r);
            }
        } else {
            throw ContainerApi.unknown(r);
        }
    }

    // ---- reading --------------------------------------------------------------------------------------

    private void list(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        List<String> references = filters.remove("reference");
        for (String key : filters.keySet()) {
            if (!Set.of("dangling", "label", "before", "since").contains(key)) {
                throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
            }
        }
        for (String key : List.of("before", "since")) {
            if (filters.containsKey(key)) {
                List<String> ids = new ArrayList<>();
                for (String ref : filters.get(key)) {
                    ids.add(ctx.image(ref).id());
                }
                filters.put(key, ids);
            }
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("all", r.query().flag("all") ? "1" : null);
        q.put("digests", r.query().flag("digests") ? "1" : null);
        if (!filters.isEmpty()) {
            q.put("filters", Query.filtersJson(ctx.json, filters));
        }
        Set<String> recorded = ctx.ledger.ids(ctx.scope.sessionId());
        ArrayNode out = ctx.json.createArrayNode();
        for (JsonNode img : ctx.engine.get("/images/json" + Query.build(q))) {
            ObjectNode o = (ObjectNode) img;
            List<String> tags = ctx.visibleTags(o.path("RepoTags"));
            boolean own = recorded.contains(o.path("Id").asText())
                    || hasOwnTag(o.path("RepoTags"));
            if (!own && tags.isEmpty()) {
                continue;
            }
            if (references != null && references.stream().noneMatch(ref -> tags.stream().anyMatch(t -> globMatch(ref, t)))) {
                continue;
            }
            ArrayNode repoTags = o.putArray("RepoTags");
            if (tags.isEmpty()) {
                repoTags.add("<none>:<none>");
            } else {
                tags.forEach(repoTags::add);
            }
            List<String> visible = ctx.visibleDigests(img.path("RepoDigests"));
            ArrayNode digests = o.putArray("RepoDigests");
            if (visible.isEmpty() && tags.isEmpty()) {
                digests.add("<none>@<none>");
            } else {
                visible.forEach(digests::add);
            }
            out.add(o);
        }
        reply.json(200, out);
    }

    private boolean hasOwnTag(JsonNode repoTags) {
        for (JsonNode t : repoTags) {
            if (ctx.names.learnerImage(t.asText()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Docker's reference filter: a glob on "name" or "name:tag". */
    static boolean globMatch(String pattern, String tag) {
        String name = tag.contains(":") ? tag.substring(0, tag.lastIndexOf(':')) : tag;
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(regex.toString());
        return p.matcher(tag).matches() || p.matcher(name).matches();
    }

    private void inspect(ClientReply reply, String name) throws IOException {
        Ctx.Image image = ctx.image(name);
        ObjectNode o = (ObjectNode) image.inspect();
        List<String> shownTags = ctx.visibleTags(o.path("RepoTags"));
        List<String> shownDigests = ctx.visibleDigests(o.path("RepoDigests"));
        ArrayNode tags = o.putArray("RepoTags");
        shownTags.forEach(tags::add);
        ArrayNode digests = o.putArray("RepoDigests");
        shownDigests.forEach(digests::add);
        o.remove("Container");
        if (o.path("ContainerConfig") instanceof ObjectNode cc) {
            cc.put("Hostname", "");
        }
        reply.json(200, o);
    }

    private void history(ClientReply reply, String name) throws IOException {
        Ctx.Image image = ctx.image(name);
        Relay.json(ctx, reply, Relay.call(ctx, "GET", "/images/" + image.id() + "/history", null), node -> {
            for (JsonNode entry : node) {
                if (entry instanceof ObjectNode e && e.path("Tags").isArray()) {
                    List<String> tags = ctx.visibleTags(e.path("Tags"));
                    if (tags.isEmpty()) {
                        e.putNull("Tags");
                    } else {
                        ArrayNode t = e.putArray("Tags");
                        tags.forEach(t::add);
                    }
                }
            }
            return node;
        });
    }

    // ---- changing ------------------------------------------------------------------------------------

    private void tag(ApiRequest r, ClientReply reply, String name) throws IOException {
        Ctx.Image source = ctx.image(name);
        String repo = r.query().get("repo");
        String tag = r.query().get("tag");
        ImageRef target = ImageRef.parse(repo == null ? "" : repo + (tag == null || tag.isEmpty() ? "" : ":" + tag))
                .orElseThrow(() -> Refusal.badRequest("invalid reference format: " + repo));
        if (target.digest() != null || !Names.namespaceable(target)) {
            throw Refusal.badRequest("이 이름은 쓸 수 없습니다: " + target);
        }
        ctx.lock.lock();
        try {
            checkQuota();
            ImageRef tagged = target.withDefaultTag();
            EngineClient.Response done = Relay.call(ctx, "POST", "/images/" + source.id() + "/tag"
                    + Query.build(Map.of("repo", ctx.names.repository(tagged), "tag", tagged.tag())), null);
            if (done.ok()) {
                reply.empty(done.status());
            } else {
                Relay.error(ctx, reply, done);
            }
        } finally {
            ctx.lock.unlock();
        }
    }

    void checkQuota() {
        long own = ctx.visibleImageIds().values().stream().filter(base -> !base).count();
        if (own >= ctx.scope.budget().maxImages()) {
            throw Refusal.forbidden("이 실습 세션에서는 이미지를 " + ctx.scope.budget().maxImages()
                    + "개까지 만들 수 있습니다. 쓰지 않는 이미지를 지우세요 (docker rmi, docker image prune).");
        }
    }

    private void delete(ApiRequest r, ClientReply reply, String name) throws IOException {
        boolean force = r.query().flag("force");
        String noprune = r.query().flag("noprune") ? "1" : null;
        Optional<ImageRef> parsed = ImageRef.parse(name);
        if (parsed.isPresent() && parsed.get().digest() == null && Names.namespaceable(parsed.get())) {
            String engineTag = ctx.names.image(parsed.get());
            if (ctx.inspectImage(engineTag).isPresent()) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("force", force ? "1" : null);
                q.put("noprune", noprune);
                EngineClient.Response r2 = Relay.call(ctx, "DELETE", "/images/" + engineTag + Query.build(q), null);
                Relay.json(ctx, reply, r2, this::deleted);
                return;
            }
            if (ctx.catalogue.contains(parsed.get())) {
                throw Refusal.forbidden("기본 이미지(" + parsed.get().withDefaultTag() + ")는 모두가 함께 쓰므로 지울 수 없습니다.");
            }
        }
        Ctx.Image image = ctx.image(name);
        if (image.catalogue()) {
            throw Refusal.forbidden("기본 이미지(" + String.join(", ", ctx.visibleTags(image.inspect().path("RepoTags")))
                    + ")는 모두가 함께 쓰므로 지울 수 없습니다.");
        }
        List<String> ownTags = new ArrayList<>();
        for (JsonNode t : image.inspect().path("RepoTags")) {
            if (ctx.names.learnerImage(t.asText()).isPresent()) {
                ownTags.add(t.asText());
            }
        }
        String shortId = image.id().substring("sha256:".length(), "sha256:".length() + 12);
        if (ownTags.size() > 1 && !force) {
            throw new Refusal(409, "conflict: unable to delete " + shortId
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        ArrayNode result = ctx.json.createArrayNode();
        for (String tag : ownTags) {
            EngineClient.Response untagged = Relay.call(ctx, "DELETE", "/images/" + tag + (noprune == null ? "" : "?noprune=1"), null);
            if (!untagged.ok()) {
                Relay.error(ctx, reply, untagged);
                return;
            }
            deleted(ctx.json.readTree(untagged.body())).forEach(result::add);
        }
        Optional<JsonNode> still = ctx.inspectImage(image.id());
        if (still.isPresent() && still.get().path("RepoTags").isEmpty()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("force", force ? "1" : null);
            q.put("noprune", noprune);
            EngineClient.Response gone = Relay.call(ctx, "DELETE", "/images/" + image.id() + Query.build(q), null);
            if (!gone.ok()) {
                Relay.error(ctx, reply, gone);
                return;
            }
            deleted(ctx.json.readTree(gone.body())).forEach(result::add);
        } else if (still.isPresent() && ownTags.isEmpty()) {
            ctx.ledger.forget(ctx.scope.sessionId(), image.id()); // shared with another session's identical build
        }
        reply.json(200, result);
    }

    /** Untagged/Deleted entries with names un-namespaced; deleted IDs leave the ledger. */
    private JsonNode deleted(JsonNode list) {
        for (JsonNode e : list) {
            if (e instanceof ObjectNode o) {
                if (o.has("Untagged")) {
                    String t = o.path("Untagged").asText();
                    o.put("Untagged", ctx.names.learnerImage(t).map(Object::toString).orElse(t));
                }
                if (o.has("Deleted")) {
                    ctx.ledger.forget(ctx.scope.sessionId(), o.path("Deleted").asText());
                }
            }
        }
        return list;
    }

    private void prune(ApiRequest r, ClientReply reply) throws IOException {
        Map<String, List<String>> filters = r.query().filters(ctx.json);
        for (String key : filters.keySet()) {
            if (!key.equals("dangling") && !key.equals("until")) {
                throw Refusal.badRequest("알 수 없는 필터입니다: " + key);
            }
        }
        boolean danglingOnly = !filters.getOrDefault("dangling", List.of("true")).contains("false");
        Set<String> used = new HashSet<>();
        ctx.ownedContainers(Map.of(), false).forEach(c -> used.add(c.path("ImageID").asText()));
        Set<String> recorded = ctx.ledger.ids(ctx.scope.sessionId());
        ArrayNode deleted = ctx.json.createArrayNode();
        long reclaimed = 0;
        for (JsonNode img : ctx.engine.get("/images/json")) {
            String id = img.path("Id").asText();
            List<String> ownTags = new ArrayList<>();
            boolean foreignTags = false;
            for (JsonNode t : img.path("RepoTags")) {
                if (ctx.names.learnerImage(t.asText()).isPresent()) {
                    ownTags.add(t.asText());
                } else if (!t.asText().equals("<none>:<none>")) {
                    foreignTags = true;
                }
            }
            boolean own = recorded.contains(id) || !ownTags.isEmpty();
            if (!own || used.contains(id) || (danglingOnly && !ownTags.isEmpty())) {
                continue;
            }
            try {
                for (String tag : ownTags) {
                    EngineClient.Response untagged = ctx.engine.call("DELETE", "/images/" + tag, null);
                    if (untagged.ok()) {
                        deleted(ctx.json.readTree(untagged.body())).forEach(deleted::add);
                    }
                }
                if (!foreignTags) {
                    EngineClient.Response gone = ctx.engine.call("DELETE", "/images/" + id, null);
                    if (gone.ok()) {
                        deleted(ctx.json.readTree(gone.body())).forEach(deleted::add);
                        reclaimed += img.path("Size").asLong(0);
                    }
                } else {
                    ctx.ledger.forget(ctx.scope.sessionId(), id);
                }
            } catch (EngineException ignored) {
                // in use by something: skip, as prune does
            }
        }
        ObjectNode out = ctx.json.createObjectNode();
        out.set("ImagesDeleted", deleted.isEmpty() ? ctx.json.nullNode() : deleted);
        out.put("SpaceReclaimed", reclaimed);
        reply.json(200, out);
    }

    /** Pulls answer from the catalogue, with the progress lines a real pull prints. */
    private void pull(ApiRequest r, ClientReply reply) throws IOException {
        if (r.query().has("fromSrc")) {
            throw Refusal.forbidden("docker import 는 이 실습 환경에서 쓸 수 없습니다.");
        }
        String from = r.query().get("fromImage");
        String tag = r.query().get("tag");
        ImageRef ref = ImageRef.parse((from == null ? "" : from) + (tag == null || tag.isEmpty() ? "" : (tag.startsWith("sha256:") ? "@" : ":") + tag))
                .orElseThrow(() -> Refusal.badRequest("invalid reference format: " + from));
        boolean base = ref.digest() == null ? ctx.catalogue.contains(ref)
                : ctx.catalogue.images().stream().anyMatch(c -> c.name().equals(ref.name()));
        Optional<JsonNode> local = base ? ctx.inspectImage(ref.digest() == null ? ref.withDefaultTag().toString() : ref.toString())
                : Optional.empty();
        if (local.isEmpty()) {
            throw Refusal.notFound("이 실습 환경은 인터넷(레지스트리)에 연결되어 있지 않아 " + ref.withDefaultTag()
                    + " 을(를) 받을 수 없습니다. 미리 준비된 이미지만 쓸 수 있습니다: " + ctx.catalogue.describe());
        }
        ImageRef shown = ref.withDefaultTag();
        String repo = shown.domain() == null && !shown.path().contains("/") ? "library/" + shown.path() : shown.path();
        try (OutputStream out = reply.stream(200, "application/json")) {
            line(out, ctx.json.createObjectNode().put("status", "Pulling from " + repo).put("id", shown.tag() == null ? "latest" : shown.tag()));
            JsonNode digests = local.get().path("RepoDigests");
            if (digests.size() > 0) {
                String d = digests.get(0).asText();
                line(out, ctx.json.createObjectNode().put("status", "Digest: " + d.substring(d.indexOf('@') + 1)));
            }
            line(out, ctx.json.createObjectNode().put("status", "Status: Image is up to date for " + shown));
        }
    }

    private static void line(OutputStream out, JsonNode node) throws IOException {
        out.write((node.toString() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code docker commit}: a new image of the session's own container, with only harmless changes. */
    private void commit(ApiRequest r, ClientReply reply) throws IOException {
        String container = ctx.container(r.query().get("container"));
        byte[] body = r.reader().readBody(64 * 1024);
        JsonNode config = body.length == 0 ? ctx.json.createObjectNode() : ctx.json.readTree(body);
        Fields.onlyKnown(config, "", Set.of("Cmd", "Entrypoint", "Env", "ExposedPorts", "Labels", "User", "WorkingDir",
                "Hostname", "Domainname", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce"), Map.of());
        if (config.path("Labels").isObject()) {
            config.path("Labels").fieldNames().forEachRemaining(k -> {
                if (k.startsWith("baeum.")) {
                    throw Refusal.forbidden("'baeum.' 으로 시작하는 라벨은 붙일 수 없습니다.");
                }
            });
        }
        for (String change : r.query().all("changes")) {
            for (String line : change.split("\n")) {
                String word = line.strip().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
                if (!line.isBlank() && !Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "WORKDIR").contains(word)) {
                    throw Refusal.forbidden("docker commit --change 에는 CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR 만 쓸 수 있습니다: " + line);
                }
                if (word.equals("LABEL") && line.contains("baeum.")) {
                    throw Refusal.forbidden("'baeum.' 으로 시작하는 라벨은 붙일 수 없습니다.");
                }
            }
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("container", container);
        String repo = r.query().get("repo");
        if (repo != null && !repo.isEmpty()) {
            String tag = r.query().get("tag");
            ImageRef target = ImageRef.parse(repo + (tag == null || tag.isEmpty() ? "" : ":" + tag))
                    .filter(t -> t.digest() == null && Names.namespaceable(t))
                    .orElseThrow(() -> Refusal.badRequest("invalid reference format: " + repo));
            q.put("repo", ctx.names.repository(target.withDefaultTag()));
            q.put("tag", target.withDefaultTag().tag());
        }
        q.putAll(r.query().only("comment", "author", "pause", "changes"));
        ctx.lock.lock();
        try {
            checkQuota();
            EngineClient.Response made = Relay.call(ctx, "POST", "/commit" + Query.build(q), ctx.json.writeValueAsBytes(config));
            if (made.ok()) {
                ctx.ledger.record(ctx.scope.sessionId(), ctx.json.readTree(made.body()).path("Id").asText());
            }
            Relay.json(ctx, reply, made, node -> node);
        } finally {
            ctx.lock.unlock();
        }
    }
}
