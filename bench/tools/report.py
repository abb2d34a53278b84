#!/usr/bin/env python3
"""Turn run.sh's results.jsonl into the Markdown report (printed to stdout).

Every figure is the median over rounds, with the min-max across rounds beside it so
that machine noise is visible next to the number it disturbs.
"""
import json
import statistics
import sys

REFS = ("direct", "nginx")


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class Data:
    def __init__(self, recs):
        self.recs = recs
        self.meta = next((r for r in recs if r.get("test") == "meta"), {})
        self.meta_end = next((r for r in recs if r.get("test") == "meta_end"), {})
        self.gateways = self.meta.get("gateways", "switchboard").split()
        self.targets = list(REFS) + self.gateways
        self.events = int(self.meta.get("stream_tput_events", 200))
        self.delay_ms = float(self.meta.get("stream_delay_ms", 20))

    def runs(self, target, test):
        return [r for r in self.recs if r.get("target") == target and r.get("test") == test
                and "round" in r]

    def one(self, target, test):
        return next((r for r in self.recs if r.get("target") == target and r.get("test") == test), None)


# --- per-record figures ------------------------------------------------------------

def wrk_ok(r):
    w = r.get("wrk", {})
    return w.get("requests", 0) > 0 and not w.get("wrk_failed")


def rps(r):
    return r["wrk"]["rps"] if wrk_ok(r) else None


def lat(pct):
    return lambda r: r["wrk"][f"p{pct}_us"] / 1000.0 if wrk_ok(r) else None


def cpu_us_per_req(r):
    if not wrk_ok(r):
        return None
    return r["cpu_ticks"] / r["clk_tck"] * 1e6 / r["wrk"]["requests"]


def wrk_errors(r):
    w = r.get("wrk", {})
    if w.get("wrk_failed"):
        return 1
    return sum(w.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_status",
                                     "err_timeout", "bad_body"))


def client(key):
    return lambda r: r["client"].get(key)


# --- formatting ----------------------------------------------------------------------

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(v, digits):
    if v is None:
        return "n/a"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def cell(values, digits):
    vals = [v for v in values if v is not None]
    if not vals:
        return "n/a"
    m = statistics.median(vals)
    missing = len(values) - len(vals)
    s = fmt(m, digits)
    if len(vals) > 1:
        s += f" ({fmt(min(vals), digits)}–{fmt(max(vals), digits)})"
    if missing:
        s += f" [{missing} run(s) without data]"
    return s


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}×"


# --- report --------------------------------------------------------------------------

def main():
    d = Data(load(sys.argv[1]))
    m = d.meta
    out = []
    w = out.append
    mib = 1024.0

    def had_errors(t, test):
        if test == "stream_lat":
            return any(r["client"].get("errors", 0) for r in d.runs(t, test))
        return any(wrk_errors(r) for r in d.runs(t, test))

    def per_event(r):
        c = cpu_us_per_req(r)
        return c / d.events if c is not None else None

    ev_rate = lambda r: rps(r) * d.events if rps(r) is not None else None
    TTFB = f"Streaming TTFB, median of {m.get('stream_requests', 20)} (ms)"
    GAP = f"Streaming largest gap, median (ms; backend gap {d.delay_ms:g})"
    CPU16, CPU64 = "CPU per non-streaming request, c16 (µs)", "CPU per non-streaming request, c64 (µs)"
    RPS16, RPS64 = "Non-streaming req/s, c16", "Non-streaming req/s, c64"
    P99_64 = "Non-streaming p99 latency c64 (ms)"
    # (label, test the figure comes from, figure of one run, decimals)
    spec = [
        (RPS16, "c16", rps, 0),
        ("Non-streaming p50 latency c16 (ms)", "c16", lat(50), 2),
        ("Non-streaming p99 latency c16 (ms)", "c16", lat(99), 2),
        (RPS64, "c64", rps, 0),
        ("Non-streaming p50 latency c64 (ms)", "c64", lat(50), 2),
        (P99_64, "c64", lat(99), 2),
        (f"Streaming events/s (c{m.get('stream_tput_conns', 16)}, {d.events} events/reply, no delay)",
         "stream_tput", ev_rate, 0),
        ("Streaming p99 reply time (ms)", "stream_tput", lat(99), 1),
        (TTFB, "stream_lat", client("ttfb_ms"), 3),
        (GAP, "stream_lat", client("maxgap_ms"), 2),
        (CPU16, "c16", cpu_us_per_req, 1),
        (CPU64, "c64", cpu_us_per_req, 1),
        ("CPU per streamed event (µs)", "stream_tput", per_event, 2),
    ]
    # rows: (label, test, {target: [value per round]}, decimals)
    rows = [(label, test, {t: [fn(r) for r in d.runs(t, test)] for t in d.targets}, digits)
            for label, test, fn, digits in spec]
    medians = {label: {t: med(v) for t, v in vals.items()} for label, _, vals, _ in rows}

    hwm = {t: max((r.get("hwm_kb", 0) for r in d.runs(t, "c64")), default=None) for t in d.targets}
    startup = {g: (d.one(g, "startup") or {}).get("probe", {}) for g in d.gateways}

    # Errors over every measured run (and warm-up, listed separately).
    err = {}
    for t in d.targets:
        wrk_runs = d.runs(t, "c16") + d.runs(t, "c64") + d.runs(t, "stream_tput")
        sl = d.runs(t, "stream_lat")
        warm = [r for r in d.recs if r.get("target") == t and r.get("test", "").startswith("warmup")]
        err[t] = {
            "wrk_req": sum(r["wrk"].get("requests", 0) for r in wrk_runs),
            "wrk_err": sum(wrk_errors(r) for r in wrk_runs),
            "wrk_status": sum(r["wrk"].get("err_status", 0) for r in wrk_runs),
            "wrk_socket": sum(sum(r["wrk"].get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_timeout")) for r in wrk_runs),
            "wrk_bad": sum(r["wrk"].get("bad_body", 0) for r in wrk_runs),
            "stream_req": sum(r["client"].get("requests", 0) for r in sl),
            "stream_err": sum(r["client"].get("errors", 0) for r in sl),
            "stream_first": next((r["client"]["first_error"] for r in sl if r["client"].get("first_error")), None),
            "delay_missing": sum(r["client"].get("delay_not_applied", 0) for r in sl),
            "warm_req": sum(r["wrk"].get("requests", 0) for r in warm),
            "warm_err": sum(wrk_errors(r) for r in warm),
            "sanity": (d.one(t, "sanity") or {}).get("ok", "n/a"),
        }
    total_errors = sum(e["wrk_err"] + e["stream_err"] for e in err.values())

    # --- header
    w(f"# Switchboard benchmark — {m.get('date', '?')}")
    w("")
    dirty = " (uncommitted changes in src/ or pom.xml)" if m.get("dirty", "0") not in ("0", "") else ""
    w(f"Commit `{m.get('commit', '?')}`{dirty}; {m.get('cpus', '?')} CPUs ({m.get('cpu_model', '?')}), "
      f"kernel {m.get('kernel', '?')}; {m.get('java', '')}; nginx {m.get('nginx', '?')}; {m.get('wrk', '')}.")
    w(f"{m.get('rounds')} rounds, target order rotated each round; wrk `-t{m.get('wrk_threads')}` "
      f"for {m.get('duration_s')} s per figure; warm-up {m.get('warmup_s')} s for gateways, "
      f"{m.get('warmup_others_s')} s for the others. Cells: median over rounds (min–max across rounds).")
    if m.get("native_note"):
        w(f"Note — {m['native_note']}.")
    if m.get("custom_cmd") == "1":
        w(f"Note — switchboard was started with a custom SWITCHBOARD_CMD: `{m.get('switchboard_cmd')}`.")
    for g in d.gateways:
        p = d.one(g, "process")
        if p and g == "switchboard" and p.get("comm") != "java":
            w(f"Note — the measured switchboard process is `{p.get('comm')}`, not java.")
    w("")
    if total_errors:
        w(f"**⚠ This run had {total_errors:,} errors — see “Errors”; figures from failing runs are not comparable.**")
        w("")

    # --- absolute figures
    w("## Figures")
    w("")
    ratio_cols = [(g, ref) for g in d.gateways for ref in REFS]
    w("| | " + " | ".join(d.targets) + " | " + " | ".join(f"{g}/{ref}" for g, ref in ratio_cols) + " |")
    w("|---|" + "---:|" * (len(d.targets) + len(ratio_cols)))
    for label, test, vals, digits in rows:
        cells = [cell(vals[t], digits) + (" ⚠ errors" if had_errors(t, test) else "")
                 for t in d.targets]
        rats = [ratio(medians[label][g], medians[label][ref]) for g, ref in ratio_cols]
        w(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(rats) + " |")
    hw = [fmt(hwm[t] / mib, 1) if hwm[t] else "n/a" for t in d.targets]
    w("| Peak RSS after c64 runs, VmHWM (MiB) | " + " | ".join(hw) + " | "
      + " | ".join(ratio(hwm[g], hwm[ref]) for g, ref in ratio_cols) + " |")
    st = []
    for t in d.targets:
        p = startup.get(t)
        if t in REFS:
            st.append("—")
        elif p and p.get("ms") is not None:
            st.append(f"{fmt(p['ms'], 0)} ({fmt(p['ms_min'], 0)}–{fmt(p['ms_max'], 0)})")
        else:
            st.append("n/a")
    w(f"| Start → first answered request, median of {m.get('startup_runs')} (ms) | " + " | ".join(st)
      + " |" + " |" * len(ratio_cols))
    rs = ["—" if t in REFS else (fmt(startup[t]["rss_kb"] / mib, 1) if startup.get(t, {}).get("rss_kb") else "n/a")
          for t in d.targets]
    w("| RSS right after first answer (MiB) | " + " | ".join(rs) + " |" + " |" * len(ratio_cols))
    w("")
    w("CPU and RSS are those of the target's own processes: the mock's nginx workers for "
      "direct, the proxy's nginx workers for nginx, the gateway's process for the gateway(s) (all "
      "threads: for the JVM that includes GC and JIT compilation). "
      "Ratios are gateway ÷ reference on the medians (for latency, CPU and RSS, lower is better).")
    w("")

    # --- budget
    w("## Budget")
    w("")
    nginx_m = lambda label: medians[label]["nginx"]
    checks = []  # (name, limit text, fn(g) -> (measured text, ok or None))

    def rps_check(label, conc):
        def f(g):
            a, b = medians[label][g], nginx_m(label)
            if a is None or not b:
                return "n/a", None
            return f"{a / b:.2f}× nginx ({fmt(a, 0)} vs {fmt(b, 0)})", a >= 0.5 * b
        return (f"Non-streaming req/s, c{conc}", "≥ 0.5 × nginx", f)

    checks.append(rps_check(RPS16, 16))
    checks.append(rps_check(RPS64, 64))

    def p99(g):
        a, b = medians[P99_64][g], nginx_m(P99_64)
        if a is None or not b:
            return "n/a", None
        return f"{a / b:.2f}× nginx ({fmt(a, 2)} vs {fmt(b, 2)} ms)", a <= 2 * b
    checks.append(("p99 latency, c64", "≤ 2 × nginx", p99))

    def ttfb(g):
        a, b = medians[TTFB][g], medians[TTFB]["direct"]
        if a is None or b is None:
            return "n/a", None
        return f"+{a - b:.3f} ms ({a:.3f} vs {b:.3f})", a - b <= 1.0
    checks.append(("Streaming TTFB added over direct", "≤ 1 ms", ttfb))

    def gap(g):
        a = medians[GAP][g]
        if a is None:
            return "n/a", None
        if err[g]["delay_missing"]:
            return f"{a:.2f} ms, but the backend delay was not applied in {err[g]['delay_missing']} streams", False
        return f"{a:.2f} ms", a <= d.delay_ms + 5
    checks.append(("Streaming largest gap between events", f"≤ {d.delay_ms + 5:g} ms (backend gap + 5)", gap))

    def cpu(g):
        vals = [medians[CPU16][g], medians[CPU64][g]]
        if any(v is None for v in vals):
            return "n/a", None
        return f"{max(vals):.1f} µs (worse of c16 {vals[0]:.1f} / c64 {vals[1]:.1f})", max(vals) <= 60
    checks.append(("CPU per non-streaming request", "≤ 60 µs", cpu))

    def rss(g):
        if not hwm.get(g):
            return "n/a", None
        return f"{hwm[g] / mib:.1f} MiB", hwm[g] / mib <= 200
    checks.append(("Peak RSS under c64", "≤ 200 MiB", rss))

    def start(g):
        p = startup.get(g, {})
        if p.get("ms") is None:
            return f"n/a ({p.get('first_error') or 'no data'})", None
        return f"{p['ms'] / 1000:.3f} s", p["ms"] <= 1500
    checks.append(("Start → first answered request", "≤ 1.5 s", start))

    def errors(g):
        e = err[g]
        n = e["wrk_err"] + e["stream_err"]
        return f"{n:,} (wrk {e['wrk_err']:,} of {e['wrk_req']:,}; stream {e['stream_err']} of {e['stream_req']})", n == 0
    checks.append(("No errors in measured runs", "0", errors))

    w("| Check | Limit | " + " | ".join(f"{g}: measured | {g}" for g in d.gateways) + " |")
    w("|---|---|" + "---|---|" * len(d.gateways))
    fails = {g: 0 for g in d.gateways}
    for name, limit, f in checks:
        cells = []
        for g in d.gateways:
            text, ok = f(g)
            verdict = "PASS" if ok else ("FAIL" if ok is False else "NO DATA")
            if not ok:
                fails[g] += 1
            cells += [text, f"**{verdict}**"]
        w(f"| {name} | {limit} | " + " | ".join(cells) + " |")
    w("")
    w("Overall: " + "; ".join(f"{g} {'PASS' if fails[g] == 0 else f'FAIL ({fails[g]} of {len(checks)} checks)'}"
                              for g in d.gateways) + ".")
    w("")

    # --- errors
    w("## Errors")
    w("")
    w("| Target | wrk requests | non-2xx | socket errors | incomplete streams (wrk) | stream client errors | warm-up errors | sanity |")
    w("|---|---:|---:|---:|---:|---:|---:|---|")
    for t in d.targets:
        e = err[t]
        w(f"| {t} | {e['wrk_req']:,} | {e['wrk_status']:,} | {e['wrk_socket']:,} | {e['wrk_bad']:,} | "
          f"{e['stream_err']} of {e['stream_req']} | {e['warm_err']:,} of {e['warm_req']:,} | {e['sanity']} |")
    for t in d.targets:
        if err[t]["stream_first"]:
            w(f"\n{t}: first stream error: `{err[t]['stream_first']}`")
        if err[t]["delay_missing"]:
            w(f"\n{t}: {err[t]['delay_missing']} streams ended too fast — the backend delay "
              "(bench_delay_ms) was not applied, so the gap figure is not meaningful.")
    logs = [(t, d.one(t, "serverlog")) for t in d.targets]
    logs = [(t, l) for t, l in logs if l and (int(l.get("errors", 0)) or int(l.get("warnings", 0)))]
    if logs:
        w("")
        w("Server logs (errors the clients may not see; nginx: lines in its error log at level warn):")
        w("")
        for t, l in logs:
            w(f"- {t}: {int(l['errors']):,} error and {int(l['warnings']):,} warning lines; "
              f"first error: `{l.get('first') or '-'}`")
    for g in d.gateways:
        p = startup.get(g, {})
        if p.get("errors"):
            w(f"\n{g}: {p['errors']} of the fresh starts never answered: `{p.get('first_error')}`")
        a = d.one(g, "alive")
        if a and a.get("alive") != "yes":
            w(f"\n**{g} exited during the run.**")
    w("")

    # --- noise
    w("## Machine noise")
    w("")
    w(f"Load average (1/5/15 min) before the run: {m.get('load_before', '?')}; "
      f"after: {d.meta_end.get('load_after', '?')}.")
    w("")
    snaps = {r["label"]: r for r in d.recs if r.get("test") == "snap"}
    noise_rows = []
    for i in range(1, int(m.get("rounds", 0)) + 1):
        a, b = snaps.get(f"round{i}-start"), snaps.get(f"round{i}-end")
        if not a or not b:
            continue
        ds = [y - x for x, y in zip(a["stat"], b["stat"])]
        total = sum(ds[:8])
        idle = ds[3] + ds[4]
        ours = (b["servers"] - a["servers"]) + (b["children"] - a["children"]) + (b["self"] - a["self"])
        if total <= 0:
            continue
        busy = total - idle
        noise_rows.append((i, 100.0 * busy / total, 100.0 * max(0, busy - ours) / total, 100.0 * ds[7] / total))
    if noise_rows:
        w("| Round | machine busy | used by anything but the benchmark | steal |")
        w("|---|---:|---:|---:|")
        for i, busy, foreign, steal in noise_rows:
            w(f"| {i} | {busy:.1f} % | {foreign:.1f} % | {steal:.1f} % |")
        w("")
        w("Percentages are of all CPUs. “Anything but the benchmark” is machine CPU time minus that of "
          "the mock, proxy, gateway(s) and the load clients; above a few percent, treat the figures "
          "with suspicion and rerun on a quiet machine.")
        w("")
    spreads = []
    for label, _, vals, _ in rows:
        for t in d.targets:
            xs = [x for x in vals[t] if x is not None]
            if len(xs) > 1 and statistics.median(xs):
                spreads.append(((max(xs) - min(xs)) / statistics.median(xs), label, t))
    if spreads:
        spreads.sort(reverse=True)
        s, label, t = spreads[0]
        w(f"Widest round-to-round spread: {100 * s:.0f} % of the median ({label}, {t}); "
          f"median spread over all figures: {100 * statistics.median(x[0] for x in spreads):.0f} %.")
        w("")

    # --- setup
    w("## Setup")
    w("")
    w(f"- mock backend: nginx + Lua, worker_processes {m.get('mock_workers')}; "
      f"nginx proxy: worker_processes {m.get('proxy_workers')}, upstream keepalive 64, proxy_buffering off")
    w(f"- switchboard: `{m.get('switchboard_cmd')}`" + (f" (SWITCHBOARD_JAVA_OPTS=`{m['java_opts']}`)" if m.get("java_opts") else ""))
    if "native" in d.gateways:
        w(f"- native: `{m.get('native_cmd')}`")
    w(f"- non-streaming: wrk POST of a ~600-byte chat request, ~1 KB JSON reply, c16 and c64")
    w(f"- streaming throughput: wrk, c{m.get('stream_tput_conns')}, {d.events} events per reply, no delay; events/s = replies/s × {d.events}")
    w(f"- streaming latency: {m.get('stream_requests')} sequential requests of {m.get('stream_events')} events "
      f"{m.get('stream_delay_ms')} ms apart (Python client, one keep-alive connection)")
    print("\n".join(out))


if __name__ == "__main__":
    main()
