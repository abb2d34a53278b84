#!/usr/bin/env python3
"""Mixed traffic for bench/soak.sh: streams, JSON requests and clients that leave mid-stream, until a deadline.

Python stdlib only; reuses stream_client.py's HTTP/1.1 reader (raw socket, chunked bodies, SSE events).

Every stream is checked event by event: N events " tok1".." tokN" in order, then [DONE]. A stream may end early
only with an error event (the gateway's word that the backend broke off); anything else is a lost or reordered
event. Failures while the mock backend is down (--faults: lines "down <epoch>" / "up <epoch>" that soak.sh
appends) are expected; the same failures outside those windows are not.

Prints one JSON object: counts per kind and outcome, unexpected failures with their first texts, lost events.
"""
import argparse
import json
import random
import socket
import threading
import time

from stream_client import Conn, StreamError, body_pieces, read_headers, sse_events

GRACE_S = 3.0  # after the mock is back: the gateway's circuit breaker and pooled connections settle


def request_bytes(host, port, stream, n, delay_ms):
    body = json.dumps({
        "model": "llama-3.1-8b-instruct",
        "messages": [{"role": "user", "content": "Soak: answer token by token."}],
        "max_tokens": n,
        "stream": stream,
        "bench_delay_ms": delay_ms,
    }, separators=(",", ":")).encode()
    head = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head + body


class Lost(Exception):
    """An event missing, repeated or out of order: what must never happen, fault or not."""


def run_stream(conn, request, n, leave_after=None):
    """'ok', 'left' (we closed it), 'error_event' (an error event after a correct prefix), or 'http_<status>'."""
    if conn.sock is None:
        conn.open()
    conn.sock.sendall(request)
    version, status, headers = read_headers(conn)
    if status != 200:
        # an error answer is a small JSON body: read it so the connection can be reused
        for _ in body_pieces(conn, headers):
            pass
        return f"http_{status}"
    i = 0
    done = False
    try:
        for _, data in sse_events(body_pieces(conn, headers)):
            if done:
                raise Lost(f"data after [DONE]: {data[:80]!r}")
            if data.strip() == "[DONE]":
                if i != n:
                    raise Lost(f"[DONE] after {i} of {n} events")
                done = True
                continue
            obj = json.loads(data)
            if "error" in obj:
                conn.close()
                return "error_event"
            i += 1
            content = (obj["choices"][0].get("delta") or {}).get("content")
            if content != f" tok{i}":
                raise Lost(f"event {i}: got {content!r}")
            if leave_after is not None and i >= leave_after:
                conn.close()  # the client goes away mid-stream
                return "left"
    except (EOFError, StreamError) as e:  # the gateway must end a broken stream with an error event, never cut it
        conn.close()
        raise Lost(f"stream cut after {i} of {n} events without an error event: {type(e).__name__} {e}")
    if not done:
        raise Lost(f"stream cut after {i} of {n} events without an error event")
    if "close" in headers.get("connection", "").lower():
        conn.close()
    return "ok"


def run_json(conn, request):
    if conn.sock is None:
        conn.open()
    conn.sock.sendall(request)
    version, status, headers = read_headers(conn)
    body = b"".join(piece for _, piece in body_pieces(conn, headers))
    if status != 200:
        return f"http_{status}"
    obj = json.loads(body)
    if not obj["choices"][0]["message"]["content"].startswith("Sure."):
        raise Lost(f"unexpected answer {body[:80]!r}")
    if "close" in headers.get("connection", "").lower():
        conn.close()
    return "ok"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.failures = []  # (kind, outcome, start, end, text)
        self.lost = []

    def add(self, kind, outcome, start, end, text=None):
        with self.lock:
            key = f"{kind}:{outcome}"
            self.counts[key] = self.counts.get(key, 0) + 1
            if outcome not in ("ok", "left"):
                self.failures.append((kind, outcome, start, end, text))


def worker(kind, a, deadline, stats, seed):
    rng = random.Random(seed)
    conn = Conn(a.host, a.port, a.timeout)
    stream_req = request_bytes(a.host, a.port, True, a.events, a.delay_ms)
    json_req = request_bytes(a.host, a.port, False, a.events, 0)
    while time.time() < deadline:
        start = time.time()
        try:
            if kind == "json":
                outcome = run_json(conn, json_req)
            elif kind == "leave":
                outcome = run_stream(conn, stream_req, a.events, leave_after=rng.randint(1, a.events - 1))
            else:
                outcome = run_stream(conn, stream_req, a.events)
            stats.add(kind, outcome, start, time.time())
            if outcome.startswith("http_"):
                time.sleep(0.05)  # a gateway answering 502 at once would otherwise drown the run in them
        except Lost as e:
            conn.close()
            stats.add(kind, "lost", start, time.time(), str(e))
            with stats.lock:
                stats.lost.append(f"{kind}: {e}")
        except (StreamError, OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as e:
            conn.close()
            stats.add(kind, type(e).__name__, start, time.time(), f"{type(e).__name__}: {e}")
            time.sleep(0.05)  # do not spin on a gateway that refuses connections


def fault_windows(path):
    windows, down = [], None
    try:
        with open(path) as f:
            for line in f:
                what, _, at = line.strip().partition(" ")
                if what == "down":
                    down = float(at)
                elif what == "up" and down is not None:
                    windows.append((down, float(at) + GRACE_S))
                    down = None
    except FileNotFoundError:
        pass
    if down is not None:
        windows.append((down, float("inf")))
    return windows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--streams", type=int, default=8, help="concurrent streaming clients")
    ap.add_argument("--json", type=int, default=2, help="concurrent non-streaming clients")
    ap.add_argument("--leavers", type=int, default=2, help="concurrent clients that leave mid-stream")
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--delay-ms", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--faults", default="", help="file of 'down <epoch>' / 'up <epoch>' lines")
    a = ap.parse_args()

    stats = Stats()
    deadline = time.time() + a.seconds
    threads = []
    for kind, count in (("stream", a.streams), ("json", a.json), ("leave", a.leavers)):
        for k in range(count):
            t = threading.Thread(target=worker, args=(kind, a, deadline, stats, hash((kind, k))), daemon=True)
            t.start()
            threads.append(t)
    for t in threads:
        t.join()

    windows = fault_windows(a.faults) if a.faults else []
    during = lambda s, e: any(s <= w1 and e >= w0 for w0, w1 in windows)
    expected = [f for f in stats.failures if f[1] != "lost" and during(f[2], f[3])]
    unexpected = [f for f in stats.failures if f[1] != "lost" and not during(f[2], f[3])]
    print(json.dumps({
        "counts": dict(sorted(stats.counts.items())),
        "fault_windows": len(windows),
        "failures_during_faults": len(expected),
        "failures_outside_faults": len(unexpected),
        "first_unexpected": [f"{k} {o} {t or ''}"[:200] for k, o, _, _, t in unexpected[:5]],
        "lost_or_reordered": len(stats.lost),
        "first_lost": stats.lost[:5],
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
