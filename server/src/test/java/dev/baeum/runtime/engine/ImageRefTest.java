package dev.baeum.runtime.engine;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageRef}: the distribution reference grammar, in the CLI's familiar form. */
class ImageRefTest {

    private static ImageRef parse(String text) {
        return ImageRef.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @Test
    void dockerHubNamesComeBackShort() {
        assertEquals(new ImageRef(null, "debian", "bookworm-slim", null), parse("debian:bookworm-slim"));
        assertEquals(parse("debian:bookworm-slim"), parse("docker.io/library/debian:bookworm-slim"));
        assertEquals(parse("nginx"), parse("index.docker.io/library/nginx"));
        assertEquals(new ImageRef(null, "library/a/b", null, null), parse("library/a/b"), "only library/<one> is the short form");
        assertEquals(new ImageRef(null, "learner/app", "v1", null), parse("learner/app:v1"));
    }

    @Test
    void registriesAreTheFirstPartWithADotAColonOrLocalhost() {
        assertEquals(new ImageRef("localhost:5000", "app", null, null), parse("localhost:5000/app"));
        assertEquals(new ImageRef("ghcr.io", "org/tool", "1.2", null), parse("ghcr.io/org/tool:1.2"));
        assertEquals(new ImageRef("localhost", "app", null, null), parse("localhost/app"));
        assertEquals(new ImageRef("Registry", "app", null, null), parse("Registry/app"), "an upper-case first part is a host");
        assertEquals("ghcr.io/org/tool", parse("ghcr.io/org/tool:1.2").name());
    }

    @Test
    void tagsAndDigests() {
        String digest = "sha256:" + "ab".repeat(32);
        ImageRef pinned = parse("debian:bookworm-slim@" + digest);
        assertEquals("bookworm-slim", pinned.tag());
        assertEquals(digest, pinned.digest());
        assertEquals("debian:bookworm-slim@" + digest, pinned.toString());
        assertEquals("debian:latest", parse("debian").withDefaultTag().toString());
        assertEquals("debian@" + digest, parse("debian@" + digest).withDefaultTag().toString(), "a digest needs no tag");
        assertEquals("localhost:5000/app:latest", parse("localhost:5000/app").withDefaultTag().toString());
    }

    @Test
    void whatIsNotAnImageNameIsRefused() {
        for (String bad : new String[]{"", "Debian", "debian:", "debian:-x", ":tag", "a//b", "/abs", "../etc", "a/../b", "debian@sha256:12",
                "debian@SHA256:" + "a".repeat(64), "a b", "a_-b", "host:port/x", "-host.io/x", "x".repeat(256), "debian:" + "t".repeat(129)}) {
            assertEquals(Optional.empty(), ImageRef.parse(bad), bad);
        }
        assertEquals(Optional.empty(), ImageRef.parse(null));
        assertTrue(ImageRef.parse("a__b.c-d---e").isPresent(), "separators as the grammar allows them");
    }

    @Test
    void imageReferencesAreParsedInTheirFamiliarForm() {
        ImageRef debian = ImageRef.parse("docker.io/library/debian:bookworm-slim").orElseThrow();
        assertEquals("debian:bookworm-slim", debian.toString());
        assertEquals("debian:latest", ImageRef.parse("debian").orElseThrow().withDefaultTag().toString());
        assertEquals("kim/app:1.0", ImageRef.parse("index.docker.io/kim/app:1.0").orElseThrow().toString());
        ImageRef local = ImageRef.parse("localhost:5000/team/app:v2").orElseThrow();
        assertEquals("localhost:5000", local.domain());
        assertEquals("team/app", local.path());
        assertTrue(ImageRef.parse("Debian").isEmpty(), "repository names are lower case");
        assertTrue(ImageRef.parse("app:").isEmpty());
        assertTrue(ImageRef.parse("a//b").isEmpty());
        assertTrue(ImageRef.parse("../x").isEmpty());
        assertTrue(ImageRef.parse("app@sha256:abc").isEmpty(), "a digest is long hex");
    }
}
