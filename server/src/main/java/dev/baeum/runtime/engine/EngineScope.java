package dev.baeum.runtime.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One lab session's slice of the shared engine: who it belongs to, the name prefix its objects live under,
 * the lab container the learner types in (which is also the cgroup parent of everything they start), the
 * session's private network, and its budget.
 *
 * @param sessionId     the lab session, or the grading / self-test run, the objects belong to
 * @param owner         who the objects belong to (a user id, or a graded student's name)
 * @param run           "session" for a learner's lab session; "grade" or "selftest" for throwaway runs, whose
 *                      objects live until they are removed or expire
 * @param cgroupParent  the cgroup every learner container and build step is placed under, or null where the
 *                      engine cannot nest cgroups (then the per-container walls and counts still hold)
 * @param bindFolders   folders of the lab container a learner may bind-mount (each backed by a session volume)
 */
public record EngineScope(String sessionId, String prefix, long userId, String owner, String labId, String deployment,
                          String run, long expiresEpoch, String labContainerId, String cgroupParent, String network,
                          List<String> bindFolders, Budget budget) {

    public static final String RUN = "baeum.run";
    public static final String SESSION_RUN = "session";

    public static final String SESSION = "baeum.session";
    public static final String PURPOSE = "baeum.purpose";
    public static final String LEARNER = "learner";

    /** The namespace prefix for a session: short, lower-case, derived from its id. */
    public static String prefixFor(String sessionId) {
        // 44 bits of a hash of the id: unique among the runs one engine holds at once, whatever the id looks like.
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "b" + java.util.HexFormat.of().formatHex(d).substring(0, 11);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Names names() {
        return new Names(prefix);
    }

    /** Labels on everything the learner makes, so the reaper and the proxy can tell whose it is. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("baeum.managed", "true");
        labels.put("baeum.scope", deployment);
        labels.put(SESSION, sessionId);
        labels.put("baeum.owner", owner);
        labels.put("baeum.lab", labId);
        labels.put("baeum.expires", String.valueOf(expiresEpoch));
        labels.put(PURPOSE, LEARNER);
        labels.put(RUN, run);
        return labels;
    }

    /** The engine-side label filter selecting this session's learner objects. */
    public List<String> labelFilter() {
        return List.of(SESSION + "=" + sessionId, PURPOSE + "=" + LEARNER);
    }

    public boolean owns(Map<String, String> labels) {
        return labels != null && sessionId.equals(labels.get(SESSION)) && LEARNER.equals(labels.get(PURPOSE));
    }

    public EngineScope withLabContainer(String containerId, String cgroupParent) {
        return new EngineScope(sessionId, prefix, userId, owner, labId, deployment, run, expiresEpoch, containerId,
                cgroupParent, network, bindFolders, budget);
    }
}
