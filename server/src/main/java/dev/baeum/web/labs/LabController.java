package dev.baeum.web.labs;

import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.web.Identity;
import dev.baeum.services.accounts.User;
import dev.baeum.base.config.Units;
import dev.baeum.services.sessions.LabChecks;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.web.lessons.LessonController;
import dev.baeum.web.ClientAddresses;
import dev.baeum.services.limits.Limit;
import dev.baeum.services.limits.RateLimiter;
import dev.baeum.base.metrics.Metrics;
import dev.baeum.services.progress.ProgressRepository;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.SandboxAccessException;
import dev.baeum.runtime.sandbox.SandboxPolicy;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.sessions.LabRuns;
import dev.baeum.services.sessions.Sandboxes;
import dev.baeum.web.Views;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Lab pages and the JSON endpoints their script drives: session, checks, hints, solutions, terminal. */
public final class LabController {


    private final LabCatalog labs;
    private final LessonCatalog lessons;
    private final Sandboxes sandboxes;
    private final LabImages images;
    private final LabChecks checks;
    private final SandboxRepository sandboxRepository;
    private final ProgressRepository progress;
    private final Identity identity;
    private final Views views;
    private final DockerEngine engine;
    private final boolean guestsAllowed;
    private final RateLimiter limits;
    private final ClientAddresses clients;
    private final Metrics metrics;

    public LabController(LabCatalog labs, LessonCatalog lessons, Sandboxes sandboxes, LabImages images,
                         LabChecks checks, SandboxRepository sandboxRepository, ProgressRepository progress,
                         Identity identity, Views views, DockerEngine engine, boolean guestsAllowed,
                         RateLimiter limits, ClientAddresses clients, Metrics metrics) {
        this.labs = labs;
        this.lessons = lessons;
        this.sandboxes = sandboxes;
        this.images = images;
        this.checks = checks;
        this.sandboxRepository = sandboxRepository;
        this.progress = progress;
        this.identity = identity;
        this.views = views;
        this.engine = engine;
        this.guestsAllowed = guestsAllowed;
        this.limits = limits;
        this.clients = clients;
        this.metrics = metrics;
    }

    public void list(Context ctx) {
        Optional<User> viewer = identity.viewer(ctx);
        Map<String, Set<String>> passed = viewer.map(u -> progress.passedTasks(u.id())).orElse(Map.of());
        Map<String, LabPages.LabGroup> groups = new LinkedHashMap<>();
        for (Lesson lesson : lessons.lessons()) {
            groups.put(lesson.slug(), new LabPages.LabGroup(lesson.slug(), lesson.title(), new ArrayList<>()));
        }
        LabPages.LabGroup other = new LabPages.LabGroup(null, "그 밖의 실습", new ArrayList<>());
        for (Lab lab : labs.labs()) {
            int done = (int) lab.tasks().stream().filter(t -> passed.getOrDefault(lab.id(), Set.of()).contains(t.id())).count();
            LabPages.LabCard card = new LabPages.LabCard(lab.id(), lab.title(), lab.summary(), lab.tasks().size(), done,
                    lab.docker(), lab.hasErrors());
            LabPages.LabGroup group = lab.lessonSlug() == null ? other : groups.getOrDefault(lab.lessonSlug(), other);
            group.labs().add(card);
        }
        List<LabPages.LabGroup> shown = new ArrayList<>(groups.values().stream().filter(g -> !g.labs().isEmpty()).toList());
        if (!other.labs().isEmpty()) {
            shown.add(other);
        }
        views.render(ctx, "labs/list.jte", new LabPages.LabListPage(views.chrome(ctx, "실습", "labs"), shown, labsProblem()));
    }

    public void page(Context ctx) {
        Lab lab = lab(ctx);
        Optional<User> viewer = identity.viewer(ctx);
        Set<String> done = viewer.map(u -> progress.passedTasks(u.id(), lab.id())).orElse(Set.of());
        Map<String, ProgressRepository.CheckRecord> last = viewer.map(u -> progress.latestResults(u.id(), lab.id())).orElse(Map.of());
        Map<String, SandboxRepository.Reveals> reveals = viewer.map(u -> sandboxRepository.reveals(u.id(), lab.id())).orElse(Map.of());
        List<LabPages.SectionView> sections = new ArrayList<>();
        int number = 0;
        for (Lab.Section section : lab.sections()) {
            LabPages.TaskView task = null;
            if (section.isTask()) {
                number++;
                Lab.Task t = section.task();
                SandboxRepository.Reveals r = reveals.get(t.id());
                List<String> hints = new ArrayList<>();
                for (int i = 0; i < t.hintsHtml().size(); i++) {
                    if (r != null && r.hints().contains(i)) {
                        hints.add(t.hintsHtml().get(i));
                    }
                }
                ProgressRepository.CheckRecord record = last.get(t.id());
                task = new LabPages.TaskView(t.id(), number, done.contains(t.id()), record == null ? "" : record.message(),
                        t.hintsHtml().size(), hints, r != null && r.solution() ? solutionText(lab, t) : null, record == null || record.passed());
            }
            sections.add(new LabPages.SectionView(section.id(), section.titleHtml(), section.html(), task));
        }
        String lessonTitle = lab.lessonSlug() == null ? null
                : lessons.find(lab.lessonSlug()).map(Lesson::title).orElse(null);
        SandboxPolicy.Limits limits = sandboxes.limits(lab);
        String limitsText = lab.docker()
                ? "메모리 " + Units.humanBytes(limits.memoryBytes()) + " · CPU " + limits.cpus() + "코어 · 프로세스 "
                        + limits.pids() + "개 (터미널과 내가 띄운 컨테이너·빌드를 모두 합한 예산) · 인터넷 없음"
                : "메모리 " + Units.humanBytes(limits.memoryBytes()) + " · CPU " + limits.cpus() + "코어 · 프로세스 "
                        + limits.pids() + "개 · 네트워크 " + (lab.network() ? "켜짐" : "꺼짐");
        views.render(ctx, "labs/lab.jte", new LabPages.LabPage(views.chrome(ctx, lab.title(), "labs", lab.summary()),
                lab.id(), lab.title(), lab.summary(), lessonTitle == null ? null : lab.lessonSlug(),
                lessonTitle, lab.introHtml(), sections, lab.nodes(), limitsText, labsProblem(), guestsAllowed,
                sandboxes.policy().guestLifetime().toMinutes(),
                (int) lab.tasks().stream().filter(t -> done.contains(t.id())).count(), lab.tasks().size(),
                lab.errors(), lab.docker()));
    }

    public void asset(Context ctx) {
        Lab lab = lab(ctx);
        LessonController.serveAsset(ctx, lab.dir(), ctx.pathParam("path"));
    }

    /** Opens (or reattaches to) the learner's sandbox; answers "building" while the image is built. */
    public void open(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        // Reattaching and polling while the image builds are free; only a session that really starts counts.
        boolean fresh = sandboxes.active(user, lab).isEmpty();
        if (fresh) {
            limits.ensureBelow(Limit.SESSION_ACCOUNT, String.valueOf(user.id()));
            limits.ensureBelow(Limit.SESSION_IP, clients.key(ctx));
        }
        long started = System.nanoTime();
        Sandboxes.Opened opened = sandboxes.open(user, lab);
        if (opened instanceof Sandboxes.Opened.Building building) {
            ctx.status(202).json(buildingJson(building.status()));
            return;
        }
        SandboxSession session = ((Sandboxes.Opened.Ready) opened).session();
        if (fresh) {
            metrics.labReady(lab.id(), session.fromPool(), Duration.ofNanos(System.nanoTime() - started));
            limits.count(Limit.SESSION_ACCOUNT, String.valueOf(user.id()));
            limits.count(Limit.SESSION_IP, clients.key(ctx));
        }
        ctx.json(sessionJson(lab, session, checks.current(user, lab)));
    }

    /** The learner's current session, without starting one. */
    public void status(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        Optional<SandboxSession> session = sandboxes.active(user, lab);
        Map<String, Object> body = new LinkedHashMap<>();
        if (session.isPresent()) {
            body.putAll(sessionJson(lab, session.get(), checks.current(user, lab)));
        } else {
            body.put("state", "none");
            body.put("tasks", checks.current(user, lab));
            if (engine.available() && lab.image() != null) {
                LabImages.Status image = images.status(LabRuns.image(lab.image()));
                body.put("image", buildingJson(image));
            }
        }
        ctx.json(body);
    }

    public void reset(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        limits.acquire(Limit.SESSION_ACCOUNT, String.valueOf(user.id())); // fresh containers, like a new start
        limits.acquire(Limit.SESSION_IP, clients.key(ctx));
        long started = System.nanoTime();
        SandboxSession fresh = sandboxes.reset(user, session.id(), lab);
        metrics.labReady(lab.id(), fresh.fromPool(), Duration.ofNanos(System.nanoTime() - started));
        ctx.json(sessionJson(lab, fresh, checks.current(user, lab)));
    }

    public void extend(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        ctx.json(sessionJson(lab, sandboxes.extend(user, session.id()), checks.current(user, lab)));
    }

    public void end(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        sandboxes.end(user, session.id());
        ctx.json(Map.of("state", "ended", "message", "실습 환경을 정리했습니다. 통과한 과제 기록은 그대로 남습니다."));
    }

    /** 채점: every task (or, with auto=true, only unfinished ones). */
    public void check(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        boolean auto = "true".equals(ctx.queryParam("auto"));
        LabChecks.Round round = checks.check(user, lab, session, auto);
        if (round.ran()) {
            metrics.check(lab.id(), "learner", Duration.ofMillis(round.millis()));
        }
        ctx.json(Map.of("tasks", round.tasks(), "millis", round.millis(), "ran", round.ran(),
                "done", round.doneCount(), "total", lab.tasks().size()));
    }

    public void hint(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        Lab.Task task = lab.task(ctx.pathParam("task")).orElseThrow(() -> new NotFoundResponse("그런 과제는 없습니다."));
        int index;
        try {
            index = Integer.parseInt(ctx.queryParam("n") == null ? "0" : ctx.queryParam("n"));
        } catch (NumberFormatException e) {
            index = 0;
        }
        if (index < 0 || index >= task.hintsHtml().size()) {
            throw new NotFoundResponse("이 과제에는 그 힌트가 없습니다.");
        }
        String sessionId = sandboxes.active(user, lab).map(SandboxSession::id).orElse(null);
        sandboxRepository.event(sessionId, user.id(), lab.id(), SandboxRepository.EventKind.HINT, task.id(), String.valueOf(index));
        ctx.json(Map.of("html", task.hintsHtml().get(index), "index", index, "count", task.hintsHtml().size()));
    }

    public void solution(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        Lab.Task task = lab.task(ctx.pathParam("task")).orElseThrow(() -> new NotFoundResponse("그런 과제는 없습니다."));
        String sessionId = sandboxes.active(user, lab).map(SandboxSession::id).orElse(null);
        sandboxRepository.event(sessionId, user.id(), lab.id(), SandboxRepository.EventKind.SOLUTION, task.id(), null);
        ctx.json(Map.of("text", solutionText(lab, task), "action", task.solutionAction() == null ? "" : task.solutionAction(),
                "runnable", task.solutionAction() == null && lab.nodes().size() == 1));
    }

    /**
     * Before a terminal WebSocket is accepted: the viewer must own the session, the session must be live,
     * and the page must be ours (Origin), so no other learner or site can attach.
     */
    public void authorizeTerminal(Context ctx) {
        if (!engine.available()) {
            throw new LabsUnavailableException(engine.status().problem());
        }
        checkOrigin(ctx);
        User user = identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
        SandboxSession session = sandboxes.find(ctx.pathParam("session"))
                .filter(s -> s.userId() == user.id())
                .orElseThrow(() -> new SandboxAccessException("이 실습 환경의 터미널에 연결할 수 없습니다."));
        if (!session.active()) {
            throw new LabsUnavailableException("이미 끝난 실습 환경입니다.");
        }
        String node = ctx.queryParam("node");
        if (node == null || node.isBlank()) {
            node = session.containers().keySet().stream().findFirst().orElse("");
        }
        if (!session.containers().containsKey(node)) {
            throw new NotFoundResponse("그런 노드는 없습니다.");
        }
        ctx.attribute(TerminalHub.SESSION_ATTRIBUTE, session);
        ctx.attribute(TerminalHub.NODE_ATTRIBUTE, node);
    }

    private static void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return; // not a browser: the session cookie still has to match
        }
        try {
            URI uri = URI.create(origin);
            String host = ctx.header("Host");
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            if (host == null || !host.equalsIgnoreCase(originHost)) {
                throw new ForbiddenResponse("다른 사이트에서 터미널에 연결할 수 없습니다.");
            }
        } catch (IllegalArgumentException e) {
            throw new ForbiddenResponse("다른 사이트에서 터미널에 연결할 수 없습니다.");
        }
    }

    private Map<String, Object> sessionJson(Lab lab, SandboxSession session, List<LabChecks.TaskState> tasks) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", "ready");
        body.put("session", session.id());
        body.put("nodes", lab.nodes().stream().filter(session.containers()::containsKey).toList());
        body.put("startMillis", session.startMillis());
        body.put("fromPool", session.fromPool());
        body.put("deadline", session.deadline().toEpochMilli());
        body.put("expiresAt", session.expiresAt().toEpochMilli());
        body.put("idleDeadline", session.idleDeadline().toEpochMilli());
        body.put("resets", session.resets());
        body.put("terminal", "/sandbox/" + session.id() + "/terminal");
        body.put("tasks", tasks);
        return body;
    }

    private static Map<String, Object> buildingJson(LabImages.Status status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", status.ready() ? "image-ready" : "building");
        body.put("imageState", status.state().name());
        body.put("step", status.step());
        body.put("steps", status.steps());
        List<String> log = status.log();
        body.put("log", log.subList(Math.max(0, log.size() - 12), log.size()));
        if (status.message() != null) {
            body.put("message", status.message());
        }
        return body;
    }

    private SandboxSession currentSession(User user, Lab lab) {
        return sandboxes.active(user, lab)
                .orElseThrow(() -> new LabsUnavailableException("열려 있는 실습 환경이 없습니다. '실습 시작'을 눌러 주세요."));
    }

    private User user(Context ctx) {
        return identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
    }

    private Lab lab(Context ctx) {
        return labs.find(ctx.pathParam("id")).orElseThrow(() -> new NotFoundResponse("그런 실습은 없습니다."));
    }

    private String labsProblem() {
        return engine.available() ? null : engine.status().problem();
    }

    private static String solutionText(Lab lab, Lab.Task task) {
        if ("reset".equals(task.solutionAction())) {
            return "실습 환경을 초기화하세요: 터미널 아래의 '초기화' 버튼을 누르면 새 컨테이너가 시작됩니다.";
        }
        return task.solutionText(lab.nodes().size() > 1);
    }
}
