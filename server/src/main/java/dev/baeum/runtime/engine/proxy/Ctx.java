package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Catalogue;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.engine.EngineException;
import dev.baeum.runtime.engine.EngineScope;
import dev.baeum.runtime.engine.ImageLedger;
import dev.baeum.runtime.engine.ImageRef;
import dev.baeum.runtime.engine.Names;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * What every handler of one session needs: its scope and namespace, the engine, the catalogue, and the
 * rules for resolving a learner's reference (name, full ID or ID prefix) to an object the session owns.
 * Resolution happens here, before any decision, so "not found" for the learner is "not found" everywhere:
 * objects of other sessions and of the platform are simply not there.
 */
final class Ctx {

    static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");
    static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    final EngineScope scope;
    final Names names;
    final EngineClient engine;
    final ObjectMapper json;
    final Catalogue catalogue;
    final ImageLedger ledger;
    final LabHooks lab;
    /** Creates, starts and builds of one session happen one at a time, so counts and port checks hold. */
    final ReentrantLock lock;

    Ctx(EngineScope scope, EngineClient engine, Catalogue catalogue, ImageLedger ledger, LabHooks lab, ReentrantLock lock) {
        this.scope = scope;
        this.names = scope.names();
        this.engine = engine;
        this.json = engine.json();
        this.catalogue = catalogue;
        this.ledger = ledger;
        this.lab = lab;
        this.lock = lock;
    }

    // ---- containers -------------------------------------------------------------------------------------

    /** The session's containers, as the engine lists them (all states). */
    ArrayNode ownedContainers(Map<String, List<String>> extraFilters, boolean size) {
        Map<String, List<String>> filters = new LinkedHashMap<>(extraFilters);
        List<String> labels = new ArrayList<>(filters.getOrDefault("label", List.of()));
        labels.addAll(scope.labelFilter());
        filters.put("label", labels);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("all", "1");
        if (size) {
            q.put("size", "1");
        }
        q.put("filters", Query.filtersJson(json, filters));
        return (ArrayNode) engine.get("/containers/json" + Query.build(q));
    }

    /** The full ID of the session's container called {@code ref} (name, full ID or unique ID prefix). */
    String container(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > 200) {
            throw noSuchContainer(String.valueOf(ref));
        }
        if (FULL_ID.matcher(ref).matches()) {
            try {
                JsonNode c = engine.get("/containers/" + ref + "/json");
                if (scope.owns(labels(c.path("Config").path("Labels")))) {
                    return ref;
                }
            } catch (EngineException e) {
                if (!e.notFound()) {
                    throw e;
                }
            }
            throw noSuchContainer(ref);
        }
        ArrayNode all = ownedContainers(Map.of(), false);
        String wanted = Names.validObjectName(ref) ? "/" + names.object(ref) : null;
        for (JsonNode c : all) {
            for (JsonNode n : c.path("Names")) {
                String name = n.asText();
                if (name.equals(wanted) || name.equals("/" + ref) && names.learnerObject(name).isEmpty()) {
                    return c.path("Id").asText();
                }
            }
        }
        if (HEX.matcher(ref).matches()) {
            String found = null;
            for (JsonNode c : all) {
                String id = c.path("Id").asText();
                if (id.startsWith(ref)) {
                    if (found != null) {
                        throw Refusal.notFound("Multiple IDs found with provided prefix: " + ref);
                    }
                    found = id;
                }
            }
            if (found != null) {
                return found;
            }
        }
        throw noSuchContainer(ref);
    }

    static Refusal noSuchContainer(String ref) {
        return Refusal.notFound("No such container: " + ref);
    }

    /** The learner's name for a container listed by the engine: its own name, or the engine's random one. */
    String learnerName(String engineName) {
        return names.learnerObject(engineName).orElse(engineName);
    }

    // ---- images -----------------------------------------------------------------------------------------

    /** An image the session may use: its ID, and whether it is a read-only catalogue image. */
    /** @param engineRef how the engine should be told about it (the namespaced name, the catalogue name or the ID) */
    record Image(String id, boolean catalogue, JsonNode inspect, String engineRef) {
    }

    /** Resolves a learner's image reference: their own names first, then the catalogue, then ID prefixes. */
    Image image(String ref) {
        Optional<Image> found = findImage(ref);
        return found.orElseThrow(() -> Refusal.notFound("No such image: " + displayRef(ref)));
    }

    Optional<Image> findImage(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > 512) {
            return Optional.empty();
        }
        Optional<ImageRef> parsed = ImageRef.parse(ref);
        if (parsed.isPresent()) {
            ImageRef r = parsed.get();
            if (r.digest() == null && Names.namespaceable(r)) {
                Optional<JsonNode> own = inspectImage(names.image(r));
                if (own.isPresent()) {
                    return Optional.of(new Image(own.get().path("Id").asText(), false, own.get(), names.image(r)));
                }
            }
            boolean base = r.digest() == null ? catalogue.contains(r)
                    : catalogue.images().stream().anyMatch(c -> c.name().equals(r.name()));
            if (base) {
                String engineRef = r.digest() == null ? r.withDefaultTag().toString() : r.toString();
                Optional<JsonNode> found = inspectImage(engineRef);
                if (found.isPresent()) {
                    return Optional.of(new Image(found.get().path("Id").asText(), true, found.get(), engineRef));
                }
            }
        }
        String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
        if (HEX.matcher(hex).matches()) {
            String match = null;
            boolean isCatalogue = false;
            for (Map.Entry<String, Boolean> e : visibleImageIds().entrySet()) {
                String id = e.getKey().substring("sha256:".length());
                if (id.startsWith(hex)) {
                    if (match != null && !match.equals(e.getKey())) {
                        return Optional.empty();
                    }
                    match = e.getKey();
                    isCatalogue = e.getValue();
                }
            }
            if (match != null) {
                Optional<JsonNode> inspect = inspectImage(match);
                if (inspect.isPresent()) {
                    return Optional.of(new Image(match, isCatalogue, inspect.get(), match));
                }
            }
        }
        return Optional.empty();
    }

    Optional<JsonNode> inspectImage(String engineRef) {
        try {
            return Optional.of(engine.get("/images/" + engineRef + "/json"));
        } catch (EngineException e) {
            if (e.notFound() || e.status() == 400) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Image ID → catalogue? for every image this session can see: its own (tagged or recorded) and the catalogue's. */
    Map<String, Boolean> visibleImageIds() {
        Map<String, Boolean> ids = new LinkedHashMap<>();
        Set<String> recorded = ledger.ids(scope.sessionId());
        for (JsonNode img : engine.get("/images/json?all=1")) {
            String id = img.path("Id").asText();
            boolean own = recorded.contains(id);
            boolean base = false;
            for (JsonNode t : img.path("RepoTags")) {
                own |= names.learnerImage(t.asText()).isPresent();
                base |= catalogue.containsTag(t.asText());
            }
            if (own) {
                ids.put(id, false);
            } else if (base) {
                ids.put(id, true);
            }
        }
        return ids;
    }

    /** The tags of an image as this session sees them: its own, un-namespaced, and catalogue names. */
    List<String> visibleTags(JsonNode repoTags) {
        List<String> tags = new ArrayList<>();
        for (JsonNode t : repoTags) {
            String tag = t.asText();
            Optional<ImageRef> own = names.learnerImage(tag);
            if (own.isPresent()) {
                tags.add(own.get().toString());
            } else if (catalogue.containsTag(tag)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    List<String> visibleDigests(JsonNode repoDigests) {
        List<String> digests = new ArrayList<>();
        for (JsonNode d : repoDigests) {
            String digest = d.asText();
            int at = digest.indexOf('@');
            if (at > 0 && catalogue.images().stream().anyMatch(c -> c.name().equals(digest.substring(0, at)))) {
                digests.add(digest);
            }
        }
        return digests;
    }

    /**
     * How to name the image to the engine so that it records what the learner typed (docker ps shows "mini",
     * not "mini:latest"): the learner's own names in the namespace, catalogue names and IDs as given.
     */
    String asTyped(String ref, Image image) {
        Optional<ImageRef> parsed = ImageRef.parse(ref);
        if (parsed.isEmpty() || image.engineRef().equals(image.id())) {
            return image.engineRef();
        }
        ImageRef r = parsed.get();
        if (image.catalogue()) {
            return r.toString();
        }
        return names.repository(r) + (r.tag() == null ? "" : ":" + r.tag()) + (r.digest() == null ? "" : "@" + r.digest());
    }

    static String displayRef(String ref) {
        return ImageRef.parse(ref).map(r -> r.withDefaultTag().toString()).orElse(ref);
    }

    // ---- networks and volumes ------------------------------------------------------------------------

    /** The session's networks, with the default one first. */
    ArrayNode ownedNetworks() {
        Map<String, Object> q = Map.of("filters", Query.filtersJson(json, Map.of("label", List.of(EngineScope.SESSION + "=" + scope.sessionId()))));
        return (ArrayNode) engine.get("/networks" + Query.build(q));
    }

    /** The engine's network ID for a learner's network reference ("bridge" is the session's default network). */
    String network(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > 200) {
            throw Refusal.notFound("network " + ref + " not found");
        }
        ArrayNode nets = ownedNetworks();
        String wantedName = ref.equals("bridge") || ref.equals("default") ? scope.network()
                : Names.validObjectName(ref) ? names.object(ref) : null;
        for (JsonNode n : nets) {
            if (n.path("Name").asText().equals(wantedName) || n.path("Id").asText().equals(ref)) {
                return n.path("Id").asText();
            }
        }
        if (HEX.matcher(ref).matches()) {
            String found = null;
            for (JsonNode n : nets) {
                if (n.path("Id").asText().startsWith(ref)) {
                    if (found != null) {
                        throw Refusal.notFound("network " + ref + " is ambiguous");
                    }
                    found = n.path("Id").asText();
                }
            }
            if (found != null) {
                return found;
            }
        }
        throw Refusal.notFound("network " + ref + " not found");
    }

    /** A network's learner-facing name. */
    String learnerNetwork(String engineName) {
        if (engineName.equals(scope.network())) {
            return "bridge";
        }
        return names.learnerObject(engineName).orElse(engineName);
    }

    /** The engine name of a learner's volume, if the session owns it. */
    Optional<JsonNode> ownedVolume(String ref) {
        if (!Names.validObjectName(ref)) {
            return Optional.empty();
        }
        try {
            JsonNode v = engine.get("/volumes/" + names.object(ref));
            return scope.owns(labels(v.path("Labels"))) && !"bind".equals(v.path("Labels").path("baeum.role").asText())
                    ? Optional.of(v) : Optional.empty();
        } catch (EngineException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    /** Removes the platform's labels from a label object before the learner sees it. */
    static void stripOurLabels(JsonNode labels) {
        if (labels instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                if (it.next().startsWith("baeum.")) {
                    it.remove();
                }
            }
        }
    }

    /** Learner labels: allowed unless they pretend to be the platform's. */
    Map<String, String> learnerLabels(JsonNode labels) {
        Map<String, String> out = new LinkedHashMap<>();
        if (labels != null && labels.isObject()) {
            if (labels.size() > 100) {
                throw Refusal.badRequest("라벨이 너무 많습니다 (100개까지).");
            }
            labels.fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("baeum.")) {
                    throw Refusal.forbidden("'baeum.' 으로 시작하는 라벨은 플랫폼이 쓰므로 붙일 수 없습니다: " + e.getKey());
                }
                if (e.getKey().length() > 256 || e.getValue().asText().length() > 4096) {
                    throw Refusal.badRequest("라벨이 너무 깁니다: " + e.getKey());
                }
                out.put(e.getKey(), e.getValue().asText());
            });
        }
        out.putAll(scope.labels());
        return out;
    }

    Set<String> ownedContainerIds() {
        Set<String> ids = new HashSet<>();
        ownedContainers(Map.of(), false).forEach(c -> ids.add(c.path("Id").asText()));
        return ids;
    }
}
