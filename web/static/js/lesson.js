// Lesson and lab prose: syntax highlighting, copy buttons, Mermaid diagrams, quizzes without reloads.
// Everything here is an enhancement: without JavaScript the page still reads and quizzes still submit.
(() => {
  'use strict';

  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  function highlight() {
    if (!window.hljs) return;
    document.querySelectorAll('.prose pre:not(.mermaid) code').forEach((el) => {
      if (!el.dataset.highlighted) window.hljs.highlightElement(el);
    });
  }

  function copyButtons() {
    document.querySelectorAll('.prose pre:not(.mermaid)').forEach((pre) => {
      if (pre.querySelector('.copy-button')) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy-button';
      button.textContent = '복사';
      button.addEventListener('click', async () => {
        const code = pre.querySelector('code');
        try {
          await navigator.clipboard.writeText((code || pre).innerText.replace(/\n$/, ''));
          button.textContent = '복사됨';
        } catch (e) {
          button.textContent = '복사 실패';
        }
        setTimeout(() => { button.textContent = '복사'; }, 1500);
      });
      pre.appendChild(button);
    });
  }

  function mermaidDiagrams() {
    if (!document.querySelector('pre.mermaid')) return;
    const script = document.createElement('script');
    script.src = '/webjars/mermaid/dist/mermaid.min.js';
    script.onload = () => {
      window.mermaid.initialize({
        startOnLoad: false,
        theme: 'neutral',
        securityLevel: 'strict',
        fontFamily: getComputedStyle(document.body).fontFamily,
      });
      window.mermaid.run({ querySelector: 'pre.mermaid' }).catch(() => {
        // the source stays visible as text if a diagram cannot be drawn
      });
    };
    document.head.appendChild(script);
  }

  function quizzes() {
    document.querySelectorAll('form[data-quiz]').forEach((form) => {
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const body = new URLSearchParams(new FormData(form));
        const result = form.querySelector('.quiz-result');
        const button = form.querySelector('button[type="submit"]');
        button.disabled = true;
        try {
          const response = await fetch(form.action, {
            method: 'POST',
            headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
            body,
          });
          const data = await response.json();
          if (!response.ok) throw new Error(data.error || '답을 보내지 못했습니다.');
          form.classList.toggle('quiz-correct', data.correct);
          form.classList.toggle('quiz-wrong', !data.correct);
          result.innerHTML = '';
          const verdict = document.createElement('p');
          verdict.className = 'quiz-verdict';
          verdict.textContent = data.correct ? '정답입니다!' : '아쉽지만 정답이 아닙니다. 다시 골라 보세요.';
          result.appendChild(verdict);
          if (data.explanationHtml) {
            const explanation = document.createElement('div');
            explanation.className = 'quiz-explanation';
            explanation.innerHTML = data.explanationHtml; // sanitised on the server
            result.appendChild(explanation);
          }
        } catch (e) {
          result.textContent = e.message;
        } finally {
          button.disabled = false;
        }
      });
    });
  }

  highlight();
  copyButtons();
  mermaidDiagrams();
  quizzes();
  window.baeumProse = { highlight, copyButtons };
})();
