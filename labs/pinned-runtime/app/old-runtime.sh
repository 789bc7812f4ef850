#!/bin/sh
# Node 16 같은 오래된 런타임이 깔린 서버를 흉내 냅니다:
# Node 18에서 생긴 기능(findLast, structuredClone)을 지운 채로 같은 앱을 실행합니다.
cd "$(dirname "$0")" || exit 1
exec node -e "delete Array.prototype.findLast; delete globalThis.structuredClone; require('./app.js')"
