package dev.baeum.runtime.engine.http;

/** A status line and its header fields. */
public record ResponseHead(int status, String reason, Headers headers) {

    public boolean upgraded() {
        return status == 101;
    }
}
