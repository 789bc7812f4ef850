package dev.baeum.cli;

import dev.baeum.base.json.Json;
import dev.baeum.content.lab.Lab;
import dev.baeum.services.grading.GradingService;
import dev.baeum.web.grading.GradeResponse;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** grades.json: the run and each student's grade (a {@link GradeResponse} or a {@link Failed}). */
    record Report(String lab, int submissions, int gradingFailures, double seconds, List<Object> results) {
    }

    record Failed(String lab, String student, String gradingFailed) {
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
        List<JunitReport.StudentResult> results = new ArrayList<>();
        List<Object> json = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < files.size(); i++) {
            String student = studentName(files.get(i));
            try {
                GradingService.Grade grade = futures.get(i).get();
                results.add(new JunitReport.StudentResult(student, grade, null));
                json.add(GradeResponse.of(grade));
                out.printf("%-24s %5.1f점  (%d/%d)%s%n", student, grade.score(), grade.passed(), grade.total(),
                        grade.error() == null ? "" : "  " + grade.error());
            } catch (Exception e) {
                failures++;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                results.add(new JunitReport.StudentResult(student, null, cause.getMessage()));
                json.add(new Failed(lab.id(), student, cause.getMessage()));
                out.printf("%-24s 채점하지 못함: %s%n", student, cause.getMessage());
            }
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.createDirectories(options.out());
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(options.out().resolve("grades.json").toFile(),
                new Report(lab.id(), files.size(), failures, Math.round(seconds * 10) / 10.0, json));
        Files.writeString(options.out().resolve("junit.xml"), JunitReport.write(lab.id(), results, seconds),
                StandardCharsets.UTF_8);
        out.printf("제출물 %d개를 %.1f초에 채점했습니다 (분당 %.0f개). 보고서: %s%n", files.size(), seconds,
                files.size() / seconds * 60, options.out().toAbsolutePath());
        return failures == 0 ? 0 : 1;
    }

    static String studentName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
