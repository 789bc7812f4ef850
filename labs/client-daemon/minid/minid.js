// minid — a miniature "container daemon" for the client-daemon lab.
// Like dockerd it runs in the background, listens on a UNIX socket and answers a small REST API.
// It does not run real containers; it keeps a list, which is enough to see the client/daemon split.
'use strict';
const http = require('http');
const fs = require('fs');
const os = require('os');
const crypto = require('crypto');

const dir = '/run/minid';
const socket = `${dir}/minid.sock`;
const requestLog = `${dir}/requests.log`;
const containers = new Map();

function send(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Api-Version': '1.0', 'Server': 'minid/0.1' });
  res.end(text);
}

function list() {
  return [...containers.values()].map((c) => ({ Id: c.Id, Image: c.Image, Command: c.Command, State: c.State, Created: c.Created }));
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { if (body.length < 65536) body += chunk; });
  req.on('end', () => {
    const agent = req.headers['user-agent'] || '-';
    fs.appendFileSync(requestLog, `${new Date().toISOString()}\t${req.method}\t${req.url}\t${agent}\n`);
    const url = new URL(req.url, 'http://localhost');
    const path = url.pathname.replace(/^\/v[0-9.]+/, '');
    const parts = path.split('/').filter(Boolean);
    if (req.method === 'GET' && path === '/_ping') return send(res, 200, 'OK');
    if (req.method === 'GET' && path === '/version') {
      return send(res, 200, { Version: '0.1-mini', ApiVersion: '1.0', Os: 'linux', KernelVersion: os.release(), Pid: process.pid });
    }
    if (req.method === 'GET' && path === '/containers/json') return send(res, 200, list());
    if (req.method === 'POST' && path === '/containers/create') {
      let spec = {};
      try { spec = body ? JSON.parse(body) : {}; } catch (e) { return send(res, 400, { message: '요청 본문이 JSON이 아닙니다.' }); }
      if (!spec.Image) return send(res, 400, { message: 'Image가 필요합니다. 예: {"Image":"hello"}' });
      const id = crypto.randomBytes(6).toString('hex');
      containers.set(id, { Id: id, Image: String(spec.Image), Command: [].concat(spec.Cmd || []).join(' '), State: 'created', Created: Date.now() });
      return send(res, 201, { Id: id, Warnings: [] });
    }
    if (parts[0] === 'containers' && parts.length >= 2) {
      const c = [...containers.values()].find((x) => x.Id.startsWith(parts[1]));
      if (!c) return send(res, 404, { message: `그런 컨테이너가 없습니다: ${parts[1]}` });
      if (req.method === 'POST' && parts[2] === 'start') { c.State = 'running'; return send(res, 204); }
      if (req.method === 'POST' && parts[2] === 'stop') { c.State = 'exited'; return send(res, 204); }
      if (req.method === 'DELETE' && parts.length === 2) { containers.delete(c.Id); return send(res, 204); }
      if (req.method === 'GET' && parts[2] === 'json') return send(res, 200, c);
    }
    return send(res, 404, { message: `모르는 요청입니다: ${req.method} ${path}` });
  });
});

fs.mkdirSync(dir, { recursive: true });
try { fs.unlinkSync(socket); } catch (e) { /* no old socket */ }
fs.writeFileSync(requestLog, '');
server.listen(socket, () => {
  fs.chmodSync(socket, 0o666); // the real dockerd allows only root and the docker group
  fs.writeFileSync(`${dir}/minid.pid`, String(process.pid));
});
