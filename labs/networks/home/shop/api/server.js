// 서점의 API 서비스: 3000번 포트에서 책 목록을 JSON으로 돌려줍니다.
const http = require("http");
const os = require("os");

const books = [
  { id: 1, title: "도커로 배우는 컨테이너", price: 28000 },
  { id: 2, title: "리눅스 네트워크 첫걸음", price: 24000 },
];

const server = http.createServer((req, res) => {
  console.log(`${new Date().toISOString()} ${req.method} ${req.url}`);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ service: "api", container: os.hostname(), books }));
});

// 주소를 적지 않으면 모든 주소(0.0.0.0)에서 기다립니다: 다른 컨테이너의 요청도 받습니다.
server.listen(3000, () => console.log("api: 3000번 포트에서 기다립니다"));

// docker stop 이 보내는 SIGTERM 을 받으면 바로 끝냅니다.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
