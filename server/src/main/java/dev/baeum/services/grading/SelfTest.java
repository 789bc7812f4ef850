package dev.baeum.services.grading;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Proves a lab works: in a fresh sandbox its checks must not all pass (and no task may pass unless the
 * lab declares {@code passes-fresh}); after each task's solution, that task's checks must pass.
 */
public final class SelfTest {

    private static final Duration SOLUTION_TIMEOUT = Duration.ofSeconds(60);

    /** @param freshMessage what the learner is told before doing the task; message: after the solution */
    public record TaskReport(String taskId, boolean passedFresh, String freshMessage, boolean passedAfterSolution,
                             String message) {
    }

    public record Report(String labId, List<TaskReport> tasks, List<String> problems, long millis) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final LabImages images;
    private final LabLauncher launcher;
    private final ContainerExec exec;
    private final CheckRunner checks;
    private final SandboxPolicy policy;

    public SelfTest(LabImages images, LabLauncher launcher, ContainerExec exec, CheckRunner checks,
                    SandboxPolicy policy) {
        this.images = images;
        this.launcher = launcher;
        this.exec = exec;
        this.checks = checks;
        this.policy = policy;
    }

    public Report run(Lab lab) {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        lab.errors().forEach(p -> problems.add(p.format()));
        if (!problems.isEmpty()) {
            return new Report(lab.id(), List.of(), problems, 0);
        }
        List<TaskReport> tasks = shell(lab, problems);
        return new Report(lab.id(), tasks, problems, (System.nanoTime() - started) / 1_000_000);
    }

    private List<TaskReport> shell(Lab lab, List<String> problems) {
        RunSpec run = LabRuns.of(lab);
        String image;
        try {
            image = images.await(run.image());
        } catch (LabsUnavailableException e) {
            problems.add(e.getMessage());
            return List.of();
        }
        String runId = "selftest-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = SandboxLabels.forRun(policy.scope(), "selftest", "selftest", lab.id(), Duration.ofMinutes(20));
        int resets = 0;
        LabLauncher.Machines machines = launcher.launch(run, image, runId, labels, resets, false);
        try {
            List<CheckRunner.TaskResult> fresh = checks.run(run, LabRuns.checks(lab.tasks()), machines.containers(), image, resets, Map.of());
            judgeFresh(lab, fresh, problems);
            List<TaskReport> reports = new ArrayList<>();
            for (int i = 0; i < lab.tasks().size(); i++) {
                Lab.Task task = lab.tasks().get(i);
                if ("reset".equals(task.solutionAction())) {
                    launcher.dispose(run, runId, machines);
                    resets++;
                    machines = launcher.launch(run, image, runId, labels, resets, false);
                } else {
                    for (Lab.Script solution : task.solutions()) {
                        ContainerExec.Result ran = exec.run(machines.containers().get(solution.node()),
                                solution.user() == null ? "learner" : solution.user(), solution.body(), Map.of(),
                                solution.timeout() != null ? solution.timeout() : SOLUTION_TIMEOUT);
                        if (!ran.ok()) {
                            problems.add(where(lab, solution) + "과제 '" + task.id() + "'의 풀이가 실패했습니다 (종료 코드 "
                                    + ran.exitCode() + "): " + tail(ran.stderr().isBlank() ? ran.stdout() : ran.stderr()));
                        }
                    }
                }
                CheckRunner.TaskResult after = checks.run(run, LabRuns.checks(List.of(task)), machines.containers(), image, resets, Map.of()).get(0);
                if (!after.passed()) {
                    problems.add(where(lab, task) + "풀이를 적용한 뒤에도 과제 '" + task.id() + "'가 통과하지 않습니다: " + after.message());
                }
                reports.add(new TaskReport(task.id(), fresh.get(i).passed(), fresh.get(i).message(), after.passed(), after.message()));
            }
            return reports;
        } finally {
            launcher.dispose(run, runId, machines);
        }
    }

    private static void judgeFresh(Lab lab, List<CheckRunner.TaskResult> fresh, List<String> problems) {
        if (!fresh.isEmpty() && fresh.stream().allMatch(CheckRunner.TaskResult::passed)) {
            problems.add("labs/" + lab.id() + "/lab.md: 새 환경에서 모든 과제가 이미 통과합니다. 확인 스크립트가 아무것도 확인하지 않는 것 같습니다.");
        }
        for (int i = 0; i < fresh.size(); i++) {
            Lab.Task task = lab.tasks().get(i);
            if (fresh.get(i).passed() && !task.passesFresh()) {
                problems.add(where(lab, task) + "과제 '" + task.id() + "'가 아무것도 하지 않은 새 환경에서 통과합니다. "
                        + "의도한 것이라면 check 블록에 passes-fresh 를 적어 주세요.");
            }
        }
    }

    private static String where(Lab lab, Lab.Task task) {
        return "labs/" + lab.id() + "/lab.md:" + task.line() + ": ";
    }

    private static String where(Lab lab, Lab.Script script) {
        return "labs/" + lab.id() + "/lab.md:" + script.line() + ": ";
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 300 ? "…" + t.substring(t.length() - 300) : t;
    }
}
