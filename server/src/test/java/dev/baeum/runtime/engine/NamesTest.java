package dev.baeum.runtime.engine;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    private final Names names = new Names("b1a2b3c4d5e");

    @Test
    void objectNamesGoInAndComeBackOut() {
        assertEquals("b1a2b3c4d5e.web", names.object("web"));
        assertEquals(Optional.of("/web"), names.learnerObject("/b1a2b3c4d5e.web"));
        assertEquals(Optional.of("data"), names.learnerObject("b1a2b3c4d5e.data"));
        assertEquals(Optional.empty(), names.learnerObject("/b9f9f9f9f9f.web"), "another session's name is not ours");
        assertEquals(Optional.empty(), names.learnerObject("/eager_turing"));
    }

    @Test
    void objectNamesFollowDockersRules() {
        assertThrows(IllegalArgumentException.class, () -> names.object("-x"));
        assertThrows(IllegalArgumentException.class, () -> names.object("a"));
        assertThrows(IllegalArgumentException.class, () -> names.object("../etc"));
        assertThrows(IllegalArgumentException.class, () -> names.object("web/x"));
        assertFalse(Names.validObjectName("a b"));
        assertTrue(Names.validObjectName("my_web-1.x"));
    }

    @Test
    void imagesGoIntoTheNamespaceAndComeBack() {
        ImageRef app = ImageRef.parse("myapp").orElseThrow();
        assertEquals("b1a2b3c4d5e/myapp:latest", names.image(app));
        assertEquals("myapp:latest", names.learnerImage("b1a2b3c4d5e/myapp:latest").orElseThrow().toString());
        ImageRef remote = ImageRef.parse("localhost:5000/team/app:v2").orElseThrow();
        String engine = names.image(remote);
        assertEquals("b1a2b3c4d5e/localhost__5000/team/app:v2", engine);
        assertEquals(remote, names.learnerImage(engine).orElseThrow());
        ImageRef dotted = ImageRef.parse("registry.example.com/team/app:1").orElseThrow();
        assertEquals(dotted, names.learnerImage(names.image(dotted)).orElseThrow());
        assertEquals(Optional.empty(), names.learnerImage("debian:bookworm-slim"));
        assertEquals(Optional.empty(), names.learnerImage("b9f9f9f9f9f/myapp:latest"));
    }

    @Test
    void doubleUnderscoresCannotBeKeptReversibly() {
        assertFalse(Names.namespaceable(ImageRef.parse("a__b/app").orElseThrow()));
    }

    @Test
    void scrubTakesTheNamespaceOutOfMessages() {
        assertEquals("Conflict. The container name \"/web\" is already in use",
                names.scrub("Conflict. The container name \"/b1a2b3c4d5e.web\" is already in use"));
        assertEquals("Successfully tagged myapp:latest", names.scrub("Successfully tagged b1a2b3c4d5e/myapp:latest"));
    }
}
