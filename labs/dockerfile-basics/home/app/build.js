// 사이트 빌드 도구: pages/*.md 를 읽어 dist/*.html 을 만듭니다. 외부 라이브러리 없이 Node.js만 씁니다.
// 지원하는 문법: "# 제목", "## 소제목", "- 목록", 빈 줄로 나눈 문단, **굵게**.
const fs = require('fs');
const path = require('path');

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(text) {
  return escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}

function renderMarkdown(source) {
  const html = [];
  let list = false;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) html.push('</ul>');
    list = false;
  };
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
    } else if (line.startsWith('## ')) {
      flush();
      html.push(`<h2>${inline(line.slice(3))}</h2>`);
    } else if (line.startsWith('# ')) {
      flush();
      html.push(`<h1>${inline(line.slice(2))}</h1>`);
    } else if (line.startsWith('- ')) {
      if (paragraph.length) flush();
      if (!list) html.push('<ul>');
      list = true;
      html.push(`<li>${inline(line.slice(2))}</li>`);
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return html.join('\n');
}

function titleOf(source, fallback) {
  const heading = source.split('\n').find((line) => line.startsWith('# '));
  return heading ? heading.slice(2).trim() : fallback;
}

function layout(title, body, pages, nodeVersion) {
  const nav = pages.map((p) => `<a href="${p.file}">${escapeHtml(p.title)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<nav>${nav}</nav>
<main>
${body}
</main>
<footer>이 사이트는 Node ${nodeVersion} 로 빌드했습니다.</footer>
</body>
</html>
`;
}

function build(pagesDir, outDir) {
  const names = fs.readdirSync(pagesDir).filter((f) => f.endsWith('.md')).sort();
  const pages = names.map((name) => {
    const source = fs.readFileSync(path.join(pagesDir, name), 'utf8');
    const file = name.replace(/\.md$/, '.html');
    return { name, file, source, title: titleOf(source, file) };
  });
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  for (const page of pages) {
    fs.writeFileSync(path.join(outDir, page.file), layout(page.title, renderMarkdown(page.source), pages, process.version));
  }
  return pages.map((p) => p.file);
}

if (require.main === module) {
  const files = build(path.join(__dirname, 'pages'), path.join(__dirname, 'dist'));
  console.log(`dist/ 에 ${files.length}개 페이지를 만들었습니다: ${files.join(', ')} (Node ${process.version})`);
}

module.exports = { escapeHtml, renderMarkdown, titleOf, layout, build };
