package dev.baeum.runtime.sandbox;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.baeum.base.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds lab images from their Dockerfiles, tagged by a hash of everything that goes into them, so an
 * unchanged lab never rebuilds and a changed one always does. Builds run one at a time in the background
 * (a 2-core server should keep answering while it builds); their progress is visible to waiting learners.
 */
public final class LabImages implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabImages.class);
    public static final String REPOSITORY = "baeum-lab/";
    private static final Pattern FROM_OURS = Pattern.compile("(?im)^\\s*FROM\\s+baeum-lab/([a-z0-9-]+)(?::\\S+)?");
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+)");
    private static final int LOG_LINES = 300;
    /** Longest a caller waits for an image build (a first build installs Debian packages; slow on a slow box). */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(15);

    public enum State { QUEUED, BUILDING, READY, FAILED, UNAVAILABLE }

    /** What a learner waiting for a lab sees: state, step i of n, the tail of the log. */
    public record Status(State state, String tag, int step, int steps, List<String> log, String message) {
        public boolean ready() {
            return state == State.READY;
        }
    }

    private static final class Build {
        final String tag;
        final CompletableFuture<String> future = new CompletableFuture<>();
        volatile State state = State.QUEUED;
        volatile int step;
        volatile int steps;
        volatile String message;
        final Deque<String> log = new ArrayDeque<>();

        Build(String tag) {
            this.tag = tag;
        }

        synchronized void line(String line) {
            Matcher m = STEP.matcher(line);
            if (m.find()) {
                step = Integer.parseInt(m.group(1));
                steps = Integer.parseInt(m.group(2));
            }
            log.addLast(line);
            while (log.size() > LOG_LINES) {
                log.removeFirst();
            }
        }

        synchronized List<String> tail() {
            return List.copyOf(log);
        }
    }

    private final DockerEngine engine;
    private final Path sharedImages;
    private final Metrics metrics;
    private final Map<String, Build> builds = new ConcurrentHashMap<>();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baeum-image-builder");
        t.setDaemon(true);
        return t;
    });

    /** @param sharedImages the folder of shared images ({@code labs/images}), one folder with a Dockerfile each */
    public LabImages(DockerEngine engine, Path sharedImages, Metrics metrics) {
        this.engine = engine;
        this.sharedImages = sharedImages.toAbsolutePath().normalize();
        this.metrics = metrics;
    }

    /** The tag this image has when built from the files as they are now. */
    public String tagFor(RunSpec.ImageSpec spec) {
        return REPOSITORY + spec.name() + ":" + hash(spec);
    }

    /** Starts building (if needed) and reports where it stands. */
    public Status status(RunSpec.ImageSpec spec) {
        if (!engine.available()) {
            return new Status(State.UNAVAILABLE, null, 0, 0, List.of(), engine.status().problem());
        }
        String tag = tagFor(spec);
        Build build = builds.get(tag);
        if (build == null) {
            ensure(spec);
            build = builds.get(tag);
        }
        return new Status(build.state, tag, build.step, build.steps, build.tail(), build.message);
    }

    /**
     * Waits for {@link #ensure}: for callers that need the image now (grading, self-test). A failed or slow
     * build becomes a Korean {@link LabsUnavailableException} rather than a wrapped ExecutionException.
     */
    public String await(RunSpec.ImageSpec spec) {
        try {
            return ensure(spec).get(BUILD_WAIT.toMinutes(), TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LabsUnavailableException known ? known
                    : new LabsUnavailableException("실습 이미지를 빌드하지 못했습니다: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new LabsUnavailableException("실습 이미지 빌드가 " + BUILD_WAIT.toMinutes() + "분 안에 끝나지 않았습니다.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabsUnavailableException("실습 이미지 준비가 취소되었습니다.");
        }
    }

    /** The image's tag once it exists; builds it (and any baeum-lab image it starts FROM) if not. */
    public CompletableFuture<String> ensure(RunSpec.ImageSpec spec) {
        if (!engine.available()) {
            return CompletableFuture.failedFuture(new LabsUnavailableException(engine.status().problem()));
        }
        String tag = tagFor(spec);
        Build existing = builds.get(tag);
        if (existing != null) {
            return existing.future;
        }
        Build build = new Build(tag);
        Build raced = builds.putIfAbsent(tag, build);
        if (raced != null) {
            return raced.future;
        }
        if (imageExists(tag)) {
            build.state = State.READY;
            build.future.complete(tag);
            return build.future;
        }
        List<CompletableFuture<String>> dependencies = new ArrayList<>();
        for (RunSpec.ImageSpec dep : dependencies(spec)) {
            dependencies.add(ensure(dep));
        }
        CompletableFuture.allOf(dependencies.toArray(CompletableFuture[]::new)).whenComplete((ok, depFailure) -> {
            if (depFailure != null) {
                build.state = State.FAILED;
                build.message = "이 이미지가 바탕으로 삼는 이미지를 빌드하지 못했습니다.";
                build.future.completeExceptionally(depFailure);
                return;
            }
            builder.submit(() -> run(spec, build));
        });
        return build.future;
    }

    private void run(RunSpec.ImageSpec spec, Build build) {
        build.state = State.BUILDING;
        long started = System.nanoTime();
        String latest = REPOSITORY + spec.name() + ":latest";
        log.info("Building lab image {}", build.tag);
        try {
            BuildImageResultCallback callback = engine.client().buildImageCmd()
                    .withBaseDirectory(spec.contextDir().toFile())
                    .withDockerfile(spec.dockerfile().toFile())
                    .withTags(Set.of(build.tag, latest))
                    .withLabels(Map.of("baeum.image", spec.name(), "baeum.managed-image", "true"))
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            if (item.getStream() != null) {
                                for (String line : item.getStream().split("\n")) {
                                    if (!line.isBlank()) {
                                        build.line(line.stripTrailing());
                                    }
                                }
                            }
                            if (item.getErrorDetail() != null) {
                                build.line("오류: " + item.getErrorDetail().getMessage());
                            }
                            super.onNext(item);
                        }
                    });
            callback.awaitImageId();
            build.state = State.READY;
            log.info("Built {} in {} s", build.tag, (System.nanoTime() - started) / 1_000_000_000);
            metrics.build("lab-image", true, Duration.ofNanos(System.nanoTime() - started));
            build.future.complete(build.tag);
            removeOutdated(spec.name(), build.tag);
        } catch (RuntimeException e) {
            build.state = State.FAILED;
            build.message = "실습 이미지를 빌드하지 못했습니다: " + e.getMessage();
            log.warn("Building {} failed: {}", build.tag, e.getMessage());
            metrics.build("lab-image", false, Duration.ofNanos(System.nanoTime() - started));
            build.future.completeExceptionally(new LabsUnavailableException(build.message));
        }
    }

    /** Earlier builds of an image whose files changed are of no further use; ones still in use stay. */
    private void removeOutdated(String name, String current) {
        for (var image : engine.client().listImagesCmd().withImageNameFilter(REPOSITORY + name).exec()) {
            String[] tags = image.getRepoTags() == null ? new String[0] : image.getRepoTags();
            boolean keep = java.util.Arrays.stream(tags).anyMatch(t -> t.equals(current) || t.endsWith(":latest"));
            if (!keep) {
                try {
                    engine.client().removeImageCmd(image.getId()).exec();
                    log.info("Removed outdated lab image {}", String.join(", ", tags));
                } catch (RuntimeException inUse) {
                    log.debug("Outdated image {} still in use: {}", String.join(", ", tags), inUse.getMessage());
                }
            }
        }
    }

    private boolean imageExists(String tag) {
        try {
            engine.client().inspectImageCmd(tag).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Shared images this Dockerfile builds FROM, e.g. {@code FROM baeum-lab/base}. */
    private List<RunSpec.ImageSpec> dependencies(RunSpec.ImageSpec spec) {
        List<RunSpec.ImageSpec> deps = new ArrayList<>();
        Matcher m = FROM_OURS.matcher(read(spec.dockerfile()));
                while (m.find()) {
            String name = m.group(1);
            if (!name.equals(spec.name())) {
                deps.add(new RunSpec.ImageSpec(name, sharedImages.resolve(name).resolve("Dockerfile"), sharedImages, true));
            }
        }
        return deps;
    }

    /** SHA-256 over the Dockerfile's path and every file of its context, plus the hashes of its bases. */
    String hash(RunSpec.ImageSpec spec) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Path context = spec.contextDir();
            digest.update(context.relativize(spec.dockerfile()).toString().getBytes(StandardCharsets.UTF_8));
            List<Path> files;
            try (Stream<Path> walk = Files.walk(context)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p -> spec.shared() || !p.getFileName().toString().equals("lab.md"))
                        .sorted()
                        .toList();
            }
            for (Path file : files) {
                digest.update(context.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            for (RunSpec.ImageSpec dep : dependencies(spec)) {
                digest.update(hash(dep).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new LabsUnavailableException("실습 이미지 파일을 읽을 수 없습니다: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }
}
