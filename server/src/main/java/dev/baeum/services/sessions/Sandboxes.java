package dev.baeum.services.sessions;

import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.DockerLabs;
import dev.baeum.runtime.sandbox.LabImages;
import dev.baeum.runtime.sandbox.LabLauncher;
import dev.baeum.runtime.sandbox.LabsUnavailableException;
import dev.baeum.runtime.sandbox.SandboxAccessException;
import dev.baeum.runtime.sandbox.SandboxLabels;
import dev.baeum.runtime.sandbox.SandboxPolicy;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.runtime.sandbox.SandboxSession;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.baeum.base.db.Sql;
import dev.baeum.content.lab.Lab;
import dev.baeum.services.accounts.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Learners' lab sessions: open (or reattach), reset, extend, end. One active session per learner per
 * lab; the database and the containers' labels are the record, so any server instance can pick up where
 * another left off.
 */
public final class Sandboxes {

    private static final Logger log = LoggerFactory.getLogger(Sandboxes.class);
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(20);

    /** What opening a lab gave: a running session, or an image still being built. */
    public sealed interface Opened permits Opened.Ready, Opened.Building {
        record Ready(SandboxSession session) implements Opened {
        }

        record Building(LabImages.Status status) implements Opened {
        }
    }

    private final DockerEngine engine;
    private final LabImages images;
    private final LabLauncher launcher;
    private final SandboxRepository repository;
    private final SandboxPolicy policy;
    /** Only throttles activity writes; losing it loses nothing. */
    private final Map<String, Instant> lastTouch = new ConcurrentHashMap<>();

    public Sandboxes(DockerEngine engine, LabImages images, LabLauncher launcher, SandboxRepository repository,
                     SandboxPolicy policy) {
        this.engine = engine;
        this.images = images;
        this.launcher = launcher;
        this.repository = repository;
        this.policy = policy;
    }

    public SandboxPolicy policy() {
        return policy;
    }

    public Opened open(User user, Lab lab) {
        requireRunnable(lab);
        Optional<SandboxSession> existing = repository.findActive(user.id(), lab.id());
        if (existing.isPresent()) {
            if (alive(existing.get())) {
                if (lab.docker()) {
                    launcher.docker().adopt(existing.get(), LabRuns.of(lab)); // its server may have gone; this one serves it then
                }
                return new Opened.Ready(existing.get());
            }
            finish(existing.get(), "컨테이너가 멈춰서 새 실습 환경을 열었습니다.");
        }
        LabImages.Status status = images.status(LabRuns.image(lab.image()));
        if (status.state() == LabImages.State.FAILED || status.state() == LabImages.State.UNAVAILABLE) {
            throw new LabsUnavailableException(status.message());
        }
        if (!status.ready()) {
            return new Opened.Building(status);
        }
        launcher.warm(LabRuns.of(lab), status.tag()); // from now on keep a container of this lab ready for the next learner
        if (user.isGuest() && !repository.activeFor(user.id()).isEmpty()) {
            throw new LabsUnavailableException("게스트는 실습을 한 번에 하나만 열 수 있습니다. "
                    + "열려 있는 다른 실습을 끝내거나, 가입하면 여러 실습을 동시에 열 수 있습니다.");
        }
        String sessionId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Duration lifetime = lifetime(user);
        Duration length = lab.timeLimit() != null ? lab.timeLimit() : SandboxPolicy.SESSION_LENGTH;
        Instant expires = now.plus(length.compareTo(lifetime) < 0 ? length : lifetime);
        try {
            repository.insert(sessionId, user.id(), lab.id(), now, now.plus(policy.idleTimeout()), expires);
        } catch (Sql.DataException e) {
            if (e.isUniqueViolation()) { // the same learner opened it in another tab a moment ago
                return repository.findActive(user.id(), lab.id()).<Opened>map(Opened.Ready::new)
                        .orElseThrow(() -> e);
            }
            throw e;
        }
        if (repository.countActive() > policy.maxSessions()) {
            repository.delete(sessionId);
            throw new LabsUnavailableException("지금은 동시에 열 수 있는 실습 환경(" + policy.maxSessions()
                    + "개)이 모두 사용 중입니다. 몇 분 뒤 다시 시도해 주세요.");
        }
        if (user.isGuest() && repository.countActiveGuests() > policy.guestMaxSessions()) {
            repository.delete(sessionId); // guests get a share only, so a flood of them cannot lock out learners
            throw new LabsUnavailableException(policy.guestMaxSessions() == 0
                    ? "이 서버에서는 게스트가 실습 환경을 열 수 없습니다. 가입하면 바로 실습을 열 수 있습니다."
                    : "지금은 게스트용 실습 환경(" + policy.guestMaxSessions() + "개)이 모두 사용 중입니다. "
                            + "가입하면 바로 실습을 열 수 있고, 게스트로는 몇 분 뒤 다시 시도해 주세요.");
        }
        try {
            LabLauncher.Machines started = launch(lab, sessionId, user.id(), status.tag(), 0, now.plus(lifetime));
            repository.setContainers(sessionId, started.containers());
            repository.started(sessionId, started.startMillis(), started.fromPool());
            repository.event(sessionId, user.id(), lab.id(), SandboxRepository.EventKind.START, null,
                    (started.fromPool() ? "pool " : "cold ") + started.startMillis() + "ms");
        } catch (RuntimeException e) {
            repository.end(sessionId, "시작 실패");
            log.warn("Starting lab {} for user {} failed", lab.id(), user.id(), e);
            throw new LabsUnavailableException("실습 환경을 시작하지 못했습니다: " + e.getMessage());
        }
        return new Opened.Ready(repository.find(sessionId).orElseThrow());
    }

    /** Throws away the session's containers and starts fresh ones; the session id stays. */
    public SandboxSession reset(User user, String sessionId, Lab lab) {
        SandboxSession session = owned(user, sessionId);
        requireRunnable(lab);
        LabImages.Status status = images.status(LabRuns.image(lab.image()));
        if (!status.ready()) {
            throw new LabsUnavailableException("실습 이미지가 아직 준비되지 않았습니다. 잠시 뒤 다시 시도해 주세요.");
        }
        // Counted before the old containers go, so a terminal that loses its container can tell a reset
        // from its shell ending (TerminalHub), on whichever instance it is attached.
        repository.reset(sessionId, Instant.now().plus(policy.idleTimeout()));
        removeContainers(session);
        LabLauncher.Machines started = launch(lab, sessionId, user.id(), status.tag(), session.resets() + 1,
                session.createdAt().plus(lifetime(user)));
        repository.setContainers(sessionId, started.containers());
        repository.started(sessionId, started.startMillis(), started.fromPool());
        repository.event(sessionId, user.id(), lab.id(), SandboxRepository.EventKind.RESET, null,
                started.startMillis() + "ms");
        return repository.find(sessionId).orElseThrow();
    }

    public SandboxSession extend(User user, String sessionId) {
        SandboxSession session = owned(user, sessionId);
        Instant cap = session.createdAt().plus(lifetime(user));
        Instant wanted = session.expiresAt().plus(SandboxPolicy.EXTEND_STEP);
        Instant expires = wanted.isAfter(cap) ? cap : wanted;
        if (!expires.isAfter(session.expiresAt().plusSeconds(30))) {
            throw new LabsUnavailableException("이 실습 환경은 더 연장할 수 없습니다 (최대 "
                    + lifetime(user).toMinutes() + "분). 필요하면 새로 시작해 주세요.");
        }
        Instant now = Instant.now();
        repository.extend(sessionId, expires, now.plus(policy.idleTimeout()));
        repository.event(sessionId, user.id(), session.labId(), SandboxRepository.EventKind.EXTEND, null, expires.toString());
        return repository.find(sessionId).orElseThrow();
    }

    public void end(User user, String sessionId) {
        SandboxSession session = owned(user, sessionId);
        finish(session, "학습자가 종료했습니다.");
        repository.event(sessionId, user.id(), session.labId(), SandboxRepository.EventKind.END, null, null);
    }

    /** Ends a session from anywhere (reaper, restart): containers removed, state recorded. */
    public void finish(SandboxSession session, String reason) {
        if (engine.available()) {
            removeContainers(session);
            launcher.removeNetwork(LabLauncher.networkName(session.id()));
        }
        repository.end(session.id(), reason);
        lastTouch.remove(session.id());
    }

    public Optional<SandboxSession> find(String sessionId) {
        return repository.find(sessionId);
    }

    public Optional<SandboxSession> active(User user, Lab lab) {
        return repository.findActive(user.id(), lab.id());
    }

    /** Terminal input keeps a session alive; written at most every 20 s per session. */
    public void touch(String sessionId) {
        Instant now = Instant.now();
        Instant last = lastTouch.get(sessionId);
        if (last == null || Duration.between(last, now).compareTo(TOUCH_EVERY) >= 0) {
            lastTouch.put(sessionId, now);
            repository.touch(sessionId, now, now.plus(policy.idleTimeout()));
        }
    }

    /** True when every container of the session is running and its time has not run out. */
    public boolean alive(SandboxSession session) {
        if (!session.active() || session.deadline().isBefore(Instant.now()) || session.containers().isEmpty()) {
            return false;
        }
        return session.containers().values().stream().allMatch(this::running);
    }

    /** True when the container exists and runs (a reset removes the old one before its successor is recorded). */
    public boolean running(String containerId) {
        try {
            InspectContainerResponse c = engine.client().inspectContainerCmd(containerId).exec();
            return c.getState() != null && Boolean.TRUE.equals(c.getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The limits this lab's sandbox runs under. */
    public SandboxPolicy.Limits limits(Lab lab) {
        return policy.limitsFor(LabRuns.of(lab));
    }

    private LabLauncher.Machines launch(Lab lab, String sessionId, long userId, String image, int resets,
                                        Instant hardExpiry) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SandboxLabels.MANAGED, "true");
        labels.put(SandboxLabels.SCOPE, policy.scope());
        labels.put(SandboxLabels.OWNER, String.valueOf(userId));
        labels.put(SandboxLabels.LAB, lab.id());
        labels.put(SandboxLabels.SESSION, sessionId);
        labels.put(SandboxLabels.EXPIRES, String.valueOf(hardExpiry.getEpochSecond()));
        return launcher.launch(LabRuns.of(lab), image, sessionId, labels, resets, true);
    }

    /**
     * Removes the session's containers. In docker labs, what the learner started goes first (it runs under the
     * lab container's cgroup), and the session's engine socket, network and folder go after.
     */
    private void removeContainers(SandboxSession session) {
        DockerLabs docker = launcher.docker();
        String first = session.containers().values().stream().findFirst().orElse(null);
        if (docker.status().available()) {
            docker.removeLearnerObjects(session.id(), first);
        }
        for (String id : session.containers().values()) {
            launcher.removeContainer(id);
            repository.forgetClaim(id);
        }
        if (docker.status().available()) {
            docker.finish(session.id());
        }
    }

    private Duration lifetime(User user) {
        return user.isGuest() ? policy.guestLifetime() : policy.maxLifetime();
    }

    private SandboxSession owned(User user, String sessionId) {
        SandboxSession session = repository.find(sessionId)
                .filter(s -> s.userId() == user.id())
                .orElseThrow(() -> new SandboxAccessException("이 실습 환경에 접근할 수 없습니다."));
        if (!session.active()) {
            throw new LabsUnavailableException("이미 끝난 실습 환경입니다. 새로 시작해 주세요.");
        }
        return session;
    }

    private void requireRunnable(Lab lab) {
        if (!engine.available()) {
            throw new LabsUnavailableException(engine.status().problem());
        }
        if (lab.hasErrors() || lab.image() == null) {
            throw new LabsUnavailableException("이 실습 파일에 오류가 있어 시작할 수 없습니다. 강사에게 알려 주세요.");
        }
    }
}
