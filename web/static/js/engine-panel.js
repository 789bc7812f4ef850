// Docker labs: the learner's own engine beside the terminal. "내 컨테이너" lists their containers with the
// start time the engine recorded (create → running) and a preview link for each published port; "REST API"
// shows, live, every request their docker CLI sent to the session's engine, with its status and time.
(() => {
  'use strict';

  const root = document.getElementById('lab');
  const panel = document.getElementById('engine-panel');
  if (!root || !panel) return;
  const labId = root.dataset.lab;
  const $ = (id) => document.getElementById(id);
  const rows = $('engine-rows');
  const table = $('engine-table');
  const empty = $('engine-empty');
  const calls = $('api-calls');
  const preview = $('preview');
  const frame = $('preview-frame');
  let lastCall = 0;
  let shownPreview = null;
  let previewAlive = false;
  const seen = [];

  const tabs = { containers: $('engine-tab-containers'), api: $('engine-tab-api') };
  const views = { containers: $('engine-containers'), api: $('engine-api') };
  Object.entries(tabs).forEach(([name, tab]) => tab.addEventListener('click', () => show(name)));
  function show(name) {
    Object.entries(tabs).forEach(([n, t]) => t.setAttribute('aria-selected', String(n === name)));
    Object.entries(views).forEach(([n, v]) => { v.hidden = n !== name; });
    if (name === 'api') $('api-count').textContent = '';
  }

  async function get(path) {
    const response = await fetch(`/labs/${labId}/engine/${path}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  function cell(text, cls) {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text;
    return td;
  }

  // ---- containers and previews ------------------------------------------------------------------

  async function refreshContainers() {
    let data;
    try {
      data = await get('containers');
    } catch (e) {
      return; // no session yet (or it ended): the terminal side says so
    }
    const list = data.containers || [];
    table.hidden = list.length === 0;
    empty.hidden = list.length > 0;
    rows.innerHTML = '';
    const published = new Set();
    list.forEach((c) => {
      const tr = document.createElement('tr');
      tr.className = `state-${c.state}`;
      tr.appendChild(cell(c.name, 'engine-name'));
      tr.appendChild(cell(c.image, 'engine-image'));
      tr.appendChild(cell(c.status || c.state));
      tr.appendChild(cell(c.startMillis == null ? '—' : `${(c.startMillis / 1000).toFixed(2)}초`, 'engine-start'));
      const ports = document.createElement('td');
      (c.ports || []).forEach((p) => {
        const label = `${p.hostPort}→${p.containerPort}/${p.protocol}`;
        if (p.preview && c.state === 'running') {
          published.add(p.preview);
          const a = document.createElement('a');
          a.href = p.preview;
          a.className = 'port-link';
          a.textContent = label;
          a.title = '이 포트를 실습 화면 안에서 열어 봅니다';
          a.addEventListener('click', (event) => {
            event.preventDefault();
            openPreview(p.preview, `localhost:${p.hostPort} (${c.name})`);
          });
          ports.appendChild(a);
        } else {
          const span = document.createElement('span');
          span.className = 'port-closed';
          span.textContent = label;
          ports.appendChild(span);
        }
      });
      tr.appendChild(ports);
      rows.appendChild(tr);
    });
    if (shownPreview) {
      // The previewed container went away (or came back): reload, so the preview says what is there now.
      const alive = published.has(shownPreview);
      if (alive !== previewAlive) {
        previewAlive = alive;
        frame.src = `${shownPreview}?_=${Date.now()}`;
      }
    }
  }

  function openPreview(url, title) {
    preview.hidden = false;
    shownPreview = url;
    previewAlive = true;
    $('preview-title').textContent = title;
    $('preview-open').href = url;
    frame.src = url;
  }

  $('preview-close').addEventListener('click', () => {
    preview.hidden = true;
    shownPreview = null;
    frame.src = 'about:blank';
  });
  $('preview-reload').addEventListener('click', () => {
    frame.src = $('preview-open').href;
  });

  // ---- the REST API panel -----------------------------------------------------------------------

  function shownPath(c) {
    const version = $('api-version').checked ? '/v1.41' : '';
    // Long IDs as docker prints them (12 characters), so the rest of the path stays readable.
    const path = c.path.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1');
    let query = '';
    try { query = c.query ? `?${decodeURIComponent(c.query)}` : ''; } catch (e) { query = `?${c.query}`; }
    return version + path + query.slice(0, 160);
  }

  function renderCall(c) {
    const li = document.createElement('li');
    const family = c.refused ? 'refused' : `s${String(c.status).charAt(0)}xx`;
    li.className = `api-call ${family}`;
    li.dataset.path = c.path;
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-expanded', 'false');
    const parts = [
      ['api-method', c.method],
      ['api-path', shownPath(c)],
      ['api-status', c.kind === 'hijacked' ? `${c.status} 스트림` : String(c.status)],
      ['api-ms', `${c.millis}ms`],
    ];
    parts.forEach(([cls, text]) => {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      button.appendChild(span);
    });
    const detail = document.createElement('div');
    detail.className = 'api-detail';
    detail.hidden = true;
    const add = (title, text) => {
      if (!text) return;
      const h = document.createElement('p');
      h.className = 'api-detail-title';
      h.textContent = title;
      const pre = document.createElement('pre');
      pre.textContent = pretty(text);
      detail.appendChild(h);
      detail.appendChild(pre);
    };
    if (c.refused || c.error) add(c.refused ? '플랫폼이 거절한 이유' : '오류', c.error);
    add('요청 본문', c.request);
    if (c.kind === 'hijacked') {
      add('응답', '101 UPGRADED — 이 연결은 이제 입출력이 그대로 흐르는 스트림입니다 (docker attach/exec의 터미널).');
    } else {
      add(c.kind === 'stream' ? '응답 (스트림, 앞부분)' : '응답 본문 (앞부분)', c.response);
    }
    if (!detail.childElementCount) add('본문', '(없음)');
    button.addEventListener('click', () => {
      detail.hidden = !detail.hidden;
      button.setAttribute('aria-expanded', String(!detail.hidden));
    });
    li.appendChild(button);
    li.appendChild(detail);
    li.hidden = $('api-noise').checked && c.path === '/_ping';
    return li;
  }

  function pretty(text) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      return text;
    }
  }

  async function refreshCalls() {
    let data;
    try {
      data = await get(`calls?after=${lastCall}`);
    } catch (e) {
      return;
    }
    const fresh = data.calls || [];
    fresh.forEach((c) => {
      lastCall = Math.max(lastCall, c.id);
      seen.push(c);
      calls.appendChild(renderCall(c));
    });
    while (calls.childElementCount > 300) calls.removeChild(calls.firstChild);
    const visible = fresh.filter((c) => !($('api-noise').checked && c.path === '/_ping')).length;
    if (visible && views.api.hidden) {
      const count = $('api-count');
      count.textContent = String((parseInt(count.textContent, 10) || 0) + visible);
    }
    if (fresh.length && !views.api.hidden) calls.lastElementChild.scrollIntoView({ block: 'nearest' });
  }

  function rerender() {
    calls.innerHTML = '';
    seen.slice(-300).forEach((c) => calls.appendChild(renderCall(c)));
  }
  $('api-version').addEventListener('change', rerender);
  $('api-noise').addEventListener('change', rerender);
  $('api-clear').addEventListener('click', () => { seen.length = 0; calls.innerHTML = ''; });

  // Calls every half second (a docker command shows up within a second), containers every two.
  let tick = 0;
  async function loop() {
    if (!document.hidden) {
      await refreshCalls();
      if (tick % 4 === 0) await refreshContainers();
      tick++;
    }
    setTimeout(loop, 500);
  }
  loop();
})();
