#!/bin/sh
echo "좋은 하루입니다, $(whoami)님! 오늘은 $(date +%Y-%m-%d)입니다."
