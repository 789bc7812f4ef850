package dev.baeum.web.progress;

import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.content.lesson.LessonCatalog;
import dev.baeum.services.accounts.User;
import dev.baeum.services.progress.LearnerRecords;
import dev.baeum.services.progress.ProgressReports;
import dev.baeum.services.progress.ProgressStats;
import dev.baeum.web.Identity;
import dev.baeum.web.Views;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneId;
import java.util.List;

/** The instructor dashboard, its CSV export, and every learner's own records (page and API). */
public final class DashboardController {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final LabCatalog labs;
    private final LessonCatalog lessons;
    private final ProgressReports reports;
    private final Identity identity;
    private final Views views;

    public DashboardController(LabCatalog labs, LessonCatalog lessons, ProgressReports reports, Identity identity,
                               Views views) {
        this.labs = labs;
        this.lessons = lessons;
        this.reports = reports;
        this.identity = identity;
        this.views = views;
    }

    public void dashboard(Context ctx) {
        List<ProgressStats.LabStats> labStats = reports.labs(labs.labs());
        List<ProgressStats.LearnerRow> rows = reports.learners(labs.labs(), lessons.lessons());
        String chart = SvgCharts.bars("실습별 완료율 (시작한 학습자 중 모든 과제를 통과한 비율)", labStats.stream()
                .map(l -> new SvgCharts.Bar(l.title(), l.completionRate(), l.completed() + "/" + l.started() + "명")).toList());
        int passed = rows.stream().mapToInt(ProgressStats.LearnerRow::tasksDone).sum();
        int gradings = (int) reports.gradings();
        views.render(ctx, "progress/dashboard.jte", new ProgressPages.DashboardPage(views.chrome(ctx, "강사 대시보드", "instructor"),
                (int) rows.stream().filter(r -> !r.guest()).count(), reports.activeSessions(), passed, gradings, labStats, rows,
                columns(labs.labs()), chart));
    }

    public void lab(Context ctx) {
        Lab lab = labs.find(ctx.pathParam("id")).orElseThrow(() -> new NotFoundResponse("그런 실습은 없습니다."));
        ProgressStats.LabStats labStats = reports.labs(List.of(lab)).get(0);
        String chart = SvgCharts.bars("과제별 통과율", labStats.perTask().stream()
                .map(t -> new SvgCharts.Bar(t.title(), t.passRate(), t.passed() + "/" + t.started() + "명")).toList());
        views.render(ctx, "progress/lab.jte", new ProgressPages.LabDetailPage(views.chrome(ctx, lab.title() + " · 통계", "instructor"),
                labStats, chart, lab.docker(), lab.docker() ? reports.dockerCommands(lab.id()) : List.of(),
                lab.docker() ? reports.dockerFailures(lab.id()) : List.of()));
    }

    /** A learner's records: their own, or anyone's for an instructor. */
    public void learner(Context ctx) {
        long id = parseId(ctx.pathParam("id"));
        LearnerRecords records = allowed(ctx, id);
        views.render(ctx, "progress/records.jte", new ProgressPages.RecordsPage(
                views.chrome(ctx, records.name() + "의 학습 기록", "instructor"), records, false, "/api/v1/learners/" + id + "/records"));
    }

    public void myRecords(Context ctx) {
        User user = identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
        LearnerRecords records = reports.records(user.id());
        views.render(ctx, "progress/records.jte", new ProgressPages.RecordsPage(
                views.chrome(ctx, "내 학습 기록", "account"), records, true, "/api/v1/learners/" + user.id() + "/records"));
    }

    public void recordsApi(Context ctx) {
        ctx.json(allowed(ctx, parseId(ctx.pathParam("id"))));
    }

    /** Grades as CSV, for a spreadsheet. */
    public void gradesCsv(Context ctx) {
        List<Lab> all = labs.labs();
        List<ProgressStats.LearnerRow> rows = reports.learners(all, lessons.lessons());
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"baeum-grades.csv\"");
        ctx.result(GradesCsv.write(columns(all), rows).getBytes(StandardCharsets.UTF_8));
    }

    private static List<ProgressPages.LabColumn> columns(List<Lab> labs) {
        return labs.stream().map(l -> new ProgressPages.LabColumn(l.id(), l.title(), l.tasks().size())).toList();
    }

    private LearnerRecords allowed(Context ctx, long id) {
        User viewer = identity.viewer(ctx).orElseThrow(() -> new UnauthorizedResponse("로그인이 필요합니다."));
        if (viewer.id() != id && !viewer.isInstructor()) {
            throw new ForbiddenResponse("다른 학습자의 기록은 볼 수 없습니다.");
        }
        LearnerRecords records = reports.records(id);
        if (records == null) {
            throw new NotFoundResponse("그런 학습자는 없습니다.");
        }
        return records;
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("그런 학습자는 없습니다.");
        }
    }

    /** For templates: 12분 30초. */
    public static String human(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "초";
        }
        if (s < 3600) {
            return (s / 60) + "분 " + (s % 60) + "초";
        }
        return (s / 3600) + "시간 " + (s % 3600 / 60) + "분";
    }

    public static String when(java.time.Instant t) {
        return t == null ? "-" : TIME.format(t);
    }
}
