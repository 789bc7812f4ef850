package dev.baeum.base.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UnitsTest {

    @Test
    void durationsTakeEachUnitAndABareNumberIsSeconds() {
        assertEquals(Duration.ofMillis(500), Units.duration("500ms"));
        assertEquals(Duration.ofSeconds(10), Units.duration("10s"));
        assertEquals(Duration.ofSeconds(45), Units.duration("45"));
        assertEquals(Duration.ofMinutes(30), Units.duration(" 30 M "));
        assertEquals(Duration.ofHours(2), Units.duration("2h"));
        assertEquals(Duration.ofDays(1), Units.duration("1d"));
    }

    @Test
    void durationsRefuseWhatTheyDoNotKnow() {
        assertNull(Units.duration("10 minutes"));
        assertNull(Units.duration("-5s"));
        assertNull(Units.duration("1.5h"));
        assertNull(Units.duration(""));
    }

    @Test
    void sizesAreBinaryAndABareNumberIsBytes() {
        assertEquals(512L * 1024, Units.bytes("512k"));
        assertEquals(256L * 1024 * 1024, Units.bytes("256m"));
        assertEquals(256L * 1024 * 1024, Units.bytes("256MB"));
        assertEquals(1L << 30, Units.bytes("1g"));
        assertEquals(4096L, Units.bytes("4096"));
        assertNull(Units.bytes("1t"));
        assertNull(Units.bytes("lots"));
    }

    @Test
    void humanBytesPicksTheLargestReadableUnit() {
        assertEquals("256MB", Units.humanBytes(268_435_456L));
        assertEquals("2GB", Units.humanBytes(2L << 30));
        assertEquals("1536MB", Units.humanBytes(1536L << 20)); // not a whole number of GB
        assertEquals("2KB", Units.humanBytes(2048));
        assertEquals("512B", Units.humanBytes(512));
    }
}
