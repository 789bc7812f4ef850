package dev.baeum.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A folder of content files kept in memory: re-checked at most every {@code recheck} (every request in dev
 * mode), only changed files are loaded again, and when the folder cannot be listed the last good view stays.
 *
 * @param <T> one loaded file (a lesson, a lab)
 * @param <V> the view pages use, built from all loaded files (ordered lists, lookups, catalog-wide problems)
 */
public final class ContentCatalog<T, V> {

    /** Lists the content files of the folder; an exception keeps the last good view. */
    @FunctionalInterface
    public interface Lister {
        List<Path> files(Path dir) throws IOException;
    }

    private record Stamp(FileTime modified, long size) {
    }

    private record Snapshot<T, V>(Map<Path, T> loaded, Map<Path, Stamp> stamps, V view) {
    }

    private final Path dir;
    private final Lister lister;
    private final Function<Path, T> loader;
    private final Function<List<T>, V> viewer;
    private final long recheckNanos;
    private volatile Snapshot<T, V> snapshot;
    private volatile long checkedAt;

    /**
     * @param loader loads one file; never throws (a broken file becomes an item with problems)
     * @param viewer builds the view from the loaded items, in listing order
     */
    public ContentCatalog(Path dir, Duration recheck, Lister lister, Function<Path, T> loader, Function<List<T>, V> viewer) {
        this.dir = dir.toAbsolutePath().normalize();
        this.lister = lister;
        this.loader = loader;
        this.viewer = viewer;
        this.recheckNanos = recheck.toNanos();
        this.snapshot = new Snapshot<>(Map.of(), Map.of(), viewer.apply(List.of()));
        refresh();
    }

    public Path dir() {
        return dir;
    }

    /** The current view, re-checking the folder first when the interval has passed. */
    public V view() {
        if (System.nanoTime() - checkedAt >= recheckNanos) {
            refresh();
        }
        return snapshot.view();
    }

    /** Re-reads the folder listing and loads again only files whose size or time changed. */
    public synchronized void refresh() {
        Snapshot<T, V> old = snapshot;
        Map<Path, Stamp> stamps = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try {
                for (Path file : lister.files(dir)) {
                    stamps.put(file, new Stamp(Files.getLastModifiedTime(file), Files.size(file)));
                }
            } catch (IOException e) {
                checkedAt = System.nanoTime(); // keep serving what we had; the next check tries again
                return;
            }
        }
        if (stamps.equals(old.stamps())) {
            checkedAt = System.nanoTime();
            return;
        }
        Map<Path, T> loaded = new HashMap<>();
        List<T> items = new ArrayList<>();
        for (Map.Entry<Path, Stamp> e : stamps.entrySet()) {
            T cached = old.loaded().get(e.getKey());
            T item = cached != null && e.getValue().equals(old.stamps().get(e.getKey())) ? cached : loader.apply(e.getKey());
            loaded.put(e.getKey(), item);
            items.add(item);
        }
        snapshot = new Snapshot<>(Map.copyOf(loaded), Map.copyOf(stamps), viewer.apply(List.copyOf(items)));
        checkedAt = System.nanoTime();
    }
}
