package dev.baeum.content;

import com.vladsch.flexmark.ast.FencedCodeBlock;
import com.vladsch.flexmark.html.HtmlWriter;
import com.vladsch.flexmark.html.renderer.NodeRenderer;
import com.vladsch.flexmark.html.renderer.NodeRendererContext;
import com.vladsch.flexmark.html.renderer.NodeRenderingHandler;

import java.util.Set;

/** Renders {@code quiz} fences as slots (filled per learner by the page) and {@code mermaid} fences as diagram sources. */
final class SpecialFences implements NodeRenderer {

    @Override
    public Set<NodeRenderingHandler<?>> getNodeRenderingHandlers() {
        return Set.of(new NodeRenderingHandler<>(FencedCodeBlock.class, this::render));
    }

    private void render(FencedCodeBlock node, NodeRendererContext context, HtmlWriter html) {
        switch (Fences.kind(node)) {
            case "quiz" -> html.line().raw(QuizSlots.slot(node.getStartLineNumber() + 1)).line();
            case "mermaid" -> {
                html.line().raw("<pre class=\"mermaid\">");
                html.text(node.getContentChars().normalizeEOL());
                html.raw("</pre>").line();
            }
            default -> context.delegateRender();
        }
    }
}
