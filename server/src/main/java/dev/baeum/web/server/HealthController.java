package dev.baeum.web.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.baeum.base.db.Database;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.web.Catalogs;
import dev.baeum.web.labs.TerminalHub;
import io.javalin.http.Context;


/** {@code /healthz}: is the database answering, is Docker reachable, how much content is loaded. */
public final class HealthController {

    /** The answer; {@code sandboxes} only when the database answers (they are counted there). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, Check database, DockerInfo docker, Content content, Sandboxes sandboxes) {
    }

    public record Check(boolean ok) {
    }

    /** Version, API version and kernel when Docker answers; the problem (in Korean) when it does not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DockerInfo(boolean ok, String version, String apiVersion, String kernel, String problem) {
    }

    public record Content(int lessons, long lessonsWithErrors, int labs, long labsWithErrors) {
    }

    public record Sandboxes(long active, int terminalsHere) {
    }

    private final Database database;
    private final DockerEngine engine;
    private final LessonCatalog lessons;
    private final LabCatalog labs;
    private final SandboxRepository sandboxes;
    private final TerminalHub terminals;

    public HealthController(Database database, DockerEngine engine, Catalogs catalogs, SandboxRepository sandboxes,
                            TerminalHub terminals) {
        this.database = database;
        this.engine = engine;
        this.lessons = catalogs.lessons();
        this.labs = catalogs.labs();
        this.sandboxes = sandboxes;
        this.terminals = terminals;
    }

    public void health(Context ctx) {
        boolean dbOk = database.ping();
        DockerEngine.Status docker = engine.status();
        DockerInfo dockerInfo = docker.available()
                ? new DockerInfo(true, docker.version(), docker.apiVersion(), docker.kernel(), null)
                : new DockerInfo(false, null, null, null, docker.problem());
        Content content = new Content(lessons.lessons().size(), lessons.lessons().stream().filter(l -> l.hasErrors()).count(),
                labs.labs().size(), labs.labs().stream().filter(l -> l.hasErrors()).count());
        ctx.status(dbOk ? 200 : 503).json(new Health(!dbOk ? "down" : docker.available() ? "ok" : "degraded",
                new Check(dbOk), dockerInfo, content, dbOk ? new Sandboxes(sandboxes.countActive(), terminals.attached()) : null));
    }
}
