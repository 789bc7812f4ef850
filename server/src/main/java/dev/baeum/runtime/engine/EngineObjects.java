package dev.baeum.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Removes everything a session's engine made: its containers, networks, volumes and images. Used when a
 * session is reset or ends, and by the reaper for sessions a crash left behind. Images are removed only
 * where nothing else names them: a catalogue image a learner tagged keeps its own name and stays.
 */
public final class EngineObjects {

    private static final Logger log = LoggerFactory.getLogger(EngineObjects.class);

    private final EngineClient engine;
    private final ImageLedger ledger;

    public EngineObjects(EngineClient engine, ImageLedger ledger) {
        this.engine = engine;
        this.ledger = ledger;
    }

    /** What went, for the reaper's log. */
    public record Removed(int containers, int networks, int volumes, int images) {
        public int total() {
            return containers + networks + volumes + images;
        }
    }

    /**
     * Removes the session's learner objects. {@code keepNetwork} is the session's own default network, which a
     * reset keeps (the new lab container joins it); it is never a learner's.
     */
    public Removed removeAll(String sessionId, String keepNetwork, String labContainerId) {
        String filter = filter(sessionId, true);
        int containers = 0;
        for (JsonNode c : engine.get("/containers/json?all=1&filters=" + filter)) {
            if (quietly("DELETE", "/containers/" + c.path("Id").asText() + "?force=1&v=1")) {
                containers++;
            }
        }
        int networks = 0;
        for (JsonNode n : engine.get("/networks?filters=" + filter(sessionId, false))) {
            String name = n.path("Name").asText();
            if (name.equals(keepNetwork)) {
                continue;
            }
            if (labContainerId != null) {
                quietlyPost("/networks/" + n.path("Id").asText() + "/disconnect",
                        engine.json().createObjectNode().put("Container", labContainerId).put("Force", true));
            }
            if (quietly("DELETE", "/networks/" + n.path("Id").asText())) {
                networks++;
            }
        }
        int volumes = 0;
        for (JsonNode v : engine.get("/volumes?filters=" + filter).path("Volumes")) {
            if ("bind".equals(v.path("Labels").path("baeum.role").asText()) && labContainerId != null) {
                continue; // still mounted in the lab container; it goes with the session
            }
            if (quietly("DELETE", "/volumes/" + v.path("Name").asText() + "?force=1")) {
                volumes++;
            }
        }
        return new Removed(containers, networks, volumes, removeImages(sessionId));
    }

    /** The session's images: its tags untagged, and images only it named deleted. */
    public int removeImages(String sessionId) {
        Names names = new Names(EngineScope.prefixFor(sessionId));
        java.util.Set<String> ids = new java.util.HashSet<>(ledger.ids(sessionId));
        for (JsonNode img : engine.get("/images/json?all=1")) {
            for (JsonNode t : img.path("RepoTags")) {
                if (names.learnerImage(t.asText()).isPresent()) {
                    ids.add(img.path("Id").asText());
                }
            }
        }
        int removed = 0;
        for (String id : ids) {
            JsonNode image;
            try {
                image = engine.get("/images/" + id + "/json");
            } catch (EngineException e) {
                continue;
            }
            boolean othersNameIt = false;
            for (JsonNode t : image.path("RepoTags")) {
                if (names.learnerImage(t.asText()).isPresent()) {
                    quietly("DELETE", "/images/" + t.asText() + "?noprune=0");
                } else {
                    othersNameIt = true;
                }
            }
            if (!othersNameIt && quietly("DELETE", "/images/" + id)) {
                removed++;
            }
        }
        ledger.forgetAll(sessionId);
        return removed;
    }

    /** Removes a network by name, once nothing is attached. */
    public void removeNetwork(String name) {
        for (JsonNode n : engine.get("/networks?filters=" + encode(engine.json().createObjectNode()
                .set("name", engine.json().createArrayNode().add(name)).toString()))) {
            if (n.path("Name").asText().equals(name)) {
                quietly("DELETE", "/networks/" + n.path("Id").asText());
            }
        }
    }

    private String filter(String sessionId, boolean learnerOnly) {
        List<String> labels = learnerOnly
                ? List.of(EngineScope.SESSION + "=" + sessionId, EngineScope.PURPOSE + "=" + EngineScope.LEARNER)
                : List.of(EngineScope.SESSION + "=" + sessionId);
        var node = engine.json().createObjectNode();
        var arr = node.putArray("label");
        labels.forEach(arr::add);
        return encode(node.toString());
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private boolean quietly(String method, String path) {
        EngineClient.Response r = engine.call(method, path, null);
        if (!r.ok() && r.status() != 404) {
            log.debug("{} {} → {} {}", method, path, r.status(), engine.message(r.body()));
        }
        return r.ok();
    }

    private void quietlyPost(String path, Object body) {
        engine.call("POST", path, body);
    }

    /** Label filter for every object of this deployment (the reaper's view). */
    public static Map<String, List<String>> deployment(String scope) {
        return Map.of("label", List.of("baeum.scope=" + scope));
    }
}
