package dev.baeum.web.progress;

import dev.baeum.services.progress.DockerCommands;
import dev.baeum.services.progress.LearnerRecords;
import dev.baeum.services.progress.ProgressStats;
import dev.baeum.web.Chrome;

import java.util.List;

/** Page models for {@code web/templates/progress/}. */
public final class ProgressPages {

    private ProgressPages() {
    }

    public record LabColumn(String id, String title, int tasks) {
    }

    public record DashboardPage(Chrome chrome, int learners, long activeSessions, int tasksPassed, int gradings,
                                List<ProgressStats.LabStats> labs, List<ProgressStats.LearnerRow> rows,
                                List<LabColumn> columns, String chartSvg) {
    }

    public record LabDetailPage(Chrome chrome, ProgressStats.LabStats lab, String chartSvg, boolean docker,
                                java.util.List<DockerCommands.Row> commands,
                                java.util.List<dev.baeum.runtime.sandbox.EngineRepository.Failure> failures) {
    }

    public record RecordsPage(Chrome chrome, LearnerRecords records, boolean own, String apiPath) {
    }
}
