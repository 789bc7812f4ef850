package dev.baeum;

import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.base.db.Database;
import dev.baeum.base.db.Leases;
import dev.baeum.base.db.Secrets;
import dev.baeum.base.json.Json;
import dev.baeum.base.metrics.Metrics;
import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.runtime.check.CheckRunner;
import dev.baeum.runtime.engine.EngineAddress;
import dev.baeum.runtime.engine.EngineClient;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.runtime.sandbox.ContainerFactory;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.DockerLabs;
import dev.baeum.runtime.sandbox.EngineRepository;
import dev.baeum.runtime.sandbox.EngineViews;
import dev.baeum.runtime.sandbox.HostFacts;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.LabLauncher;
import dev.baeum.runtime.sandbox.RunSpec;
import dev.baeum.runtime.sandbox.SandboxPolicy;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.runtime.sandbox.WarmPool;
import dev.baeum.services.accounts.Accounts;
import dev.baeum.services.accounts.ApiTokens;
import dev.baeum.services.accounts.Passwords;
import dev.baeum.services.accounts.Role;
import dev.baeum.services.accounts.UserRepository;
import dev.baeum.services.accounts.WebSessions;
import dev.baeum.services.grading.GradingService;
import dev.baeum.services.grading.SelfTest;
import dev.baeum.services.limits.RateLimitRepository;
import dev.baeum.services.limits.RateLimiter;
import dev.baeum.services.progress.ProgressReports;
import dev.baeum.services.progress.ProgressRepository;
import dev.baeum.services.sessions.LabChecks;
import dev.baeum.services.sessions.LabRuns;
import dev.baeum.services.sessions.LabServices;
import dev.baeum.services.sessions.Reaper;
import dev.baeum.services.sessions.Sandboxes;
import dev.baeum.web.AccessRules;
import dev.baeum.web.Catalogs;
import dev.baeum.web.ClientAddresses;
import dev.baeum.web.ErrorPages;
import dev.baeum.web.Identity;
import dev.baeum.web.RequestLimits;
import dev.baeum.web.Templates;
import dev.baeum.web.Views;
import dev.baeum.web.accounts.AccountController;
import dev.baeum.web.accounts.AccountOptions;
import dev.baeum.web.grading.GradingApi;
import dev.baeum.web.labs.EngineController;
import dev.baeum.web.labs.LabPageController;
import dev.baeum.web.labs.LabSessionController;
import dev.baeum.web.labs.SessionMeter;
import dev.baeum.web.labs.TerminalAccessController;
import dev.baeum.web.labs.TerminalHub;
import dev.baeum.web.lessons.LessonController;
import dev.baeum.web.progress.DashboardController;
import dev.baeum.web.server.HealthController;
import dev.baeum.web.server.MetricsController;
import dev.baeum.web.server.Routes;
import dev.baeum.web.server.WebServer;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The platform, wired by hand in the order things depend on each other:
 * configuration → database → content → sandbox → web. Tests start it on a free port the same way.
 */
public final class App implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(App.class);

    /** The parts every command needs: settings, database, content, and the figures an operator watches. */
    public record Core(Settings settings, Database database, MarkdownRenderer renderer, LessonCatalog lessons,
                       LabCatalog labs, Metrics metrics) implements AutoCloseable {

        public static Core open(Settings settings) {
            int poolSize = settings.integer(Setting.DB_POOL_SIZE);
            if (poolSize < 1) {
                throw new Settings.ConfigException("설정 " + Setting.DB_POOL_SIZE.key() + " (" + Setting.DB_POOL_SIZE.env()
                        + ") 값은 1 이상이어야 합니다.");
            }
            Database database = Database.open(settings.jdbcUrl(), settings.get(Setting.DB_USER),
                    settings.get(Setting.DB_PASSWORD), poolSize);
            MarkdownRenderer renderer = new MarkdownRenderer();
            Duration recheck = settings.devMode() ? Duration.ZERO : Duration.ofSeconds(2);
            LessonCatalog lessons = new LessonCatalog(settings.path(Setting.LESSONS_DIR), renderer, recheck);
            LabCatalog labs = new LabCatalog(settings.path(Setting.LABS_DIR), renderer, recheck);
            return new Core(settings, database, renderer, lessons, labs, new Metrics());
        }

        @Override
        public void close() {
            database.close();
            metrics.close();
        }
    }

    /**
     * The lab runtime: everything that needs Docker. Without an engine every part still exists and refuses,
     * saying why (the engine's problem), when asked to run something.
     */
    public record Runtime(DockerEngine engine, SandboxPolicy policy, SandboxRepository repository, LabImages images,
                          ContainerFactory factory, ContainerExec exec, HostFacts facts, WarmPool pool,
                          LabLauncher launcher, Sandboxes sandboxes, CheckRunner checks,
                          SelfTest selfTest, GradingService grading, Reaper reaper, DockerLabs docker,
                          EngineRepository engineRecords, EngineViews engineViews, EngineClient engineClient)
            implements AutoCloseable {

        public static Runtime open(Core core, DockerEngine engine) {
            Settings s = core.settings();
            String scope = new Secrets(core.database().sql()).get("sandbox-scope", () -> UUID.randomUUID().toString().substring(0, 12));
            SandboxPolicy policy = SandboxPolicy.from(s, scope);
            SandboxRepository repository = new SandboxRepository(core.database().sql());
            LabImages images = new LabImages(engine, core.labs().dir().resolve(LabCatalog.IMAGES_DIR), core.metrics());
            EngineRepository engineRecords = new EngineRepository(core.database().sql());
            EngineClient engineClient = engine.available() ? new EngineClient(EngineAddress.of(engine.host()), Json.MAPPER)
                    : EngineClient.missing(engine.status().problem(), Json.MAPPER);
            DockerLabs docker = engine.available() ? DockerLabs.open(engineClient, s, scope, engineRecords,
                    s.path(Setting.DATA_DIR).toAbsolutePath(), core.metrics()) : DockerLabs.closed(engine.status().problem());
            ContainerFactory factory = new ContainerFactory(engine, policy);
            ContainerExec exec = new ContainerExec(engine);
            HostFacts facts = new HostFacts(engine);
            WarmPool pool = new WarmPool(engine, factory, exec, repository, policy);
            LabLauncher launcher = new LabLauncher(engine, factory, exec, pool, policy, facts, docker);
            Sandboxes sandboxes = new Sandboxes(engine, images, launcher, repository, policy);
            Reaper reaper = new Reaper(engine, repository, sandboxes, factory, scope, docker, engineRecords,
                    new Leases(core.database().sql()), id -> core.labs().find(id).map(LabRuns::of));
            CheckRunner checks = new CheckRunner(exec, facts, policy);
            SelfTest selfTest = new SelfTest(images, launcher, exec, checks, policy);
            GradingService grading = new GradingService(images, launcher, exec, checks, policy,
                    core.database().sql(), s.duration(Setting.GRADING_TIMEOUT), s.integer(Setting.GRADING_CONCURRENCY));
            return new Runtime(engine, policy, repository, images, factory, exec, facts, pool, launcher, sandboxes,
                    checks, selfTest, grading, reaper, docker, engineRecords,
                    new EngineViews(engineClient, engineRecords), engineClient);
        }

        /** Builds every lab's image in the background and keeps a warm container of each ready. */
        public void prepare(Iterable<Lab> labs) {
            for (Lab lab : labs) {
                if (lab.image() != null && !lab.hasErrors()) {
                    RunSpec run = LabRuns.of(lab);
                    images.ensure(run.image()).thenAccept(tag -> launcher.warm(run, tag)).exceptionally(e -> null);
                }
            }
        }

        @Override
        public void close() {
            reaper.close();
            pool.close();
            images.close();
            docker.close();
            engineRecords.close();
        }
    }

    private final Core core;
    private final Runtime runtime;
    private final Javalin web;

    private App(Core core, Runtime runtime, Javalin web) {
        this.core = core;
        this.runtime = runtime;
        this.web = web;
    }

    public static App start(Settings settings) {
        return start(settings, DockerEngine.detect());
    }

    public static App start(Settings settings, DockerEngine engine) {
        createDataDir(settings);
        Core core = Core.open(settings);
        Runtime runtime = Runtime.open(core, engine);
        Javalin web = null;
        try {
            if (engine.available()) {
                runtime.reaper().firstPass(); // whatever a crash left behind goes before anyone is served
                runtime.reaper().start(settings.duration(Setting.SANDBOX_REAPER_INTERVAL));
            }
            if (engine.available() && settings.flag(Setting.LABS_BUILD_ON_START)) {
                runtime.prepare(core.labs().labs());
            }

            UserRepository users = new UserRepository(core.database().sql());
            bootstrapInstructor(settings, users);
            WebSessions webSessions = new WebSessions(core.database().sql());
            webSessions.purgeExpired();
            ApiTokens tokens = new ApiTokens(core.database().sql(), users);
            Identity identity = new Identity(users, webSessions, tokens);
            Views views = new Views(identity, Templates.create(settings.devMode(), settings.path(Setting.WEB_DIR)));
            ProgressRepository progress = new ProgressRepository(core.database().sql());
            boolean guests = settings.flag(Setting.GUEST_ENABLED);
            ClientAddresses clients = new ClientAddresses(settings.integer(Setting.PROXY_HOPS));
            Metrics metrics = core.metrics();
            RateLimiter limits = new RateLimiter(new RateLimitRepository(core.database().sql()), settings,
                    limit -> metrics.rateLimited(limit.id()), Clock.systemUTC());

            LabChecks labChecks = new LabChecks(runtime.checks(), runtime.images(), progress);
            LabServices labServices = new LabServices(runtime.sandboxes(), runtime.images(), labChecks,
                    runtime.repository(), progress, engine, guests);
            TerminalHub terminals = new TerminalHub(runtime.engineClient(), runtime.sandboxes(),
                    runtime.policy().terminalBytesPerSecond());
            Catalogs catalogs = new Catalogs(core.lessons(), core.labs());
            Routes routes = new Routes(
                    new LessonController(catalogs, progress, identity, views, engine),
                    new LabPageController(core.labs(), core.lessons(), labServices, identity, views),
                    new LabSessionController(core.labs(), labServices, identity, new SessionMeter(limits, clients, metrics)),
                    new TerminalAccessController(runtime.sandboxes(), engine, identity),
                    new AccountController(new Accounts(users, tokens), identity, views, new AccountOptions(guests,
                            runtime.policy().guestLifetime().toMinutes(), settings.get(Setting.PUBLIC_URL)),
                            new RequestLimits(limits, clients)),
                    new HealthController(core.database(), engine, catalogs, runtime.repository(), terminals),
                    new GradingApi(core.labs(), runtime.grading(), limits, clients, metrics),
                    new DashboardController(core.labs(), core.lessons(), new ProgressReports(core.database().sql(),
                            runtime.repository(), runtime.engineRecords()), identity, views),
                    terminals,
                    new MetricsController(metrics, clients, settings.get(Setting.METRICS_TOKEN)),
                    new EngineController(core.labs(), runtime.sandboxes(), runtime.docker(), runtime.engineViews(), identity));
            watch(metrics, runtime, terminals);
            web = WebServer.create(settings.devMode(), settings.path(Setting.WEB_DIR), routes,
                    new AccessRules(identity), new ErrorPages(views, metrics), metrics);
            web.start(settings.port());
            log.info("배움 is serving {} lessons and {} labs on http://localhost:{}", core.lessons().lessons().size(),
                    core.labs().labs().size(), web.port());
            return new App(core, runtime, web);
        } catch (RuntimeException e) {
            if (web != null) {
                web.stop();
            }
            runtime.close();
            core.close();
            throw e;
        }
    }

    public int port() {
        return web.port();
    }

    public Core core() {
        return core;
    }

    public Runtime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        web.stop();
        runtime.close();
        core.close();
    }

    /** Figures read when Prometheus scrapes: sessions from the database (all instances), terminals here. */
    private static void watch(Metrics metrics, Runtime runtime, TerminalHub terminals) {
        SandboxRepository sessions = runtime.repository();
        metrics.gauge("baeum.lab.sessions.active", "Active lab sessions of the whole deployment",
                sessions::countActive, "role", "all");
        metrics.gauge("baeum.lab.sessions.active", "Active lab sessions of the whole deployment",
                sessions::countActiveGuests, "role", "guest");
        metrics.gauge("baeum.lab.sessions.capacity", "sandbox.max.sessions and the guests' share of it",
                runtime.policy()::maxSessions, "role", "all");
        metrics.gauge("baeum.lab.sessions.capacity", "sandbox.max.sessions and the guests' share of it",
                runtime.policy()::guestMaxSessions, "role", "guest");
        metrics.gauge("baeum.terminals.attached", "Browser terminals attached to this instance", terminals::attached);
    }

    private static void createDataDir(Settings settings) {
        Path dir = settings.path(Setting.DATA_DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Settings.ConfigException("데이터 폴더를 만들 수 없습니다: " + dir.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
    }

    /** The first instructor comes from configuration: created if missing, promoted if not yet an instructor. */
    private static void bootstrapInstructor(Settings settings, UserRepository users) {
        String username = settings.get(Setting.ADMIN_USERNAME).toLowerCase();
        if (username.isBlank()) {
            return;
        }
        users.findByUsername(username).ifPresentOrElse(user -> {
            if (user.role() != Role.INSTRUCTOR) {
                users.setRole(user.id(), Role.INSTRUCTOR);
                log.info("Promoted {} to instructor", username);
            }
        }, () -> {
            String password = settings.get(Setting.ADMIN_PASSWORD);
            String problem = Passwords.problem(password);
            if (problem != null) {
                throw new Settings.ConfigException("admin.password (BAEUM_ADMIN_PASSWORD): " + problem);
            }
            users.create(username, username, Passwords.hash(password), Role.INSTRUCTOR);
            log.info("Created instructor account {}", username);
        });
    }
}
