package dev.baeum.lessons;

public record TocEntry(int level, String id, String text) {
}
