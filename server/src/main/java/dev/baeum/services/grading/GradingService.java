package dev.baeum.services.grading;

import dev.baeum.base.db.Sql;
import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.check.CheckRunner;
import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.LabLauncher;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.RunSpec;
import dev.baeum.runtime.sandbox.SandboxLabels;
import dev.baeum.runtime.sandbox.SandboxPolicy;
import dev.baeum.services.sessions.LabRuns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grades one submission in a fresh sandbox with the same limits as an interactive session: a shell script
 * (run as the learner, then every check) or, for a Dockerfile lab, a Dockerfile (built and checked). The
 * sandbox is removed afterwards; the grade is recorded.
 */
public final class GradingService {

    /** A line {@code #@node web2} switches the rest of a shell submission to that node. */
    private static final Pattern NODE_MARKER = Pattern.compile("(?m)^#@node\\s+([a-z][a-z0-9-]*)\\s*$");
    public static final int MAX_SUBMISSION_BYTES = 64 * 1024;

    public record TaskGrade(String id, boolean passed, String message) {
    }

    public record Grade(String lab, String student, List<TaskGrade> tasks, double score, int passed, int total,
                        Map<String, Long> durations, String error, List<String> log) {
    }

    private final LabImages images;
    private final LabLauncher launcher;
    private final ContainerExec exec;
    private final CheckRunner checks;
    private final SandboxPolicy policy;
    private final GradingRepository gradings;
    private final Duration timeout;
    private final Semaphore slots;

    public GradingService(LabImages images, LabLauncher launcher, ContainerExec exec, CheckRunner checks,
                          SandboxPolicy policy, Sql sql, Duration timeout, int concurrency) {
        this.images = images;
        this.launcher = launcher;
        this.exec = exec;
        this.checks = checks;
        this.policy = policy;
        this.gradings = new GradingRepository(sql);
        this.timeout = timeout;
        this.slots = new Semaphore(Math.max(1, concurrency), true);
    }

    /** Refuses, saying why, when this server has no Docker engine to grade in. */
    public void requireEngine() {
        if (!launcher.engine().available()) {
            throw new LabsUnavailableException("Docker 엔진이 없어 채점할 수 없습니다. " + launcher.engine().status().problem());
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /** Recent grades, newest first, of one lab or (lab null) of all. */
    public List<GradingRepository.GradingRow> recent(String lab) {
        return gradings.recent(lab);
    }

    /**
     * @param student     who the submission is from (a name, a file name); free text for the report
     * @param submittedBy the instructor's user id, or null (CLI)
     */
    public Grade grade(Lab lab, String submission, String student, Long submittedBy) {
        if (lab.hasErrors()) {
            throw new LabsUnavailableException("실습 '" + lab.id() + "' 파일에 오류가 있어 채점할 수 없습니다.");
        }
        if (submission.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SUBMISSION_BYTES) {
            throw new IllegalArgumentException("제출물이 너무 큽니다 (64KB까지).");
        }
        try {
            if (!slots.tryAcquire(timeout.toSeconds() * 4, TimeUnit.SECONDS)) {
                throw new LabsUnavailableException("채점 대기열이 가득 찼습니다. 잠시 뒤 다시 시도해 주세요.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabsUnavailableException("채점이 취소되었습니다.");
        }
        try {
            Grade grade = gradeShell(lab, submission, student);
            record(lab, grade, submittedBy);
            return grade;
        } finally {
            slots.release();
        }
    }

    private Grade gradeShell(Lab lab, String submission, String student) {
        long begin = System.nanoTime();
        RunSpec run = LabRuns.of(lab);
        String image = images.await(run.image());
        String runId = "grade-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = SandboxLabels.forRun(policy.scope(), "grading", "grading", lab.id(),
                timeout.plus(Duration.ofMinutes(5)));
        Map<String, Long> durations = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        String error = null;
        LabLauncher.Machines machines = launcher.launch(run, image, runId, labels, 0, false);
        try {
            durations.put("startMillis", (long) machines.startMillis());
            long runStart = System.nanoTime();
            long deadline = begin + timeout.toNanos();
            Map<String, String> parts = lab.submission() == null ? splitByNode(lab, submission) : Map.of();
            if (lab.submission() != null) {
                error = placeSubmission(lab, machines.containers().get(lab.firstNode()), submission, deadline, log);
            }
            for (Map.Entry<String, String> part : parts.entrySet()) {
                String container = machines.containers().get(part.getKey());
                if (container == null) {
                    error = "제출물의 #@node " + part.getKey() + " 은(는) 이 실습에 없는 노드입니다.";
                    break;
                }
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L - 5);
                ContainerExec.Result ran = exec.run(container, "learner", part.getValue(), Map.of(), Duration.ofSeconds(left));
                log.add("[" + part.getKey() + "] 종료 코드 " + ran.exitCode() + (ran.timedOut() ? " (시간 초과)" : ""));
                if (ran.timedOut()) {
                    error = "제출한 스크립트가 제한 시간(" + timeout.toSeconds() + "초) 안에 끝나지 않아 중단했습니다.";
                    break;
                }
            }
            durations.put("submissionMillis", (System.nanoTime() - runStart) / 1_000_000);
            long checkStart = System.nanoTime();
            List<CheckRunner.TaskResult> results = checks.run(run, LabRuns.checks(lab.tasks()), machines.containers(), image, 0, Map.of());
            durations.put("checksMillis", (System.nanoTime() - checkStart) / 1_000_000);
            durations.put("totalMillis", (System.nanoTime() - begin) / 1_000_000);
            return grade(lab, student, results, durations, error, log);
        } finally {
            launcher.dispose(run, runId, machines);
        }
    }

    /**
     * A submission that is a file (a Dockerfile, a compose.yaml): written where the lab says, as the learner,
     * then the lab's after-submit script (say, building it) runs; its output goes to the report's log.
     */
    private String placeSubmission(Lab lab, String container, String submission, long deadline, List<String> log) {
        String path = "/home/learner/" + lab.submission();
        ContainerExec.Result placed = exec.run(container, "learner",
                "mkdir -p \"$(dirname \"$BAEUM_TARGET\")\" && printf '%s' \"$BAEUM_SUBMISSION\" > \"$BAEUM_TARGET\"",
                Map.of("BAEUM_TARGET", path, "BAEUM_SUBMISSION", submission), Duration.ofSeconds(20));
        if (!placed.ok()) {
            return "제출물을 " + lab.submission() + " 에 쓰지 못했습니다: " + placed.stderr().strip();
        }
        log.add("[제출물] ~/" + lab.submission() + " (" + submission.length() + "자)");
        if (lab.afterSubmit() == null) {
            return null;
        }
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L - 5);
        ContainerExec.Result ran = exec.run(container, "learner", lab.afterSubmit().body(), Map.of(), Duration.ofSeconds(left));
        for (String line : (ran.stdout() + ran.stderr()).split("\r?\n|\r")) {
            if (!line.isBlank() && log.size() < 400) {
                log.add(line.strip());
            }
        }
        if (ran.timedOut()) {
            return "제출물 준비(after-submit)가 제한 시간 안에 끝나지 않았습니다.";
        }
        return ran.ok() ? null : "제출물 준비(after-submit)가 실패했습니다 (종료 코드 " + ran.exitCode() + ").";
    }

    private static Grade grade(Lab lab, String student, List<CheckRunner.TaskResult> results, Map<String, Long> durations,
                               String error, List<String> log) {
        List<TaskGrade> tasks = results.stream().map(r -> new TaskGrade(r.taskId(), r.passed(), r.message())).toList();
        int passed = (int) tasks.stream().filter(TaskGrade::passed).count();
        double score = tasks.isEmpty() ? 0 : Math.round(1000.0 * passed / tasks.size()) / 10.0;
        return new Grade(lab.id(), student, tasks, score, passed, tasks.size(), durations, error, log);
    }

    /** Splits a shell submission at {@code #@node name} lines; without any, it all runs on the first node. */
    static Map<String, String> splitByNode(Lab lab, String submission) {
        Map<String, String> parts = new LinkedHashMap<>();
        Matcher m = NODE_MARKER.matcher(submission);
        String node = lab.firstNode();
        int last = 0;
        while (m.find()) {
            append(parts, node, submission.substring(last, m.start()));
            node = m.group(1);
            last = m.end();
        }
        append(parts, node, submission.substring(last));
        return parts;
    }

    private static void append(Map<String, String> parts, String node, String script) {
        if (!script.isBlank()) {
            parts.merge(node, script, (a, b) -> a + "\n" + b);
        }
    }

    private void record(Lab lab, Grade grade, Long submittedBy) {
        gradings.record(lab.id(), submittedBy, truncate(grade.student(), 200), lab.submission() == null ? "SCRIPT" : "FILE",
                grade, grade.error() == null ? null : truncate(grade.error(), 1000),
                grade.durations().getOrDefault("totalMillis", 0L).intValue(), Instant.now());
    }

    private static String truncate(String s, int max) {
        return GradingRepository.truncate(s, max);
    }
}
