package dev.baeum.runtime.engine.http;

import java.io.IOException;

/** A body longer than the caller is willing to hold. */
public final class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("body larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
