package dev.baeum.runtime.engine.http;

/** A request line and its header fields. */
public record RequestHead(String method, String target, Headers headers) {

    /** An attach or exec start asking to take over the connection ({@code Upgrade: tcp}). */
    public boolean wantsUpgrade() {
        return headers.hasToken("Connection", "upgrade") && headers.has("Upgrade");
    }
}
