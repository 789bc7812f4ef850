#!/bin/bash
# nginx가 80번 포트에서 첫 페이지를 200으로 내주는지 확인합니다 (성공하면 종료 코드 0).
# curl이나 wget이 없는 이미지에서도 되도록, 이미지에 이미 있는 bash의 /dev/tcp 로 HTTP 요청을 직접 보냅니다.
exec 3<>/dev/tcp/127.0.0.1/80 || exit 1
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r status <&3
case "$status" in
  *" 200 "*) exit 0 ;;
  *) exit 1 ;;
esac
