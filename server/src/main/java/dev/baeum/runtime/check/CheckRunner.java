package dev.baeum.runtime.check;

import dev.baeum.runtime.sandbox.ContainerExec;
import dev.baeum.runtime.sandbox.HostFacts;
import dev.baeum.runtime.sandbox.RunSpec;
import dev.baeum.runtime.sandbox.SandboxPolicy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a lab's checks in its containers as root, one {@code docker exec} per node however many tasks
 * there are (a check round trip costs one exec, not one per task). Each check script runs in its own
 * bash with its own timeout; exit 0 passes, and the last line it prints is the learner's message.
 * Results come back behind a per-run random marker, so nothing a learner makes a check print can forge one.
 */
public final class CheckRunner {

    public record TaskResult(String taskId, boolean passed, String message, long millis) {
    }

    private record Job(int task, RunSpec.Script check, Duration timeout) {
    }

    private record Outcome(int exitCode, String lastLine) {
    }

    /**
     * Reads the checks from the environment: their text never touches the container's disk and never
     * appears on a command line (where {@code ps} would show it); a root process's environment is
     * unreadable to the learner.
     */
    private static final String RUNNER = """
            i=0
            while [ "$i" -lt "$BAEUM_CHECK_COUNT" ]; do
              eval "export BAEUM_RUN=\\"\\$BAEUM_CHECK_$i\\""
              eval "limit=\\$BAEUM_CHECK_LIMIT_$i"
              out=$(cd /home/learner 2>/dev/null || cd /; timeout -s KILL "$limit" bash -c 'eval "$BAEUM_RUN"' 2>/dev/null </dev/null)
              code=$?
              last=$(printf '%s\\n' "$out" | sed '/^[[:space:]]*$/d' | tail -n 1)
              printf '%s %s %s %s\\n' "$BAEUM_NONCE" "$i" "$code" "$(printf '%s' "$last" | base64 -w0)"
              i=$((i+1))
            done
            """;

    private final ContainerExec exec;
    private final HostFacts facts;
    private final SandboxPolicy policy;

    public CheckRunner(ContainerExec exec, HostFacts facts, SandboxPolicy policy) {
        this.exec = exec;
        this.facts = facts;
        this.policy = policy;
    }

    /**
     * @param containers node → container id
     * @param extraEnv   more facts for the checks (e.g. about an image the learner built)
     */
    public List<TaskResult> run(RunSpec lab, List<TaskChecks> tasks, Map<String, String> containers, String image,
                                int resets, Map<String, String> extraEnv) {
        Map<String, List<Job>> byNode = new LinkedHashMap<>();
        for (int t = 0; t < tasks.size(); t++) {
            for (RunSpec.Script check : tasks.get(t).checks()) {
                Duration timeout = check.timeout() != null ? check.timeout() : policy.checkTimeout();
                byNode.computeIfAbsent(check.node(), n -> new ArrayList<>()).add(new Job(t, check, timeout));
            }
        }
        long started = System.nanoTime();
        Map<Job, Outcome> outcomes = new HashMap<>();
        for (Map.Entry<String, List<Job>> entry : byNode.entrySet()) {
            outcomes.putAll(runOnNode(lab, containers.get(entry.getKey()), entry.getKey(), entry.getValue(), image,
                    resets, extraEnv));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        List<TaskResult> results = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            TaskChecks task = tasks.get(t);
            boolean passed = true;
            String message = "";
            for (RunSpec.Script check : task.checks()) { // in order: the first failing check speaks
                Outcome o = find(outcomes, t, check);
                if (o == null || o.exitCode() != 0) {
                    passed = false;
                    message = failureMessage(o, check);
                    break;
                }
                message = o.lastLine();
            }
            if (passed && message.isBlank()) {
                message = "통과했습니다!";
            }
            results.add(new TaskResult(task.taskId(), passed, message, millis));
        }
        return results;
    }

    private Map<Job, Outcome> runOnNode(RunSpec lab, String containerId, String node, List<Job> jobs, String image,
                                        int resets, Map<String, String> extraEnv) {
        Map<Job, Outcome> outcomes = new HashMap<>();
        if (containerId == null) {
            jobs.forEach(j -> outcomes.put(j, new Outcome(-1, "실습 환경의 '" + node + "' 컨테이너가 없습니다.")));
            return outcomes;
        }
        String nonce = UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = new LinkedHashMap<>(facts.forCheck(lab, policy.limitsFor(lab), image, node, resets));
        env.putAll(extraEnv);
        env.put("BAEUM_NONCE", nonce);
        env.put("BAEUM_CHECK_COUNT", String.valueOf(jobs.size()));
        Duration total = Duration.ZERO;
        for (int i = 0; i < jobs.size(); i++) {
            env.put("BAEUM_CHECK_" + i, jobs.get(i).check().body());
            env.put("BAEUM_CHECK_LIMIT_" + i, String.valueOf(Math.max(1, jobs.get(i).timeout().toSeconds())));
            total = total.plus(jobs.get(i).timeout());
        }
        ContainerExec.Result result = exec.run(containerId, "root", RUNNER, env, total.plusSeconds(5));
        for (String line : result.stdout().split("\n")) {
            String[] parts = line.split(" ", 4);
            if (parts.length >= 3 && parts[0].equals(nonce)) {
                int index = Integer.parseInt(parts[1]);
                int code = Integer.parseInt(parts[2]);
                String last = parts.length == 4 ? new String(Base64.getDecoder().decode(parts[3].strip()),
                        StandardCharsets.UTF_8).strip() : "";
                if (index >= 0 && index < jobs.size()) {
                    outcomes.put(jobs.get(index), new Outcome(code, truncate(last)));
                }
            }
        }
        for (Job job : jobs) {
            outcomes.putIfAbsent(job, new Outcome(result.timedOut() ? 137 : -1, ""));
        }
        return outcomes;
    }

    private static Outcome find(Map<Job, Outcome> outcomes, int task, RunSpec.Script check) {
        for (Map.Entry<Job, Outcome> e : outcomes.entrySet()) {
            if (e.getKey().task() == task && e.getKey().check() == check) {
                return e.getValue();
            }
        }
        return null;
    }

    private String failureMessage(Outcome o, RunSpec.Script check) {
        if (o == null) {
            return "확인하지 못했습니다.";
        }
        if (o.exitCode() == 137) {
            Duration timeout = check.timeout() != null ? check.timeout() : policy.checkTimeout();
            return "확인 스크립트가 제한 시간(" + timeout.toSeconds() + "초) 안에 끝나지 않았습니다.";
        }
        return o.lastLine().isBlank() ? "아직 조건을 만족하지 않습니다." : o.lastLine();
    }

    private static String truncate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
