package dev.baeum.support;

import dev.baeum.App;
import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.sandbox.DockerEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform on a free port with a private database, as tests use it. The database is the caller's
 * when the overrides set {@code db.url} (see {@link Databases.TestDatabase#with}); otherwise a fresh one of
 * {@link Databases#defaultKind()} (in-memory H2 unless {@code BAEUM_TEST_DATABASE=postgres}) that lives as
 * long as this deployment.
 */
public final class TestApp implements AutoCloseable {

    private final App app;
    private final Path dataDir;
    private final Databases.TestDatabase ownDatabase;

    private TestApp(App app, Path dataDir, Databases.TestDatabase ownDatabase) {
        this.app = app;
        this.dataDir = dataDir;
        this.ownDatabase = ownDatabase;
    }

    /** The project root (surefire runs tests there). */
    public static Path root() {
        return Path.of(System.getProperty("baeum.root", ".")).toAbsolutePath().normalize();
    }

    public static Settings settings(Map<Setting, String> overrides) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        Path data = tempDir("baeum-data");
        try {
            // Docker labs' lab containers reach their session's socket in here (as an unprivileged user).
            Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put(Setting.PORT, "0");
        values.put(Setting.DATA_DIR, data.toString());
        values.put(Setting.LESSONS_DIR, root().resolve("lessons").toString());
        values.put(Setting.LABS_DIR, root().resolve("labs").toString());
        values.put(Setting.WEB_DIR, root().resolve("web").toString());
        values.put(Setting.LABS_BUILD_ON_START, "false");
        values.put(Setting.SANDBOX_POOL_SIZE, "0");
        values.putAll(overrides);
        return Settings.of(values);
    }

    public static TestApp start() {
        return start(Map.of());
    }

    public static TestApp start(Map<Setting, String> overrides) {
        return start(overrides, Docker.engine());
    }

    public static TestApp start(Map<Setting, String> overrides, DockerEngine engine) {
        Databases.TestDatabase own = overrides.containsKey(Setting.DB_URL) ? null : Databases.create(Databases.defaultKind());
        Map<Setting, String> values = own == null ? overrides : own.with(overrides);
        Settings settings = settings(values);
        try {
            return new TestApp(App.start(settings, engine), settings.path(Setting.DATA_DIR), own);
        } catch (RuntimeException | Error e) {
            if (own != null) {
                own.close();
            }
            throw e;
        }
    }

    public App app() {
        return app;
    }

    public String baseUrl() {
        return "http://localhost:" + app.port();
    }

    public WebClient client() {
        return new WebClient(baseUrl());
    }

    public Lab lab(String id) {
        return app.core().labs().find(id).orElseThrow(() -> new AssertionError("no lab " + id));
    }

    /** Builds the lab's image if needed (minutes on a fresh machine, instant afterwards). */
    public String image(String labId) {
        try {
            return app.runtime().images().ensure(dev.baeum.services.sessions.LabRuns.of(lab(labId)).image()).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("image for " + labId + " did not build: " + e, e);
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the test deployment and removes every container it started. */
    @Override
    public void close() {
        app.runtime().reaper().purge();
        app.close();
        if (ownDatabase != null) {
            ownDatabase.close();
        }
    }
}
