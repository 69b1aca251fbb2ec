#!/usr/bin/env bash
# Compares the text trace (or, with COMMAND simulate, the simulation report) of one bundled scenario
# with its pinned golden file.
# Usage: compare.sh KERBSIM SCENARIO.json GOLDEN.txt [COMMAND]   (tools/update-golden.sh rewrites them)
set -u
kerbsim="$1" scenario="$2" golden="$3" command="${4:-trace}"
if [ ! -f "$golden" ]; then
  echo "no golden trace $golden; run tools/update-golden.sh and review the result" >&2
  exit 1
fi
actual="$(NO_COLOR=1 "$kerbsim" "$command" "$scenario" 2>&1)"
if [ "$actual" != "$(cat "$golden")" ]; then
  diff -u "$golden" <(printf '%s\n' "$actual") | head -60
  echo "the $command output of $scenario differs from $golden (tools/update-golden.sh rewrites it)" >&2
  exit 1
fi
