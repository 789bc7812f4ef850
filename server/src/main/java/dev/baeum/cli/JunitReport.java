package dev.baeum.cli;

import dev.baeum.services.grading.GradingService;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The grades of a run as JUnit XML, so CI shows one test suite per student and one test case per task. A
 * submission that could not be graded is one test case with an error.
 */
final class JunitReport {

    /** One student's outcome: a grade, or why there is none. */
    record StudentResult(String student, GradingService.Grade grade, String failure) {
    }

    private JunitReport() {
    }

    static String write(String labId, List<StudentResult> results, double seconds) {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        for (StudentResult r : results) {
            tests += r.grade() == null ? 1 : r.grade().tasks().size();
            failures += r.grade() == null ? 0 : (int) r.grade().tasks().stream().filter(t -> !t.passed()).count();
            errors += r.grade() == null ? 1 : 0;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(bytes, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "baeum grading: " + clean(labId));
            counts(xml, tests, failures, errors);
            xml.writeAttribute("time", String.format(Locale.ROOT, "%.1f", seconds));
            for (StudentResult r : results) {
                suite(xml, labId, r);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("JUnit XML could not be written", e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void suite(XMLStreamWriter xml, String labId, StudentResult r) throws XMLStreamException {
        String className = clean(labId + "." + r.student());
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(labId + "/" + r.student()));
        if (r.grade() == null) {
            counts(xml, 1, 0, 1);
            testCase(xml, className, "grading", "error", r.failure());
        } else {
            List<GradingService.TaskGrade> tasks = r.grade().tasks();
            counts(xml, tasks.size(), (int) tasks.stream().filter(t -> !t.passed()).count(), 0);
            for (GradingService.TaskGrade task : tasks) {
                testCase(xml, className, task.id(), task.passed() ? null : "failure", task.message());
            }
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    /** A test case; {@code problem} is "failure", "error" or null for a pass. */
    private static void testCase(XMLStreamWriter xml, String className, String name, String problem, String message)
            throws XMLStreamException {
        xml.writeCharacters("\n    ");
        if (problem == null) {
            xml.writeEmptyElement("testcase");
        } else {
            xml.writeStartElement("testcase");
        }
        xml.writeAttribute("classname", className);
        xml.writeAttribute("name", clean(name));
        if (problem != null) {
            xml.writeCharacters("\n      ");
            xml.writeEmptyElement(problem);
            xml.writeAttribute("message", clean(String.valueOf(message)));
            xml.writeCharacters("\n    ");
            xml.writeEndElement();
        }
    }

    private static void counts(XMLStreamWriter xml, int tests, int failures, int errors) throws XMLStreamException {
        xml.writeAttribute("tests", String.valueOf(tests));
        xml.writeAttribute("failures", String.valueOf(failures));
        xml.writeAttribute("errors", String.valueOf(errors));
    }

    /** XML 1.0 has no place for most control characters, escaped or not; check output may hold them. */
    private static String clean(String s) {
        return s.replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "");
    }
}
