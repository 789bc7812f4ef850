package dev.baeum.services.progress;

import dev.baeum.base.db.Sql;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lesson.Lesson;
import dev.baeum.runtime.sandbox.EngineRepository;
import dev.baeum.runtime.sandbox.SandboxRepository;

import java.util.Collection;
import java.util.List;

/** What the instructor dashboard and the records pages read: statistics, one learner's records, Docker use. */
public final class ProgressReports {

    private final ProgressStats stats;
    private final LearnerRecordsRepository records;
    private final SandboxRepository sandboxes;
    private final EngineRepository engineCalls;

    public ProgressReports(Sql sql, SandboxRepository sandboxes, EngineRepository engineCalls) {
        this.stats = new ProgressStats(sql);
        this.records = new LearnerRecordsRepository(sql);
        this.sandboxes = sandboxes;
        this.engineCalls = engineCalls;
    }

    public List<ProgressStats.LabStats> labs(Collection<Lab> labs) {
        return stats.labs(labs);
    }

    public List<ProgressStats.LearnerRow> learners(Collection<Lab> labs, Collection<Lesson> lessons) {
        return stats.learners(labs, lessons);
    }

    public long gradings() {
        return stats.gradings();
    }

    public long activeSessions() {
        return sandboxes.countActive();
    }

    /** One learner's records; null when there is no such user. */
    public LearnerRecords records(long userId) {
        return records.load(userId);
    }

    /** The Docker commands learners ran in a lab, and the ones the engine refused or failed. */
    public List<DockerCommands.Row> dockerCommands(String labId) {
        return DockerCommands.of(engineCalls.callsOf(labId));
    }

    public List<EngineRepository.Failure> dockerFailures(String labId) {
        return DockerCommands.failures(engineCalls, labId);
    }
}
