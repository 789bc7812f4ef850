package dev.baeum.web.labs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.accounts.User;
import dev.baeum.services.sessions.LabChecks;
import dev.baeum.services.sessions.LabRuns;
import dev.baeum.services.sessions.LabServices;
import dev.baeum.services.sessions.Sandboxes;
import dev.baeum.web.Identity;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;

import java.util.List;
import java.util.Optional;

/** The JSON endpoints a lab page's script drives: the learner's session, checks, hints and solutions. */
public final class LabSessionController {

    /** A running session, as the page's script needs it. */
    public record SessionView(String state, String session, List<String> nodes, Integer startMillis, boolean fromPool,
                              long deadline, long expiresAt, long idleDeadline, int resets, String terminal,
                              List<LabChecks.TaskState> tasks) {
    }

    /** No session yet: the tasks so far and, for a lab with an image, how its build is going. */
    public record NoSession(String state, List<LabChecks.TaskState> tasks,
                            @JsonInclude(JsonInclude.Include.NON_NULL) ImageView image) {
    }

    public record ImageView(String state, String imageState, int step, int steps, List<String> log,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String message) {
    }

    public record Ended(String state, String message) {
    }

    public record CheckView(List<LabChecks.TaskState> tasks, long millis, boolean ran, int done, int total) {
    }

    public record HintView(String html, int index, int count) {
    }

    public record SolutionView(String text, String action, boolean runnable) {
    }

    private final LabCatalog labs;
    private final LabServices services;
    private final Identity identity;
    private final SessionMeter meter;

    public LabSessionController(LabCatalog labs, LabServices services, Identity identity, SessionMeter meter) {
        this.labs = labs;
        this.services = services;
        this.identity = identity;
        this.meter = meter;
    }

    /** Opens (or reattaches to) the learner's sandbox; answers "building" while the image is built. */
    public void open(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        // Reattaching and polling while the image builds are free; only a session that really starts counts.
        boolean fresh = services.sandboxes().active(user, lab).isEmpty();
        if (fresh) {
            meter.ensureCanStart(ctx, user);
        }
        long started = System.nanoTime();
        Sandboxes.Opened opened = services.sandboxes().open(user, lab);
        if (opened instanceof Sandboxes.Opened.Building building) {
            ctx.status(202).json(imageView(building.status()));
            return;
        }
        SandboxSession session = ((Sandboxes.Opened.Ready) opened).session();
        if (fresh) {
            meter.ready(lab.id(), session.fromPool(), started);
            meter.countStart(ctx, user);
        }
        ctx.json(sessionView(lab, session, services.checks().current(user, lab)));
    }

    /** The learner's current session, without starting one. */
    public void status(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        Optional<SandboxSession> session = services.sandboxes().active(user, lab);
        if (session.isPresent()) {
            ctx.json(sessionView(lab, session.get(), services.checks().current(user, lab)));
            return;
        }
        ImageView image = services.engine().available() && lab.image() != null
                ? imageView(services.images().status(LabRuns.image(lab.image()))) : null;
        ctx.json(new NoSession("none", services.checks().current(user, lab), image));
    }

    public void reset(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        meter.acquireReset(ctx, user);
        long started = System.nanoTime();
        SandboxSession fresh = services.sandboxes().reset(user, session.id(), lab);
        meter.ready(lab.id(), fresh.fromPool(), started);
        ctx.json(sessionView(lab, fresh, services.checks().current(user, lab)));
    }

    public void extend(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        ctx.json(sessionView(lab, services.sandboxes().extend(user, session.id()), services.checks().current(user, lab)));
    }

    public void end(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        services.sandboxes().end(user, session.id());
        ctx.json(new Ended("ended", "실습 환경을 정리했습니다. 통과한 과제 기록은 그대로 남습니다."));
    }

    /** 채점: every task (or, with auto=true, only unfinished ones). */
    public void check(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        SandboxSession session = currentSession(user, lab);
        boolean auto = "true".equals(ctx.queryParam("auto"));
        LabChecks.Round round = services.checks().check(user, lab, session, auto);
        if (round.ran()) {
            meter.checked(lab.id(), round.millis());
        }
        ctx.json(new CheckView(round.tasks(), round.millis(), round.ran(), round.doneCount(), lab.tasks().size()));
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
        services.reveal(user, lab, SandboxRepository.EventKind.HINT, task, String.valueOf(index));
        ctx.json(new HintView(task.hintsHtml().get(index), index, task.hintsHtml().size()));
    }

    public void solution(Context ctx) {
        Lab lab = lab(ctx);
        User user = user(ctx);
        Lab.Task task = lab.task(ctx.pathParam("task")).orElseThrow(() -> new NotFoundResponse("그런 과제는 없습니다."));
        services.reveal(user, lab, SandboxRepository.EventKind.SOLUTION, task, null);
        ctx.json(new SolutionView(LabPageController.solutionText(lab, task),
                task.solutionAction() == null ? "" : task.solutionAction(),
                task.solutionAction() == null && lab.nodes().size() == 1));
    }

    private static SessionView sessionView(Lab lab, SandboxSession session, List<LabChecks.TaskState> tasks) {
        return new SessionView("ready", session.id(), lab.nodes().stream().filter(session.containers()::containsKey).toList(),
                session.startMillis(), session.fromPool(), session.deadline().toEpochMilli(),
                session.expiresAt().toEpochMilli(), session.idleDeadline().toEpochMilli(), session.resets(),
                "/sandbox/" + session.id() + "/terminal", tasks);
    }

    private static ImageView imageView(LabImages.Status status) {
        List<String> log = status.log();
        return new ImageView(status.ready() ? "image-ready" : "building", status.state().name(), status.step(),
                status.steps(), log.subList(Math.max(0, log.size() - 12), log.size()), status.message());
    }

    private SandboxSession currentSession(User user, Lab lab) {
        return services.sandboxes().active(user, lab)
                .orElseThrow(() -> new LabsUnavailableException("열려 있는 실습 환경이 없습니다. '실습 시작'을 눌러 주세요."));
    }

    private User user(Context ctx) {
        return identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
    }

    private Lab lab(Context ctx) {
        return labs.find(ctx.pathParam("id")).orElseThrow(() -> new NotFoundResponse("그런 실습은 없습니다."));
    }
}
