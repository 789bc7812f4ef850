package dev.baeum.content;

import com.vladsch.flexmark.ast.FencedCodeBlock;
import com.vladsch.flexmark.ext.autolink.AutolinkExtension;
import com.vladsch.flexmark.ext.gfm.strikethrough.StrikethroughExtension;
import com.vladsch.flexmark.ext.gfm.tasklist.TaskListExtension;
import com.vladsch.flexmark.ext.tables.TablesExtension;
import com.vladsch.flexmark.html.HtmlRenderer;
import com.vladsch.flexmark.html.HtmlWriter;
import com.vladsch.flexmark.html.renderer.NodeRenderer;
import com.vladsch.flexmark.html.renderer.NodeRendererContext;
import com.vladsch.flexmark.html.renderer.NodeRenderingHandler;
import com.vladsch.flexmark.parser.Parser;
import com.vladsch.flexmark.util.ast.Document;
import com.vladsch.flexmark.util.ast.Node;
import com.vladsch.flexmark.util.data.MutableDataSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Safelist;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown → safe HTML for lessons and labs. The flexmark parser and renderer are built once and are
 * thread-safe; each call works on its own document.
 *
 * <p>Pipeline: flexmark (GFM tables, strikethrough, task lists, autolinks, heading ids; {@code quiz} and
 * {@code mermaid} fences handled specially) → jsoup rewrites links, images and callouts and collects the
 * table of contents → jsoup's allow-list cleaner removes scripts, event handlers and unsafe URLs →
 * the HTML is cut at quiz slots.
 */
public final class MarkdownRenderer {

    /** Where a document lives and how its neighbouring files are served. */
    public record Source(Path file, String markdown, Path assetRoot, String assetUrlPrefix, boolean quizzes,
                         boolean dropLeadingTitle) {
    }

    private static final Pattern SLOT = Pattern.compile("<div data-baeum-slot=\"(\\d+)\"></div>");
    private static final String BASE_URI = "https://baeum.invalid/";
    private static final Pattern CALLOUT = Pattern.compile("^\\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\\][ \\t]*([^\\n]*)");
    private static final Map<String, String> CALLOUT_TITLES = Map.of(
            "NOTE", "참고", "TIP", "팁", "IMPORTANT", "중요", "WARNING", "주의", "CAUTION", "경고");
    private static final Pattern LAB_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private final Parser parser;
    private final HtmlRenderer renderer;
    private final Safelist safelist;

    public MarkdownRenderer() {
        MutableDataSet options = new MutableDataSet();
        options.set(Parser.EXTENSIONS, List.of(TablesExtension.create(), StrikethroughExtension.create(),
                TaskListExtension.create(), AutolinkExtension.create()));
        options.set(HtmlRenderer.GENERATE_HEADER_ID, true);
        options.set(HtmlRenderer.RENDER_HEADER_ID, true);
        options.set(HtmlRenderer.FENCED_CODE_NO_LANGUAGE_CLASS, "language-plaintext");
        options.set(TablesExtension.WITH_CAPTION, false);
        options.toImmutable();
        this.parser = Parser.builder(options).build();
        this.renderer = HtmlRenderer.builder(options).nodeRendererFactory(o -> new SpecialFences()).build();
        this.safelist = safelist();
    }

    public Rendered render(Source source) {
        Document document = parser.parse(source.markdown());
        List<ContentProblem> problems = new ArrayList<>();
        Map<Integer, Quiz> quizzes = new HashMap<>();
        if (source.quizzes()) {
            parseQuizzes(source, document, quizzes, problems);
        }
        problems.addAll(unclosedFences(source.file(), source.markdown()));

        org.jsoup.nodes.Document html = Jsoup.parseBodyFragment(renderer.render(document), BASE_URI);
        html.outputSettings().prettyPrint(false);
        Element body = html.body();

        List<Rendered.LinkRef> links = rewriteLinks(source, body);
        String firstHeading = firstHeading(body);
        if (source.dropLeadingTitle()) {
            Element first = body.children().first();
            if (first != null && first.tagName().equals("h1")) {
                first.remove();
            }
        }
        callouts(body);
        List<TocEntry> toc = headings(body);
        for (Element table : body.select("table")) {
            table.wrap("<div class=\"table-wrap\"></div>");
        }
        String clean = Jsoup.clean(body.html(), BASE_URI, safelist,
                new org.jsoup.nodes.Document.OutputSettings().prettyPrint(false));
        int textLength = Jsoup.parseBodyFragment(clean).text().length();
        return new Rendered(split(clean, quizzes), toc, links, problems, firstHeading, textLength);
    }

    /** A short snippet (a quiz question, a choice) as safe inline HTML. */
    public String inline(String markdown) {
        String html = Jsoup.clean(renderer.render(parser.parse(markdown)), BASE_URI, safelist,
                new org.jsoup.nodes.Document.OutputSettings().prettyPrint(false)).strip();
        if (html.startsWith("<p>") && html.endsWith("</p>") && html.indexOf("<p>", 1) < 0) {
            html = html.substring(3, html.length() - 4);
        }
        return html;
    }

    /** Turns a Markdown file name into its lesson slug: {@code 02-virtual-machines.md} → {@code virtual-machines}. */
    public static String slugOf(String fileName) {
        return LessonFiles.slug(fileName);
    }

    private void parseQuizzes(Source source, Document document, Map<Integer, Quiz> quizzes,
                              List<ContentProblem> problems) {
        Set<String> ids = new LinkedHashSet<>();
        int n = 0;
        for (Node node : document.getDescendants()) {
            if (node instanceof FencedCodeBlock fence && language(fence).equals("quiz")) {
                n++;
                int line = fence.getStartLineNumber() + 1;
                QuizParser.Parsed parsed = QuizParser.parse(source.file(), line,
                        fence.getContentChars().normalizeEOL(), "q" + n, this::inline);
                problems.addAll(parsed.problems());
                if (parsed.quiz() != null) {
                    if (!ids.add(parsed.quiz().id())) {
                        problems.add(ContentProblem.error(source.file(), line,
                                "퀴즈 id '" + parsed.quiz().id() + "'가 이 문서에 두 번 나옵니다."));
                    } else {
                        quizzes.put(line, parsed.quiz());
                    }
                }
            }
        }
    }

    private static String language(FencedCodeBlock fence) {
        String info = fence.getInfo().toString().trim();
        int space = info.indexOf(' ');
        return (space < 0 ? info : info.substring(0, space)).toLowerCase(Locale.ROOT);
    }

    /** Renders {@code quiz} fences as slots and {@code mermaid} fences as diagram sources. */
    private static final class SpecialFences implements NodeRenderer {
        @Override
        public Set<NodeRenderingHandler<?>> getNodeRenderingHandlers() {
            return Set.of(new NodeRenderingHandler<>(FencedCodeBlock.class, this::render));
        }

        private void render(FencedCodeBlock node, NodeRendererContext context, HtmlWriter html) {
            switch (language(node)) {
                case "quiz" -> html.line().raw("<div data-baeum-slot=\"" + (node.getStartLineNumber() + 1) + "\"></div>").line();
                case "mermaid" -> {
                    html.line().raw("<pre class=\"mermaid\">");
                    html.text(node.getContentChars().normalizeEOL());
                    html.raw("</pre>").line();
                }
                default -> context.delegateRender();
            }
        }
    }

    private List<Rendered.LinkRef> rewriteLinks(Source source, Element body) {
        List<Rendered.LinkRef> links = new ArrayList<>();
        String[] lines = source.markdown().split("\n", -1);
        for (Element a : body.select("a[href]")) {
            String href = a.attr("href").trim();
            links.add(new Rendered.LinkRef(lineOf(lines, href), href, false));
            a.attr("href", rewriteHref(source, href));
            if (href.startsWith("http://") || href.startsWith("https://")) {
                a.attr("target", "_blank");
                a.attr("rel", "noopener noreferrer");
            }
        }
        for (Element img : body.select("img[src]")) {
            String src = img.attr("src").trim();
            links.add(new Rendered.LinkRef(lineOf(lines, src), src, true));
            String asset = assetUrl(source, src);
            if (asset != null) {
                img.attr("src", asset);
            }
            img.attr("loading", "lazy");
        }
        return links;
    }

    private String rewriteHref(Source source, String href) {
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
                return "/lessons/" + encodeSegment(slugOf(name)) + fragment;
            }
            String asset = assetUrl(source, path);
            return asset == null ? href : asset + fragment;
        }
        return href;
    }

    /** A relative (or site-root) path to a file beside the document, as a served URL; null when not one. */
    private String assetUrl(Source source, String target) {
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

    private static int lineOf(String[] lines, String target) {
        if (!target.isEmpty()) {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(target)) {
                    return i + 1;
                }
            }
        }
        return 1;
    }

    private static String firstHeading(Element body) {
        Element h = body.selectFirst("h1, h2, h3, h4, h5, h6");
        return h == null ? null : h.text().strip();
    }

    /** GitHub-style alerts: a quote starting with {@code [!NOTE]}, {@code [!TIP]}, {@code [!WARNING]}... */
    private static void callouts(Element body) {
        for (Element quote : body.select("blockquote")) {
            Element first = quote.children().first();
            if (first == null || !first.tagName().equals("p") || first.childNodeSize() == 0
                    || !(first.childNode(0) instanceof TextNode text)) {
                continue;
            }
            Matcher m = CALLOUT.matcher(text.getWholeText());
            if (!m.find()) {
                continue;
            }
            String type = m.group(1);
            Element title = new Element("p").addClass("callout-title");
            // The title is the rest of the marker's line, inline code and all; the body starts on the next line.
            String rest = text.getWholeText().substring(text.getWholeText().indexOf(']') + 1);
            int newline = rest.indexOf('\n');
            if (newline >= 0) {
                title.appendText(rest.substring(0, newline).strip());
                text.text(rest.substring(newline + 1));
            } else {
                title.appendText(rest.stripLeading());
                org.jsoup.nodes.Node next = text.nextSibling();
                text.remove();
                while (next != null) {
                    org.jsoup.nodes.Node after = next.nextSibling();
                    if (next instanceof TextNode t && t.getWholeText().indexOf('\n') >= 0) {
                        String whole = t.getWholeText();
                        title.appendText(whole.substring(0, whole.indexOf('\n')));
                        t.text(whole.substring(whole.indexOf('\n') + 1));
                        break;
                    }
                    if (next instanceof Element e && e.tagName().equals("br")) {
                        e.remove();
                        break;
                    }
                    next.remove();
                    title.appendChild(next);
                    next = after;
                }
            }
            if (title.text().isBlank()) {
                title.text(CALLOUT_TITLES.get(type));
            }
            if (first.text().isBlank() && first.children().isEmpty()) {
                first.remove();
            }
            quote.tagName("div");
            quote.addClass("callout").addClass("callout-" + type.toLowerCase(Locale.ROOT));
            quote.prependChild(title);
        }
    }

    private static List<TocEntry> headings(Element body) {
        List<TocEntry> toc = new ArrayList<>();
        for (Element h : body.select("h1, h2, h3, h4")) {
            String id = h.id();
            if (id.isEmpty()) {
                continue;
            }
            int level = h.tagName().charAt(1) - '0';
            if (level == 2 || level == 3) {
                toc.add(new TocEntry(level, id, h.text().strip()));
            }
            h.appendElement("a").addClass("anchor").attr("href", "#" + id).attr("aria-hidden", "true").text("#");
        }
        return toc;
    }

    private static List<Part> split(String html, Map<Integer, Quiz> quizzes) {
        List<Part> parts = new ArrayList<>();
        Matcher m = SLOT.matcher(html);
        int last = 0;
        while (m.find()) {
            Quiz quiz = quizzes.get(Integer.parseInt(m.group(1)));
            if (quiz == null) {
                continue; // a malformed quiz: its problem is reported, the slot just disappears
            }
            if (m.start() > last) {
                parts.add(new Part.Html(html.substring(last, m.start())));
            }
            parts.add(new Part.QuizSlot(quiz));
            last = m.end();
        }
        String rest = SLOT.matcher(html.substring(last)).replaceAll("");
        if (!rest.isBlank()) {
            parts.add(new Part.Html(rest));
        }
        return parts;
    }

    /** A fence opened and never closed swallows the rest of the file; CommonMark allows it, lint does not. */
    static List<ContentProblem> unclosedFences(Path file, String markdown) {
        List<ContentProblem> problems = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String open = null;
        int openLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].stripLeading();
            while (t.startsWith(">")) {
                t = t.substring(1).stripLeading();
            }
            String fence = fenceMarker(t);
            if (open == null) {
                if (fence != null) {
                    open = fence;
                    openLine = i + 1;
                }
            } else if (fence != null && fence.charAt(0) == open.charAt(0) && fence.length() >= open.length()
                    && t.substring(fence.length()).isBlank()) {
                open = null;
            }
        }
        if (open != null) {
            problems.add(ContentProblem.error(file, openLine,
                    "코드 블록(" + open + ")이 열렸지만 닫히지 않았습니다. 파일 끝까지 코드로 보입니다."));
        }
        return problems;
    }

    private static String fenceMarker(String line) {
        if (!(line.startsWith("```") || line.startsWith("~~~"))) {
            return null;
        }
        char c = line.charAt(0);
        int n = 0;
        while (n < line.length() && line.charAt(n) == c) {
            n++;
        }
        if (c == '`' && line.substring(n).contains("`")) {
            return null; // inline code like ```a``` is not a fence
        }
        return line.substring(0, n);
    }

    private static Safelist safelist() {
        return Safelist.relaxed()
                .addTags("center", "details", "summary", "del", "s", "ins", "kbd", "mark", "hr", "figure",
                        "figcaption", "abbr", "input", "section", "aside")
                .addAttributes(":all", "class", "title", "lang", "dir")
                .addAttributes("h1", "id").addAttributes("h2", "id").addAttributes("h3", "id")
                .addAttributes("h4", "id").addAttributes("h5", "id").addAttributes("h6", "id")
                .addAttributes("a", "href", "rel", "target", "aria-hidden")
                .addAttributes("img", "align", "alt", "height", "src", "width", "loading")
                .addAttributes("div", "data-baeum-slot", "align")
                .addAttributes("p", "align")
                .addAttributes("details", "open")
                .addAttributes("input", "type", "checked")
                .addEnforcedAttribute("input", "disabled", "disabled")
                .addAttributes("th", "align").addAttributes("td", "align")
                .addAttributes("ol", "start")
                .addProtocols("a", "href", "http", "https", "mailto")
                .addProtocols("img", "src", "http", "https")
                .preserveRelativeLinks(true);
    }
}
