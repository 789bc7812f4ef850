package dev.baeum.web.progress;

import dev.baeum.services.progress.ProgressStats;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradesCsvTest {

    @Test
    void cellsAreQuotedAndFormulasDefused() {
        assertEquals("\"김배움\"", GradesCsv.cell("김배움"));
        assertEquals("\"say \"\"hi\"\"\"", GradesCsv.cell("say \"hi\""));
        assertEquals("\"'=HYPERLINK(1)\"", GradesCsv.cell("=HYPERLINK(1)"));
        assertEquals("\"'+1\"", GradesCsv.cell("+1"));
        assertEquals("\"'-1\"", GradesCsv.cell("-1"));
        assertEquals("\"'@SUM(A1)\"", GradesCsv.cell("@SUM(A1)"));
        assertEquals("\"\"", GradesCsv.cell(null));
    }

    @Test
    void oneRowPerLearnerWithAColumnPerLab() {
        Map<String, Integer> done = new LinkedHashMap<>();
        done.put("process-isolation", 2);
        ProgressStats.LearnerRow kim = new ProgressStats.LearnerRow(7, "김배움", "kim", false, 3, 2, 4, done, 2, 5, null);
        ProgressStats.LearnerRow guest = new ProgressStats.LearnerRow(8, "=cmd", null, true, 1, 0, 0, Map.of(), 0, 5, null);
        String csv = GradesCsv.write(List.of(new ProgressPages.LabColumn("process-isolation", "격리", 3),
                new ProgressPages.LabColumn("dockerfile-basics", "Dockerfile", 2)), List.of(kim, guest));

        assertTrue(csv.startsWith("\uFEFF"), "a BOM so spreadsheets read UTF-8");
        String[] lines = csv.substring(1).split("\r\n", -1);
        assertEquals("아이디,이름,게스트,읽은 레슨,맞힌 퀴즈,푼 퀴즈,\"process-isolation (통과/3)\",\"dockerfile-basics (통과/2)\","
                + "통과 과제,전체 과제,점수(%),마지막 활동", lines[0]);
        assertEquals("\"kim\",\"김배움\",아니오,3,2,4,2,0,2,5,40.0,", lines[1]);
        assertEquals("\"\",\"'=cmd\",예,1,0,0,0,0,0,5,0.0,", lines[2]);
        assertEquals("", lines[3], "every line ends with CRLF");
        assertEquals(4, lines.length);
    }
}
