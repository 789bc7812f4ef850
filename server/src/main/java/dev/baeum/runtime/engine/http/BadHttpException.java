package dev.baeum.runtime.engine.http;

import java.io.IOException;

/** A message that is not well-formed HTTP/1.1 (or is ambiguous, such as Content-Length with Transfer-Encoding). */
public final class BadHttpException extends IOException {

    private final int status;

    public BadHttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
