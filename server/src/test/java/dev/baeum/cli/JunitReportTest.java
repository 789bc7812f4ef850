package dev.baeum.cli;

import dev.baeum.services.grading.GradingService;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JunitReportTest {

    private static GradingService.Grade grade(String student, GradingService.TaskGrade... tasks) {
        int passed = (int) List.of(tasks).stream().filter(GradingService.TaskGrade::passed).count();
        return new GradingService.Grade("lab-1", student, List.of(tasks), 100.0 * passed / tasks.length, passed,
                tasks.length, Map.of(), null, List.of());
    }

    @Test
    void oneSuitePerStudentOneCasePerTaskWithTotals() throws Exception {
        String xml = JunitReport.write("lab-1", List.of(
                new JunitReport.StudentResult("kim", grade("kim", new GradingService.TaskGrade("a", true, "좋습니다"),
                        new GradingService.TaskGrade("b", true, "좋습니다")), null),
                new JunitReport.StudentResult("lee", grade("lee", new GradingService.TaskGrade("a", true, ""),
                        new GradingService.TaskGrade("b", false, "파일이 없습니다: <x> & \"y\"")), null),
                new JunitReport.StudentResult("park", null, "시간이 다 되었습니다")), 12.34);

        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), xml);
        assertTrue(xml.contains("<testsuite name=\"lab-1/kim\" tests=\"2\" failures=\"0\" errors=\"0\""), xml);
        assertTrue(xml.contains("<testsuite name=\"lab-1/lee\" tests=\"2\" failures=\"1\""), xml);
        assertTrue(xml.contains("<failure message="), xml);

        Element root = parse(xml).getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("baeum grading: lab-1", root.getAttribute("name"));
        assertEquals("5", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("errors"));
        assertEquals("12.3", root.getAttribute("time"));
        assertEquals(3, root.getElementsByTagName("testsuite").getLength());
        Element failure = (Element) root.getElementsByTagName("failure").item(0);
        assertEquals("파일이 없습니다: <x> & \"y\"", failure.getAttribute("message"), "escaped and read back intact");
        assertEquals("lab-1.lee", ((Element) failure.getParentNode()).getAttribute("classname"));
        Element error = (Element) root.getElementsByTagName("error").item(0);
        assertEquals("시간이 다 되었습니다", error.getAttribute("message"));
        assertEquals("grading", ((Element) error.getParentNode()).getAttribute("name"));
    }

    @Test
    void controlCharactersFromCheckOutputStillMakeWellFormedXml() throws Exception {
        String xml = JunitReport.write("lab-1", List.of(new JunitReport.StudentResult("kim",
                grade("kim", new GradingService.TaskGrade("a", false, "bell\u0007 and escape\u001b[31m")), null)), 1);
        Element failure = (Element) parse(xml).getElementsByTagName("failure").item(0);
        assertEquals("bell and escape[31m", failure.getAttribute("message"));
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
