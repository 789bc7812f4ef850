package dev.baeum.web.server;

import dev.baeum.web.accounts.AccountController;
import dev.baeum.web.grading.GradingApi;
import dev.baeum.web.labs.EngineController;
import dev.baeum.web.labs.LabPageController;
import dev.baeum.web.labs.LabSessionController;
import dev.baeum.web.labs.TerminalAccessController;
import dev.baeum.web.labs.TerminalHub;
import dev.baeum.web.lessons.LessonController;
import dev.baeum.web.progress.DashboardController;
import io.javalin.apibuilder.ApiBuilder;

import static dev.baeum.web.Access.ANYONE;
import static dev.baeum.web.Access.API;
import static dev.baeum.web.Access.INSTRUCTOR;
import static dev.baeum.web.Access.LEARNER;
import static dev.baeum.web.Access.PREVIEW;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.javalin.apibuilder.ApiBuilder.ws;

/** Every route of the platform, in one tree, each with who may call it. */
public final class Routes {

    private final LessonController lessons;
    private final LabPageController labs;
    private final LabSessionController sessions;
    private final TerminalAccessController terminalAccess;
    private final AccountController accounts;
    private final HealthController health;
    private final GradingApi grading;
    private final DashboardController dashboard;
    private final TerminalHub terminals;
    private final MetricsController metrics;
    private final EngineController engine;

    public Routes(LessonController lessons, LabPageController labs, LabSessionController sessions,
                  TerminalAccessController terminalAccess, AccountController accounts, HealthController health,
                  GradingApi grading, DashboardController dashboard, TerminalHub terminals, MetricsController metrics,
                  EngineController engine) {
        this.sessions = sessions;
        this.terminalAccess = terminalAccess;
        this.engine = engine;
        this.lessons = lessons;
        this.labs = labs;
        this.accounts = accounts;
        this.health = health;
        this.grading = grading;
        this.dashboard = dashboard;
        this.terminals = terminals;
        this.metrics = metrics;
    }

    public void endpoints() {
        get("/", lessons::course, ANYONE);
        get("/healthz", health::health, ANYONE);
        get("/metrics", metrics::scrape, ANYONE); // its own check: this machine or metrics.token
        get("/webjars/{name}/<path>", WebJarFiles::serve, ANYONE); // version-less; versioned ones are static files

        path("/lessons", () -> {
            get("/files/<path>", lessons::asset, ANYONE);
            get("/{slug}", lessons::lesson, ANYONE);
            post("/{slug}/quizzes/{quiz}", lessons::answerQuiz, ANYONE);
        });

        path("/labs", () -> {
            get(labs::list, ANYONE);
            get("/{id}", labs::page, ANYONE);
            get("/{id}/files/<path>", labs::asset, ANYONE);
            get("/{id}/session", sessions::status, LEARNER);
            post("/{id}/session", sessions::open, LEARNER);
            post("/{id}/session/reset", sessions::reset, LEARNER);
            post("/{id}/session/extend", sessions::extend, LEARNER);
            post("/{id}/session/end", sessions::end, LEARNER);
            post("/{id}/check", sessions::check, LEARNER);
            post("/{id}/tasks/{task}/hint", sessions::hint, LEARNER);
            post("/{id}/tasks/{task}/solution", sessions::solution, LEARNER);
            get("/{id}/engine/containers", engine::containers, LEARNER);
            get("/{id}/engine/calls", engine::calls, LEARNER);
            for (String path : new String[]{"/{id}/preview/{port}", "/{id}/preview/{port}/<path>"}) {
                get(path, engine::preview, PREVIEW);
                post(path, engine::preview, PREVIEW);
                put(path, engine::preview, PREVIEW);
                patch(path, engine::preview, PREVIEW);
                delete(path, engine::preview, PREVIEW);
            }
        });

        ApiBuilder.staticInstance().wsBeforeUpgrade("/sandbox/{session}/terminal", terminalAccess::authorizeTerminal);
        ws("/sandbox/{session}/terminal", ws -> {
            ws.onConnect(terminals::connect);
            ws.onMessage(terminals::message);
            ws.onBinaryMessage(terminals::binary);
            ws.onClose(terminals::close);
        });

        path("/api/v1", () -> {
            get("/labs", grading::labs, API);
            post("/labs/{id}/grade", grading::grade, API);
            get("/gradings", grading::gradings, API);
            get("/learners/{id}/records", dashboard::recordsApi, LEARNER);
        });

        path("/instructor", () -> {
            get(dashboard::dashboard, INSTRUCTOR);
            get("/labs/{id}", dashboard::lab, INSTRUCTOR);
            get("/learners/{id}", dashboard::learner, INSTRUCTOR);
            get("/grades.csv", dashboard::gradesCsv, INSTRUCTOR);
        });
        get("/me/records", dashboard::myRecords, LEARNER);

        get("/login", accounts::loginForm, ANYONE);
        post("/login", accounts::login, ANYONE);
        get("/signup", accounts::signupForm, ANYONE);
        post("/signup", accounts::signup, ANYONE);
        post("/logout", accounts::logout, ANYONE);
        post("/guest", accounts::guest, ANYONE);
        get("/account", accounts::account, LEARNER);
        post("/account/tokens", accounts::createToken, INSTRUCTOR);
        post("/account/tokens/{id}/delete", accounts::revokeToken, INSTRUCTOR);
    }
}
