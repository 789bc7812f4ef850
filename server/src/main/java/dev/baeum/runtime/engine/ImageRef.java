package dev.baeum.runtime.engine;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference as the Docker CLI understands it ({@code [registry/]path[:tag][@digest]}), in its
 * familiar form: {@code docker.io/library/debian} is {@code debian}. Parsing follows the distribution
 * reference grammar; anything else is not an image name.
 */
public record ImageRef(String domain, String path, String tag, String digest) {

    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final int MAX_NAME = 255;

    /** The reference, or empty when the text is not a valid image reference. */
    public static Optional<ImageRef> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 512) {
            return Optional.empty();
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.empty();
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.empty();
            }
        }
        if (rest.isEmpty() || rest.length() > MAX_NAME) {
            return Optional.empty();
        }
        String domain = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase(Locale.ROOT))) {
                if (!validDomain(first)) {
                    return Optional.empty();
                }
                domain = first;
                rest = rest.substring(slash + 1);
            }
        }
        for (String component : rest.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return Optional.empty();
            }
        }
        if (domain != null && (domain.equals("docker.io") || domain.equals("index.docker.io"))) {
            domain = null;
        }
        if (domain == null && rest.startsWith("library/") && rest.indexOf('/', "library/".length()) < 0) {
            rest = rest.substring("library/".length());
        }
        return Optional.of(new ImageRef(domain, rest, tag, digest));
    }

    private static boolean validDomain(String domain) {
        String host = domain;
        int colon = domain.lastIndexOf(':');
        if (colon >= 0) {
            if (!PORT.matcher(domain.substring(colon + 1)).matches()) {
                return false;
            }
            host = domain.substring(0, colon);
        }
        for (String part : host.split("\\.", -1)) {
            if (!DOMAIN_COMPONENT.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {@code registry/path} without tag or digest. */
    public String name() {
        return domain == null ? path : domain + "/" + path;
    }

    /** With {@code :latest} when neither a tag nor a digest was given, as the CLI does. */
    public ImageRef withDefaultTag() {
        return tag == null && digest == null ? new ImageRef(domain, path, "latest", null) : this;
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
