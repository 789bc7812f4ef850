package dev.baeum.web.grading;

import dev.baeum.services.grading.GradingService;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.baeum.base.metrics.Metrics;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.services.accounts.User;
import dev.baeum.services.limits.Limit;
import dev.baeum.services.limits.RateLimiter;
import dev.baeum.web.AccessRules;
import dev.baeum.web.ClientAddresses;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.time.Duration;
import java.util.List;

/**
 * The grading API, for instructors' scripts and CI (authenticated with an API token):
 * {@code POST /api/v1/labs/{id}/grade} with a shell script or Dockerfile as the body.
 */
public final class GradingApi {

    /** What {@code GET /api/v1/labs} lists of each lab. */
    public record LabInfo(String id, String title, String submission, boolean docker, List<String> nodes,
                          List<TaskInfo> tasks) {
    }

    public record TaskInfo(String id, String title) {
    }

    /** A JSON submission; fields beyond these are ignored, as they always were. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GradeRequest(String submission, String student) {
    }

    private final LabCatalog labs;
    private final GradingService grading;
    private final RateLimiter limits;
    private final ClientAddresses clients;
    private final Metrics metrics;

    public GradingApi(LabCatalog labs, GradingService grading, RateLimiter limits,
                      ClientAddresses clients, Metrics metrics) {
        this.labs = labs;
        this.grading = grading;
        this.limits = limits;
        this.clients = clients;
        this.metrics = metrics;
    }

    public void labs(Context ctx) {
        ctx.json(labs.labs().stream().map(lab -> new LabInfo(lab.id(), lab.title(),
                lab.submission() == null ? "script" : lab.submission(), lab.docker(), lab.nodes(),
                lab.tasks().stream().map(t -> new TaskInfo(t.id(), t.title())).toList())).toList());
    }

    public void grade(Context ctx) {
        User caller = ctx.attribute(AccessRules.API_USER);
        if (caller != null) {
            limits.acquire(Limit.GRADING_ACCOUNT, String.valueOf(caller.id()));
        }
        limits.acquire(Limit.GRADING_IP, clients.key(ctx));
        Lab lab = labs.find(ctx.pathParam("id")).orElseThrow(() -> new NotFoundResponse("그런 실습은 없습니다: " + ctx.pathParam("id")));
        grading.requireEngine();
        String submission = ctx.body();
        String student = ctx.queryParam("student");
        String type = ctx.contentType();
        if (type != null && type.startsWith("application/json")) {
            try {
                GradeRequest body = ctx.bodyAsClass(GradeRequest.class);
                submission = body == null || body.submission() == null ? "" : body.submission();
                if (body != null && body.student() != null) {
                    student = body.student();
                }
            } catch (Exception e) {
                throw new BadRequestResponse("JSON 본문을 읽을 수 없습니다. {\"submission\": \"...\", \"student\": \"...\"} 형태로 보내 주세요.");
            }
        }
        if (submission.isBlank()) {
            throw new BadRequestResponse("제출물이 비어 있습니다. 요청 본문에 셸 스크립트나 Dockerfile을 보내 주세요.");
        }
        GradingService.Grade grade;
        try {
            grade = grading.grade(lab, submission, student == null ? "submission" : student,
                    caller == null ? null : caller.id());
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        Long checks = grade.durations().get("checksMillis");
        if (checks != null) {
            metrics.check(lab.id(), "api", Duration.ofMillis(checks));
        }
        ctx.json(GradeResponse.of(grade));
    }

    /** Recent grades, newest first; {@code ?lab=} narrows to one lab. */
    public void gradings(Context ctx) {
        ctx.json(grading.recent(ctx.queryParam("lab")));
    }
}
