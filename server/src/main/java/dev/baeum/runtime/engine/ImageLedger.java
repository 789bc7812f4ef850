package dev.baeum.runtime.engine;

import java.util.Set;

/**
 * Which image IDs a session built or committed. Images carry no session label (a label would show up as an
 * extra build step and be inherited by child images), so the record lives in the database instead.
 */
public interface ImageLedger {

    void record(String sessionId, String imageId);

    Set<String> ids(String sessionId);

    void forget(String sessionId, String imageId);

    void forgetAll(String sessionId);
}
