package dev.baeum.builds;

import java.util.List;

/**
 * One Dockerfile instruction as written: its keyword (upper case), the raw arguments, the JSON array
 * when written in exec form, and the line it starts on.
 */
public record Instruction(int line, String keyword, String arguments, List<String> execForm) {

    public boolean isExecForm() {
        return execForm != null;
    }

    /** How the build log shows it: {@code RUN apt-get update}. */
    public String display() {
        String args = arguments.length() > 120 ? arguments.substring(0, 120) + "…" : arguments;
        return keyword + " " + args;
    }
}
