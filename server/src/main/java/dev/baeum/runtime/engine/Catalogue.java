package dev.baeum.runtime.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The base images every learner may use, read-only, under their usual names (debian:bookworm-slim, …).
 * They exist in the engine ahead of time; a learner's pull of one is answered from the local copy.
 */
public record Catalogue(List<ImageRef> images) {

    public Catalogue {
        images = List.copyOf(images);
    }

    public static Catalogue of(List<String> names) {
        Set<ImageRef> refs = new LinkedHashSet<>();
        for (String n : names) {
            refs.add(ImageRef.parse(n.trim()).orElseThrow(() -> new IllegalArgumentException("잘못된 이미지 이름: " + n))
                    .withDefaultTag());
        }
        return new Catalogue(List.copyOf(refs));
    }

    public boolean contains(ImageRef ref) {
        return images.contains(ref.withDefaultTag());
    }

    /** The catalogue's name for an engine repo tag, when the tag is one of ours (e.g. "debian:bookworm-slim"). */
    public boolean containsTag(String repoTag) {
        return ImageRef.parse(repoTag).map(this::contains).orElse(false);
    }

    public String describe() {
        return String.join(", ", images.stream().map(ImageRef::toString).toList());
    }
}
