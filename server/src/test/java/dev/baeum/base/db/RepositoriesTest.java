package dev.baeum.base.db;

import dev.baeum.content.MarkdownRenderer;
import dev.baeum.content.lab.Lab;
import dev.baeum.content.lab.LabCatalog;
import dev.baeum.runtime.sandbox.SandboxRepository;
import dev.baeum.services.accounts.ApiTokens;
import dev.baeum.services.accounts.Role;
import dev.baeum.services.accounts.User;
import dev.baeum.services.accounts.UserRepository;
import dev.baeum.services.accounts.WebSessions;
import dev.baeum.services.progress.LearnerRecords;
import dev.baeum.services.progress.LearnerRecordsRepository;
import dev.baeum.services.progress.ProgressRepository.CheckRecord;
import dev.baeum.services.progress.ProgressRepository;
import dev.baeum.services.progress.ProgressStats;
import dev.baeum.support.Databases;
import dev.baeum.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repositories' SQL on both databases: the per-dialect upserts (also when requests race), unique
 * violations, generated keys, timestamps, and the queries behind learners' records and the dashboard.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Databases.Kind.class)
class RepositoriesTest {

    @Parameter
    Databases.Kind kind;

    private static Databases.TestDatabase db;
    private static Database database;

    @BeforeParameterizedClassInvocation
    static void open(Databases.Kind kind) {
        db = Databases.create(kind);
        database = db.open();
    }

    @AfterParameterizedClassInvocation
    static void close() {
        if (database != null) {
            database.close();
            database = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }

    private static Sql sql() {
        return database.sql();
    }

    private static User learner() {
        return new UserRepository(sql()).create("u" + UUID.randomUUID().toString().substring(0, 12), "학습자",
                "$2a$10$abcdefghijklmnopqrstuv", Role.LEARNER);
    }

    @Test
    void theDialectIsDetected() {
        assertEquals(kind == Databases.Kind.H2 ? Dialect.H2 : Dialect.POSTGRESQL, database.dialect());
        assertEquals(database.dialect(), sql().dialect());
        assertTrue(database.ping());
    }

    @Test
    void oneLeaseHolderAtATimeUntilItReleasesOrItsTimeRunsOut() throws Exception {
        Leases leases = new Leases(sql());
        String name = "test-" + UUID.randomUUID();
        // eight instances racing for a free lease: exactly one gets it
        List<Boolean> got = concurrently(8, () -> leases.acquire(name, "holder-" + UUID.randomUUID(), Duration.ofMinutes(1)));
        assertEquals(1, got.stream().filter(Boolean::booleanValue).count(), got.toString());

        String other = "test-" + UUID.randomUUID();
        assertTrue(leases.acquire(other, "a", Duration.ofMinutes(1)));
        assertTrue(leases.acquire(other, "a", Duration.ofMinutes(1)), "the holder renews");
        assertFalse(leases.acquire(other, "b", Duration.ofMinutes(1)), "nobody else while it runs");
        leases.release(other, "b");
        assertFalse(leases.acquire(other, "b", Duration.ofMinutes(1)), "only the holder releases");
        leases.release(other, "a");
        assertTrue(leases.acquire(other, "b", Duration.ofMillis(1)), "free after the release");
        Thread.sleep(20);
        assertTrue(leases.acquire(other, "c", Duration.ofMinutes(1)), "and after its time ran out (a killed holder)");
    }

    @Test
    void lessonVisitsCountUpEvenWhenRequestsRace() throws Exception {
        ProgressRepository progress = new ProgressRepository(sql());
        long user = learner().id();
        // 40 visits from 8 threads, the first ones all racing to insert the row
        concurrently(8, () -> {
            for (int i = 0; i < 5; i++) {
                progress.recordVisit(user, "containers");
            }
            return null;
        });
        progress.recordVisit(user, "images");
        assertEquals(Set.of("containers", "images"), progress.visitedLessons(user));
        LearnerRecords records = new LearnerRecordsRepository(sql()).load(user);
        LearnerRecords.Visit containers = records.lessons().stream().filter(v -> v.lesson().equals("containers")).findFirst().orElseThrow();
        assertEquals(40, containers.visits());
        assertTrue(!containers.last().isBefore(containers.first()), containers.toString());
    }

    @Test
    void aTaskIsKeptAtItsFirstPassAndRacingChecksRecordItOnce() throws Exception {
        ProgressRepository progress = new ProgressRepository(sql());
        long user = learner().id();
        progress.recordCheckRun(null, user, "process-isolation", "MANUAL", 12,
                List.of(new CheckRecord("pid1", true, "맞아요", 5), new CheckRecord("count", false, "아직", 4)));
        Instant firstPass = passedAt(user, "pid1");
        progress.recordCheckRun(null, user, "process-isolation", "AUTO", 9,
                List.of(new CheckRecord("pid1", true, "또 맞아요", 5), new CheckRecord("count", true, "이제 맞아요", 4)));
        assertEquals(firstPass, passedAt(user, "pid1"), "done stays done, at the time of the first pass");
        assertEquals(Set.of("pid1", "count"), progress.passedTasks(user, "process-isolation"));
        assertEquals(Map.of("process-isolation", Set.of("pid1", "count")), progress.passedTasks(user));
        Map<String, CheckRecord> latest = progress.latestResults(user, "process-isolation");
        assertEquals("또 맞아요", latest.get("pid1").message());
        assertTrue(latest.get("count").passed());

        concurrently(6, () -> progress.recordCheckRun(null, user, "process-isolation", "AUTO", 3,
                List.of(new CheckRecord("hostname", true, "맞아요", 1))));
        assertEquals(1, sql().count("SELECT COUNT(*) FROM task_progress WHERE user_id = ? AND task_id = 'hostname'", user));
        assertEquals(8, sql().count("SELECT COUNT(*) FROM check_runs WHERE user_id = ?", user));

        LearnerRecords records = new LearnerRecordsRepository(sql()).load(user);
        assertEquals(8, records.checkRuns().size());
        LearnerRecords.CheckRun first = records.checkRuns().get(records.checkRuns().size() - 1);
        assertEquals("MANUAL", first.trigger());
        assertEquals(1, first.passed(), "a boolean counted in a subquery");
        assertEquals(2, first.total());
    }

    @Test
    void uniqueViolationsAreRecognisedOnBoth() {
        UserRepository users = new UserRepository(sql());
        User taken = learner();
        Sql.DataException duplicate = assertThrows(Sql.DataException.class,
                () -> users.create(taken.username(), "또", "$2a$10$x", Role.LEARNER));
        assertTrue(duplicate.isUniqueViolation(), duplicate.getMessage());
        Sql.DataException other = assertThrows(Sql.DataException.class,
                () -> sql().update("INSERT INTO users (display_name, role, created_at) VALUES (NULL, 'GUEST', ?)", Instant.now()));
        assertFalse(other.isUniqueViolation(), "a NOT NULL violation is something else: " + other.getMessage());

        SandboxRepository sandboxes = new SandboxRepository(sql());
        String session = UUID.randomUUID().toString();
        String container = "c" + UUID.randomUUID();
        assertTrue(sandboxes.claim(container, session));
        assertFalse(sandboxes.claim(container, UUID.randomUUID().toString()), "a pooled container is claimed once");
        assertEquals(session, sandboxes.claimedBy(container).orElseThrow());

        // One active session per learner and lab; ended sessions (active_key NULL) do not count.
        long user = learner().id();
        Instant now = Instant.now();
        String first = UUID.randomUUID().toString();
        sandboxes.insert(first, user, "process-isolation", now, now.plusSeconds(60), now.plusSeconds(600));
        Sql.DataException twice = assertThrows(Sql.DataException.class, () -> sandboxes.insert(UUID.randomUUID().toString(),
                user, "process-isolation", now, now.plusSeconds(60), now.plusSeconds(600)));
        assertTrue(twice.isUniqueViolation());
        assertTrue(sandboxes.end(first, "끝"));
        assertFalse(sandboxes.end(first, "끝"), "ending twice reports it");
        String second = UUID.randomUUID().toString();
        sandboxes.insert(second, user, "process-isolation", now, now.plusSeconds(60), now.plusSeconds(600));
        assertTrue(sandboxes.end(second, "끝"));
        sandboxes.insert(UUID.randomUUID().toString(), user, "process-isolation", now, now.plusSeconds(60), now.plusSeconds(600));
        assertEquals(1, sandboxes.activeFor(user).size());
    }

    @Test
    void theFirstInstanceToStoreASecretWins() throws Exception {
        String name = "test-" + UUID.randomUUID();
        List<String> seen = concurrently(8, () -> new Secrets(sql()).get(name, () -> UUID.randomUUID().toString()));
        assertEquals(1, new HashSet<>(seen).size(), "every instance sees the same secret: " + seen);
    }

    @Test
    void generatedKeysAreTheNewRowsIds() {
        UserRepository users = new UserRepository(sql());
        User a = learner();
        User b = users.createGuest();
        assertTrue(b.id() > a.id());
        assertEquals("게스트 " + b.id(), users.find(b.id()).orElseThrow().displayName());
        ApiTokens tokens = new ApiTokens(sql(), users);
        String token = tokens.create(a.id(), "CI");
        long tokenId = tokens.list(a.id()).get(0).id();
        assertEquals(tokenId, sql().one("SELECT id FROM api_tokens WHERE user_id = ?", rs -> rs.getLong(1), a.id()).orElseThrow());
        assertEquals(a.id(), tokens.authenticate(token).orElseThrow().id());
        assertTrue(tokens.list(a.id()).get(0).lastUsedAt() != null, "last use is recorded");
    }

    @Test
    void instantsRoundTripToTheMicrosecond() {
        Instant precise = Instant.parse("2025-03-01T12:34:56.123456789Z");
        long id = sql().insert("INSERT INTO users (display_name, role, created_at) VALUES (?, ?, ?)", "시간", Role.GUEST, precise);
        assertEquals(precise.truncatedTo(ChronoUnit.MICROS),
                sql().one("SELECT created_at FROM users WHERE id = ?", rs -> Sql.instant(rs, "created_at"), id).orElseThrow());
        assertEquals(precise.truncatedTo(ChronoUnit.MICROS), sql().one("SELECT MAX(created_at) AS m FROM users WHERE id = ?",
                rs -> Sql.instant(rs, "m"), id).orElseThrow(), "aggregates too");
        assertEquals(1, sql().count("SELECT COUNT(*) FROM users WHERE id = ? AND created_at = ?", id, precise),
                "a parameter compares equal to what was stored from it");

        WebSessions sessions = new WebSessions(sql());
        String token = sessions.start(id);
        assertEquals(id, sessions.userId(token).orElseThrow());
        sql().update("UPDATE web_sessions SET expires_at = ? WHERE user_id = ?", Instant.now().minusSeconds(1), id);
        assertTrue(sessions.userId(token).isEmpty(), "an expired session no longer logs in");
        assertTrue(sessions.purgeExpired() >= 1);
    }

    @Test
    void learnerRecordsAndDashboardStatsAddUpOnBoth() {
        LabCatalog labs = new LabCatalog(TestApp.root().resolve("labs"), new MarkdownRenderer(), Duration.ZERO);
        Lab lab = labs.find("process-isolation").orElseThrow();
        ProgressRepository progress = new ProgressRepository(sql());
        SandboxRepository sandboxes = new SandboxRepository(sql());
        User user = learner();
        progress.recordVisit(user.id(), "containers");
        progress.recordQuizAnswer(user.id(), "containers", "q1", "2", false);
        progress.recordQuizAnswer(user.id(), "containers", "q1", "1", true);
        progress.recordQuizAnswer(user.id(), "containers", "q2", "3", false);
        assertEquals(Map.of("containers", Set.of("q1")), progress.correctQuizzes(user.id()));
        assertEquals("1", progress.latestQuizAnswers(user.id(), "containers").get("q1").answer());

        String session = UUID.randomUUID().toString();
        Instant now = Instant.now();
        sandboxes.insert(session, user.id(), lab.id(), now, now.plusSeconds(60), now.plusSeconds(600));
        sandboxes.setContainers(session, Map.of("sandbox", "c-" + session));
        sandboxes.started(session, 123, true);
        sandboxes.event(session, user.id(), lab.id(), SandboxRepository.EventKind.START, null, "pool 123ms");
        sandboxes.event(session, user.id(), lab.id(), SandboxRepository.EventKind.HINT, "pid1", "0");
        sandboxes.event(session, user.id(), lab.id(), SandboxRepository.EventKind.SOLUTION, "pid1", null);
        assertEquals(Set.of(0), sandboxes.reveals(user.id(), lab.id()).get("pid1").hints());
        assertTrue(sandboxes.reveals(user.id(), lab.id()).get("pid1").solution());
        var found = sandboxes.find(session).orElseThrow();
        assertTrue(found.fromPool(), "a boolean column");
        assertEquals(123, found.startMillis());
        assertEquals("c-" + session, found.container("sandbox"));
        progress.recordCheckRun(session, user.id(), lab.id(), "MANUAL", 10,
                lab.tasks().stream().map(t -> new CheckRecord(t.id(), true, "맞아요", 1)).toList());

        LearnerRecords records = new LearnerRecordsRepository(sql()).load(user.id());
        assertEquals(user.username(), records.username());
        assertEquals(3, records.quizzes().size());
        assertEquals(lab.tasks().size(), records.tasks().size());
        assertEquals(1, records.sessions().size());
        assertEquals(123, records.sessions().get(0).startMillis());
        assertEquals(List.of("HINT", "SOLUTION"), records.reveals().stream().map(LearnerRecords.Reveal::kind).toList());

        ProgressStats stats = new ProgressStats(sql());
        ProgressStats.LearnerRow row = stats.learners(List.of(lab), List.of()).stream()
                .filter(r -> r.userId() == user.id()).findFirst().orElseThrow();
        assertEquals(1, row.lessonsVisited());
        assertEquals(1, row.quizzesCorrect());
        assertEquals(2, row.quizzesAnswered());
        assertEquals(lab.tasks().size(), row.tasksDone());
        assertTrue(row.lastActive() != null);
        ProgressStats.LabStats labStats = stats.labs(List.of(lab)).get(0);
        assertTrue(labStats.started() >= 1 && labStats.completed() >= 1, labStats.toString());
        assertTrue(labStats.hints() >= 1 && labStats.solutions() >= 1, labStats.toString());
        assertNotEquals(null, labStats.medianToComplete());
    }

    private Instant passedAt(long user, String task) {
        return sql().one("SELECT passed_at FROM task_progress WHERE user_id = ? AND task_id = ?",
                rs -> Sql.instant(rs, "passed_at"), user, task).orElseThrow();
    }

    /** Runs the work on n threads released at once; any thread's failure fails the test. */
    private static <T> List<T> concurrently(int n, Callable<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return work.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
