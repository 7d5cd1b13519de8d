# ctl NAME JSON: one request over `veil run`'s control socket $T/NAME/veil.sock, the answer
# on stdout (10 s timeout). Shared by the daemon tests; needs lib.sh (T).
ctl() {  # ctl NAME JSON: one control request, the answer on stdout
  python3 - "$T/$1/veil.sock" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(10)
s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode())
buf = b""
while not buf.endswith(b"\n"):
    c = s.recv(65536)
    if not c: break
    buf += c
print(buf.decode().strip())
PY
}
