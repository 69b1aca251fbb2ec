#!/usr/bin/env bash
# `kerbsim trace --write-fixed` and `kerbsim diff`: the fixed design, and diff's exit codes as a CI gate.
# Usage: diff_test.sh KERBSIM SOURCE_DIR
set -u
kerbsim="$1" root="$2"
export NO_COLOR=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

expect() {  # expect NAME CODE PATTERN -- COMMAND...
  local name="$1" code="$2" pattern="$3"
  shift 4
  local out rc
  out="$("$@" 2>&1)"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code"; echo "$out" | head -20; failed=$((failed + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -20; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

check_absent() {  # check_absent NAME FILE
  if [ -e "$2" ]; then echo "FAIL $1: $2 was written"; failed=$((failed + 1)); else passed=$((passed + 1)); fi
}

broken="$root/scenarios/ssrs-farm-networkservice.json"
fixed="$tmp/fixed.json"
expect "trace --help documents --write-fixed" 0 "write-fixed" -- "$kerbsim" trace --help
expect "write-fixed" 0 "wrote .*fixed.json" -- "$kerbsim" trace ssrs-farm-networkservice --write-fixed "$fixed"
expect "the fixed design checks" 0 "0 failed" -- "$kerbsim" check "$fixed"
expect "the fixed design has no failing path" 0 "" -- bash -c "! '$kerbsim' trace '$fixed' --format json | grep -q '\"verdict\": \"failed\"'"
expect "its description says what changed" 0 "removed from CORP" -- grep -F "HTTP/reports.corp.contoso.com removed from CORP" "$fixed"
expect "diff broken fixed exits 0" 0 "Nothing got worse" -- "$kerbsim" diff "$broken" "$fixed"
expect "diff lists the changes" 0 "HTTP/reports.corp.contoso.com removed from CORP.WEB1\\$" -- "$kerbsim" diff "$broken" "$fixed"
expect "diff shows the path that got better" 0 "via web2: failed → ok \\(better\\)" -- "$kerbsim" diff "$broken" "$fixed"
expect "diff fixed broken exits 1" 1 "Something got worse" -- "$kerbsim" diff "$fixed" "$broken"
expect "diff --fix" 0 "gmsa" -- "$kerbsim" diff ssrs-farm-networkservice --fix
expect "diff --fail-on any" 1 "" -- "$kerbsim" diff "$broken" "$fixed" --fail-on any
expect "diff of a scenario with itself, --fail-on any" 0 "The outcome is the same" -- "$kerbsim" diff "$broken" "$broken" --fail-on any
expect "diff json" 0 '"worse": false' -- "$kerbsim" diff "$broken" "$fixed" --format json
expect "diff json to a file" 0 "" -- "$kerbsim" diff "$broken" "$fixed" --format json -o "$tmp/diff.json"
expect "diff json keys" 0 '"changes": \[' -- cat "$tmp/diff.json"
expect "diff with workloads compares metrics; more users always failing is worse" 1 "users_always_failing +0 +[0-9]+ +worse" -- "$kerbsim" diff sim-farm-round-robin sim-farm-source-ip-affinity

# Nothing to fix: a message, no file, exit 1.
expect "write-fixed with nothing to fix" 1 "no fixed scenario written" -- "$kerbsim" trace iis-farm-shared-account --write-fixed "$tmp/none.json"
check_absent "write-fixed with nothing to fix" "$tmp/none.json"
expect "diff --fix with nothing to fix" 1 "nothing to fix" -- "$kerbsim" diff iis-farm-shared-account --fix

# Bad input: located messages, exit 2.
echo '{ "format": "kerbsim/1", "name": "x", ' > "$tmp/bad.json"
expect "diff bad file" 2 "bad.json:[0-9]+:[0-9]+" -- "$kerbsim" diff "$tmp/bad.json" "$broken"
expect "diff missing file" 2 "cannot open" -- "$kerbsim" diff "$broken" "$tmp/missing.json"
expect "diff one scenario" 2 "two scenarios are required" -- "$kerbsim" diff "$broken"
expect "diff --fix with two" 2 "--fix takes one" -- "$kerbsim" diff "$broken" "$fixed" --fix
expect "diff bad --fail-on" 2 "--fail-on must be" -- "$kerbsim" diff "$broken" "$fixed" --fail-on sometimes
expect "diff bad --format" 2 "--format must be" -- "$kerbsim" diff "$broken" "$fixed" --format xml
expect "write-fixed of a degraded path" 0 "wrote" -- "$kerbsim" trace ssrs-farm-shared-account --write-fixed "$tmp/degraded-fixed.json"
expect "diff --fix of a degraded path" 0 "via web3: degraded → ok \\(better\\)" -- "$kerbsim" diff ssrs-farm-shared-account --fix
expect "diff of two farms with no flow in common" 2 "have no flow in common" -- "$kerbsim" diff "$broken" iis-farm-layer7-ntlm
expect "diff commands in rollout order, the KDS wait on its own line" 0 "# then wait 10h before the next step" -- "$kerbsim" diff "$broken" "$fixed"
expect "diff --help" 0 "Exit codes: 0 nothing got worse" -- "$kerbsim" diff --help

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
