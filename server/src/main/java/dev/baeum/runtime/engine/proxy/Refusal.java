package dev.baeum.runtime.engine.proxy;

/**
 * The proxy's answer instead of the engine's: a status and a message the Docker CLI prints as
 * "Error response from daemon: …". Messages say in Korean what was refused and why.
 */
public final class Refusal extends RuntimeException {

    private final int status;

    public Refusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static Refusal forbidden(String message) {
        return new Refusal(403, message);
    }

    public static Refusal badRequest(String message) {
        return new Refusal(400, message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(404, message);
    }

    public int status() {
        return status;
    }
}
