package dev.baeum.runtime.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the containers of one lab run (one per node), on a private network if the lab wants one, from
 * the warm pool when allowed, and runs the lab's setup scripts. Interactive sessions, self-tests and
 * graded submissions all start here, so they all get the same sandbox.
 */
public final class LabLauncher {

    private static final Logger log = LoggerFactory.getLogger(LabLauncher.class);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    /** The running containers (node → id) and how long they took to start. */
    public record Machines(Map<String, String> containers, String network, int startMillis, boolean fromPool) {
    }

    private final DockerEngine engine;
    private final ContainerFactory factory;
    private final ContainerExec exec;
    private final WarmPool pool;
    private final SandboxPolicy policy;
    private final HostFacts facts;
    private final DockerLabs docker;

    public LabLauncher(DockerEngine engine, ContainerFactory factory, ContainerExec exec, WarmPool pool,
                       SandboxPolicy policy, HostFacts facts, DockerLabs docker) {
        this.engine = engine;
        this.factory = factory;
        this.exec = exec;
        this.pool = pool;
        this.policy = policy;
        this.facts = facts;
        this.docker = docker;
    }

    public DockerEngine engine() {
        return engine;
    }

    public DockerLabs docker() {
        return docker;
    }

    /**
     * @param runId   names the containers and the network (a session id, or a grading run id)
     * @param labels  labels for every container; the node label is added here
     * @param usePool take a pooled container when the lab's profile allows it
     */
    public Machines launch(RunSpec lab, String image, String runId, Map<String, String> labels, int resets, boolean usePool) {
        if (lab.docker() && !docker.status().available()) {
            throw new LabsUnavailableException(docker.status().problem());
        }
        DockerLabs.LabSetup dockerSetup = lab.docker() ? docker.prepare(runId, lab, labels) : null;
        String network = dockerSetup != null ? dockerSetup.network() : lab.network() ? createNetwork(runId, labels) : null;
        List<ContainerFactory.Mount> mounts = dockerSetup != null ? dockerSetup.mounts() : List.of();
        Map<String, String> containers = new LinkedHashMap<>();
        long began = System.nanoTime();
        int startMillis = 0;
        boolean fromPool = false;
        try {
            for (String node : lab.nodes()) {
                String name = "baeum-" + lab.id() + "-" + runId.substring(0, Math.min(8, runId.length())) + "-" + node + "-" + resets;
                Optional<WarmPool.Claim> claim = usePool && poolable(lab)
                        ? pool.claim(poolKey(lab, image), runId, name) : Optional.empty();
                if (claim.isPresent()) {
                    containers.put(node, claim.get().containerId());
                    fromPool = true;
                    startMillis = claim.get().startMillis();
                    continue;
                }
                Map<String, String> nodeLabels = new LinkedHashMap<>(labels);
                nodeLabels.put(SandboxLabels.NODE, node);
                containers.put(node, factory.start(new ContainerFactory.Plan(image, name, node, policy.limitsFor(lab),
                        lab.capabilities(), network, nodeLabels, mounts)));
            }
            if (!fromPool) {
                startMillis = (int) ((System.nanoTime() - began) / 1_000_000);
            }
            if (dockerSetup != null) {
                String lab0 = containers.get(lab.firstNode());
                ContainerExec.Result linked = exec.run(lab0, "root", DockerLabs.SETUP, Map.of(), SETUP_TIMEOUT);
                if (!linked.ok()) {
                    throw new IllegalStateException("도커 소켓을 연결하지 못했습니다: " + linked.stderr().strip());
                }
                docker.serve(runId, lab, labels, lab0);
            }
            setup(lab, containers, image, resets);
        } catch (RuntimeException e) {
            dispose(lab, runId, new Machines(containers, network, 0, fromPool));
            throw e;
        }
        return new Machines(Map.copyOf(containers), network, startMillis, fromPool);
    }

    /** Removes the containers and the network (for docker labs: first what the learner made, then the rest). */
    public void dispose(RunSpec lab, String runId, Machines machines) {
        if (lab.docker() && docker.status().available()) {
            docker.removeLearnerObjects(runId, machines.containers().get(lab.firstNode()));
            machines.containers().values().forEach(factory::remove);
            docker.finish(runId);
            return;
        }
        machines.containers().values().forEach(factory::remove);
        if (machines.network() != null) {
            removeNetwork(machines.network());
        }
    }

    public void removeContainer(String id) {
        factory.remove(id);
    }

    /** Registers the lab's sandbox profile with the warm pool, if it can be pooled. */
    public void warm(RunSpec lab, String image) {
        if (poolable(lab)) {
            pool.want(poolKey(lab, image));
        }
    }

    public static String networkName(String runId) {
        return "baeum-net-" + runId;
    }

    public void removeNetwork(String name) {
        engine.client().listNetworksCmd().withNameFilter(name).exec().forEach(n -> {
            try {
                engine.client().removeNetworkCmd(n.getId()).exec();
            } catch (RuntimeException e) {
                log.debug("Network {} not removed yet: {}", n.getName(), e.getMessage());
            }
        });
    }

    private String createNetwork(String runId, Map<String, String> labels) {
        String name = networkName(runId);
        if (engine.client().listNetworksCmd().withNameFilter(name).exec().isEmpty()) {
            Map<String, String> networkLabels = new LinkedHashMap<>(labels);
            networkLabels.remove(SandboxLabels.NODE);
            engine.client().createNetworkCmd().withName(name).withDriver("bridge").withLabels(networkLabels).exec();
        }
        return name;
    }

    private void setup(RunSpec lab, Map<String, String> containers, String image, int resets) {
        for (RunSpec.Script setup : lab.setup()) {
            Map<String, String> env = facts.forCheck(lab, policy.limitsFor(lab), image, setup.node(), resets);
            ContainerExec.Result result = exec.run(containers.get(setup.node()),
                    setup.user() == null ? "root" : setup.user(), setup.body(), env,
                    setup.timeout() != null ? setup.timeout() : SETUP_TIMEOUT);
            if (!result.ok()) {
                throw new IllegalStateException("실습 준비 스크립트(" + lab.source() + ":" + setup.line()
                        + ")가 실패했습니다 (종료 코드 " + result.exitCode() + "): " + result.stderr().strip());
            }
        }
    }

    private static boolean poolable(RunSpec lab) {
        return !lab.network() && !lab.docker() && lab.nodes().size() == 1;
    }

    private WarmPool.Key poolKey(RunSpec lab, String image) {
        return new WarmPool.Key(image, policy.limitsFor(lab), lab.capabilities(), lab.firstNode());
    }
}
