#!/usr/bin/env bash
# Command-line contract: exit codes, help, and messages a new user meets first.
# Usage: cli_test.sh KERBSIM SOURCE_DIR
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

default="$root/scenarios/ssrs-farm-networkservice.json"
expect "no arguments" 2 "Usage: kerbsim" -- "$kerbsim"
expect "--help" 0 "Commands:" -- "$kerbsim" --help
expect "--version" 0 "^kerbsim [0-9]" -- "$kerbsim" --version
expect "unknown command" 2 "unknown command 'frobnicate'" -- "$kerbsim" frobnicate
expect "trace --help" 0 "Usage: kerbsim trace" -- "$kerbsim" trace --help
expect "trace without scenario" 2 "SCENARIO is required" -- "$kerbsim" trace
expect "trace bad option" 2 "unrecognised option|unknown option" -- "$kerbsim" trace "$default" --frob
expect "trace bad format" 2 "--format must be" -- "$kerbsim" trace "$default" --format xml
expect "trace default" 0 "via web2" -- "$kerbsim" trace "$default"
expect "trace by bundled name" 0 "KRB_AP_ERR_MODIFIED" -- "$kerbsim" trace ssrs-farm-networkservice
expect "trace --via" 0 "via web1" -- "$kerbsim" trace "$default" --via web1
expect "trace --via unknown" 2 "no path goes through" -- "$kerbsim" trace "$default" --via web9
expect "trace --flow unknown" 2 "no flow named" -- "$kerbsim" trace "$default" --flow nope
expect "trace json" 0 '"scenario": "ssrs-farm-networkservice"' -- "$kerbsim" trace "$default" --format json
expect "trace mermaid" 0 "sequenceDiagram" -- "$kerbsim" trace "$default" --format mermaid
expect "explain" 0 "SSRS scale-out" -- "$kerbsim" explain "$default"
expect "check passes" 0 "passed, 0 failed" -- "$kerbsim" check "$default"
expect "lint" 1 "spn-key-mismatch" -- "$kerbsim" lint "$default"
expect "list" 0 "ssrs-farm-networkservice" -- "$kerbsim" list
expect "missing file" 2 "nope.json" -- "$kerbsim" trace "$tmp/nope.json"

# --output writes the file whole, and leaves nothing behind when it cannot.
expect "trace --output" 0 "" -- "$kerbsim" trace "$default" --format json --output "$tmp/out.json"
expect "output file content" 0 '"scenario": "ssrs-farm-networkservice"' -- cat "$tmp/out.json"
expect "output into a missing folder" 2 "cannot write" -- "$kerbsim" trace "$default" --output "$tmp/no/such/dir/out.txt"
expect "no temporary file left" 0 "" -- test -z "$(ls "$tmp"/no 2>/dev/null; ls "$tmp" | grep '\.tmp\.')"

# A misspelled key: line, column, JSON path, a suggestion, exit code 2.
sed 's/"browser": "edge"/"browsr": "edge"/' "$default" > "$tmp/typo.json"
expect "misspelled key" 2 'typo\.json:[0-9]+:[0-9]+: /hosts/3/client/browsr: .*did you mean "browser"' -- "$kerbsim" trace "$tmp/typo.json"

# A failed expectation: exit code 1 with expected versus actual.
sed 's/"error": "KRB_AP_ERR_MODIFIED"/"error": "KDC_ERR_S_PRINCIPAL_UNKNOWN"/' "$default" > "$tmp/wrong.json"
expect "failed expectation" 1 'expected "KDC_ERR_S_PRINCIPAL_UNKNOWN"' -- "$kerbsim" check "$tmp/wrong.json"

# simulate: options checked before loading, the budget refused before running, every format.
sim="$root/scenarios/sim-farm-round-robin.json"
short=(--duration 10m --users 20)
expect "simulate --help" 0 "Usage: kerbsim simulate SCENARIO" -- "$kerbsim" simulate --help
expect "simulate without scenario" 2 "SCENARIO is required" -- "$kerbsim" simulate
expect "simulate bad option" 2 "unrecognised option '--frob'" -- "$kerbsim" simulate "$sim" --frob
expect "simulate bad format" 2 "--format must be text, json or csv, not 'xml'" -- "$kerbsim" simulate "$sim" --format xml
expect "simulate bad duration" 2 "--duration must be like 8h, 90m, 30s or 2d, not '5x'" -- \
  "$kerbsim" simulate "$sim" --duration 5x
expect "simulate zero duration" 2 "--duration must be like .*not '0'" -- "$kerbsim" simulate "$sim" --duration 0
expect "simulate negative duration" 2 "--duration must be like .*not '-1h'" -- "$kerbsim" simulate "$sim" --duration=-1h
expect "simulate negative users" 2 "--users must be 1 or more" -- "$kerbsim" simulate "$sim" --users -3
expect "simulate users not a number" 2 "\('many'\) for option '--users' is invalid" -- "$kerbsim" simulate "$sim" --users many
expect "simulate unknown scenario" 2 "nope-scenario" -- "$kerbsim" simulate nope-scenario
expect "simulate budget refusal" 2 \
  'sim-farm-round-robin\.json:[0-9]+:[0-9]+: /workload: this workload would make about 24,000,000,000 requests, more than the budget of 50,000,000; lower "users", "requests_per_user_per_hour" or "duration" \(or --users, --duration\), or raise the budget with --max-requests' \
  -- timeout 5 "$kerbsim" simulate "$sim" --users 100000000
expect "simulate memory refusal" 2 '/workload: this workload would need about 8,392 MiB, more than the budget of 2,048 MiB; lower "users" \(or --users\)' \
  -- timeout 5 "$kerbsim" simulate "$sim" --users 100000000
expect "simulate --max-requests" 2 "about 96,000 requests, more than the budget of 1,000" -- \
  "$kerbsim" simulate "$sim" --max-requests 1000
expect "simulate text" 0 "simulated 00:10:00 with 20 users \(seed 1\)" -- "$kerbsim" simulate "$sim" "${short[@]}"
expect "simulate --seed" 0 "\(seed 7\)" -- "$kerbsim" simulate "$sim" "${short[@]}" --seed 7
expect "simulate by bundled name" 0 "with 20 users" -- "$kerbsim" simulate sim-farm-round-robin "${short[@]}"
expect "simulate json" 0 '"duration_s": 600' -- "$kerbsim" simulate "$sim" "${short[@]}" --format json
# shellcheck disable=SC2016  # expanded by the inner shell
expect "simulate csv header" 0 '^start_s,requests,ok,degraded,failed,kerberos,ntlm,new_connections,kdc_requests,netlogon_calls,peak_netlogon_queue$' \
  -- bash -o pipefail -c '"$0" simulate "$1" --duration 10m --users 20 --format csv | head -n 1' "$kerbsim" "$sim"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "simulate csv rows" 0 '^11$' \
  -- bash -o pipefail -c '"$0" simulate "$1" --duration 10m --users 20 --format csv | wc -l' "$kerbsim" "$sim"
expect "simulate --output" 0 "" -- "$kerbsim" simulate "$sim" "${short[@]}" --format json --output "$tmp/sim.json"
expect "simulate output file" 0 '"scenario": "sim-farm-round-robin"' -- cat "$tmp/sim.json"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "simulate output is the same as stdout" 0 "" -- \
  bash -c 'diff <("$0" simulate "$1" --duration 10m --users 20 --format json) "$2"' "$kerbsim" "$sim" "$tmp/sim.json"
expect "simulate --output csv" 0 "" -- "$kerbsim" simulate "$sim" "${short[@]}" --format csv -o "$tmp/sim.csv"
expect "simulate csv file header" 0 '^start_s,requests,' -- head -n 1 "$tmp/sim.csv"
expect "simulate output into a missing folder" 2 "cannot write" -- \
  "$kerbsim" simulate "$sim" "${short[@]}" --output "$tmp/no/such/dir/sim.txt"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "simulate refusal writes no file" 0 "" -- \
  bash -c '"$0" simulate "$1" --users 100000000 --output "$2" 2>/dev/null; test ! -e "$2"' "$kerbsim" "$sim" "$tmp/refused.txt"
expect "check runs simulation expectations" 0 "simulation: failure_fraction" -- "$kerbsim" check "$sim"

# Every file of the bad-input corpus: exit code 2 with a message, well within a few seconds.
for bad in "$root"/tests/bad-input/*.json; do
  expect "bad input $(basename "$bad")" 2 "problem" -- timeout 5 "$kerbsim" check "$bad"
done

# A 50 MB file is refused by its size before it is read.
head -c 52428800 /dev/zero | tr '\0' ' ' > "$tmp/huge.json"
expect "50 MB file" 2 "MiB" -- timeout 5 "$kerbsim" check "$tmp/huge.json"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
