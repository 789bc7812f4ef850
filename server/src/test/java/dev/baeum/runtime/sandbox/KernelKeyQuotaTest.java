package dev.baeum.runtime.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The key quota the start-up warning reads, against what the kernel itself prints for it. */
class KernelKeyQuotaTest {

    private static final Path MAX_KEYS = Path.of("/proc/sys/kernel/keys/maxkeys");

    @Test
    void readsTheWholeNumberTheKernelPrints() throws Exception {
        assumeTrue(Files.exists(MAX_KEYS), "a Linux kernel with keys");
        Process cat = new ProcessBuilder("cat", MAX_KEYS.toString()).start();
        String printed = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, cat.waitFor());
        assertEquals(OptionalInt.of(Integer.parseInt(printed)), EngineChecks.kernelKeyQuota(MAX_KEYS));
    }

    @Test
    void saysNothingWhereThereIsNoSuchFile(@TempDir Path dir) {
        assertEquals(OptionalInt.empty(), EngineChecks.kernelKeyQuota(dir.resolve("maxkeys")));
        assertEquals(OptionalInt.empty(), EngineChecks.kernelKeyQuota(dir)); // a folder, not a number
    }
}
