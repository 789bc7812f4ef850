// 주문 요약 서비스: 요청이 올 때마다 마지막으로 결제된 주문을 찾아 알려 줍니다.
// 개발자의 노트북(Node.js 18)에서 만들었고, 새 버전에서 생긴 기능 두 가지를 씁니다.
//   Array.prototype.findLast : 배열을 뒤에서부터 찾기 (Node.js 18부터)
//   structuredClone          : 객체를 통째로 깊은 복사 (Node.js 17부터)
const http = require('http');

const orders = [
  { id: 101, item: '키보드', paid: true },
  { id: 102, item: '마우스', paid: true },
  { id: 103, item: '모니터', paid: false },
];

function summary() {
  const lastPaid = orders.findLast((order) => order.paid);
  const report = structuredClone(orders); // 보고서용 사본: 고쳐도 원본 주문은 그대로
  report.forEach((order) => { order.item = order.item.toUpperCase(); });
  return `Node ${process.version}: 마지막 결제 주문은 #${lastPaid.id} (${lastPaid.item}), 전체 ${report.length}건입니다.\n`;
}

const port = Number(process.env.PORT) || 3000;
http.createServer((req, res) => {
  const text = summary();
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}).listen(port, () => {
  console.log(`주문 요약 서비스가 ${port}번 포트에서 요청을 기다립니다 (Node ${process.version}).`);
});
