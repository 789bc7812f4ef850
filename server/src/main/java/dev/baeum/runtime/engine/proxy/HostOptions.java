package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baeum.runtime.engine.Names;

import java.util.List;
import java.util.Locale;

/**
 * The HostConfig options that are neither limits, mounts, network nor ports: namespaces (never the host's),
 * restart policy, --rm, --init, volumes-from and links (only to the session's containers), DNS and extra hosts.
 */
final class HostOptions {

    private final Ctx ctx;

    HostOptions(Ctx ctx) {
        this.ctx = ctx;
    }

    /** The remaining host options: namespaces, restart policy, links, DNS and the like. */
    void apply(JsonNode in, ObjectNode host) {
        for (String f : List.of("PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode")) {
            String v = in.path(f).asText("");
            if (v.equals("host")) {
                throw Refusal.forbidden(f.replace("Mode", "").toLowerCase(Locale.ROOT) + "=host 는 서버의 "
                        + "네임스페이스를 그대로 쓰게 되므로 쓸 수 없습니다.");
            }
            if (v.startsWith("container:") && (f.equals("PidMode") || f.equals("IpcMode"))) {
                host.put(f, "container:" + ctx.container(v.substring("container:".length())));
            } else if (f.equals("IpcMode") && v.matches("|private|none|shareable")) {
                if (!v.isEmpty()) {
                    host.put(f, v);
                }
            } else if (f.equals("CgroupnsMode") && v.matches("|private")) {
                if (!v.isEmpty()) {
                    host.put(f, v);
                }
            } else if (!v.isEmpty()) {
                throw Refusal.forbidden(f + "=" + v + " 은(는) 쓸 수 없습니다.");
            }
        }
        JsonNode restart = in.path("RestartPolicy");
        String policy = restart.path("Name").asText("");
        if (!policy.isEmpty() && !policy.equals("no")) {
            if (!policy.matches("always|unless-stopped|on-failure")) {
                throw Refusal.badRequest("재시작 정책이 올바르지 않습니다: " + policy);
            }
            host.putObject("RestartPolicy").put("Name", policy)
                    .put("MaximumRetryCount", Math.min(10, Math.max(0, restart.path("MaximumRetryCount").asInt(0))));
        }
        if (in.path("AutoRemove").asBoolean(false)) {
            host.put("AutoRemove", true);
        }
        if (in.path("ReadonlyRootfs").asBoolean(false)) {
            host.put("ReadonlyRootfs", true);
        }
        if (in.path("Init").asBoolean(false)) {
            host.put("Init", true);
        }
        String driver = in.path("VolumeDriver").asText("");
        if (!driver.isEmpty() && !driver.equals("local")) {
            throw Refusal.forbidden("볼륨 드라이버(--volume-driver)는 바꿀 수 없습니다.");
        }
        int oom = in.path("OomScoreAdj").asInt(0);
        if (oom < 0) {
            throw Refusal.forbidden("--oom-score-adj 를 음수로 해서 OOM 킬러를 피할 수는 없습니다.");
        }
        if (oom > 0) {
            host.put("OomScoreAdj", Math.min(1000, oom));
        }
        ArrayNode from = host.putArray("VolumesFrom");
        for (JsonNode v : in.path("VolumesFrom")) {
            String[] parts = v.asText().split(":", 2);
            String mode = parts.length == 2 ? parts[1] : null;
            if (mode != null && !mode.matches("ro|rw")) {
                throw Refusal.badRequest("--volumes-from 옵션이 올바르지 않습니다: " + v.asText());
            }
            from.add(ctx.container(parts[0]) + (mode == null ? "" : ":" + mode));
        }
        ArrayNode links = host.putArray("Links");
        for (JsonNode l : in.path("Links")) {
            String[] parts = l.asText().split(":", 2);
            String target = ctx.container(parts[0].replaceFirst("^/", ""));
            String alias = parts.length == 2 ? parts[1].replaceFirst("^.*/", "") : parts[0];
            if (!Names.validObjectName(alias)) {
                throw Refusal.badRequest("--link 별칭이 올바르지 않습니다: " + alias);
            }
            links.add(target + ":" + alias);
        }
        if (!in.path("DnsOptions").isArray() || in.path("DnsOptions").isEmpty()) {
            // Session networks have no way out, so the engine's DNS waits on resolvers it cannot reach: fail fast.
            host.putArray("DnsOptions").add("timeout:1").add("attempts:1");
        }
        for (String f : List.of("Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd")) {
            JsonNode v = in.path(f);
            if (v.isArray() && !v.isEmpty()) {
                if (v.size() > 50) {
                    throw Refusal.badRequest(f + " 항목이 너무 많습니다.");
                }
                for (JsonNode x : v) {
                    if (x.asText().length() > 256 || !x.asText().matches("[\\w.:/=+@-]*")) {
                        throw Refusal.badRequest(f + " 값이 올바르지 않습니다: " + x.asText());
                    }
                }
                host.set(f, v);
            }
        }
        if (in.path("ConsoleSize").isArray()) {
            host.set("ConsoleSize", in.get("ConsoleSize"));
        }
    }
}
