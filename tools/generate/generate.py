#!/usr/bin/env python3
"""Writes a generated enterprise as a kerbsim scenario, and the risks planted in it, from a manifest.

Usage: generate.py --manifest FILE --output DIR [--seed N]

Writes DIR/<name>.json and DIR/<name>.risks.json, both or neither. Exit 0 when written, 2 for bad usage or a
manifest the generator cannot honour (every problem is printed with the key it is about).
The manifest format and what is generated: tools/generate/README.md.
"""

import argparse
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # run from the source tree: leave no __pycache__ in it
from generator import manifest as manifest_format  # noqa: E402
from generator.enterprise import Enterprise  # noqa: E402
from generator.manifest import ManifestError  # noqa: E402
from generator.writer import risks_document, write_scenario  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(prog="generate.py", description="Writes a generated enterprise as a "
                                     "kerbsim scenario and the list of its planted risks.")
    parser.add_argument("--manifest", required=True, metavar="FILE", help="the manifest (tools/generate/manifests)")
    parser.add_argument("--output", required=True, metavar="DIR", help="where <name>.json and <name>.risks.json go")
    parser.add_argument("--seed", type=int, metavar="N", help="use this seed instead of the manifest's")
    args = parser.parse_args(argv)

    started = time.monotonic()
    try:
        with open(args.manifest, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"generate.py: cannot read the manifest {args.manifest}: {e}", file=sys.stderr)
        return 2
    try:
        m = manifest_format.parse(text)
        if args.seed is not None:
            if not 0 <= args.seed < 2**64:
                raise ManifestError(["--seed: must be from 0 to 18446744073709551615"])
            m.seed = args.seed
        e = Enterprise(m).build()
    except ManifestError as err:
        for problem in err.problems:
            print(f"{args.manifest}: {problem}", file=sys.stderr)
        return 2

    scenario = os.path.join(args.output, f"{m.name}.json")
    risks = os.path.join(args.output, f"{m.name}.risks.json")
    temporary = [os.path.join(args.output, f".{m.name}.json.partial"),
                 os.path.join(args.output, f".{m.name}.risks.json.partial")]
    try:
        os.makedirs(args.output, exist_ok=True)
        with open(temporary[0], "w", encoding="utf-8", buffering=1 << 20) as out:
            stats = write_scenario(e, out)
        with open(temporary[1], "w", encoding="utf-8") as out:
            json.dump(risks_document(e, stats), out, indent=2)
            out.write("\n")
        os.replace(temporary[0], scenario)
        os.replace(temporary[1], risks)
    except BaseException as err:  # never leave half a file behind, whatever stopped the writing
        for path in temporary:
            if os.path.exists(path):
                os.remove(path)
        if not isinstance(err, OSError):
            raise
        print(f"generate.py: cannot write to {args.output}: {err}", file=sys.stderr)
        return 2

    try:
        _summary(m, e, stats, scenario, risks, time.monotonic() - started)
    except BrokenPipeError:  # `| head`: the files are written, the summary is not needed
        sys.stdout = None
    return 0


def _summary(m, e, stats, scenario, risks, seconds):
    c = e.counts
    print(f"{m.name}: {c['total']:,} accounts ({c['users']:,} users, {c['admins']:,} admins, "
          f"{c['service_accounts']:,} service accounts, {c['gmsas']:,} gMSAs, {c['workstations']:,} workstations, "
          f"{c['servers']:,} member servers, {c['dcs']:,} domain controllers, {c['partner']:,} in trusted "
          f"domains), {stats.spns:,} SPNs, {stats.hosts:,} hosts, {len(e.farms)} IIS farms, {len(e.flows)} flows, "
          f"{len(e.planted)} planted risks")
    size = os.path.getsize(scenario)
    shown = f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size:,} bytes"
    print(f"wrote {scenario} ({shown}) and {risks} in {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
