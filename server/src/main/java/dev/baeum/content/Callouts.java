package dev.baeum.content;

import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GitHub-style alerts: a quote starting with {@code [!NOTE]}, {@code [!TIP]}, {@code [!WARNING]}... becomes a callout box. */
final class Callouts {

    private static final Pattern CALLOUT = Pattern.compile("^\\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\\][ \\t]*([^\\n]*)");
    private static final Map<String, String> TITLES = Map.of(
            "NOTE", "참고", "TIP", "팁", "IMPORTANT", "중요", "WARNING", "주의", "CAUTION", "경고");

    private Callouts() {
    }

    static void apply(Element body) {
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
                moveRestOfLine(text, title);
            }
            if (title.text().isBlank()) {
                title.text(TITLES.get(type));
            }
            if (first.text().isBlank() && first.children().isEmpty()) {
                first.remove();
            }
            quote.tagName("div");
            quote.addClass("callout").addClass("callout-" + type.toLowerCase(Locale.ROOT));
            quote.prependChild(title);
        }
    }

    /** Moves the nodes after the marker up to the first line break into the title. */
    private static void moveRestOfLine(TextNode text, Element title) {
        org.jsoup.nodes.Node next = text.nextSibling();
        text.remove();
        while (next != null) {
            org.jsoup.nodes.Node after = next.nextSibling();
            if (next instanceof TextNode t && t.getWholeText().indexOf('\n') >= 0) {
                String whole = t.getWholeText();
                title.appendText(whole.substring(0, whole.indexOf('\n')));
                t.text(whole.substring(whole.indexOf('\n') + 1));
                return;
            }
            if (next instanceof Element e && e.tagName().equals("br")) {
                e.remove();
                return;
            }
            next.remove();
            title.appendChild(next);
            next = after;
        }
    }
}
