# Login shells (the terminal's tmux window) read ~/.bashrc too.
[ -f ~/.bashrc ] && . ~/.bashrc
