package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.ImageRef;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /images/…} and {@code /commit}: the session's own images under the names the learner gave them, plus
 * the read-only catalogue. Catalogue images can be used, tagged and "pulled", never removed. Listing, inspect,
 * history and tag are here; pulls in {@link ImagePull}, removal and prune in {@link ImageRemoval}, commit in
 * {@link ImageCommit}.
 */
final class ImageApi {

    private final Ctx ctx;

    ImageApi(Ctx ctx) {
        this.ctx = ctx;
    }

    void route(ApiRequest r, ClientReply reply) throws IOException {
        int n = r.size();
        if (r.segment(0).equals("commit") && n == 1 && r.is("POST")) {
            new ImageCommit(ctx).commit(r, reply);
            return;
        }
        String last = r.segment(n - 1);
        if (n == 2 && r.is("GET") && last.equals("json")) {
            list(r, reply);
        } else if (n == 2 && r.is("POST") && last.equals("create")) {
            new ImagePull(ctx).pull(r, reply);
        } else if (n == 2 && r.is("POST") && last.equals("prune")) {
            new ImageRemoval(ctx).prune(r, reply);
        } else if (n == 2 && last.equals("search")) {
            throw Refusal.forbidden("이 실습 환경은 Docker Hub에 연결되어 있지 않아 검색할 수 없습니다. "
                    + "준비된 이미지는 docker images 로 볼 수 있습니다: " + ctx.catalogue.describe());
        } else if (n == 2 && (last.equals("load") || last.equals("get"))) {
            throw Refusal.forbidden("이미지를 파일로 내보내거나 불러오는 기능(docker save/load)은 이 실습 환경에서 쓸 수 없습니다.");
        } else if (n >= 2 && r.is("DELETE")) {
            new ImageRemoval(ctx).delete(r, reply, String.join("/", r.segments().subList(1, n)));
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

    // ---- naming ---------------------------------------------------------------------------------------

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
}
