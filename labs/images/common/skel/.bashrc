# The shared settings live in /etc/bash.bashrc; this file is yours to change.
[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc
