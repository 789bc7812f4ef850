// 개발용 웹 서버: dist/ 의 파일을 8080번 포트로 내줍니다. 외부 라이브러리 없이 Node.js만 씁니다.
const http = require('http');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, 'dist');
const port = Number(process.env.PORT) || 8080;

http.createServer((req, res) => {
  const wanted = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  const file = path.join(root, wanted === '/' ? 'index.html' : wanted);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('찾는 페이지가 없습니다.\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}).listen(port, () => {
  console.log(`dist/ 를 ${port}번 포트로 내주고 있습니다 (Node ${process.version}).`);
});
