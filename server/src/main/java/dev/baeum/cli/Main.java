package dev.baeum.cli;

import dev.baeum.App;
import dev.baeum.base.config.Setting;
import dev.baeum.base.config.Settings;
import dev.baeum.base.db.Database;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lint.Linter;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.services.grading.SelfTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One jar, several commands:
 * {@code serve} (default) runs the platform; {@code lint} checks lessons and labs.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        useUtf8Console();
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            int exit = switch (command) {
                case "serve" -> serve();
                case "lint" -> lint();
                case "selftest" -> selftest(rest);
                case "grade" -> grade(rest);
                case "bench" -> bench();
                case "help", "--help", "-h" -> help();
                default -> {
                    System.err.println("알 수 없는 명령: " + command);
                    help();
                    yield 2;
                }
            };
            if (exit != 0 || !command.equals("serve")) {
                System.exit(exit);
            }
        } catch (Settings.ConfigException e) {
            System.err.println("설정 오류: " + e.getMessage());
            System.exit(2);
        } catch (Database.UnavailableException e) {
            System.err.println("데이터베이스 오류: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            log.error("배움을 시작하지 못했습니다: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    /**
     * Command output in UTF-8 whatever the locale. Without a UTF-8 locale (systemd, {@code env -i}, many
     * containers) Java encodes System.out and System.err in ASCII and every Korean letter becomes '?'.
     */
    private static void useUtf8Console() {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    private static int serve() {
        App app = App.start(Settings.load());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "baeum-shutdown"));
        return 0;
    }

    private static int lint() {
        try (App.Core core = App.Core.open(Settings.load().with(Setting.DB_URL, "jdbc:h2:mem:lint"))) {
            return LintCommand.run(new Linter(core.lessons(), core.labs()), System.out);
        }
    }

    /** Runs every lab's self-test (or the named labs') in fresh sandboxes; exit 1 if any fails. */
    private static int selftest(String[] labIds) {
        Settings settings = Settings.load().with(Setting.DB_URL, "jdbc:h2:mem:selftest;DB_CLOSE_DELAY=-1")
                .with(Setting.SANDBOX_POOL_SIZE, "0");
        try (App.Core core = App.Core.open(settings);
             App.Runtime runtime = App.Runtime.open(core, DockerEngine.detect())) {
            if (!runtime.engine().available()) {
                System.err.println("selftest: " + runtime.engine().status().problem());
                return 2;
            }
            List<Lab> labs = labIds.length == 0 ? core.labs().labs()
                    : Arrays.stream(labIds).map(id -> core.labs().find(id).orElseThrow(
                            () -> new Settings.ConfigException("그런 실습은 없습니다: " + id))).toList();
            int failed = 0;
            try {
                for (Lab lab : labs) {
                    SelfTest.Report report = runtime.selfTest().run(lab);
                    System.out.printf("%-24s %s  (%.1f초)%n", lab.id(), report.ok() ? "통과" : "실패", report.millis() / 1000.0);
                    for (SelfTest.TaskReport t : report.tasks()) {
                        System.out.printf("    %-20s 새 환경: %s · 풀이 뒤: %s%n", t.taskId(),
                                t.passedFresh() ? "통과" : "실패(정상)", t.passedAfterSolution() ? "통과" : "실패");
                    }
                    report.problems().forEach(p -> System.out.println("    ! " + p));
                    if (!report.ok()) {
                        failed++;
                    }
                }
            } finally {
                runtime.reaper().purge();
            }
            System.out.println(failed == 0 ? "selftest: 실습 " + labs.size() + "개 모두 통과"
                    : "selftest: 실습 " + labs.size() + "개 중 " + failed + "개 실패");
            return failed == 0 ? 0 : 1;
        }
    }

    /** Grades a folder of submissions (one file per student) into JSON and JUnit XML reports. */
    private static int grade(String[] args) {
        Settings settings = Settings.load().with(Setting.SANDBOX_POOL_SIZE, "0");
        GradeCommand.Options options;
        try {
            options = GradeCommand.parse(args, settings.integer(Setting.GRADING_CONCURRENCY));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        settings = settings.with(Setting.GRADING_CONCURRENCY, String.valueOf(options.parallel()));
        try (App.Core core = App.Core.open(settings);
             App.Runtime runtime = App.Runtime.open(core, DockerEngine.detect())) {
            if (!runtime.engine().available()) {
                System.err.println("grade: " + runtime.engine().status().problem());
                return 1;
            }
            Lab lab = core.labs().find(options.lab()).orElse(null);
            if (lab == null) {
                System.err.println("그런 실습은 없습니다: " + options.lab());
                return 2;
            }
            return GradeCommand.run(options, lab, runtime.grading(), System.out);
        } catch (java.io.IOException e) {
            System.err.println("grade: " + e.getMessage());
            return 1;
        }
    }

    /** Measures the platform on this machine and prints a table (see README, 성능). */
    private static int bench() {
        try {
            return Benchmark.run(Settings.load(), System.out);
        } catch (Exception e) {
            System.err.println("bench: " + e);
            return 1;
        }
    }

    private static int help() {
        System.out.println("""
                배움 — 직접 해 보며 배우는 도커 코스

                사용법: java -jar baeum.jar [명령]
                  serve     플랫폼을 실행합니다 (기본값)
                  lint      lessons/ 와 labs/ 의 모든 파일을 검사해 file:line: 메시지로 알려 줍니다
                  selftest [실습 id...]
                            실습마다 새 컨테이너에서 확인 스크립트가 풀이 전에는 실패하고 풀이 뒤에는 통과하는지 검사합니다
                  grade --lab <id> --dir <폴더> [--out reports] [--parallel N]
                            폴더의 제출물(학생마다 파일 하나)을 새 컨테이너에서 채점해 grades.json 과 junit.xml 을 씁니다
                  bench     이 기계에서 실습 준비 시간, 채점 왕복, 처리량, 동시 세션을 재고 표로 보여 줍니다
                  help      이 도움말
                """);
        return 0;
    }
}
