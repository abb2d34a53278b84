#!/usr/bin/env python3
"""Sequential streaming client: time to first SSE event and largest gap between events.

Python stdlib only. Speaks HTTP/1.1 over a raw socket (one keep-alive connection,
reopened if the server closes it) so that every timestamp is taken the moment the
bytes come off the socket, with no library buffering in between.

For each request it records
  ttfb    time from sending the request to receiving the first complete SSE event
  maxgap  largest time between two consecutive events (the [DONE] event included)
and checks that the stream is complete and in order: N data events whose deltas are
" tok1" .. " tokN", the first with role "assistant", the last with finish_reason
"stop", then "data: [DONE]" and nothing else.

Prints one JSON object (medians over requests, error counts, first error text).
"""
import argparse
import codecs
import json
import socket
import statistics
import sys
import time

now_ns = time.perf_counter_ns


class StreamError(Exception):
    pass


def build_request(host, port, path, n_events, delay_ms):
    body = json.dumps({
        "model": "llama-3.1-8b-instruct",
        "messages": [
            {"role": "system", "content": "You are a concise technical assistant."},
            {"role": "user", "content": "Stream a short answer, token by token."},
        ],
        "temperature": 0.7,
        "max_tokens": n_events,
        "stream": True,
        "bench_delay_ms": delay_ms,
    }, separators=(",", ":")).encode()
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: text/event-stream\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    ).encode()
    return head + body


class Conn:
    """One keep-alive connection with a receive buffer."""

    def __init__(self, host, port, timeout):
        self.addr = (host, port)
        self.timeout = timeout
        self.sock = None
        self.buf = b""
        self.last_t = 0

    def open(self):
        self.close()
        self.sock = socket.create_connection(self.addr, timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None

    def recv(self):
        """Append what the socket has to the buffer; return its arrival time."""
        data = self.sock.recv(65536)
        t = now_ns()
        if not data:
            raise EOFError
        self.buf += data
        self.last_t = t
        return t


def read_headers(conn):
    while b"\r\n\r\n" not in conn.buf:
        try:
            conn.recv()
        except EOFError:
            raise StreamError("connection closed before response headers")
    head, conn.buf = conn.buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise StreamError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return parts[0], status, headers


def body_pieces(conn, headers):
    """Yield (arrival_ns, decoded bytes) as the body comes in; handles chunked,
    Content-Length and read-until-close bodies."""
    te = headers.get("transfer-encoding", "").lower()
    if "chunked" in te:
        t = conn.last_t  # bytes already buffered arrived with the headers
        while True:
            while b"\r\n" not in conn.buf:
                t = conn.recv()
            size_line, rest = conn.buf.split(b"\r\n", 1)
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                # Trailer section ends with an empty line.
                conn.buf = rest
                while not (conn.buf.startswith(b"\r\n") or b"\r\n\r\n" in conn.buf):
                    t = conn.recv()
                conn.buf = conn.buf[2:] if conn.buf.startswith(b"\r\n") else conn.buf.split(b"\r\n\r\n", 1)[1]
                return
            conn.buf = rest
            while len(conn.buf) < size + 2:
                t = conn.recv()
            data, conn.buf = conn.buf[:size], conn.buf[size + 2:]
            yield t, data
    elif "content-length" in headers:
        remaining = int(headers["content-length"])
        t = conn.last_t
        while remaining > 0:
            if not conn.buf:
                t = conn.recv()
            data, conn.buf = conn.buf[:remaining], conn.buf[remaining:]
            remaining -= len(data)
            yield t, data
    else:
        t = conn.last_t
        while True:
            if conn.buf:
                data, conn.buf = conn.buf, b""
                yield t, data
            try:
                t = conn.recv()
            except EOFError:
                conn.close()  # the body ended with the connection
                return


def sse_events(pieces):
    """Yield (arrival_ns, data string) per SSE event, timed by the piece that
    completed the event."""
    text = ""
    # Incremental: a multi-byte character may be split between two chunks.
    decoder = codecs.getincrementaldecoder("utf-8")()
    for t, data in pieces:
        # Replace on the joined text: a CRLF may be split between two chunks too.
        text = (text + decoder.decode(data)).replace("\r\n", "\n")
        while "\n\n" in text:
            block, text = text.split("\n\n", 1)
            datas = []
            for line in block.split("\n"):
                if line.startswith("data:"):
                    v = line[5:]
                    datas.append(v[1:] if v.startswith(" ") else v)
            # Comment-only or event:-only blocks carry no data; skip them.
            if datas:
                yield t, "\n".join(datas)
    if text.strip():
        raise StreamError(f"stream ended inside an event: {text[:80]!r}")


def check_event(i, n, data):
    try:
        obj = json.loads(data)
        choice = obj["choices"][0]
        delta = choice.get("delta") or {}
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise StreamError(f"event {i}: not a chat.completion.chunk ({e}): {data[:80]!r}")
    if delta.get("content") != f" tok{i}":
        raise StreamError(f"event {i}: expected content ' tok{i}', got {delta.get('content')!r}")
    if i == 1 and delta.get("role") != "assistant":
        raise StreamError("event 1: missing role assistant")
    finish = choice.get("finish_reason")
    if i == n and finish != "stop":
        raise StreamError(f"event {i}: expected finish_reason stop, got {finish!r}")
    if i < n and finish is not None:
        raise StreamError(f"event {i}: early finish_reason {finish!r}")


def one_stream(conn, request, n):
    if conn.sock is None:
        conn.open()
    t0 = now_ns()
    conn.sock.sendall(request)
    version, status, headers = read_headers(conn)
    if status != 200:
        raise StreamError(f"HTTP {status}")
    if "text/event-stream" not in headers.get("content-type", ""):
        raise StreamError(f"content-type {headers.get('content-type')!r}")
    times = []
    i = 0
    done = False
    for t, data in sse_events(body_pieces(conn, headers)):
        if done:
            raise StreamError(f"data after [DONE]: {data[:80]!r}")
        times.append(t)
        if data.strip() == "[DONE]":
            if i != n:
                raise StreamError(f"[DONE] after {i} of {n} events")
            done = True
            continue
        i += 1
        if i > n:
            raise StreamError(f"more than {n} events")
        check_event(i, n, data)
    if not done:
        raise StreamError(f"stream ended without [DONE] after {i} of {n} events")
    if version == "HTTP/1.0" or "close" in headers.get("connection", "").lower():
        conn.close()
    ttfb = times[0] - t0
    gaps = [b - a for a, b in zip(times, times[1:])]
    return ttfb, max(gaps) if gaps else 0, times[-1] - times[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/v1/chat/completions")
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--events", type=int, default=10)
    ap.add_argument("--delay-ms", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2, help="unmeasured requests first")
    ap.add_argument("--timeout", type=float, default=10.0)
    a = ap.parse_args()

    request = build_request(a.host, a.port, a.path, a.events, a.delay_ms)
    conn = Conn(a.host, a.port, a.timeout)
    ttfbs, gaps, spans = [], [], []
    errors, first_error = 0, None
    for k in range(a.warmup + a.requests):
        try:
            ttfb, gap, span = one_stream(conn, request, a.events)
        except (StreamError, OSError, EOFError, ValueError, UnicodeDecodeError) as e:
            conn.close()  # the connection state is unknown after an error
            if k >= a.warmup:
                errors += 1
                first_error = first_error or f"{type(e).__name__}: {e}"
            continue
        if k >= a.warmup:
            ttfbs.append(ttfb)
            gaps.append(gap)
            spans.append(span)
    conn.close()

    # If the gateway dropped the bench_delay_ms field the backend would not pause and
    # the gap check would pass for the wrong reason; make that visible.
    expected_span = (a.events - 1) * a.delay_ms * 1e6
    delay_missing = sum(1 for s in spans if a.delay_ms > 0 and s < 0.8 * expected_span)

    med = lambda xs: statistics.median(xs) / 1e6 if xs else None
    print(json.dumps({
        "requests": a.requests,
        "ok": len(ttfbs),
        "errors": errors,
        "first_error": first_error,
        "delay_not_applied": delay_missing,
        "ttfb_ms": med(ttfbs),
        "ttfb_min_ms": min(ttfbs) / 1e6 if ttfbs else None,
        "maxgap_ms": med(gaps),
        "maxgap_max_ms": max(gaps) / 1e6 if gaps else None,
        "span_ms": med(spans),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
