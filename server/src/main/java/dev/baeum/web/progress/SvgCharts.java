package dev.baeum.web.progress;

import java.util.List;
import java.util.Locale;

/** Small server-drawn SVG charts: readable without JavaScript, no charting library needed. */
public final class SvgCharts {

    public record Bar(String label, double value, String detail) {
    }

    private SvgCharts() {
    }

    /** Horizontal bars for values between 0 and 1, labelled with percentages. */
    public static String bars(String title, List<Bar> bars) {
        int rowHeight = 30;
        int labelWidth = 230;
        int barWidth = 420;
        int width = labelWidth + barWidth + 150;
        int height = 40 + bars.size() * rowHeight;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\" ")
                .append("font-family=\"Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif\" font-size=\"13\">")
                .append("<title>").append(escape(title)).append("</title>")
                .append("<text x=\"0\" y=\"18\" font-weight=\"700\" fill=\"#1c2128\">").append(escape(title)).append("</text>");
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = 32 + i * rowHeight;
            double value = Math.max(0, Math.min(1, bar.value()));
            int w = (int) Math.round(barWidth * value);
            svg.append("<text x=\"0\" y=\"").append(y + 15).append("\" fill=\"#1c2128\">").append(escape(shorten(bar.label(), 18))).append("</text>")
                    .append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 2).append("\" width=\"").append(barWidth)
                    .append("\" height=\"18\" rx=\"4\" fill=\"#eceae4\"/>")
                    .append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 2).append("\" width=\"").append(w)
                    .append("\" height=\"18\" rx=\"4\" fill=\"").append(value >= 0.7 ? "#17794a" : value >= 0.4 ? "#2456d6" : "#a35f00").append("\"/>")
                    .append("<text x=\"").append(labelWidth + barWidth + 8).append("\" y=\"").append(y + 15).append("\" fill=\"#5a6270\">")
                    .append(String.format(Locale.ROOT, "%.0f%%", value * 100)).append(bar.detail().isEmpty() ? "" : " · " + escape(bar.detail()))
                    .append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
