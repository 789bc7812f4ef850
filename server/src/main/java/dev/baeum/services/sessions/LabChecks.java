package dev.baeum.services.sessions;

import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.check.CheckRunner;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.SandboxSession;
import dev.baeum.services.accounts.User;
import dev.baeum.services.progress.ProgressRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a learner's running lab and records the round: the 채점 button checks every task, auto-check
 * only the unfinished ones. A task once passed stays done, even if a later change undoes it.
 */
public final class LabChecks {

    /** A task as the lab page shows it. {@code passed} is this round's verdict; {@code done} is for good. */
    public record TaskState(String id, boolean passed, boolean done, String message) {
    }

    public record Round(List<TaskState> tasks, long millis, boolean ran) {
        public int doneCount() {
            return (int) tasks.stream().filter(TaskState::done).count();
        }
    }

    private final CheckRunner runner;
    private final LabImages images;
    private final ProgressRepository progress;

    public LabChecks(CheckRunner runner, LabImages images, ProgressRepository progress) {
        this.runner = runner;
        this.images = images;
        this.progress = progress;
    }

    public Round check(User user, Lab lab, SandboxSession session, boolean auto) {
        Set<String> done = progress.passedTasks(user.id(), lab.id());
        List<Lab.Task> tasks = auto
                ? lab.tasks().stream().filter(t -> !done.contains(t.id())).toList()
                : lab.tasks();
        if (tasks.isEmpty()) {
            return new Round(states(lab, done, Map.of(), progress.latestResults(user.id(), lab.id())), 0, false);
        }
        long started = System.nanoTime();
        List<CheckRunner.TaskResult> results = runner.run(LabRuns.of(lab), LabRuns.checks(tasks), session.containers(),
                images.tagFor(LabRuns.image(lab.image())), session.resets(), Map.of());
        int millis = (int) ((System.nanoTime() - started) / 1_000_000);
        List<ProgressRepository.CheckRecord> records = results.stream()
                .map(r -> new ProgressRepository.CheckRecord(r.taskId(), r.passed(), r.message(), (int) r.millis()))
                .toList();
        progress.recordCheckRun(session.id(), user.id(), lab.id(), auto ? "AUTO" : "MANUAL", millis, records);
        Map<String, CheckRunner.TaskResult> byId = new HashMap<>();
        results.forEach(r -> byId.put(r.taskId(), r));
        Set<String> nowDone = new java.util.HashSet<>(done);
        results.stream().filter(CheckRunner.TaskResult::passed).forEach(r -> nowDone.add(r.taskId()));
        return new Round(states(lab, nowDone, byId, progress.latestResults(user.id(), lab.id())), millis, true);
    }

    /** The page's task list without running anything: done flags and the last message of each task. */
    public List<TaskState> current(User user, Lab lab) {
        return states(lab, progress.passedTasks(user.id(), lab.id()), Map.of(), progress.latestResults(user.id(), lab.id()));
    }

    private static List<TaskState> states(Lab lab, Set<String> done, Map<String, CheckRunner.TaskResult> fresh,
                                          Map<String, ProgressRepository.CheckRecord> last) {
        List<TaskState> states = new ArrayList<>();
        for (Lab.Task task : lab.tasks()) {
            CheckRunner.TaskResult r = fresh.get(task.id());
            if (r != null) {
                states.add(new TaskState(task.id(), r.passed(), done.contains(task.id()), r.message()));
            } else {
                ProgressRepository.CheckRecord previous = last.get(task.id());
                states.add(new TaskState(task.id(), previous != null && previous.passed(), done.contains(task.id()),
                        previous == null ? "" : previous.message()));
            }
        }
        return states;
    }
}
