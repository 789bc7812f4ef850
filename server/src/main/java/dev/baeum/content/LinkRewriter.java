package dev.baeum.content;

import org.jsoup.nodes.Element;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns what instructors write ({@code lab:id}, {@code lesson:slug}, {@code 02-vm.md}, {@code images/a.svg})
 * into site URLs, and resolves files beside a document without letting a path leave the content folder.
 */
public final class LinkRewriter {

    private static final Pattern LAB_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private LinkRewriter() {
    }

    static void rewrite(MarkdownRenderer.Source source, Element body) {
        for (Element a : body.select("a[href]")) {
            String href = a.attr("href").trim();
            a.attr("href", rewriteHref(source, href));
            if (href.startsWith("http://") || href.startsWith("https://")) {
                a.attr("target", "_blank");
                a.attr("rel", "noopener noreferrer");
            }
        }
        for (Element img : body.select("img[src]")) {
            String asset = assetUrl(source, img.attr("src").trim());
            if (asset != null) {
                img.attr("src", asset);
            }
            img.attr("loading", "lazy");
        }
    }

    private static String rewriteHref(MarkdownRenderer.Source source, String href) {
        String lower = href.toLowerCase(Locale.ROOT);
        if (lower.startsWith("lab:")) {
            String id = href.substring(4).trim();
            return LAB_ID.matcher(id).matches() ? "/labs/" + id : href;
        }
        if (lower.startsWith("lesson:")) {
            return "/lessons/" + encodeSegment(href.substring(7).trim());
        }
        if (isRelativeFile(href)) {
            String path = href;
            String fragment = "";
            int hash = href.indexOf('#');
            if (hash >= 0) {
                path = href.substring(0, hash);
                fragment = href.substring(hash);
            }
            if (path.toLowerCase(Locale.ROOT).endsWith(".md")) {
                String name = Path.of(decode(path)).getFileName().toString();
                return "/lessons/" + encodeSegment(LessonFiles.slug(name)) + fragment;
            }
            String asset = assetUrl(source, path);
            return asset == null ? href : asset + fragment;
        }
        return href;
    }

    /** A relative (or site-root) path to a file beside the document, as a served URL; null when not one. */
    private static String assetUrl(MarkdownRenderer.Source source, String target) {
        if (source.assetRoot() == null || !(isRelativeFile(target) || isSiteRoot(target))) {
            return null;
        }
        Path resolved = resolveAsset(source.file(), source.assetRoot(), target);
        if (resolved == null || !Files.isRegularFile(resolved)) {
            return null;
        }
        StringBuilder url = new StringBuilder(source.assetUrlPrefix());
        Path relative = source.assetRoot().toAbsolutePath().normalize().relativize(resolved);
        for (int i = 0; i < relative.getNameCount(); i++) {
            if (i > 0) {
                url.append('/');
            }
            url.append(encodeSegment(relative.getName(i).toString()));
        }
        return url.toString();
    }

    /**
     * Resolves a link target against the document's folder (or the asset root for {@code /paths}); null if
     * it escapes the asset root.
     */
    public static Path resolveAsset(Path file, Path assetRoot, String target) {
        String path = decode(stripQuery(target));
        Path root = assetRoot.toAbsolutePath().normalize();
        Path resolved = isSiteRoot(path)
                ? root.resolve(path.substring(1)).normalize()
                : file.toAbsolutePath().getParent().resolve(path).normalize();
        return resolved.startsWith(root) ? resolved : null;
    }

    public static boolean isRelativeFile(String href) {
        if (href.isEmpty() || href.startsWith("#") || href.startsWith("/") || href.startsWith("?")) {
            return false;
        }
        return !href.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    }

    static boolean isSiteRoot(String href) {
        return href.startsWith("/") && !href.startsWith("//");
    }

    private static String stripQuery(String target) {
        int cut = target.length();
        for (char c : new char[]{'?', '#'}) {
            int i = target.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return target.substring(0, cut);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
