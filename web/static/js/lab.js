// The lab page: opens the learner's sandbox, attaches browser terminals (xterm.js over WebSockets),
// runs checks (on demand and automatically), reveals hints and solutions, and for Dockerfile labs
// builds the learner's Dockerfile while streaming the log.
(() => {
  'use strict';

  const root = document.getElementById('lab');
  if (!root) return;
  const labId = root.dataset.lab;
  const loggedIn = root.dataset.loggedIn === 'true';
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  const $ = (id) => document.getElementById(id);
  // Set by the terminal once it is connected; run buttons call it.
  let runInTerminal = () => status('터미널이 아직 연결되지 않았습니다.');

  async function api(path, options = {}) {
    const response = await fetch(`/labs/${labId}${path}`, {
      method: options.method || 'POST',
      headers: Object.assign({ 'Accept': 'application/json', 'X-CSRF-Token': csrf }, options.headers || {}),
      body: options.body,
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* an empty body */ }
    if (!response.ok) {
      const error = new Error(data.error || `요청이 실패했습니다 (${response.status}).`);
      error.status = response.status;
      throw error;
    }
    data.httpStatus = response.status;
    return data;
  }

  // ---- tasks, hints, solutions -------------------------------------------------

  let doneSoFar = new Set(Array.from(document.querySelectorAll('.lab-section.task.done')).map((s) => s.dataset.task));

  function showTasks(tasks, announce) {
    if (!Array.isArray(tasks)) return;
    let done = 0;
    const newlyDone = [];
    tasks.forEach((task) => {
      const section = document.querySelector(`.lab-section[data-task="${CSS.escape(task.id)}"]`);
      const item = document.querySelector(`[data-task-item="${CSS.escape(task.id)}"]`);
      if (task.done) done++;
      if (task.done && !doneSoFar.has(task.id)) newlyDone.push(task.id);
      if (section) {
        section.classList.toggle('done', task.done);
        section.classList.toggle('failed', !task.done && !task.passed && !!task.message);
        const message = section.querySelector('.task-message');
        if (message && (task.message || task.done)) {
          // Done stays done; a later check that now fails (say, a later task removed what this one made) is said so.
          const prefix = !task.done ? '' : task.passed || !task.message ? '통과! ' : '통과한 과제입니다. 지금 다시 보면: ';
          message.textContent = prefix + (task.message || '');
        }
      }
      if (item) item.classList.toggle('done', task.done);
    });
    newlyDone.forEach((id) => doneSoFar.add(id));
    const counter = $('done-count');
    if (counter) counter.textContent = String(done);
    if (announce && newlyDone.length) {
      const titles = newlyDone.map((id) => {
        const number = document.querySelector(`.lab-section[data-task="${CSS.escape(id)}"] .task-number`);
        return number ? number.textContent : id;
      });
      status(`${titles.join(', ')} 통과!`);
    }
    return done;
  }

  function insertCallout(section, kindClass, title, html, text) {
    const box = document.createElement('div');
    box.className = `callout ${kindClass}`;
    const heading = document.createElement('p');
    heading.className = 'callout-title';
    heading.textContent = title;
    box.appendChild(heading);
    if (html) {
      const body = document.createElement('div');
      body.innerHTML = html; // rendered and sanitised on the server
      box.appendChild(body);
    }
    if (text) {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.className = 'language-bash';
      code.textContent = text;
      pre.appendChild(code);
      box.appendChild(pre);
    }
    section.querySelector('.hint-slot').appendChild(box);
    if (window.baeumProse) {
      window.baeumProse.highlight();
      window.baeumProse.copyButtons();
    }
    return box;
  }

  document.querySelectorAll('[data-hint]').forEach((button) => {
    button.addEventListener('click', async () => {
      if (!loggedIn) { location.href = `/login?next=/labs/${labId}`; return; }
      const task = button.dataset.hint;
      const n = Number(button.dataset.nextHint);
      const count = Number(button.dataset.hintCount);
      try {
        const data = await api(`/tasks/${encodeURIComponent(task)}/hint?n=${n}`);
        insertCallout(button.closest('.lab-section'), 'callout-tip hint', `힌트 ${n + 1}`, data.html);
        if (n + 1 >= count) button.remove();
        else {
          button.dataset.nextHint = String(n + 1);
          button.textContent = `힌트 보기 (${n + 2}/${count})`;
        }
      } catch (e) { status(e.message); }
    });
  });

  document.querySelectorAll('[data-solution]').forEach((button) => {
    button.addEventListener('click', async () => {
      if (!loggedIn) { location.href = `/login?next=/labs/${labId}`; return; }
      if (!confirm('풀이를 보면 기록에 남습니다. 스스로 더 해 볼 수도 있어요. 그래도 볼까요?')) return;
      try {
        const data = await api(`/tasks/${encodeURIComponent(button.dataset.solution)}/solution`);
        const box = insertCallout(button.closest('.lab-section'), 'callout-note solution', '풀이', null, data.text);
        if (data.runnable) addRunButton(box.querySelector('pre'));
        button.remove();
      } catch (e) { status(e.message); }
    });
  });

  function status(text) {
    const el = $('bench-status');
    if (el) el.textContent = text;
  }

  if (!loggedIn) return;

  // The phone's "to the terminal" button hides while the terminal is on screen.
  const jump = document.querySelector('.jump-terminal');
  const bench = $('workbench');
  if (jump && bench && window.IntersectionObserver) {
    new IntersectionObserver((entries) => {
      jump.style.visibility = entries[0].isIntersecting ? 'hidden' : 'visible';
    }, { threshold: 0.25 }).observe(bench);
  }

  terminalLab();

  // ---- terminal labs ---------------------------------------------------------------------------

  function addRunButton(pre) {
    if (!pre || pre.querySelector('.run-button')) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'run-button';
    button.textContent = '▶ 실행';
    button.title = '터미널에 입력하고 실행합니다';
    button.addEventListener('click', () => {
      const code = pre.querySelector('code') || pre;
      runInTerminal(code.innerText.replace(/\n+$/, ''));
    });
    pre.classList.add('runnable');
    pre.appendChild(button);
  }

  function terminalLab() {
    const overlay = $('terminal-overlay');
    const overlayText = $('overlay-text');
    const progress = $('build-progress');
    const host = $('terminal');
    const buttons = ['check-button', 'extend-button', 'reset-button', 'end-button'].map($);
    const terminals = new Map(); // node → { term, fit, socket, element, retries, unavailable, timer }
    // "No container to attach to" is normal for a moment while another tab resets the session; past this
    // many tries in a row (about 25 s) it is not, and the learner decides.
    const unavailableTries = 8;
    let state = null;
    let resetting = false; // this page asked for a reset and has not had the answer yet
    let currentNode = null;
    let countdownTimer = null;
    let autoTimer = null;
    let openTimer = null;
    let checking = false;

    document.querySelectorAll('.lab-instructions pre > code').forEach((code) => {
      const lang = (code.className.match(/language-(\w+)/) || [])[1];
      if (['bash', 'sh', 'shell', 'console', 'zsh'].includes(lang)) addRunButton(code.parentElement);
    });

    runInTerminal = (text) => {
      const t = terminals.get(currentNode);
      if (!t || !t.socket || t.socket.readyState !== WebSocket.OPEN) {
        status('터미널이 아직 연결되지 않았습니다. 잠시 뒤 다시 눌러 주세요.');
        return;
      }
      send(t, text.replace(/\n/g, '\r') + '\r');
      t.term.focus();
    };

    function showOverlay(text, detail, action) {
      overlay.hidden = false;
      overlayText.textContent = text;
      progress.textContent = detail || '';
      const old = overlay.querySelector('.button');
      if (old) old.remove();
      if (action) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'button';
        b.textContent = action.label;
        b.addEventListener('click', action.run);
        overlay.appendChild(b);
      }
    }

    function enable(on) { buttons.forEach((b) => { if (b) b.disabled = !on; }); }

    async function open() {
      clearTimeout(openTimer);
      try {
        const data = await api('/session');
        if (data.state === 'building' || data.state === 'image-ready') {
          const step = data.steps ? ` (${data.step}/${data.steps}단계)` : '';
          showOverlay(`실습 이미지를 준비하고 있습니다${step}. 처음 한 번만 기다리면 됩니다.`, (data.log || []).join('\n'));
          status('실습 이미지를 빌드하는 중…');
          openTimer = setTimeout(open, 1500);
          return;
        }
        ready(data);
      } catch (e) {
        enable(false);
        showOverlay(e.message, '', { label: '다시 시도', run: open });
        status('실습 환경을 열지 못했습니다.');
      }
    }

    function ready(data) {
      const replaced = !state || state.session !== data.session || state.resets !== data.resets; // a new container
      state = data;
      showTasks(data.tasks, false);
      enable(true);
      const start = data.startMillis != null ? (data.startMillis / 1000).toFixed(2) : '?';
      $('start-time').textContent = data.fromPool
        ? `컨테이너 시작: ${start}초 (미리 띄워 둔 컨테이너 배정)`
        : `컨테이너 시작: ${start}초`;
      $('start-time').title = '가상 머신은 운영체제 부팅에 수십 초~수 분이 걸립니다. 컨테이너는 프로세스 하나를 띄우는 일이라 빠릅니다.';
      buildTabs(data.nodes);
      if (replaced) terminals.forEach((t) => { disconnect(t); t.term.reset(); });
      select(currentNode && data.nodes.includes(currentNode) ? currentNode : data.nodes[0]);
      startCountdown();
      scheduleAuto();
    }

    function buildTabs(nodes) {
      const tabs = $('node-tabs');
      tabs.innerHTML = '';
      if (nodes.length < 2) return;
      nodes.forEach((node) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.role = 'tab';
        b.textContent = node;
        b.dataset.node = node;
        b.addEventListener('click', () => select(node));
        tabs.appendChild(b);
      });
    }

    function select(node) {
      currentNode = node;
      document.querySelectorAll('#node-tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.node === node)));
      terminals.forEach((t, n) => { t.element.hidden = n !== node; });
      let t = terminals.get(node);
      if (!t) t = createTerminal(node);
      if (!t.socket || t.socket.readyState > WebSocket.OPEN) connect(t);
      requestAnimationFrame(() => { t.fit.fit(); t.term.focus(); });
    }

    function createTerminal(node) {
      const element = document.createElement('div');
      element.className = 'terminal-node';
      element.style.height = '100%';
      host.appendChild(element);
      const term = new window.Terminal({
        cursorBlink: true,
        fontFamily: '"D2Coding", "JetBrains Mono", "Noto Sans Mono CJK KR", Menlo, Consolas, monospace',
        fontSize: 14,
        lineHeight: 1.15,
        scrollback: 5000,
        // xterm.js draws with its DOM renderer unless a WebGL addon is loaded: plain DOM rows, selectable and
        // readable by screen readers and by our browser tests.
        theme: { background: '#111820', foreground: '#e6edf3', cursor: '#8fe3b1', selectionBackground: 'rgba(143, 200, 255, .35)' },
      });
      const fit = new window.FitAddon.FitAddon();
      term.loadAddon(fit);
      term.open(element);
      const t = { node, term, fit, element, socket: null, retries: 0, unavailable: 0, timer: null };
      t.sent = webkitHangul(term, element);
      term.onData((data) => send(t, data));
      term.onResize(({ cols, rows }) => control(t, { type: 'resize', cols, rows }));
      term.attachCustomKeyEventHandler((event) => {
        if (event.type !== 'keydown') return true;
        const copyKey = (event.ctrlKey && event.shiftKey && event.code === 'KeyC') || (event.ctrlKey && event.code === 'KeyC' && term.hasSelection());
        if (copyKey) {
          navigator.clipboard.writeText(term.getSelection()).catch(() => {});
          term.clearSelection();
          return false;
        }
        if (event.ctrlKey && event.shiftKey && event.code === 'KeyV') {
          navigator.clipboard.readText().then((text) => send(t, text)).catch(() => {});
          return false;
        }
        return true;
      });
      new ResizeObserver(() => { if (!element.hidden) fit.fit(); }).observe(host);
      terminals.set(node, t);
      return t;
    }

    function connect(t) {
      if (!state || resetting) return;
      disconnect(t);
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      t.fit.fit();
      const url = `${scheme}://${location.host}${state.terminal}?node=${encodeURIComponent(t.node)}&cols=${t.term.cols}&rows=${t.term.rows}`;
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      t.socket = socket;
      let attached = false;
      socket.onmessage = (event) => {
        if (t.socket !== socket) return;
        if (typeof event.data !== 'string') {
          // An open socket is not yet a shell: the server may still find no container and close it.
          // The shell's first output is what shows the terminal and accepts typing.
          if (!attached) {
            attached = true;
            t.retries = 0;
            t.unavailable = 0;
            overlay.hidden = true;
            status(`터미널 연결됨 (${t.node})`);
          }
          t.term.write(new Uint8Array(event.data));
          return;
        }
        let message = {};
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (message.message) status(message.message);
      };
      socket.onclose = (event) => {
        if (t.socket !== socket) return; // closed on purpose, or replaced by a newer socket
        t.socket = null;
        reconnectLater(t, event.code);
      };
    }

    function disconnect(t) {
      clearTimeout(t.timer);
      t.timer = null;
      const socket = t.socket;
      t.socket = null;
      if (socket) socket.close();
    }

    /**
     * After the server closed a terminal: 4000 the shell ended (same container), 4001 the container is gone
     * (reset, end), 4004 no container to attach to right now. Every retry re-reads the session first, so it
     * attaches to the container the session has now, and the backoff grows until output arrives.
     */
    function reconnectLater(t, code) {
      if (!state || resetting) return; // the reset connects once it has answered
      if (code === 1008) {
        refresh(true);
        return;
      }
      if (code === 4004 && ++t.unavailable > unavailableTries) {
        t.unavailable = 0;
        showOverlay('터미널을 열지 못했습니다. 실습 환경을 다시 열어 보세요.', '', { label: '다시 열기', run: open });
        status('터미널에 연결할 수 없습니다.');
        return;
      }
      const delay = Math.min(5000, 300 * 2 ** t.retries++);
      if (code === 4001) {
        t.term.reset();
        status('실습 컨테이너가 바뀌어 새 컨테이너에 다시 연결합니다…');
      } else {
        status(`터미널 연결이 끊겼습니다. ${Math.round(delay / 100) / 10}초 뒤 다시 연결합니다…`);
      }
      t.timer = setTimeout(async () => {
        t.timer = null;
        const outcome = await refresh(false);
        if (t.socket || t.timer || resetting) return; // connected or rescheduled meanwhile
        if (outcome === 'ready') connect(t);
        else if (outcome === 'error') reconnectLater(t, 0); // the server did not answer: later
      }, delay);
    }

    const encoderLimit = 8000;
    function send(t, text) {
      t.sent(text);
      // Big pastes go in small pieces so neither side holds a huge message.
      for (let i = 0; i < text.length; i += encoderLimit) {
        control(t, { type: 'input', data: text.slice(i, i + encoderLimit) });
      }
    }

    function control(t, message) {
      if (t.socket && t.socket.readyState === WebSocket.OPEN) t.socket.send(JSON.stringify(message));
    }

    /** Re-reads the session ('ready', 'ended' or 'error'); if it ended, says so and offers a fresh one. */
    async function refresh(showEnded) {
      try {
        const data = await api('/session', { method: 'GET' });
        if (data.state === 'ready') {
          state = data;
          showTasks(data.tasks, false);
          startCountdown();
          return 'ready';
        }
        ended('실습 환경이 끝났습니다. 통과한 과제는 그대로 기록되어 있습니다.');
        return 'ended';
      } catch (e) {
        if (showEnded) ended(e.message);
        return 'error';
      }
    }

    function ended(text) {
      state = null;
      enable(false);
      clearInterval(countdownTimer);
      clearTimeout(autoTimer);
      terminals.forEach(disconnect);
      $('countdown').textContent = '';
      showOverlay(text, '', { label: '새로 시작', run: open });
      status('실습 환경이 없습니다.');
    }

    function startCountdown() {
      clearInterval(countdownTimer);
      const tick = () => {
        if (!state) return;
        const left = Math.max(0, state.deadline - Date.now());
        const m = Math.floor(left / 60000);
        const s = Math.floor((left % 60000) / 1000);
        const el = $('countdown');
        el.textContent = `남은 시간 ${m}:${String(s).padStart(2, '0')}`;
        el.classList.toggle('soon', left < 5 * 60000);
        if (left === 0) refresh(true);
      };
      tick();
      countdownTimer = setInterval(tick, 1000);
    }
    setInterval(() => { if (state) refresh(false); }, 60000); // typing moves the idle deadline on the server

    async function check(auto) {
      if (!state || checking) return;
      checking = true;
      const button = $('check-button');
      if (!auto) { button.disabled = true; status('채점하는 중…'); }
      try {
        const data = await api(`/check${auto ? '?auto=true' : ''}`);
        const done = showTasks(data.tasks, true);
        if (!auto) status(`채점 완료: ${data.done}/${data.total} 통과 (${data.millis}ms)`);
        if (done === Number(root.dataset.total)) status('모든 과제를 통과했습니다! 수고하셨습니다.');
      } catch (e) {
        if (!auto) status(e.message);
        if (e.status === 503) refresh(true);
      } finally {
        checking = false;
        if (!auto) button.disabled = false;
      }
    }

    function scheduleAuto() {
      clearTimeout(autoTimer);
      autoTimer = setTimeout(async () => {
        const t = terminals.get(currentNode);
        const unfinished = doneSoFar.size < Number(root.dataset.total);
        if ($('auto-check').checked && !document.hidden && unfinished && t && t.socket && t.socket.readyState === WebSocket.OPEN) {
          await check(true);
        }
        if (state) scheduleAuto();
      }, 4000);
    }

    $('check-button').addEventListener('click', () => check(false));
    $('extend-button').addEventListener('click', async () => {
      try {
        const data = await api('/session/extend');
        state = data;
        startCountdown();
        status('시간을 연장했습니다.');
      } catch (e) { status(e.message); }
    });
    $('reset-button').addEventListener('click', async () => {
      if (!confirm('컨테이너를 버리고 새로 시작합니다. 만든 파일은 사라집니다 (통과 기록은 남습니다). 계속할까요?')) return;
      enable(false);
      showOverlay('새 컨테이너를 시작하는 중…');
      // Let go of the old container before it is removed, and connect only once the reset has answered:
      // until then there is no container to attach to (the old one is gone, the new one not yet recorded).
      resetting = true;
      terminals.forEach((t) => { disconnect(t); t.term.reset(); });
      try {
        const data = await api('/session/reset');
        resetting = false;
        ready(data);
        status('새 컨테이너로 초기화했습니다.');
      } catch (e) {
        resetting = false;
        showOverlay(e.message, '', { label: '다시 시도', run: open });
      }
    });
    $('end-button').addEventListener('click', async () => {
      if (!confirm('실습 환경을 종료할까요? 컨테이너는 지워지고 통과 기록은 남습니다.')) return;
      try {
        await api('/session/end');
        ended('실습 환경을 종료했습니다. 통과한 과제는 그대로 기록되어 있습니다.');
      } catch (e) { status(e.message); }
    });

    if (!window.Terminal || !window.FitAddon) {
      showOverlay('터미널 스크립트를 불러오지 못했습니다. 새로 고쳐 주세요.');
      return;
    }
    open();
  }

  // ---- Korean typed in WebKit (Safari) ---------------------------------------------------------

  /**
   * Chromium and Firefox compose a Hangul syllable with composition events, which xterm.js handles. WebKit
   * fires none: in xterm.js's hidden textarea it types a syllable's first jamo with an `input` event of type
   * insertText, then edits that syllable in place with one insertReplacementText per jamo added
   * (ㅎ → 하 → 한). xterm.js passes on only insertText, so the shell got the first jamo of each syllable
   * (xterm.js issue 6084). Here a replacement erases what the shell got for the syllable (DEL, as Backspace
   * sends) and sends the new text; only its last character stays editable (간 + ㅏ arrives as 가나, and 가 is
   * done). xterm.js also drops an insertText that comes while another key of the same keystroke is down
   * (Shift, for ㅆ ㄲ ㄸ ㅃ ㅉ), so Hangul it did not pass on is sent here, unless xterm.js sends it another
   * way: from the keypress before it (a keyboard layout that types Hangul without an IME, or WebDriver), or,
   * when an IME keydown (229) came just before it, from its diff of the textarea a moment later.
   * Returns the function to call with every chunk of input sent to the shell.
   */
  function webkitHangul(term, element) {
    const hangul = /\p{Script=Hangul}/u;
    const DEL = '\x7f';
    let editable = ''; // the last character the shell got, when it is one WebKit may still replace
    let pending = null; // a Hangul insertText xterm.js has not passed on (yet)
    let textareaDiffs = 0; // xterm.js diffs the textarea a moment after each IME keydown (229)
    let inKeypress = false;
    let keypressSent = false; // as xterm.js's own flag: a keypress of this keystroke sent its character
    const ours = (event) => event.target === term.textarea && !event.isComposing;
    const text = (event) => event.data || (event.dataTransfer && event.dataTransfer.getData('text/plain')) || '';

    element.addEventListener('keypress', () => { inKeypress = true; keypressSent = false; }, true);
    element.addEventListener('keypress', () => { inKeypress = false; });
    element.addEventListener('keyup', () => { keypressSent = false; }, true);
    // Bubbling, so the count drops only after xterm.js's own diff, queued by its listener on the textarea.
    element.addEventListener('keydown', (event) => {
      if (event.keyCode !== 229) return;
      textareaDiffs++;
      setTimeout(() => { textareaDiffs--; }, 0);
    });
    // Capture, so it runs before xterm.js's listener on the textarea.
    element.addEventListener('input', (event) => {
      if (!ours(event) || !text(event)) return;
      if (event.inputType === 'insertText' && hangul.test(text(event))) {
        pending = keypressSent ? null : text(event);
      } else if (event.inputType === 'insertReplacementText' && editable) {
        term.input(DEL.repeat(Array.from(editable).length) + text(event));
      }
    }, true);
    // Bubbling, so it runs after xterm.js's listener.
    element.addEventListener('input', (event) => {
      const data = pending;
      pending = null;
      if (data !== null && ours(event) && textareaDiffs === 0) term.input(data);
    });
    return (data) => {
      pending = null;
      if (inKeypress) keypressSent = true;
      const last = Array.from(data).pop() || '';
      editable = hangul.test(last) ? last : '';
    };
  }

})();
