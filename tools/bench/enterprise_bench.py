#!/usr/bin/env python3
"""The whole run from the file on a generated enterprise: `kerbsim audit` (load, index, audit) against a
Python json+dict script doing only the duplicate-SPN check on the same file, and the peak memory of both.

Usage: tools/bench/enterprise_bench.py KERBSIM [--manifest FILE] [--work DIR] [--rounds N]

Generates the manifest's enterprise (tools/generate; enterprise-1m unless given) into DIR once, then runs
N alternating rounds (3 unless given) of the Python check and of `kerbsim audit --format json`, each as a
child process, and reports the best wall time of each, their ratio (the issue's target: kerbsim at least
3x faster, 10x the goal), the peak resident memory of each (ru_maxrss of the child), and kerbsim's peak per
account and over the file's size (targets: peak <= file size + 400 B per account). It also checks that the
audit found every planted risk of <name>.risks.json at or above its severity, so that a fast run is a
correct one.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "tools", "generate"))
from generator.audit_match import found  # noqa: E402

# The baseline, as a person would write it: the file read with json, the SPNs in a dict.
PYTHON_CHECK = r"""
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
owners = {}
for a in doc.get("accounts", []):
    for spn in a.get("spns", []):
        owners.setdefault(spn.lower(), []).append(a["name"])
print(sum(1 for v in owners.values() if len(v) > 1))
"""



def timed(argv):
    """Runs argv as a child; returns (wall seconds, the child's own peak RSS in bytes, stdout)."""
    start = time.perf_counter()
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as p:
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"enterprise_bench: {' '.join(argv[:2])} exited {p.returncode}")
    return wall, usage.ru_maxrss * 1024, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kerbsim")
    ap.add_argument("--manifest", default=os.path.join(ROOT, "tools/generate/manifests/enterprise-1m.json"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build/enterprise-bench"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    with open(args.manifest, encoding="utf-8") as f:
        name = json.load(f)["name"]
    scenario = os.path.join(args.work, f"{name}.json")
    if not os.path.exists(scenario):
        subprocess.run([sys.executable, os.path.join(ROOT, "tools/generate/generate.py"), "--manifest", args.manifest,
                        "--output", args.work], check=True)
    with open(os.path.join(args.work, f"{name}.risks.json"), encoding="utf-8") as f:
        risks = json.load(f)
    accounts = risks["counts"].get("accounts")
    size = os.path.getsize(scenario)

    python_times, kerbsim_times, python_peaks, kerbsim_peaks = [], [], [], []
    findings = None
    for _ in range(args.rounds):
        wall, peak, _out = timed([sys.executable, "-c", PYTHON_CHECK, scenario])
        python_times.append(wall)
        python_peaks.append(peak)
        wall, peak, out = timed([args.kerbsim, "audit", scenario, "--format", "json"])
        kerbsim_times.append(wall)
        kerbsim_peaks.append(peak)
        findings = json.loads(out)["findings"]

    missing = [rec["id"] for rec in risks["planted"] if not found(findings, rec)]
    py, ks = min(python_times), min(kerbsim_times)
    print(f"enterprise_bench: {name}, {size / 2**20:.1f} MiB, {accounts or '?'} accounts, best of {args.rounds}")
    print(f"  Python json+dict duplicate check: {py:.2f} s")
    print(f"  kerbsim audit (load, index, audit): {ks:.2f} s, {len(findings)} findings")
    print(f"  ratio: kerbsim is {py / ks:.2f}x the Python check's speed (target >= 3x, goal 10x)")
    peak = min(kerbsim_peaks)
    print(f"  kerbsim peak memory: {peak / 2**20:.0f} MiB, {(peak - size) / accounts:.0f} B per account over the "
          f"file's size (target: peak <= file + 400 B per account)")
    print(f"  Python peak memory: {min(python_peaks) / 2**20:.0f} MiB")
    print(f"  planted risks found: {len(risks['planted']) - len(missing)} of {len(risks['planted'])}"
          + (f" (missing: {', '.join(missing)})" if missing else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
