package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Budget;
import dev.baeum.runtime.engine.Names;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a learner container's files come from: {@code -v}, {@code --mount}, the image's VOLUMEs and tmpfs.
 * Only session volumes (named, anonymous, or behind one of the lab's bind folders) and size-capped tmpfs are
 * mounted; host paths and volume driver options never are.
 */
final class ContainerMounts {

    private static final Pattern TMPFS_SIZE = Pattern.compile("size=([0-9]{1,12})([kmgKMG]?)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ctx ctx;
    private final Budget budget;
    /** Engine names of the anonymous volumes this create makes (recorded on the container for docker rm -v). */
    private final List<String> anonymous = new ArrayList<>();

    ContainerMounts(Ctx ctx) {
        this.ctx = ctx;
        this.budget = ctx.scope.budget();
    }

    List<String> anonymousNames() {
        return anonymous;
    }

    /** {@code -v name:/path[:ro]}: named volumes and the lab's bind folders; host paths are refused. */
    void binds(JsonNode in, ObjectNode mounts, List<String> createVolumes) {
        for (JsonNode b : in.path("Binds")) {
            String spec = b.asText();
            String[] parts = spec.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw Refusal.badRequest("볼륨 지정이 올바르지 않습니다: " + spec);
            }
            String source = parts[0];
            String target = parts[1];
            boolean readOnly = false;
            if (parts.length == 3) {
                for (String mode : parts[2].split(",")) {
                    switch (mode) {
                        case "ro" -> readOnly = true;
                        case "rw", "nocopy", "z", "Z" -> {
                        }
                        default -> throw Refusal.forbidden("볼륨 옵션 '" + mode + "'은(는) 쓸 수 없습니다.");
                    }
                }
            }
            mounts.set(target, volumeMount(source, target, readOnly, createVolumes));
        }
    }

    private ObjectNode volumeMount(String source, String target, boolean readOnly, List<String> createVolumes) {
        checkTarget(target);
        ObjectNode m = ctx.json.createObjectNode();
        m.put("Type", "volume").put("Target", target).put("ReadOnly", readOnly);
        if (source.startsWith("/") || source.startsWith(".") || source.startsWith("~")) {
            String folder = bindFolder(source);
            if (folder == null) {
                throw Refusal.forbidden("호스트 경로(" + source + ")는 마운트할 수 없습니다: 서버의 파일이 보이게 됩니다."
                        + (ctx.scope.bindFolders().isEmpty() ? " 데이터를 남기려면 이름 있는 볼륨(-v 이름:" + target + ")을 쓰세요."
                        : " 이 실습에서 바인드 마운트할 수 있는 폴더: " + String.join(", ", ctx.scope.bindFolders())));
            }
            m.put("Source", bindVolume(folder));
            m.putObject("VolumeOptions").put("NoCopy", true); // a bind mount shows the folder as it is, never the image's files
            return m;
        }
        if (!Names.validObjectName(source)) {
            throw Refusal.badRequest("볼륨 이름이 올바르지 않습니다: " + source);
        }
        m.put("Source", ctx.names.object(source));
        createVolumes.add(ctx.names.object(source));
        return m;
    }

    /** The lab folder a bind source names exactly (a learner's "host" is the lab container), or null. */
    private String bindFolder(String source) {
        String normalized = source.replaceAll("/+$", "");
        for (String folder : ctx.scope.bindFolders()) {
            if (folder.equals(normalized)) {
                return folder;
            }
        }
        return null;
    }

    /** The session volume behind a lab bind folder. */
    String bindVolume(String folder) {
        return ctx.names.object("bind-" + folder.substring(folder.lastIndexOf('/') + 1));
    }

    void mounts(JsonNode in, ObjectNode mounts, List<String> createVolumes) {
        for (JsonNode m : in.path("Mounts")) {
            String type = m.path("Type").asText("volume");
            String target = m.path("Target").asText("");
            Fields.onlyKnown(m, "Mounts.", Set.of("Type", "Source", "Target", "ReadOnly", "Consistency", "VolumeOptions",
                    "TmpfsOptions", "BindOptions"), Map.of());
            switch (type) {
                case "volume" -> {
                    JsonNode opts = m.path("VolumeOptions");
                    if (!Fields.empty(opts.path("DriverConfig").path("Options"))
                            || !opts.path("DriverConfig").path("Name").asText("local").matches("|local")) {
                        throw Refusal.forbidden("볼륨 드라이버 옵션(volume-opt, volume-driver)은 쓸 수 없습니다: "
                                + "type=none,o=bind 같은 옵션은 볼륨을 호스트 경로로 바꿉니다.");
                    }
                    if (!Fields.empty(opts.get("Subpath"))) {
                        throw Refusal.forbidden("volume-subpath 는 쓸 수 없습니다.");
                    }
                    String source = m.path("Source").asText("");
                    if (source.isEmpty()) {
                        checkTarget(target);
                        mounts.set(target, anonymousMount(target, createVolumes));
                    } else {
                        mounts.set(target, volumeMount(source, target, m.path("ReadOnly").asBoolean(false), createVolumes));
                    }
                }
                case "tmpfs" -> {
                    checkTarget(target);
                    long size = m.path("TmpfsOptions").path("SizeBytes").asLong(0);
                    if (size <= 0 || size > budget.tmpfsBytes()) {
                        size = budget.tmpfsBytes();
                    }
                    ObjectNode t = ctx.json.createObjectNode();
                    t.put("Type", "tmpfs").put("Target", target).put("ReadOnly", m.path("ReadOnly").asBoolean(false));
                    ObjectNode o = t.putObject("TmpfsOptions").put("SizeBytes", size);
                    if (m.path("TmpfsOptions").has("Mode")) {
                        o.put("Mode", m.path("TmpfsOptions").path("Mode").asInt());
                    }
                    mounts.set(target, t);
                }
                case "bind" -> {
                    String folder = bindFolder(m.path("Source").asText(""));
                    if (folder == null) {
                        throw Refusal.forbidden("호스트 경로 바인드 마운트(--mount type=bind)는 쓸 수 없습니다: 서버의 파일이 보이게 됩니다."
                                + (ctx.scope.bindFolders().isEmpty() ? "" : " 이 실습에서 바인드 마운트할 수 있는 폴더: "
                                + String.join(", ", ctx.scope.bindFolders())));
                    }
                    mounts.set(target, volumeMount(folder, target, m.path("ReadOnly").asBoolean(false), createVolumes));
                }
                default -> throw Refusal.forbidden("마운트 종류 '" + type + "'은(는) 쓸 수 없습니다.");
            }
        }
    }

    /** Anonymous volumes ({@code -v /data} and the image's VOLUMEs) become labelled session volumes. */
    void anonymous(JsonNode requested, JsonNode declared, ObjectNode mounts, List<String> createVolumes) {
        for (JsonNode volumes : List.of(requested, declared)) {
            if (volumes != null && volumes.isObject()) {
                volumes.fieldNames().forEachRemaining(target -> {
                    if (!mounts.has(target)) {
                        checkTarget(target);
                        mounts.set(target, anonymousMount(target, createVolumes));
                    }
                });
            }
        }
    }

    private ObjectNode anonymousMount(String target, List<String> createVolumes) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String name = ctx.names.object(HexFormat.of().formatHex(random)); // 64 hex characters, as Docker names them
        createVolumes.add(name);
        anonymous.add(name);
        ObjectNode m = ctx.json.createObjectNode();
        m.put("Type", "volume").put("Source", name).put("Target", target).put("ReadOnly", false);
        return m;
    }

    private static void checkTarget(String target) {
        if (target == null || !target.startsWith("/") || target.length() > 1024 || target.contains("\0")) {
            throw Refusal.badRequest("마운트할 경로는 컨테이너 안의 절대 경로여야 합니다: " + target);
        }
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                throw Refusal.badRequest("마운트 경로에 '..' 은 쓸 수 없습니다: " + target);
            }
        }
    }

    void tmpfs(JsonNode in, ObjectNode host) {
        JsonNode t = in.path("Tmpfs");
        if (!t.isObject() || t.isEmpty()) {
            return;
        }
        ObjectNode out = host.putObject("Tmpfs");
        t.fields().forEachRemaining(e -> {
            checkTarget(e.getKey());
            // Every size= counts (the kernel takes the last one), so one small size cannot hide a big one.
            List<String> kept = new ArrayList<>();
            long size = budget.tmpfsBytes();
            for (String opt : e.getValue().asText("").split(",")) {
                if (opt.startsWith("size=")) {
                    Matcher m = TMPFS_SIZE.matcher(opt);
                    long asked = m.matches() ? bytes(m.group(1), m.group(2)) : 0;
                    size = asked > 0 && asked <= budget.tmpfsBytes() ? asked : budget.tmpfsBytes();
                } else if (!opt.isEmpty()) {
                    kept.add(opt);
                }
            }
            kept.add("size=" + size);
            String opts = String.join(",", kept);
            if (!opts.matches("[a-zA-Z0-9=,_.-]*")) {
                throw Refusal.badRequest("tmpfs 옵션이 올바르지 않습니다: " + opts);
            }
            out.put(e.getKey(), opts);
        });
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }
}
