#!/usr/bin/env python3
"""Seed-style production validation of a demo loans-analytics service over its HTTP API.

The five checks of the seed's scripts/production_validation.py (KPI calculations, data
integrity, performance, error handling, audit trail), written to the seed's report format:
    {"status": "PASS|WARN|FAIL", "checks": {"<name>": {"status", "metrics", "message"}}, ...}
Exit code: 0 on PASS or WARN, 1 on FAIL, 2 on bad arguments. Python 3 standard library only.

    python3 demo/validation/production_validation.py --base-url http://127.0.0.1:8102 \
        [--baseline-url http://127.0.0.1:8101 | --baseline-file kpis.json] \
        [--output production_validation_report.json] [--samples 20] [--tolerance 0.001]

It is what the `command` check provider runs with `format: seed-report` in the demo plan.
"""
import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

BREAKDOWNS = ("segment", "region", "product")
RATIOS = ("par30", "par60", "par90", "defaultRate", "nplRatio", "writeOffRate", "collectionRate")
MALFORMED = [  # harmless by construction: none can change state
    ("unknown route", "GET", "/validation-no-such-route", None),
    ("bad query parameter", "GET", "/kpis?by=nope", None),
    ("wrong method", "POST", "/kpis", None),
    ("bad JSON", "POST", "/admin/faults", b'{"not json'),
]
AUDIT_WINDOW = 1000


def request(base, path, method="GET", body=None, timeout=10):
    """(status, text, ms); raises OSError when no answer came. The base path is kept."""
    url = base.rstrip("/") + path
    headers = {"content-type": "application/json"} if body is not None else {}
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            text = res.read().decode("utf-8", "replace")
            status = res.status
    except urllib.error.HTTPError as err:
        text = err.read().decode("utf-8", "replace")
        status = err.code
    return status, text, (time.perf_counter() - started) * 1000


def get_json(base, path):
    status, text, _ = request(base, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {text[:200]}")
    return json.loads(text)


def result(status, metrics, message):  # one check, as the seed's report holds it
    return {"status": status, "metrics": metrics, "message": message}


def kpi_calculations(args):
    """KPIs in range, groups adding up to the totals, and (with a baseline) equal within tolerance."""
    totals = get_json(args.base_url, "/kpis")["kpis"]
    problems = [f"{k} = {totals.get(k)} is not a ratio in [0, 1]" for k in RATIOS if not 0 <= totals.get(k, -1) <= 1]
    groups = {}
    for by in BREAKDOWNS:
        groups[by] = get_json(args.base_url, f"/kpis?by={by}")["groups"]
        for field in ("loanCount", "totalOutstanding", "disbursedVolume"):
            summed = sum(g[field] for g in groups[by].values())
            if abs(summed - totals[field]) > 1e-6 * max(1.0, abs(totals[field])):
                problems.append(f"{field} by {by} adds up to {summed}, total says {totals[field]}")
    metrics = {"kpis": totals, "breakdowns": list(BREAKDOWNS), "tolerance": args.tolerance}
    baseline = None
    if args.baseline_url:
        baseline = {"totals": get_json(args.baseline_url, "/kpis")["kpis"]}
        for by in BREAKDOWNS:
            baseline[by] = get_json(args.baseline_url, f"/kpis?by={by}")["groups"]
    elif args.baseline_file:
        with open(args.baseline_file, encoding="utf-8") as f:
            baseline = {"totals": (lambda saved: saved.get("kpis", saved))(json.load(f))}
    max_dev, worst = 0.0, None
    if baseline:
        scopes = [("totals", totals, baseline["totals"])]
        scopes += [(f"{by}.{name}", kpis, baseline[by].get(name, {})) for by in BREAKDOWNS if by in baseline for name, kpis in groups[by].items()]
        for scope, kpis, ref in scopes:
            for k, expected in ref.items():
                if not isinstance(expected, (int, float)) or isinstance(expected, bool):
                    continue
                got = kpis.get(k)
                if not isinstance(got, (int, float)):
                    problems.append(f"{scope}.{k} missing")
                    continue
                dev = abs(got - expected) / abs(expected) if expected else abs(got)
                if dev > max_dev:
                    max_dev, worst = dev, f"{scope}.{k}"
                if dev > args.tolerance:
                    problems.append(f"{scope}.{k} off by {dev * 100:.3f}% ({got} vs {expected})")
        metrics.update({"max_deviation": max_dev, "worst": worst, "baseline": args.baseline_url or args.baseline_file})
    if problems:
        return result("FAIL", metrics, "; ".join(problems[:3]) + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""))
    if baseline:
        return result("PASS", metrics, f"totals and {len(BREAKDOWNS)} breakdowns within {args.tolerance * 100:.3f}% of the baseline (max {max_dev * 100:.4f}%)")
    return result("PASS", metrics, "KPIs in range and every breakdown adds up to the totals (no baseline given)")


def data_integrity(args):
    body = get_json(args.base_url, "/integrity")
    keys = ("rows", "expectedRows", "checksumMatches", "duplicateKeys", "missingKeys", "nullFields")
    metrics = {k: body.get(k) for k in keys}
    problems = []
    if body.get("rows") != body.get("expectedRows"):
        problems.append(f"{body.get('rows')} rows loaded, {body.get('expectedRows')} expected")
    if body.get("checksumMatches") is not True:
        problems.append("checksum differs from the manifest")
    for k in ("duplicateKeys", "missingKeys", "nullFields"):
        if body.get(k, 0):
            problems.append(f"{body[k]} {k}")
    if not problems and body.get("ok") is False:
        problems.append("the service reports its data not ok")
    if problems:
        return result("FAIL", metrics, ", ".join(problems))
    return result("PASS", metrics, f"{body['rows']} rows, checksum matches, no duplicate or missing keys, no null fields")


def performance(args):
    latencies, failed = [], 0
    started = time.perf_counter()
    for _ in range(args.samples):
        status, _, ms = request(args.base_url, "/kpis")
        latencies.append(ms)
        failed += 0 if 200 <= status < 300 else 1
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    pct = lambda p: ordered[max(1, min(len(ordered), -(-p * len(ordered) // 100))) - 1]  # nearest rank
    avg = sum(latencies) / len(latencies)
    metrics = {"samples": len(latencies), "failed_requests": failed, "avg_ms": round(avg, 2), "p50_ms": round(pct(50), 2),
               "p95_ms": round(pct(95), 2), "max_ms": round(ordered[-1], 2), "throughput_rps": round(len(latencies) / wall, 2)}
    figures = f"avg {metrics['avg_ms']} ms, p95 {metrics['p95_ms']} ms over {len(latencies)} requests"
    if avg > 1000:
        return result("FAIL", metrics, f"{figures}: over the 1000 ms limit")
    if avg > 100:
        return result("WARN", metrics, f"{figures}: over the 100 ms target")
    if failed:
        return result("WARN", metrics, f"{figures}; {failed} requests failed")
    return result("PASS", metrics, f"{figures}: {'excellent (under 50 ms)' if avg < 50 else 'under the 100 ms target'}")


def metric_sum(text, name):
    """Sum of every series of one metric in Prometheus text format."""
    pattern = re.compile(r"^" + re.escape(name) + r"(?:\{.*\})?\s+(\S+)", re.M)
    return sum(float(v) for v in pattern.findall(text))


def error_handling(args):
    outcomes = []
    for what, method, path, body in MALFORMED:
        try:
            status, text, _ = request(args.base_url, path, method, body)
            try:
                has_error = "error" in json.loads(text)
            except (ValueError, TypeError):
                has_error = False
            problem = None if 400 <= status < 500 and has_error else f"answered {status}, expected 4xx JSON {{error}}"
        except OSError as err:
            status, problem = None, f"no answer: {err}"
        outcomes.append({"what": what, "request": f"{method} {path}", "status": status, "ok": problem is None, "problem": problem})
    status, text, _ = request(args.base_url, "/metrics")
    requests = metric_sum(text, args.requests_metric) if status == 200 else 0
    errors = metric_sum(text, args.errors_metric) if status == 200 else 0
    rate = errors / requests if requests else 0.0
    metrics = {"malformed_requests": outcomes, "requests": requests, "errors": errors, "error_rate": rate}
    rate_text = f"error rate {rate * 100:.3f}% ({errors:g} of {requests:g} requests)"
    fails = [f"{o['what']} ({o['request']}) {o['problem']}" for o in outcomes if not o["ok"]]
    if rate > 0.05:
        fails.append(f"{rate_text} over 5%")
    if fails:
        return result("FAIL", metrics, "; ".join(fails))
    if status != 200:
        return result("WARN", metrics, f"error rate unknown: /metrics answered {status}")
    if rate > 0.001:
        return result("WARN", metrics, f"{rate_text} over the 0.1% target")
    return result("PASS", metrics, f"{len(outcomes)} malformed requests answered 4xx JSON; {rate_text}")


def audit_trail(args):
    """An audited request grows lastSeq, and the recent sequence numbers have no gap."""
    before = get_json(args.base_url, "/audit?limit=0")["lastSeq"]
    get_json(args.base_url, "/kpis")
    after_seq = get_json(args.base_url, "/audit?limit=0")["lastSeq"]
    start = max(0, after_seq - AUDIT_WINDOW)
    events = get_json(args.base_url, f"/audit?after={start}&limit={AUDIT_WINDOW}")["events"]
    seqs = [e.get("seq") for e in events if isinstance(e.get("seq"), int)]
    gaps, previous = [], start
    for seq in seqs:
        if seq != previous + 1:
            gaps.append({"after": previous, "next": seq})
        previous = seq
    metrics = {"last_seq_before": before, "last_seq_after": after_seq, "event_count": len(seqs), "checked_from": start + 1, "gaps": gaps}
    problems = []
    if after_seq <= before:
        problems.append(f"lastSeq did not grow after an audited request ({before} -> {after_seq})")
    if gaps:
        shown = ", ".join("%d -> %d" % (g["after"], g["next"]) for g in gaps[:3])
        problems.append(f"{len(gaps)} gap(s) in sequence numbers ({shown}{', ...' if len(gaps) > 3 else ''})")
    if problems:
        return result("FAIL", metrics, "; ".join(problems))
    return result("PASS", metrics, f"lastSeq {before} -> {after_seq}; {len(seqs)} recent events consecutive")


CHECKS = [("kpi_calculations", kpi_calculations), ("data_integrity", data_integrity), ("performance", performance),
          ("error_handling", error_handling), ("audit_trail", audit_trail)]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seed-style production validation of a demo service.")
    parser.add_argument("--base-url", required=True, help="the service to validate, e.g. http://127.0.0.1:8102 (a base path is kept)")
    parser.add_argument("--output", default="production_validation_report.json")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--baseline-url", help="a service whose KPIs (totals and breakdowns) are the reference, e.g. V1")
    group.add_argument("--baseline-file", help="a saved /kpis answer (totals only)")
    parser.add_argument("--tolerance", type=float, default=0.001, help="relative KPI tolerance (default 0.001 = 0.1%%)")
    parser.add_argument("--samples", type=int, default=20, help="timed GET /kpis requests (default 20)")
    parser.add_argument("--requests-metric", default="demo_http_requests_total")
    parser.add_argument("--errors-metric", default="demo_http_errors_total")
    args = parser.parse_args(argv)
    if args.samples < 1:
        parser.error("--samples must be at least 1")
    started = time.perf_counter()
    checks = {}
    for name, check in CHECKS:
        try:
            checks[name] = check(args)
        except Exception as err:  # a check that cannot run is a FAIL that says why
            checks[name] = result("FAIL", {}, f"{type(err).__name__}: {err}")
    statuses = [c["status"] for c in checks.values()]
    status = "FAIL" if "FAIL" in statuses else "WARN" if "WARN" in statuses else "PASS"
    report = {"timestamp": datetime.now(timezone.utc).isoformat(), "status": status, "target": args.base_url,
              "duration_ms": round((time.perf_counter() - started) * 1000), "checks": checks}
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"{status}: " + ", ".join(f"{n} {c['status']}" for n, c in checks.items()))
    for name in (n for n, c in checks.items() if c["status"] != "PASS"):
        print(f"  {name}: {checks[name]['message']}", file=sys.stderr)
    return 1 if status == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
