package dev.baeum.runtime.sandbox;

/**
 * Labels on every sandbox container. With them the reaper can judge a container from Docker alone
 * (whose it is, which lab and session, when it must be gone), even after a crash.
 */
public final class SandboxLabels {

    public static final String MANAGED = "baeum.managed";
    /** The deployment (database) a container belongs to; another deployment on the same engine leaves it alone. */
    public static final String SCOPE = "baeum.scope";
    public static final String OWNER = "baeum.owner";
    public static final String LAB = "baeum.lab";
    public static final String SESSION = "baeum.session";
    public static final String NODE = "baeum.node";
    /** Epoch seconds after which the container must not exist, whatever the database says. */
    public static final String EXPIRES = "baeum.expires";
    /** For pooled containers: the pool they belong to. */
    public static final String POOL = "baeum.pool";
    /** Grading and self-test sandboxes: removed as soon as the run ends. */
    public static final String PURPOSE = "baeum.purpose";

    public static final String POOL_OWNER = "pool";

    private SandboxLabels() {
    }

    /** Labels for a throwaway run (grading, self-test, a learner's build): removed by its runner, or once expired. */
    public static java.util.Map<String, String> forRun(String scope, String purpose, String owner, String labId,
                                                       java.time.Duration lifetime) {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(SCOPE, scope);
        labels.put(PURPOSE, purpose);
        labels.put(OWNER, owner);
        labels.put(LAB, labId);
        labels.put(EXPIRES, String.valueOf(java.time.Instant.now().plus(lifetime).getEpochSecond()));
        return labels;
    }
}
