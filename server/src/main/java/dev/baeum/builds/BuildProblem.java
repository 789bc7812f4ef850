package dev.baeum.builds;

/** Why a learner's build stopped, in Korean, at the Dockerfile line that caused it (0 when not one line). */
public record BuildProblem(int line, String message) {

    public String format() {
        return line > 0 ? line + "번째 줄: " + message : message;
    }
}
