package dev.baeum.web.progress;

import dev.baeum.services.progress.ProgressStats;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The grades export: UTF-8 with a BOM so spreadsheet programs read Korean correctly, CRLF lines. */
final class GradesCsv {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private GradesCsv() {
    }

    static String write(List<ProgressPages.LabColumn> labs, List<ProgressStats.LearnerRow> rows) {
        StringBuilder csv = new StringBuilder("\uFEFF");
        csv.append("아이디,이름,게스트,읽은 레슨,맞힌 퀴즈,푼 퀴즈");
        for (ProgressPages.LabColumn lab : labs) {
            csv.append(',').append(cell(lab.id() + " (통과/" + lab.tasks() + ")"));
        }
        csv.append(",통과 과제,전체 과제,점수(%),마지막 활동\r\n");
        for (ProgressStats.LearnerRow row : rows) {
            csv.append(cell(row.username() == null ? "" : row.username())).append(',').append(cell(row.name())).append(',')
                    .append(row.guest() ? "예" : "아니오").append(',').append(row.lessonsVisited()).append(',')
                    .append(row.quizzesCorrect()).append(',').append(row.quizzesAnswered());
            for (ProgressPages.LabColumn lab : labs) {
                csv.append(',').append(row.labTasksDone().getOrDefault(lab.id(), 0));
            }
            csv.append(',').append(row.tasksDone()).append(',').append(row.tasksTotal()).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", row.percent())).append(',')
                    .append(row.lastActive() == null ? "" : TIME.format(row.lastActive())).append("\r\n");
        }
        return csv.toString();
    }

    /** Quotes a CSV cell; a leading =, +, - or @ is defused so a spreadsheet never runs it as a formula. */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
