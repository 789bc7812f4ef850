package dev.baeum.web.progress;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SvgChartsTest {

    @Test
    void barsAreWellFormedSvgWithWidthsInProportion() throws Exception {
        String svg = SvgCharts.bars("완료율 <전체> & \"모두\"", List.of(
                new SvgCharts.Bar("컨테이너 <script>", 0.5, "1/2명"),
                new SvgCharts.Bar("넘침", 1.7, ""),
                new SvgCharts.Bar("음수", -0.2, "")));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("완료율 <전체> & \"모두\"", root.getAttribute("aria-label"), "the title is escaped, not markup");
        assertEquals("0 0 800 130", root.getAttribute("viewBox"));

        NodeList rects = root.getElementsByTagName("rect");
        assertEquals(6, rects.getLength(), "a track and a bar per row");
        assertEquals("210", ((Element) rects.item(1)).getAttribute("width"), "half of the 420 track");
        assertEquals("420", ((Element) rects.item(3)).getAttribute("width"), "values over 1 are clamped");
        assertEquals("0", ((Element) rects.item(5)).getAttribute("width"), "values under 0 are clamped");

        NodeList texts = root.getElementsByTagName("text");
        assertEquals("컨테이너 <script>", texts.item(1).getTextContent());
        assertEquals("50% · 1/2명", texts.item(2).getTextContent());
        assertEquals("100%", texts.item(4).getTextContent());
    }

    @Test
    void longLabelsAreShortenedWithAnEllipsis() {
        String svg = SvgCharts.bars("t", List.of(new SvgCharts.Bar("가나다라마바사아자차카타파하가나다라마바", 0, "")));
        assertEquals(true, svg.contains(">가나다라마바사아자차카타파하가나다…</text>"), svg);
    }
}
