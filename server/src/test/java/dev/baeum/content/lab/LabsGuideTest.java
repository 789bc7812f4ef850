package dev.baeum.content.lab;

import dev.baeum.base.config.Setting;
import dev.baeum.services.grading.SelfTest;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** labs/README.md must be enough to write a working lab: its example lab is parsed and self-tested for real. */
class LabsGuideTest {

    private static String guide() throws Exception {
        return Files.readString(TestApp.root().resolve("labs/README.md"));
    }

    @Test
    void theGuideDocumentsEveryFrontMatterKey() throws Exception {
        String guide = guide();
        for (String key : LabParser.KNOWN_KEYS) {
            if (!key.equals("estimate")) {
                assertTrue(guide.contains("`" + key + "`"), "labs/README.md documents " + key);
            }
        }
        for (String variable : new String[]{"BAEUM_HOST_KERNEL", "BAEUM_LIMIT_MEMORY", "BAEUM_SESSION_RESETS"}) {
            assertTrue(guide.contains(variable), variable);
        }
    }

    @Test
    void theExampleLabWorks() throws Exception {
        Docker.require();
        Matcher m = Pattern.compile("(?s)<!-- example-lab:start -->\\s*````markdown\\n(.*?)````\\s*<!-- example-lab:end -->").matcher(guide());
        assertTrue(m.find(), "the guide has a complete example lab");
        Path labs = TestApp.tempDir("guide-labs");
        copyTree(TestApp.root().resolve("labs/images"), labs.resolve("images"));
        Files.createDirectories(labs.resolve("my-first-lab"));
        Files.writeString(labs.resolve("my-first-lab/lab.md"), m.group(1));
        try (TestApp app = TestApp.start(Map.of(Setting.LABS_DIR, labs.toString()))) {
            Lab lab = app.lab("my-first-lab");
            assertTrue(lab.problems().isEmpty(), lab.problems().toString());
            assertEquals(2, lab.tasks().size());
            SelfTest.Report report = app.app().runtime().selfTest().run(lab);
            assertTrue(report.ok(), String.join("\n", report.problems()));
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
