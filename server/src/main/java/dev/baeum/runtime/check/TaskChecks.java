package dev.baeum.runtime.check;

import dev.baeum.runtime.sandbox.RunSpec;

import java.util.List;

/** One task's check scripts, in the order they run; the first failing one speaks to the learner. */
public record TaskChecks(String taskId, List<RunSpec.Script> checks) {
}
