package dev.baeum.grading;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;
import dev.baeum.builds.SandboxedBuilder;
import dev.baeum.labs.Lab;
import dev.baeum.sandbox.ContainerFactory;
import dev.baeum.sandbox.SandboxLabels;
import dev.baeum.sandbox.SandboxPolicy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Dockerfile lab round: build the learner's Dockerfile in the sandboxed builder, run the image once
 * as written (its CMD's output is a fact for the checks), then run the lab's checks as root in a container
 * of that image. Every container and the image are removed afterwards.
 */
public final class DockerfileChecks {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_RUN_OUTPUT = 4000;

    public record Outcome(SandboxedBuilder.Result build, List<CheckRunner.TaskResult> tasks, String runOutput) {
    }

    private final DockerClient docker;
    private final SandboxedBuilder builder;
    private final ContainerFactory factory;
    private final CheckRunner runner;
    private final SandboxPolicy policy;
    /** Builds are the heaviest thing learners can start; a few at a time, the rest wait their turn. */
    private final Semaphore slots;

    public DockerfileChecks(DockerClient docker, SandboxedBuilder builder, ContainerFactory factory, CheckRunner runner,
                            SandboxPolicy policy, int concurrentBuilds) {
        this.docker = docker;
        this.builder = builder;
        this.factory = factory;
        this.runner = runner;
        this.policy = policy;
        this.slots = new Semaphore(concurrentBuilds, true);
    }

    /** The build's walls, as the lab page states them. */
    public String limitsText() {
        SandboxedBuilder.Limits l = builder.limits();
        return "메모리 " + dev.baeum.config.Units.humanBytes(l.memoryBytes()) + " · CPU " + l.cpus() + "코어 · 프로세스 " + l.pids()
                + "개 · 네트워크 꺼짐 · 제한 시간 " + l.timeout().toSeconds() + "초";
    }

    public Outcome run(Lab lab, List<Lab.Task> tasks, String dockerfile, String owner, Consumer<String> log) {
        if (!slots.tryAcquire()) {
            log.accept("다른 빌드가 끝나기를 기다리는 중입니다…");
            try {
                if (!slots.tryAcquire(builder.limits().timeout().toSeconds() * 2, TimeUnit.SECONDS)) {
                    return failed(tasks, "빌드를 기다리는 사람이 많습니다. 잠시 뒤 다시 시도해 주세요.", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(tasks, "빌드가 취소되었습니다.", null);
            }
        }
        try {
            return runExclusive(lab, tasks, dockerfile, owner, log);
        } finally {
            slots.release();
        }
    }

    private Outcome runExclusive(Lab lab, List<Lab.Task> tasks, String dockerfile, String owner, Consumer<String> log) {
        String runId = UUID.randomUUID().toString().substring(0, 12);
        Map<String, String> labels = SandboxLabels.forRun(policy.scope(), "build", owner, lab.id(), Duration.ofMinutes(30));
        SandboxedBuilder.Result build = builder.build(dockerfile, lab.dockerfile().contextDir(),
                lab.dockerfile().allowedBases(), "baeum-build/" + lab.id() + ":" + runId, labels, log);
        if (!build.built()) {
            log.accept("빌드 실패: " + build.problem().format());
            return failed(tasks, "빌드가 실패해 확인할 수 없습니다: " + build.problem().format(), build);
        }
        List<String> containers = new ArrayList<>();
        try {
            Map<String, String> facts = new LinkedHashMap<>();
            SandboxedBuilder.ImageFacts image = build.facts();
            facts.put("BAEUM_BUILD_BASE", image.base());
            facts.put("BAEUM_IMAGE_WORKDIR", image.workdir());
            facts.put("BAEUM_IMAGE_USER", image.user());
            facts.put("BAEUM_IMAGE_CMD", String.join(" ", image.cmd()));
            facts.put("BAEUM_IMAGE_ENTRYPOINT", String.join(" ", image.entrypoint()));
            facts.put("BAEUM_IMAGE_ENV", String.join("\n", image.env()));
            facts.put("BAEUM_DOCKERFILE", dockerfile);

            log.accept("이미지를 한 번 실행해 봅니다 (CMD)…");
            RunOutcome run = runOnce(build.image(), runId, labels, containers);
            facts.put("BAEUM_RUN_OUTPUT", run.output());
            facts.put("BAEUM_RUN_EXIT", String.valueOf(run.exit()));
            facts.put("BAEUM_RUN_ERROR", run.error());
            if (!run.error().isEmpty()) {
                log.accept("실행 오류: " + run.error());
            } else {
                for (String line : run.output().split("\n")) {
                    log.accept("| " + line);
                }
                log.accept("(종료 코드 " + run.exit() + ")");
            }

            String checkContainer = factory.startWith(build.image(), cmd -> {
                factory.harden(cmd, plan(lab, "baeum-check-" + runId, labels));
                cmd.withUser("0").withEntrypoint("sleep").withCmd("infinity");
            });
            containers.add(checkContainer);
            log.accept("과제를 확인합니다…");
            List<CheckRunner.TaskResult> results = runner.run(lab, tasks, Map.of(lab.firstNode(), checkContainer),
                    build.image(), 0, facts);
            return new Outcome(build, results, run.output());
        } finally {
            containers.forEach(factory::remove);
            builder.remove(build.image());
        }
    }

    private record RunOutcome(String output, int exit, String error) {
    }

    /** Runs the image as the learner wrote it (its USER, WORKDIR, ENTRYPOINT and CMD) inside sandbox limits. */
    private RunOutcome runOnce(String image, String runId, Map<String, String> labels, List<String> containers) {
        String id;
        try {
            id = factory.startWith(image, cmd -> factory.harden(cmd, plan(null, "baeum-run-" + runId, labels)));
        } catch (DockerException e) {
            return new RunOutcome("", -1, explainStartFailure(e.getMessage()));
        }
        containers.add(id);
        Integer exit;
        try {
            exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (DockerClientException e) {
            exit = null;
        }
        StringBuilder output = new StringBuilder();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (output) {
                        if (output.length() < MAX_RUN_OUTPUT) {
                            output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text = output.length() > MAX_RUN_OUTPUT ? output.substring(0, MAX_RUN_OUTPUT) : output.toString();
        if (exit == null) {
            return new RunOutcome(text.strip(), -1, "CMD가 " + RUN_TIMEOUT.toSeconds() + "초 안에 끝나지 않았습니다. 출력하고 끝나는 명령이어야 합니다.");
        }
        return new RunOutcome(text.strip(), exit, "");
    }

    static String explainStartFailure(String message) {
        String m = message == null ? "" : message;
        java.util.regex.Matcher user = java.util.regex.Pattern.compile("unable to find user ([^:]+)").matcher(m);
        if (user.find()) {
            return "USER로 지정한 사용자 '" + user.group(1) + "'가 이미지에 없습니다. 먼저 RUN useradd 로 만들어 주세요.";
        }
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return "CMD(또는 ENTRYPOINT)로 지정한 프로그램을 찾을 수 없습니다. 경로와 파일 이름, WORKDIR을 확인해 주세요.";
        }
        if (m.contains("permission denied")) {
            return "CMD로 지정한 파일을 실행할 권한이 없습니다. 실행 권한(chmod +x)과 USER를 확인해 주세요.";
        }
        return "컨테이너를 시작하지 못했습니다: " + m;
    }

    private ContainerFactory.Plan plan(Lab lab, String name, Map<String, String> labels) {
        SandboxPolicy.Limits limits = lab == null
                ? new SandboxPolicy.Limits(policy.memoryBytes(), policy.cpus(), policy.pids())
                : policy.limitsFor(lab);
        return new ContainerFactory.Plan(null, name, "build-check", limits, List.of(), null, labels);
    }

    private static Outcome failed(List<Lab.Task> tasks, String message, SandboxedBuilder.Result build) {
        List<CheckRunner.TaskResult> results = tasks.stream()
                .map(t -> new CheckRunner.TaskResult(t.id(), false, message, 0)).toList();
        return new Outcome(build, results, "");
    }
}
