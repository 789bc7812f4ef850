package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.ImageRef;
import dev.baeum.runtime.engine.Names;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker rmi} and {@code docker image prune}: only the session's own tags and images go; catalogue images
 * are shared by everyone and never removed, and an image another session also built only leaves this one's ledger.
 */
final class ImageRemoval {

    private final Ctx ctx;

    ImageRemoval(Ctx ctx) {
        this.ctx = ctx;
    }

    void delete(ApiRequest r, ClientReply reply, String name) throws IOException {
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

    void prune(ApiRequest r, ClientReply reply) throws IOException {
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
}
