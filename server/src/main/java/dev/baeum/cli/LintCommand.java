package dev.baeum.cli;

import dev.baeum.content.ContentProblem;
import dev.baeum.content.lint.Linter;

import java.io.PrintStream;
import java.util.List;

/** {@code lint}: prints {@code file:line: message} for every problem; exit 1 when there are errors. */
public final class LintCommand {

    private LintCommand() {
    }

    public static int run(Linter linter, PrintStream out) {
        List<ContentProblem> problems = linter.problems();
        long errors = problems.stream().filter(ContentProblem::isError).count();
        long warnings = problems.size() - errors;
        problems.forEach(p -> out.println(p.format()));
        out.println(errors == 0
                ? "lint: 오류 없음" + (warnings > 0 ? " (경고 " + warnings + "개)" : "")
                : "lint: 오류 " + errors + "개, 경고 " + warnings + "개");
        return errors == 0 ? 0 : 1;
    }
}
