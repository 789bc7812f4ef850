package dev.baeum.runtime.engine.http;

/** One HTTP header field as it was sent. */
public record Header(String name, String value) {
}
