#!/usr/bin/env bash
# The fix scripts against a real PowerShell grammar: writes `kerbsim trace --fix-script` for every
# bundled scenario (a scenario with no fix must write none and exit 1), parses each script with
# tree-sitter-powershell and checks its commands and parameters against cmdlets.json (check.mjs). The
# scripts under bad/ must each be refused, so that the check is shown able to fail.
# The unit tests' hidden "every kind of change" case adds a script with every command render_steps writes.
# Usage: run.sh KERBSIM KERBSIM_TESTS SOURCE_DIR WORK_DIR
set -euo pipefail
kerbsim="$1" unit_tests="$2" source_dir="$3" work="$4"
here="$source_dir/tests/report/ps1"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: node and npm are needed (tools/test.sh installs them)"
  exit 77
fi
source "$source_dir/tools/deps.sh"
kerbsim_install_ps1_grammar "$work"
cp "$here/check.mjs" "$work/check.mjs"  # beside its node_modules
# --liftoff-only: without it node waits at exit for V8 to finish optimising the grammar (seconds per run).

scripts="$work/scripts"
rm -rf "$scripts"
mkdir -p "$scripts"
for scenario in "$source_dir"/scenarios/*.json; do
  name="$(basename "$scenario" .json)"
  rc=0
  "$kerbsim" trace "$scenario" --fix-script "$scripts/$name.ps1" >/dev/null 2>"$scripts/$name.err" || rc=$?
  if [ "$rc" -eq 0 ] && [ -s "$scripts/$name.ps1" ]; then
    continue
  elif [ "$rc" -eq 1 ] && [ ! -e "$scripts/$name.ps1" ]; then
    continue
  fi
  echo "FAIL: kerbsim trace $name --fix-script exited $rc:" >&2
  cat "$scripts/$name.err" >&2
  exit 1
done
KERBSIM_PS1_SAMPLE="$scripts/every-change.ps1" "$unit_tests" "[.ps1-sample]" >/dev/null
set -- "$scripts"/*.ps1
[ -e "$1" ] || { echo "FAIL: no bundled scenario has a fix script" >&2; exit 1; }
node --liftoff-only "$work/check.mjs" "$here/cmdlets.json" "$@"

for bad in "$here"/bad/*.ps1; do
  if node --liftoff-only "$work/check.mjs" "$here/cmdlets.json" "$bad" >/dev/null 2>&1; then
    echo "FAIL: $(basename "$bad") was accepted" >&2
    exit 1
  fi
done
echo "the $(ls "$here"/bad/*.ps1 | wc -l) scripts under bad/ are refused"
