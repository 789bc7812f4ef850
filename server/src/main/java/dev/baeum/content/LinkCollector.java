package dev.baeum.content;

import com.vladsch.flexmark.ast.AutoLink;
import com.vladsch.flexmark.ast.HtmlBlock;
import com.vladsch.flexmark.ast.HtmlInline;
import com.vladsch.flexmark.ast.Image;
import com.vladsch.flexmark.ast.ImageRef;
import com.vladsch.flexmark.ast.Link;
import com.vladsch.flexmark.ast.LinkRef;
import com.vladsch.flexmark.ast.MailLink;
import com.vladsch.flexmark.ast.Reference;
import com.vladsch.flexmark.util.ast.Document;
import com.vladsch.flexmark.util.ast.Node;
import com.vladsch.flexmark.util.sequence.BasedSequence;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Every link and image target of a document with the line it is written on, read from flexmark's tree
 * (Markdown links, reference links, autolinks) and from raw HTML ({@code <a href>}, {@code <img src>})
 * with jsoup's source positions, so lint points at the line of the link itself.
 */
final class LinkCollector {

    private LinkCollector() {
    }

    static List<Rendered.LinkRef> collect(Document document) {
        List<Rendered.LinkRef> links = new ArrayList<>();
        for (Node node : document.getDescendants()) {
            switch (node) {
                case Image image -> add(links, document, image.getUrl(), image, true);
                case Link link -> add(links, document, link.getUrl(), link, false);
                case ImageRef ref -> reference(links, document, ref.getReferenceNode(document), ref, true);
                case LinkRef ref -> reference(links, document, ref.getReferenceNode(document), ref, false);
                case MailLink mail -> links.add(new Rendered.LinkRef(line(document, mail.getStartOffset()),
                        "mailto:" + mail.getText(), false));
                case AutoLink auto -> add(links, document, auto.getUrl(), auto, false);
                case HtmlBlock html -> html(links, document, html.getChars());
                case HtmlInline html -> html(links, document, html.getChars());
                default -> {
                }
            }
        }
        return links;
    }

    private static void reference(List<Rendered.LinkRef> links, Document document, Reference reference, Node at,
                                  boolean image) {
        if (reference != null) {
            links.add(new Rendered.LinkRef(line(document, at.getStartOffset()), reference.getUrl().unescape().trim(), image));
        }
    }

    private static void add(List<Rendered.LinkRef> links, Document document, BasedSequence url, Node at, boolean image) {
        int offset = url.isEmpty() ? at.getStartOffset() : url.getStartOffset();
        links.add(new Rendered.LinkRef(line(document, offset), url.unescape().trim(), image));
    }

    private static void html(List<Rendered.LinkRef> links, Document document, BasedSequence chars) {
        Parser parser = Parser.htmlParser().setTrackPosition(true);
        org.jsoup.nodes.Document html = parser.parseInput(chars.toString(), "");
        for (Element a : html.select("a[href]")) {
            links.add(new Rendered.LinkRef(line(document, chars.getStartOffset() + position(a, "href")),
                    a.attr("href").trim(), false));
        }
        for (Element img : html.select("img[src]")) {
            links.add(new Rendered.LinkRef(line(document, chars.getStartOffset() + position(img, "src")),
                    img.attr("src").trim(), true));
        }
    }

    /** Where the attribute's value starts in the parsed snippet; the element's start when jsoup cannot tell. */
    private static int position(Element element, String attribute) {
        int pos = element.attributes().sourceRange(attribute).valueRange().start().pos();
        if (pos < 0) {
            pos = element.sourceRange().start().pos();
        }
        return Math.max(pos, 0);
    }

    private static int line(Document document, int offset) {
        return document.getLineNumber(Math.max(offset, 0)) + 1;
    }
}
