package dev.baeum.runtime.engine.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageApi#globMatch}: docker images' reference filter, a glob on "name" or "name:tag". */
class ImageApiTest {

    @Test
    void globsMatchNameOrNameAndTag() {
        assertTrue(ImageApi.globMatch("myapp", "myapp:latest"));
        assertTrue(ImageApi.globMatch("myapp:v1", "myapp:v1"));
        assertTrue(ImageApi.globMatch("my*", "myapp:v1"));
        assertTrue(ImageApi.globMatch("*:v?", "myapp:v1"));
        assertTrue(ImageApi.globMatch("localhost:5000/app", "localhost:5000/app:1"), "the tag is after the last colon");
        assertFalse(ImageApi.globMatch("myapp:v2", "myapp:v1"));
        assertFalse(ImageApi.globMatch("*", "learner/app:v1"), "a star stops at a slash");
        assertFalse(ImageApi.globMatch("my.pp", "myapp:v1"), "other characters are literal, not regex");
        assertFalse(ImageApi.globMatch("app", "myapp:v1"));
    }
}
