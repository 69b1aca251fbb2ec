#!/usr/bin/env bash
# `kerbsim simulate --replications N [--jobs J]`: the same bytes whatever J is (text, JSON, CSV), a
# replication's numbers equal to a plain run with its listed seed, one replication saying it has no
# interval, and bad values refused with exit 2, a plain message and nothing on standard output.
# Usage: replications_test.sh KERBSIM SOURCE_DIR
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

# A refusal prints its message on standard error and nothing on standard output.
refuses() {  # refuses NAME PATTERN -- COMMAND...
  local name="$1" pattern="$2"
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qE -- "$pattern" "$tmp/err"; then
    echo "FAIL $name: exit $rc (expected 2), stdout $(wc -c <"$tmp/out") bytes, stderr:"; head -5 "$tmp/err"
    failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

sim="$root/scenarios/sim-farm-round-robin.json"
short=(--duration 10m --users 20)

# The same output whatever --jobs is, in every format.
for format in text json csv; do
  "$kerbsim" simulate "$sim" "${short[@]}" --replications 4 --jobs 1 --format "$format" >"$tmp/one.$format"
  for jobs in 2 3 8; do
    "$kerbsim" simulate "$sim" "${short[@]}" --replications 4 --jobs "$jobs" --format "$format" >"$tmp/more.$format"
    expect "$format with --jobs $jobs is the --jobs 1 output" 0 "" -- cmp "$tmp/one.$format" "$tmp/more.$format"
  done
  expect "$format without --jobs is the --jobs 1 output" 0 "" -- \
    bash -c 'cmp "$3" <("$0" simulate "$1" --duration 10m --users 20 --replications 4 --format "$2")' \
    "$kerbsim" "$sim" "$format" "$tmp/one.$format"
done
expect "text lists the seeds" 0 "^4 replications of 00:10:00 with 20 users, seeds 1 to 4" -- cat "$tmp/one.text"
expect "text has the interval" 0 "^Failed requests +mean  95% interval of the mean +min +max$" -- cat "$tmp/one.text"
expect "text says how to run one alone" 0 '\$ kerbsim simulate sim-farm-round-robin --duration 10m --users 20 --seed 2$' \
  -- cat "$tmp/one.text"
expect "json has the summary" 0 '"ci95_low": ' -- cat "$tmp/one.json"
expect "json has the confidence" 0 '"degrees_of_freedom": 3' -- cat "$tmp/one.json"
expect "csv header" 0 '^replication,seed,requests,failure_fraction,degraded_fraction,users_never_failing,' \
  -- head -n 1 "$tmp/one.csv"
expect "csv rows: header, 4 replications, 5 summary rows" 0 '^10$' -- bash -c 'wc -l <"$0"' "$tmp/one.csv"
expect "csv summary rows" 0 '^mean,,' -- cat "$tmp/one.csv"

# Replication 3 (seed 3) has the numbers of `kerbsim simulate --seed 3`: its requests block in the
# replications' JSON is the plain run's, written by the same printer.
requests_block() {  # the "requests" object after line $2 of JSON file $1, unindented
  awk -v from="$2" 'NR > from && /"requests": \{/ { on = 1 } on { sub(/^ +/, ""); print } on && /\}/ { exit }' "$1"
}
"$kerbsim" simulate "$sim" "${short[@]}" --seed 3 --format json >"$tmp/plain.json"
at="$(grep -n '"seed": 3,' "$tmp/one.json" | cut -d: -f1)"
requests_block "$tmp/plain.json" 0 >"$tmp/plain.requests"
requests_block "$tmp/one.json" "$at" >"$tmp/third.requests"
expect "replication 3 found" 0 '"failure_fraction"' -- cat "$tmp/third.requests"
expect "replication 3 is simulate --seed 3" 0 "" -- cmp "$tmp/plain.requests" "$tmp/third.requests"
expect "--seed is the first replication's" 0 "seeds 7 to 9" -- \
  "$kerbsim" simulate "$sim" "${short[@]}" --replications 3 --seed 7

# One replication: no interval, and it says so.
expect "one replication has no interval" 0 "one replication gives no interval" -- \
  "$kerbsim" simulate "$sim" "${short[@]}" --replications 1
expect "one replication's JSON interval is null" 0 '"ci95_low": null' -- \
  "$kerbsim" simulate "$sim" "${short[@]}" --replications 1 --format json

# Bad values: exit 2, a plain message, no output; checked before the scenario is loaded.
refuses "--replications 0" "--replications must be from 1 to 100000, not 0" -- \
  "$kerbsim" simulate "$sim" --replications 0
refuses "--replications negative" "--replications must be from 1 to 100000, not -2" -- \
  "$kerbsim" simulate "$sim" --replications -2
refuses "--replications not a number" "the argument \('many'\) for option '--replications' is invalid" -- \
  "$kerbsim" simulate "$sim" --replications many
refuses "--replications 2.5" "the argument \('2.5'\) for option '--replications' is invalid" -- \
  "$kerbsim" simulate "$sim" --replications 2.5
refuses "--jobs 0" "--jobs must be from 1 to 1024, not 0" -- "$kerbsim" simulate "$sim" --replications 2 --jobs 0
refuses "--jobs not a number" "the argument \('two'\) for option '--jobs' is invalid" -- \
  "$kerbsim" simulate "$sim" --replications 2 --jobs two
refuses "--jobs alone" "--jobs runs replications at the same time; give --replications N too" -- \
  "$kerbsim" simulate "$sim" --jobs 2
refuses "checked before loading" "--replications must be" -- "$kerbsim" simulate nope-scenario --replications 0
refuses "the budget counts every replication" "these 50 replications would make about 4,800,000 requests in all" -- \
  "$kerbsim" simulate "$sim" --replications 50 --max-requests 1000000
refuses "the memory budget counts the jobs" "4 replications at a time would need about" -- \
  "$kerbsim" simulate "$sim" --users 100000 --replications 4 --jobs 4 --max-memory 20
refuses "check has no replications" "unrecognised option '--replications'" -- "$kerbsim" check "$sim" --replications 3
expect "help names --replications and --jobs" 0 "--jobs" -- "$kerbsim" simulate --help

# Text fits the page, 100 columns, under the first line (the scenario's name and title, as simulate prints it).
expect "text fits 100 columns" 0 "" -- bash -c '[ "$(tail -n +2 "$0" | wc -L)" -le 100 ]' "$tmp/one.text"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
