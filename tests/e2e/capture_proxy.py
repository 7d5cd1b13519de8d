#!/usr/bin/env python3
"""capture_proxy.py - a loopback HTTP proxy for the e2e tests: forwards every request to the
collector unchanged and keeps a copy (headers + body) so a test can replay a batch later.

    capture_proxy.py UPSTREAM_PORT OUTDIR      prints "listening on 127.0.0.1:PORT", serves until SIGTERM
    capture_proxy.py --replay OUTDIR/req-N UPSTREAM_PORT    re-sends one captured request, prints the answer

Captures: OUTDIR/req-N.body and OUTDIR/req-N.json ({"path", "headers", "status", "answer"}).
Standard library only.
"""
import http.client
import http.server
import json
import os
import signal
import sys
import threading

HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}


def forward(port, path, headers, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", path, body=body, headers={k: v for k, v in headers.items() if k.lower() not in HOP})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Content-Type", "application/json"), data


def serve(port, out):
    os.makedirs(out, exist_ok=True)
    lock = threading.Lock()
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k: v for k, v in self.headers.items()}
            status, ctype, data = forward(port, self.path, headers, body)
            with lock:
                count[0] += 1
                n = count[0]
            base = os.path.join(out, f"req-{n}")
            with open(base + ".body", "wb") as f:
                f.write(body)
            with open(base + ".json", "w") as f:
                json.dump({"path": self.path, "headers": headers, "status": status,
                           "answer": data.decode("utf-8", "replace")}, f)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    print(f"listening on 127.0.0.1:{srv.server_address[1]}", flush=True)
    srv.serve_forever()


def replay(base, port):
    meta = json.load(open(base + ".json"))
    body = open(base + ".body", "rb").read()
    status, _, data = forward(port, meta["path"], meta["headers"], body)
    print(json.dumps({"status": status, "answer": data.decode("utf-8", "replace")}))


if __name__ == "__main__":
    if sys.argv[1] == "--replay":
        replay(sys.argv[2], int(sys.argv[3]))
    else:
        serve(int(sys.argv[1]), sys.argv[2])
