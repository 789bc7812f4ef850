package dev.baeum.web.server;

import dev.baeum.base.db.Database;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.web.labs.TerminalHub;
import dev.baeum.web.Catalogs;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /healthz}: is the database answering, is Docker reachable, how much content is loaded. */
public final class HealthController {

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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !dbOk ? "down" : docker.available() ? "ok" : "degraded");
        body.put("database", Map.of("ok", dbOk));
        Map<String, Object> dockerInfo = new LinkedHashMap<>();
        dockerInfo.put("ok", docker.available());
        if (docker.available()) {
            dockerInfo.put("version", docker.version());
            dockerInfo.put("apiVersion", docker.apiVersion());
            dockerInfo.put("kernel", docker.kernel());
        } else {
            dockerInfo.put("problem", docker.problem());
        }
        body.put("docker", dockerInfo);
        body.put("content", Map.of(
                "lessons", lessons.lessons().size(),
                "lessonsWithErrors", lessons.lessons().stream().filter(l -> l.hasErrors()).count(),
                "labs", labs.labs().size(),
                "labsWithErrors", labs.labs().stream().filter(l -> l.hasErrors()).count()));
        if (dbOk) {
            body.put("sandboxes", Map.of("active", sandboxes.countActive(), "terminalsHere", terminals.attached()));
        }
        ctx.status(dbOk ? 200 : 503).json(body);
    }
}
