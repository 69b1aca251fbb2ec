#!/usr/bin/env bash
# The graph exports of every bundled scenario against the tools that read them: the OpenGraph payload
# validates against payload.schema.json (validate.py, with Debian's python3-jsonschema) and every edge
# names a node of it; the DOT renders with Graphviz. The payloads under bad/ must each be refused, so
# that the check is shown able to fail.
# Usage: run.sh KERBSIM SOURCE_DIR WORK_DIR
set -euo pipefail
kerbsim="$1" source_dir="$2" work="$3"
here="$source_dir/tests/report/opengraph"
if ! /usr/bin/python3 -c "import jsonschema" 2>/dev/null || ! command -v dot >/dev/null 2>&1; then
  echo "SKIPPED: python3-jsonschema and graphviz are needed (tools/test.sh installs them)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
failed=0
for scenario in "$source_dir"/scenarios/*.json; do
  name="$(basename "$scenario" .json)"
  "$kerbsim" graph "$scenario" --format opengraph -o "$work/$name.json"
  "$kerbsim" graph "$scenario" --format dot -o "$work/$name.dot"
  if ! dot -Tsvg "$work/$name.dot" -o "$work/$name.svg" 2>"$work/$name.dot.err" || [ ! -s "$work/$name.svg" ]; then
    echo "FAIL $name: Graphviz cannot render its DOT:"; cat "$work/$name.dot.err"; failed=1
  fi
done
/usr/bin/python3 "$here/validate.py" "$work"/*.json || failed=1
for bad in "$here"/bad/*.json; do
  if /usr/bin/python3 "$here/validate.py" "$bad" >/dev/null; then
    echo "FAIL: $(basename "$bad") was accepted"; failed=1
  fi
done
printf '%s\n' "graph exports of $(ls "$source_dir"/scenarios/*.json | wc -l) scenarios checked"
exit "$failed"
