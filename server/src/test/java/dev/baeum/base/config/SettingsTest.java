package dev.baeum.base.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void defaultsWorkOutOfTheBox() {
        Settings s = Settings.load(Map.of());
        assertEquals(7070, s.port());
        assertEquals(Duration.ofMinutes(30), s.duration(Setting.SANDBOX_IDLE_TIMEOUT));
        assertEquals(Duration.ofHours(2), s.duration(Setting.SANDBOX_MAX_LIFETIME));
        assertEquals(256L << 20, s.bytes(Setting.SANDBOX_MEMORY));
        assertTrue(s.jdbcUrl().startsWith("jdbc:h2:file:"), s.jdbcUrl());
        assertTrue(s.jdbcUrl().contains("data"), "the database lives in the data directory");
    }

    @Test
    void environmentBeatsThePropertiesFileWhichBeatsDefaults() throws Exception {
        Path file = Files.createTempFile("baeum", ".properties");
        Files.writeString(file, "server.port=8080\nsandbox.memory=512m\n");
        Settings s = Settings.load(Map.of(Settings.CONFIG_FILE_ENV, file.toString(), "BAEUM_SERVER_PORT", "9090"));
        assertEquals(9090, s.port());
        assertEquals(512L << 20, s.bytes(Setting.SANDBOX_MEMORY));
        assertEquals("BAEUM_SANDBOX_IDLE_TIMEOUT", Setting.SANDBOX_IDLE_TIMEOUT.env());
    }

    @Test
    void badValuesNameTheSettingInKorean() {
        Settings s = Settings.load(Map.of("BAEUM_SANDBOX_IDLE_TIMEOUT", "soon"));
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> s.duration(Setting.SANDBOX_IDLE_TIMEOUT));
        assertTrue(e.getMessage().contains("sandbox.idle.timeout") && e.getMessage().contains("BAEUM_SANDBOX_IDLE_TIMEOUT"));
        assertTrue(e.getMessage().contains("올바르지 않습니다"), e.getMessage());
        assertThrows(Settings.ConfigException.class, () -> Settings.load(Map.of(Settings.CONFIG_FILE_ENV, "/nonexistent/x.properties")));
    }

    @Test
    void readmeDocumentsEverySetting() throws Exception {
        Path readme = Path.of(System.getProperty("baeum.root", ".")).resolve("README.md");
        String text = Files.readString(readme);
        for (Setting setting : Setting.values()) {
            assertTrue(text.contains("`" + setting.key() + "`"), "README lacks " + setting.key());
            assertTrue(text.contains("`" + setting.env() + "`"), "README lacks " + setting.env());
        }
    }
}
