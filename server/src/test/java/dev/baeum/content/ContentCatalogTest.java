package dev.baeum.content;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ContentCatalogTest {

    private record Item(Path file, String text) {
    }

    private final List<Path> loads = new ArrayList<>();
    private final AtomicBoolean listingFails = new AtomicBoolean();

    private ContentCatalog<Item, List<Item>> catalog(Path dir) {
        return new ContentCatalog<>(dir, Duration.ofDays(1), d -> {
            if (listingFails.get()) {
                throw new IOException("folder unreadable");
            }
            try (Stream<Path> s = Files.list(d)) {
                return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
            }
        }, file -> {
            loads.add(file.getFileName());
            try {
                return new Item(file, Files.readString(file));
            } catch (IOException e) {
                return new Item(file, "");
            }
        }, List::copyOf);
    }

    @Test
    void reloadsOnlyChangedFilesAndSeesNewAndRemovedOnes() throws Exception {
        Path dir = Files.createTempDirectory("catalog");
        Path a = Files.writeString(dir.resolve("a.md"), "a1");
        Files.writeString(dir.resolve("b.md"), "b1");
        Files.writeString(dir.resolve("ignored.txt"), "x");
        ContentCatalog<Item, List<Item>> catalog = catalog(dir);
        assertEquals(List.of("a1", "b1"), catalog.view().stream().map(Item::text).toList());
        assertEquals(List.of(Path.of("a.md"), Path.of("b.md")), loads);

        List<Item> before = catalog.view();
        catalog.refresh();
        assertSame(before, catalog.view(), "nothing changed: the same view");

        Files.writeString(a, "a2 longer");
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
        Files.writeString(dir.resolve("c.md"), "c1");
        Files.delete(dir.resolve("b.md"));
        loads.clear();
        catalog.refresh();
        assertEquals(List.of("a2 longer", "c1"), catalog.view().stream().map(Item::text).toList());
        assertEquals(List.of(Path.of("a.md"), Path.of("c.md")), loads, "only the changed and the new file are loaded");
    }

    @Test
    void keepsTheLastGoodViewWhenTheFolderCannotBeListed() throws Exception {
        Path dir = Files.createTempDirectory("catalog");
        Files.writeString(dir.resolve("a.md"), "a1");
        ContentCatalog<Item, List<Item>> catalog = catalog(dir);
        listingFails.set(true);
        Files.writeString(dir.resolve("b.md"), "b1");
        catalog.refresh();
        assertEquals(List.of("a1"), catalog.view().stream().map(Item::text).toList());
        listingFails.set(false);
        catalog.refresh();
        assertEquals(List.of("a1", "b1"), catalog.view().stream().map(Item::text).toList());
    }

    @Test
    void aMissingFolderIsAnEmptyCatalog() {
        ContentCatalog<Item, List<Item>> catalog = catalog(Path.of("no-such-folder-" + System.nanoTime()));
        assertEquals(List.of(), catalog.view());
    }
}
