package dev.baeum.cli;

import dev.baeum.services.grading.GradingService;
import dev.baeum.web.grading.GradingApi;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baeum.content.lab.Lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code grade --lab <id> --dir <folder> [--out <folder>] [--parallel N]}: grades every file in the folder
 * (one student each; the file name is the student) in parallel, and writes {@code grades.json} and
 * {@code junit.xml}. The exit code says whether the run worked (0), could not grade some submission (1),
 * or was called wrongly (2) — never how well the students did.
 */
public final class GradeCommand {

    public record Options(String lab, Path dir, Path out, int parallel) {
    }

    private GradeCommand() {
    }

    /** Parses arguments; throws IllegalArgumentException with a Korean usage message. */
    public static Options parse(String[] args, int defaultParallel) {
        String lab = null;
        Path dir = null;
        Path out = Path.of("reports");
        int parallel = defaultParallel;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--lab" -> lab = required(value, "--lab");
                case "--dir" -> dir = Path.of(required(value, "--dir"));
                case "--out" -> out = Path.of(required(value, "--out"));
                case "--parallel" -> {
                    try {
                        parallel = Integer.parseInt(required(value, "--parallel"));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--parallel 에는 숫자를 주세요.");
                    }
                }
                default -> throw new IllegalArgumentException("알 수 없는 옵션: " + args[i] + "\n" + usage());
            }
            i++;
        }
        if (lab == null || dir == null) {
            throw new IllegalArgumentException(usage());
        }
        if (parallel < 1 || parallel > 16) {
            throw new IllegalArgumentException("--parallel 은 1~16 사이여야 합니다.");
        }
        return new Options(lab, dir, out, parallel);
    }

    public static String usage() {
        return "사용법: grade --lab <실습 id> --dir <제출물 폴더> [--out <보고서 폴더, 기본 reports>] [--parallel <동시 채점 수>]";
    }

    private static String required(String value, String flag) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(flag + " 뒤에 값이 필요합니다.\n" + usage());
        }
        return value;
    }

    public static int run(Options options, Lab lab, GradingService grading, PrintStream out) throws IOException {
        if (!Files.isDirectory(options.dir())) {
            out.println("제출물 폴더가 없습니다: " + options.dir());
            return 2;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(options.dir())) {
            files = list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (files.isEmpty()) {
            out.println("제출물 폴더가 비어 있습니다: " + options.dir());
            return 2;
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(options.parallel());
        List<Future<GradingService.Grade>> futures = new ArrayList<>();
        for (Path file : files) {
            futures.add(pool.submit(() -> {
                String student = studentName(file);
                String submission = Files.readString(file, StandardCharsets.UTF_8);
                return grading.grade(lab, submission, student, null);
            }));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < files.size(); i++) {
            String student = studentName(files.get(i));
            try {
                GradingService.Grade grade = futures.get(i).get();
                results.add(GradingApi.toJson(grade));
                out.printf("%-24s %5.1f점  (%d/%d)%s%n", student, grade.score(), grade.passed(), grade.total(),
                        grade.error() == null ? "" : "  " + grade.error());
            } catch (Exception e) {
                failures++;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("lab", lab.id());
                failed.put("student", student);
                failed.put("gradingFailed", cause.getMessage());
                results.add(failed);
                out.printf("%-24s 채점하지 못함: %s%n", student, cause.getMessage());
            }
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.createDirectories(options.out());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("lab", lab.id());
        report.put("submissions", files.size());
        report.put("gradingFailures", failures);
        report.put("seconds", Math.round(seconds * 10) / 10.0);
        report.put("results", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(options.out().resolve("grades.json").toFile(), report);
        Files.writeString(options.out().resolve("junit.xml"), junit(lab, results, seconds), StandardCharsets.UTF_8);
        out.printf("제출물 %d개를 %.1f초에 채점했습니다 (분당 %.0f개). 보고서: %s%n", files.size(), seconds,
                files.size() / seconds * 60, options.out().toAbsolutePath());
        return failures == 0 ? 0 : 1;
    }

    static String studentName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    @SuppressWarnings("unchecked")
    static String junit(Lab lab, List<Map<String, Object>> results, double seconds) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        int tests = 0;
        int failures = 0;
        int errors = 0;
        StringBuilder suites = new StringBuilder();
        for (Map<String, Object> result : results) {
            String student = String.valueOf(result.get("student"));
            StringBuilder cases = new StringBuilder();
            int suiteTests = 0;
            int suiteFailures = 0;
            int suiteErrors = 0;
            if (result.containsKey("gradingFailed")) {
                suiteTests++;
                suiteErrors++;
                cases.append("    <testcase classname=\"").append(esc(lab.id() + "." + student)).append("\" name=\"grading\">\n")
                        .append("      <error message=\"").append(esc(String.valueOf(result.get("gradingFailed")))).append("\"/>\n")
                        .append("    </testcase>\n");
            } else {
                for (GradingService.TaskGrade task : (List<GradingService.TaskGrade>) result.get("tasks")) {
                    suiteTests++;
                    cases.append("    <testcase classname=\"").append(esc(lab.id() + "." + student)).append("\" name=\"")
                            .append(esc(task.id())).append("\"");
                    if (task.passed()) {
                        cases.append("/>\n");
                    } else {
                        suiteFailures++;
                        cases.append(">\n      <failure message=\"").append(esc(task.message())).append("\"/>\n    </testcase>\n");
                    }
                }
            }
            tests += suiteTests;
            failures += suiteFailures;
            errors += suiteErrors;
            suites.append("  <testsuite name=\"").append(esc(lab.id() + "/" + student)).append("\" tests=\"").append(suiteTests)
                    .append("\" failures=\"").append(suiteFailures).append("\" errors=\"").append(suiteErrors).append("\">\n")
                    .append(cases).append("  </testsuite>\n");
        }
        xml.append("<testsuites name=\"baeum grading: ").append(esc(lab.id())).append("\" tests=\"").append(tests)
                .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors)
                .append("\" time=\"").append(String.format(Locale.ROOT, "%.1f", seconds)).append("\">\n")
                .append(suites).append("</testsuites>\n");
        return xml.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "");
    }
}
