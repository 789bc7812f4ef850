package dev.baeum.runtime.sandbox;

/** Labs cannot run right now (no Docker engine, pool full, image failed); the message is for learners. */
public class LabsUnavailableException extends RuntimeException {
    public LabsUnavailableException(String message) {
        super(message);
    }
}
