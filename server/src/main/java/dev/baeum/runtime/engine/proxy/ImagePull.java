package dev.baeum.runtime.engine.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baeum.runtime.engine.ImageRef;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code docker pull}: the engine reaches no registry, so a pull of a catalogue image is answered from the local
 * copy with the progress lines a real pull prints, and any other name is refused with the catalogue's list.
 */
final class ImagePull {

    private final Ctx ctx;

    ImagePull(Ctx ctx) {
        this.ctx = ctx;
    }

    /** Pulls answer from the catalogue, with the progress lines a real pull prints. */
    void pull(ApiRequest r, ClientReply reply) throws IOException {
        if (r.query().has("fromSrc")) {
            throw Refusal.forbidden("docker import 는 이 실습 환경에서 쓸 수 없습니다.");
        }
        String from = r.query().get("fromImage");
        String tag = r.query().get("tag");
        ImageRef ref = ImageRef.parse((from == null ? "" : from) + (tag == null || tag.isEmpty() ? "" : (tag.startsWith("sha256:") ? "@" : ":") + tag))
                .orElseThrow(() -> Refusal.badRequest("invalid reference format: " + from));
        boolean base = ref.digest() == null ? ctx.catalogue.contains(ref)
                : ctx.catalogue.images().stream().anyMatch(c -> c.name().equals(ref.name()));
        Optional<JsonNode> local = base ? ctx.inspectImage(ref.digest() == null ? ref.withDefaultTag().toString() : ref.toString())
                : Optional.empty();
        if (local.isEmpty()) {
            throw Refusal.notFound("이 실습 환경은 인터넷(레지스트리)에 연결되어 있지 않아 " + ref.withDefaultTag()
                    + " 을(를) 받을 수 없습니다. 미리 준비된 이미지만 쓸 수 있습니다: " + ctx.catalogue.describe());
        }
        ImageRef shown = ref.withDefaultTag();
        String repo = shown.domain() == null && !shown.path().contains("/") ? "library/" + shown.path() : shown.path();
        try (OutputStream out = reply.stream(200, "application/json")) {
            line(out, ctx.json.createObjectNode().put("status", "Pulling from " + repo).put("id", shown.tag() == null ? "latest" : shown.tag()));
            JsonNode digests = local.get().path("RepoDigests");
            if (digests.size() > 0) {
                String d = digests.get(0).asText();
                line(out, ctx.json.createObjectNode().put("status", "Digest: " + d.substring(d.indexOf('@') + 1)));
            }
            line(out, ctx.json.createObjectNode().put("status", "Status: Image is up to date for " + shown));
        }
    }

    private static void line(OutputStream out, JsonNode node) throws IOException {
        out.write((node.toString() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
