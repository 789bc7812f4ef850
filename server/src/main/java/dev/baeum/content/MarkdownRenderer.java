package dev.baeum.content;

import com.vladsch.flexmark.ext.autolink.AutolinkExtension;
import com.vladsch.flexmark.ext.gfm.strikethrough.StrikethroughExtension;
import com.vladsch.flexmark.ext.gfm.tasklist.TaskListExtension;
import com.vladsch.flexmark.ext.tables.TablesExtension;
import com.vladsch.flexmark.html.HtmlRenderer;
import com.vladsch.flexmark.parser.Parser;
import com.vladsch.flexmark.util.ast.Document;
import com.vladsch.flexmark.util.data.MutableDataSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Safelist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private static final String BASE_URI = "https://baeum.invalid/";

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
        Map<Integer, Quiz> quizzes = source.quizzes()
                ? QuizSlots.parse(source.file(), document, this::inline, problems) : Map.of();
        problems.addAll(Fences.unclosed(source.file(), document));
        List<Rendered.LinkRef> links = LinkCollector.collect(document);

        org.jsoup.nodes.Document html = Jsoup.parseBodyFragment(renderer.render(document), BASE_URI);
        html.outputSettings().prettyPrint(false);
        Element body = html.body();

        LinkRewriter.rewrite(source, body);
        String firstHeading = firstHeading(body);
        if (source.dropLeadingTitle()) {
            Element first = body.children().first();
            if (first != null && first.tagName().equals("h1")) {
                first.remove();
            }
        }
        Callouts.apply(body);
        List<TocEntry> toc = headings(body);
        for (Element table : body.select("table")) {
            table.wrap("<div class=\"table-wrap\"></div>");
        }
        String clean = Jsoup.clean(body.html(), BASE_URI, safelist,
                new org.jsoup.nodes.Document.OutputSettings().prettyPrint(false));
        int textLength = Jsoup.parseBodyFragment(clean).text().length();
        return new Rendered(QuizSlots.split(clean, quizzes), toc, links, problems, firstHeading, textLength);
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

    /** flexmark's tree of a document, for readers that need its structure (labs: sections and fences). */
    public Document parse(String markdown) {
        return parser.parse(markdown);
    }

    private static String firstHeading(Element body) {
        Element h = body.selectFirst("h1, h2, h3, h4, h5, h6");
        return h == null ? null : h.text().strip();
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
