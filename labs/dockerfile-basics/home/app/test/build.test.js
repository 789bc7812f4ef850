// 빌드 도구(build.js)의 테스트: node --test 로 실행합니다. 페이지 내용과는 관계없이 도구만 시험합니다.
const test = require('node:test');
const assert = require('assert');
const { escapeHtml, renderMarkdown, titleOf } = require('../build.js');

test('제목과 소제목', () => {
  assert.strictEqual(renderMarkdown('# 하나\n\n## 둘'), '<h1>하나</h1>\n<h2>둘</h2>');
});

test('문단은 빈 줄로 나뉜다', () => {
  assert.strictEqual(renderMarkdown('첫 줄\n이어진 줄\n\n다음 문단'), '<p>첫 줄 이어진 줄</p>\n<p>다음 문단</p>');
});

test('목록', () => {
  assert.strictEqual(renderMarkdown('- 가\n- 나'), '<ul>\n<li>가</li>\n<li>나</li>\n</ul>');
});

test('굵게와 HTML 이스케이프', () => {
  assert.strictEqual(renderMarkdown('**중요** <b>'), '<p><strong>중요</strong> &lt;b&gt;</p>');
  assert.strictEqual(escapeHtml('"a" & b'), '&quot;a&quot; &amp; b');
});

test('페이지 제목은 첫 # 줄', () => {
  assert.strictEqual(titleOf('소개\n# 모임 안내\n', 'x.html'), '모임 안내');
  assert.strictEqual(titleOf('제목 없음', 'x.html'), 'x.html');
});
