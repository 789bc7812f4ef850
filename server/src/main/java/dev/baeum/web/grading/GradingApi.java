package dev.baeum.web.grading;

import dev.baeum.services.grading.GradingService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baeum.web.AccessRules;
import dev.baeum.services.accounts.User;
import dev.baeum.base.db.Sql;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.web.ClientAddresses;
import dev.baeum.services.limits.Limit;
import dev.baeum.services.limits.RateLimiter;
import dev.baeum.base.metrics.Metrics;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grading API, for instructors' scripts and CI (authenticated with an API token):
 * {@code POST /api/v1/labs/{id}/grade} with a shell script or Dockerfile as the body.
 */
public final class GradingApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabCatalog labs;
    private final GradingService grading;
    private final Sql sql;
    private final RateLimiter limits;
    private final ClientAddresses clients;
    private final Metrics metrics;

    public GradingApi(LabCatalog labs, GradingService grading, Sql sql, RateLimiter limits, ClientAddresses clients,
                      Metrics metrics) {
        this.labs = labs;
        this.grading = grading;
        this.sql = sql;
        this.limits = limits;
        this.clients = clients;
        this.metrics = metrics;
    }

    public void labs(Context ctx) {
        ctx.json(labs.labs().stream().map(lab -> Map.of(
                "id", lab.id(),
                "title", lab.title(),
                "submission", lab.submission() == null ? "script" : lab.submission(),
                "docker", lab.docker(),
                "nodes", lab.nodes(),
                "tasks", lab.tasks().stream().map(t -> Map.of("id", t.id(), "title", t.title())).toList())).toList());
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
                JsonNode body = JSON.readTree(submission);
                submission = body.path("submission").asText("");
                if (body.hasNonNull("student")) {
                    student = body.get("student").asText();
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
        ctx.json(toJson(grade));
    }

    /** Recent grades, newest first; {@code ?lab=} narrows to one lab (the CAST types a null for PostgreSQL). */
    public void gradings(Context ctx) {
        String lab = ctx.queryParam("lab");
        List<Map<String, Object>> rows = sql.list("SELECT id, lab_id, student, kind, score, passed_tasks, total_tasks, error, "
                        + "duration_ms, created_at FROM gradings WHERE (CAST(? AS VARCHAR(100)) IS NULL OR lab_id = ?) ORDER BY id DESC LIMIT 200",
                rs -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("lab", rs.getString("lab_id"));
                    row.put("student", rs.getString("student"));
                    row.put("kind", rs.getString("kind").toLowerCase());
                    row.put("score", rs.getDouble("score"));
                    row.put("passed", rs.getInt("passed_tasks"));
                    row.put("total", rs.getInt("total_tasks"));
                    row.put("error", rs.getString("error"));
                    row.put("durationMillis", rs.getInt("duration_ms"));
                    row.put("createdAt", Sql.instant(rs, "created_at").toString());
                    return row;
                }, lab, lab);
        ctx.json(rows);
    }

    public static Map<String, Object> toJson(GradingService.Grade grade) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lab", grade.lab());
        body.put("student", grade.student());
        body.put("tasks", grade.tasks());
        body.put("score", grade.score());
        body.put("passed", grade.passed());
        body.put("total", grade.total());
        body.put("durations", grade.durations());
        if (grade.error() != null) {
            body.put("error", grade.error());
        }
        if (!grade.log().isEmpty()) {
            body.put("log", grade.log());
        }
        return body;
    }
}
