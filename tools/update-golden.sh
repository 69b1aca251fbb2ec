#!/usr/bin/env bash
# Rewrites tests/golden/<name>.txt from the current trace of every bundled scenario. Review the diff
# (git diff tests/golden) before committing: a golden trace pins what kerbsim tells its users.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kerbsim="${KERBSIM:-$root/build/tools/kerbsim/kerbsim}"
for s in "$root"/scenarios/*.json; do
  name="$(basename "$s" .json)"
  NO_COLOR=1 "$kerbsim" trace "$s" > "$root/tests/golden/$name.txt" 2>&1 || true
  if grep -q '"workload"' "$s"; then
    mkdir -p "$root/tests/golden/simulate"
    NO_COLOR=1 "$kerbsim" simulate "$s" > "$root/tests/golden/simulate/$name.txt" 2>&1 || true
  fi
done
echo "rewrote $(ls "$root"/scenarios/*.json | wc -l) golden traces and $(ls "$root"/tests/golden/simulate | wc -l) simulation reports"
