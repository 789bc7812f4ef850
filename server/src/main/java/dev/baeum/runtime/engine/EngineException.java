package dev.baeum.runtime.engine;

/** The engine answered with an error (its status and message), or could not be reached (status 0). */
public final class EngineException extends RuntimeException {

    private final int status;

    public EngineException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }

    public boolean conflict() {
        return status == 409;
    }
}
