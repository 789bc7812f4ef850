package dev.baeum.content.lab;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.Rendered;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A hands-on lab, read from {@code labs/<id>/lab.md}: instructions in sections, some of which are tasks
 * with checks, hints and a solution; and how its sandbox is built and limited.
 *
 * @param docker the learner gets a Docker engine of their own in the terminal ({@code docker: true})
 * @param binds  folders of the learner's home that their containers may bind-mount (docker labs)
 * @param submission  where a graded submission goes (a file under the learner's home, e.g. app/Dockerfile), or
 *                    null when a submission is a script run as the learner
 * @param afterSubmit run as the learner after a submission file is in place (e.g. building it), or null
 */
public record Lab(String id, Path dir, Path file, String title, String summary, String lessonSlug,
                  ImageSpec image, List<String> nodes, boolean network, boolean docker, List<String> binds,
                  String submission, Script afterSubmit, Limits limits, Duration timeLimit,
                  List<String> capabilities, List<Script> setup, String introHtml, List<Section> sections,
                  List<Rendered.LinkRef> links,
                  List<ContentProblem> problems) {

    /** Resource limits; null fields fall back to the server's defaults. */
    public record Limits(Long memoryBytes, Double cpus, Integer pids) {
        public static final Limits DEFAULTS = new Limits(null, null, null);
    }

    /**
     * Which image the lab runs: a shared one from {@code labs/images/<name>/} or the lab's own Dockerfile.
     */
    public record ImageSpec(String name, Path dockerfile, Path contextDir, boolean shared) {
    }

    /** A shell script from a fenced block, with where it came from. */
    public record Script(String body, String node, String user, Duration timeout, int line) {
    }

    /** A part of the instructions; a section with checks is a task. */
    public record Section(String id, String title, String html, Task task, int line) {
        public boolean isTask() {
            return task != null;
        }

        /** The heading as HTML: text escaped, `code` spans as code, as the rendered Markdown shows them. */
        public String titleHtml() {
            String escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
            return escaped.replaceAll("`([^`]+)`", "<code>$1</code>");
        }
    }

    /**
     * @param solutions     scripts that solve the task, run in order (one per node where the task spans nodes)
     * @param passesFresh   the lab declares, on purpose, that this task's checks already pass on a fresh sandbox
     * @param solutionAction {@code reset} when solving means resetting the sandbox rather than running commands
     */
    public record Task(String id, String title, List<Script> checks, List<String> hintsHtml, List<Script> solutions,
                       String solutionAction, boolean passesFresh, int line) {

        /** The solution as a learner reads it; multi-node solutions say where each part runs. */
        public String solutionText(boolean multiNode) {
            StringBuilder sb = new StringBuilder();
            for (Script s : solutions) {
                if (multiNode) {
                    sb.append("# ").append(s.node()).append("에서\n");
                }
                sb.append(s.body().strip()).append("\n");
            }
            return sb.toString().strip();
        }
    }

    public List<Task> tasks() {
        return sections.stream().filter(Section::isTask).map(Section::task).toList();
    }

    public Optional<Task> task(String taskId) {
        return tasks().stream().filter(t -> t.id().equals(taskId)).findFirst();
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(ContentProblem::isError);
    }

    public List<ContentProblem> errors() {
        return problems.stream().filter(ContentProblem::isError).toList();
    }

    /** Folders under the learner's home a docker lab lets them bind-mount ({@code -v ~/site:/srv}). */
    public List<String> bindPaths() {
        return binds.stream().map(b -> "/home/learner/" + b).toList();
    }

    public String firstNode() {
        return nodes.get(0);
    }
}
