#!/usr/bin/env python3
"""Time from process start to the first answered request.

Starts the given shell command fresh (through `exec`, so the pid we hold is the
server process itself), polls GET <path> every ~5 ms and takes the time at which the
first HTTP 200 arrives; then reads the process's RSS (VmRSS) and stops it. Repeats
--runs times and prints one JSON object with every run and the medians.

The environment (BACKEND_URL, QUARKUS_HTTP_PORT, ...) is inherited from the caller.
"""
import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time


def rss_kb(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def probe(host, port, path):
    """Status of one GET, or None if nothing answered yet."""
    conn = http.client.HTTPConnection(host, port, timeout=1.0)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def stop(proc, grace=10.0):
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def port_free(host, port):
    return probe(host, port, "/") is None


def one_run(cmd, host, port, path, timeout, log):
    deadline = time.monotonic() + 15
    while not port_free(host, port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"port {port} still answers before start")
        time.sleep(0.1)
    t0 = time.perf_counter()
    proc = subprocess.Popen(["bash", "-c", "exec " + cmd], stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL)
    try:
        last_status = None
        while True:
            status = probe(host, port, path)
            t = time.perf_counter()
            if status == 200:
                return {"ms": (t - t0) * 1000.0, "rss_kb": rss_kb(proc.pid)}
            last_status = status if status is not None else last_status
            if proc.poll() is not None:
                raise RuntimeError(f"process exited with {proc.returncode} before answering")
            if t - t0 > timeout:
                raise RuntimeError(f"no 200 on {path} within {timeout:.0f} s "
                                   f"(last status {last_status})")
            time.sleep(0.005)
    finally:
        stop(proc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cmd", required=True, help="shell command that starts the server")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/v1/models")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--log", default=os.devnull, help="server stdout/stderr go here")
    a = ap.parse_args()

    # run.sh stops us with SIGTERM on Ctrl-C/exit; turn it into an exception so the
    # finally block above still stops the server we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    runs, errors, first_error = [], 0, None
    with open(a.log, "ab") as log:
        for _ in range(a.runs):
            try:
                runs.append(one_run(a.cmd, a.host, a.port, a.path, a.timeout, log))
            except RuntimeError as e:
                # A server that did not come up once will not the next time either;
                # do not spend runs x timeout finding that out.
                errors += 1
                first_error = first_error or str(e)
                break
    ms = [r["ms"] for r in runs]
    rss = [r["rss_kb"] for r in runs if r["rss_kb"] is not None]
    print(json.dumps({
        "runs": runs,
        "errors": errors,
        "first_error": first_error,
        "ms": statistics.median(ms) if ms else None,
        "ms_min": min(ms) if ms else None,
        "ms_max": max(ms) if ms else None,
        "rss_kb": statistics.median(rss) if rss else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
