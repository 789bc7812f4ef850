package dev.baeum.web.grading;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.baeum.services.grading.GradingService;

import java.util.List;
import java.util.Map;

/** A grade as the API and the CLI report it: no error when there is none, no log when it is empty. */
public record GradeResponse(String lab, String student, List<GradingService.TaskGrade> tasks, double score, int passed,
                            int total, Map<String, Long> durations,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String error,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> log) {

    public static GradeResponse of(GradingService.Grade grade) {
        return new GradeResponse(grade.lab(), grade.student(), grade.tasks(), grade.score(), grade.passed(),
                grade.total(), grade.durations(), grade.error(), grade.log());
    }
}
