package dev.baeum;

import dev.baeum.config.Settings;
import dev.baeum.lint.LintCommand;
import dev.baeum.lint.Linter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * One jar, several commands:
 * {@code serve} (default) runs the platform; {@code lint} checks lessons and labs.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            int exit = switch (command) {
                case "serve" -> serve();
                case "lint" -> lint();
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
        } catch (RuntimeException e) {
            log.error("배움을 시작하지 못했습니다: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    private static int serve() {
        App app = App.start(Settings.load());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "baeum-shutdown"));
        return 0;
    }

    private static int lint() {
        try (App.Core core = App.Core.open(Settings.load().with(dev.baeum.config.Setting.DB_URL, "jdbc:h2:mem:lint"))) {
            return LintCommand.run(new Linter(core.lessons(), core.labs()), System.out);
        }
    }

    private static int help() {
        System.out.println("""
                배움 — 직접 해 보며 배우는 도커 코스

                사용법: java -jar baeum.jar [명령]
                  serve     플랫폼을 실행합니다 (기본값)
                  lint      lessons/ 와 labs/ 의 모든 파일을 검사해 file:line: 메시지로 알려 줍니다
                  help      이 도움말
                """);
        return 0;
    }
}
