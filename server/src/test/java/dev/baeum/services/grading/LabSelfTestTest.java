package dev.baeum.services.grading;

import dev.baeum.content.lab.Lab;
import dev.baeum.support.Docker;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The self-test of every shipped lab, in a fresh sandbox each: checks must fail before the work and pass
 * after each task's solution. A lab whose check passes on a fresh sandbox (undeclared) fails here.
 */
class LabSelfTestTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        Docker.require();
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLabPassesItsSelfTest() {
        assertFalse(app.app().core().labs().labs().isEmpty(), "the course ships labs");
        return app.app().core().labs().labs().stream().map(lab -> DynamicTest.dynamicTest(lab.id(), () -> selfTest(lab)));
    }

    private static void selfTest(Lab lab) {
        SelfTest.Report report = app.app().runtime().selfTest().run(lab);
        assertTrue(report.ok(), lab.id() + " self-test:\n" + String.join("\n", report.problems()));
        assertFalse(report.tasks().isEmpty());
        assertTrue(report.tasks().stream().allMatch(SelfTest.TaskReport::passedAfterSolution));
        assertTrue(report.tasks().stream().anyMatch(t -> !t.passedFresh()), "at least one task fails on a fresh sandbox");
        for (SelfTest.TaskReport task : report.tasks()) {
            if (!task.passedFresh()) { // the failing check explains itself to the learner, in Korean
                assertTrue(task.freshMessage().codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3),
                        lab.id() + "/" + task.taskId() + ": '" + task.freshMessage() + "'");
            }
        }
    }
}
