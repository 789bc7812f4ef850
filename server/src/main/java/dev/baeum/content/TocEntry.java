package dev.baeum.content;

public record TocEntry(int level, String id, String text) {
}
