// 주문 요약 앱 — Node.js 18에서 새로 생긴 기능 두 가지를 씁니다.
//   Array.prototype.findLast : 배열을 뒤에서부터 찾기 (Node 18부터)
//   structuredClone          : 객체를 통째로 깊은 복사 (Node 17부터)
const orders = [
  { id: 101, item: '키보드', paid: true },
  { id: 102, item: '마우스', paid: true },
  { id: 103, item: '모니터', paid: false },
];

const lastPaid = orders.findLast((order) => order.paid);

const snapshot = structuredClone(orders);
snapshot[0].item = '바뀐 값'; // 복사본을 바꿔도 원본은 그대로입니다

console.log(`Node ${process.version}에서 실행했습니다.`);
console.log(`마지막 결제 주문은 #${lastPaid.id} (${lastPaid.item})입니다. 원본 첫 주문: ${orders[0].item}`);
