// The shop's API: answers every request with JSON and counts visits in /data/visits.
// "visits" lives in the volume and outlives the container; "sinceStart" restarts with the process.
const http = require("http");
const fs = require("fs");

const file = "/data/visits";
let sinceStart = 0;

function nextVisit() {
  let visits = 0;
  try {
    visits = parseInt(fs.readFileSync(file, "utf8"), 10) || 0;
  } catch (e) {
    // no file yet: the first visit
  }
  visits += 1;
  fs.writeFileSync(file, String(visits));
  return visits;
}

const server = http.createServer((req, res) => {
  sinceStart += 1;
  const visits = nextVisit();
  console.log(`api: ${req.method} ${req.url} (방문 ${visits}번째)`);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ service: "api", message: "api 컨테이너가 보낸 응답입니다", visits, sinceStart }) + "\n");
});

server.listen(3000, () => console.log("api: 3000번 포트에서 기다립니다"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
