package dev.baeum.services.progress;

import dev.baeum.base.db.Sql;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lesson.Lesson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The numbers on the instructor dashboard, computed from the records in a handful of queries. */
public final class ProgressStats {

    public record TaskStats(String taskId, String title, int started, int passed, Duration medianToPass, int hints,
                            int solutions) {
        public double passRate() {
            return started == 0 ? 0 : (double) passed / started;
        }
    }

    public record LabStats(String labId, String title, int tasks, int started, int completed, Duration medianToComplete,
                           int hints, int solutions, List<TaskStats> perTask) {
        public double completionRate() {
            return started == 0 ? 0 : (double) completed / started;
        }
    }

    public record LearnerRow(long userId, String name, String username, boolean guest, int lessonsVisited,
                             int quizzesCorrect, int quizzesAnswered, Map<String, Integer> labTasksDone, int tasksDone,
                             int tasksTotal, Instant lastActive) {
        public double percent() {
            return tasksTotal == 0 ? 0 : 100.0 * tasksDone / tasksTotal;
        }
    }

    private final ProgressStatsRepository facts;

    public ProgressStats(Sql sql) {
        this.facts = new ProgressStatsRepository(sql);
    }

    /** How many grades the API and the CLI have given. */
    public long gradings() {
        return facts.gradings();
    }

    public List<LabStats> labs(Collection<Lab> labs) {
        Map<String, Map<Long, Instant>> firstStart = firstStarts();
        Map<String, Map<String, Map<Long, Instant>>> passes = new HashMap<>();
        facts.passes().forEach(p -> passes.computeIfAbsent(p.labId(), k -> new HashMap<>())
                .computeIfAbsent(p.taskId(), k -> new HashMap<>()).put(p.userId(), p.at()));
        Map<String, Map<String, Set<Long>>> hints = reveals("HINT");
        Map<String, Map<String, Set<Long>>> solutions = reveals("SOLUTION");

        List<LabStats> result = new ArrayList<>();
        for (Lab lab : labs) {
            Map<Long, Instant> starts = firstStart.getOrDefault(lab.id(), Map.of());
            Map<String, Map<Long, Instant>> labPasses = passes.getOrDefault(lab.id(), Map.of());
            List<TaskStats> perTask = new ArrayList<>();
            Set<Long> hintUsers = new HashSet<>();
            Set<Long> solutionUsers = new HashSet<>();
            Map<Long, Instant> lastPass = new HashMap<>();
            Map<Long, Integer> passedCount = new HashMap<>();
            for (Lab.Task task : lab.tasks()) {
                Map<Long, Instant> taskPasses = labPasses.getOrDefault(task.id(), Map.of());
                List<Duration> times = new ArrayList<>();
                taskPasses.forEach((user, at) -> {
                    Instant start = starts.get(user);
                    if (start != null) {
                        times.add(at.isBefore(start) ? Duration.ZERO : Duration.between(start, at));
                    }
                    lastPass.merge(user, at, (a, b) -> a.isAfter(b) ? a : b);
                    passedCount.merge(user, 1, Integer::sum);
                });
                Set<Long> h = hints.getOrDefault(lab.id(), Map.of()).getOrDefault(task.id(), Set.of());
                Set<Long> s = solutions.getOrDefault(lab.id(), Map.of()).getOrDefault(task.id(), Set.of());
                hintUsers.addAll(h);
                solutionUsers.addAll(s);
                perTask.add(new TaskStats(task.id(), task.title(), starts.size(), taskPasses.size(), median(times), h.size(), s.size()));
            }
            List<Duration> completeTimes = new ArrayList<>();
            int completed = 0;
            for (Map.Entry<Long, Integer> e : passedCount.entrySet()) {
                if (e.getValue() >= lab.tasks().size() && !lab.tasks().isEmpty()) {
                    completed++;
                    Instant start = starts.get(e.getKey());
                    Instant end = lastPass.get(e.getKey());
                    if (start != null) {
                        completeTimes.add(end.isBefore(start) ? Duration.ZERO : Duration.between(start, end));
                    }
                }
            }
            result.add(new LabStats(lab.id(), lab.title(), lab.tasks().size(), starts.size(), completed,
                    median(completeTimes), hintUsers.size(), solutionUsers.size(), perTask));
        }
        return result;
    }

    public List<LearnerRow> learners(Collection<Lab> labs, Collection<Lesson> lessons) {
        Map<Long, Integer> visits = facts.lessonsVisited();
        Map<Long, Integer> correct = facts.quizzesCorrect();
        Map<Long, Integer> answered = facts.quizzesAnswered();
        Map<Long, Map<String, Integer>> done = new HashMap<>();
        facts.tasksDone().forEach(c -> done.computeIfAbsent(c.userId(), k -> new HashMap<>()).put(c.labId(), c.tasks()));
        Map<Long, Instant> lastActive = facts.lastActive();
        int tasksTotal = labs.stream().mapToInt(l -> l.tasks().size()).sum();
        List<LearnerRow> rows = new ArrayList<>();
        facts.learners().forEach(learner -> {
            long id = learner.id();
            boolean guest = "GUEST".equals(learner.role());
            if (guest && !visits.containsKey(id) && !done.containsKey(id) && !answered.containsKey(id)) {
                return; // a guest who never did anything is noise
            }
            Map<String, Integer> perLab = new LinkedHashMap<>();
            int total = 0;
            for (Lab lab : labs) {
                int n = Math.min(done.getOrDefault(id, Map.of()).getOrDefault(lab.id(), 0), lab.tasks().size());
                perLab.put(lab.id(), n);
                total += n;
            }
            rows.add(new LearnerRow(id, learner.name(), learner.username(), guest, visits.getOrDefault(id, 0),
                    correct.getOrDefault(id, 0), answered.getOrDefault(id, 0), perLab, total, tasksTotal, lastActive.get(id)));
        });
        return rows;
    }

    private Map<String, Map<Long, Instant>> firstStarts() {
        Map<String, Map<Long, Instant>> first = new HashMap<>();
        facts.firstStarts().forEach(f -> first.computeIfAbsent(f.labId(), k -> new HashMap<>()).put(f.userId(), f.at()));
        return first;
    }

    private Map<String, Map<String, Set<Long>>> reveals(String kind) {
        Map<String, Map<String, Set<Long>>> result = new HashMap<>();
        facts.reveals(kind).forEach(r -> result.computeIfAbsent(r.labId(), k -> new HashMap<>())
                .computeIfAbsent(r.taskId(), k -> new HashSet<>()).add(r.userId()));
        return result;
    }

    static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }
}
