package dev.baeum.runtime.engine;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A session's namespace on the shared engine. Learners name things freely ({@code web}, {@code myapp});
 * the engine sees them under the session's prefix ({@code b1a2b3c4d5e.web}, {@code b1a2b3c4d5e/myapp}),
 * so two learners can use the same names, and every answer is translated back before the learner sees it.
 */
public final class Names {

    /** Container, network and volume names, as Docker validates them. */
    private static final Pattern OBJECT = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final int MAX_OBJECT = 128;

    private final String prefix;

    public Names(String prefix) {
        if (!prefix.matches("[a-z0-9]{6,20}")) {
            throw new IllegalArgumentException("bad namespace prefix: " + prefix);
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public static boolean validObjectName(String name) {
        return name != null && name.length() <= MAX_OBJECT && OBJECT.matcher(name).matches();
    }

    /** The engine's name for a learner's container, network or volume. */
    public String object(String learnerName) {
        if (!validObjectName(learnerName)) {
            throw new IllegalArgumentException("invalid name: " + learnerName);
        }
        return prefix + "." + learnerName;
    }

    /** The learner's name for an engine object name (a leading '/' of container names is kept), if it is ours. */
    public Optional<String> learnerObject(String engineName) {
        if (engineName == null) {
            return Optional.empty();
        }
        boolean slash = engineName.startsWith("/");
        String bare = slash ? engineName.substring(1) : engineName;
        if (!bare.startsWith(prefix + ".")) {
            return Optional.empty();
        }
        return Optional.of((slash ? "/" : "") + bare.substring(prefix.length() + 1));
    }

    /** True when the learner's reference can be kept in this namespace reversibly. */
    public static boolean namespaceable(ImageRef ref) {
        if (ref.path().contains("__")) {
            return false;
        }
        return ref.domain() == null || ref.domain().equals(ref.domain().toLowerCase(java.util.Locale.ROOT));
    }

    /** The engine's repository name for a learner's image name ({@code localhost:5000/app} → {@code p/localhost__5000/app}). */
    public String repository(ImageRef ref) {
        if (!namespaceable(ref)) {
            throw new IllegalArgumentException("not namespaceable: " + ref);
        }
        String domain = ref.domain() == null ? "" : ref.domain().replace(":", "__") + "/";
        return prefix + "/" + domain + ref.path();
    }

    /** The engine's {@code repository:tag} for a learner's tagged reference. */
    public String image(ImageRef ref) {
        ImageRef tagged = ref.withDefaultTag();
        return repository(tagged) + (tagged.tag() == null ? "" : ":" + tagged.tag());
    }

    /** The learner's reference for an engine {@code repository[:tag]}, if it is in this namespace. */
    public Optional<ImageRef> learnerImage(String engineRef) {
        if (engineRef == null || !engineRef.startsWith(prefix + "/")) {
            return Optional.empty();
        }
        String rest = engineRef.substring(prefix.length() + 1);
        int slash = rest.indexOf('/');
        if (slash > 0 && rest.substring(0, slash).contains("__")) {
            rest = rest.substring(0, slash).replace("__", ":") + rest.substring(slash);
        }
        return ImageRef.parse(rest);
    }

    /** Free text from the engine (errors, build output) with the namespace taken out. */
    public String scrub(String text) {
        if (text == null || text.indexOf(prefix) < 0) {
            return text;
        }
        return text.replace(prefix + "/", "").replace(prefix + ".", "");
    }
}
