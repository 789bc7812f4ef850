package dev.baeum.services.sessions;

import dev.baeum.content.lab.Lab;
import dev.baeum.runtime.check.TaskChecks;
import dev.baeum.runtime.sandbox.RunSpec;

import java.util.List;

/** The one place a lab becomes what the runtime runs: its sandbox spec and its tasks' checks. */
public final class LabRuns {

    private LabRuns() {
    }

    public static RunSpec of(Lab lab) {
        Lab.Limits l = lab.limits();
        String source = lab.file() == null ? lab.id() : lab.file().getFileName().toString();
        return new RunSpec(lab.id(), source, image(lab.image()), lab.nodes(), lab.network(), lab.docker(),
                lab.bindPaths(), new RunSpec.Limits(l.memoryBytes(), l.cpus(), l.pids()), lab.timeLimit(), lab.capabilities(),
                lab.setup().stream().map(LabRuns::script).toList());
    }

    public static RunSpec.ImageSpec image(Lab.ImageSpec spec) {
        return spec == null ? null : new RunSpec.ImageSpec(spec.name(), spec.dockerfile(), spec.contextDir(), spec.shared());
    }

    public static List<TaskChecks> checks(List<Lab.Task> tasks) {
        return tasks.stream().map(t -> new TaskChecks(t.id(), t.checks().stream().map(LabRuns::script).toList())).toList();
    }

    public static RunSpec.Script script(Lab.Script s) {
        return new RunSpec.Script(s.body(), s.node(), s.user(), s.timeout(), s.line());
    }
}
