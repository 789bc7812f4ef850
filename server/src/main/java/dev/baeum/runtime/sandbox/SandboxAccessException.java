package dev.baeum.runtime.sandbox;

/** Someone asked for a sandbox that is not theirs; answered with 403. */
public class SandboxAccessException extends RuntimeException {
    public SandboxAccessException(String message) {
        super(message);
    }
}
