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
expect "audit" 1 "krb-ap-err-modified" -- "$kerbsim" audit "$default"
expect "lint is audit" 1 "krb-ap-err-modified" -- "$kerbsim" lint "$default"
expect "audit json" 1 '"code": "krb-ap-err-modified"' -- "$kerbsim" audit "$default" --format json
expect "audit of a working design" 0 "kerberoastable" -- "$kerbsim" audit iis-farm-shared-account
expect "audit --fail-on any" 1 "1 low" -- "$kerbsim" audit iis-farm-shared-account --fail-on any
expect "audit --fail-on medium" 0 "1 finding" -- "$kerbsim" audit iis-farm-shared-account --fail-on medium
expect "audit bad --fail-on" 2 "--fail-on must be high, medium or any" -- "$kerbsim" audit "$default" --fail-on error
expect "audit bad --format" 2 "--format must be text or json" -- "$kerbsim" audit "$default" --format dot
expect "audit missing file" 2 "nope.json" -- "$kerbsim" audit "$tmp/nope.json"
expect "audit -o" 1 "" -- "$kerbsim" audit "$default" -o "$tmp/audit.txt"
if grep -q "krb-ap-err-modified" "$tmp/audit.txt"; then passed=$((passed + 1)); else echo "FAIL audit -o: the file lacks the finding"; failed=$((failed + 1)); fi
expect "list" 0 "ssrs-farm-networkservice" -- "$kerbsim" list
expect "missing file" 2 "nope.json" -- "$kerbsim" trace "$tmp/nope.json"

# --output writes the file whole, and leaves nothing behind when it cannot.
expect "trace --output" 0 "" -- "$kerbsim" trace "$default" --format json --output "$tmp/out.json"
expect "output file content" 0 '"scenario": "ssrs-farm-networkservice"' -- cat "$tmp/out.json"
expect "output into a missing folder" 2 "cannot write $tmp/no/such/dir/out.txt: No such file or directory" \
  -- "$kerbsim" trace "$default" --output "$tmp/no/such/dir/out.txt"
expect "output to a folder" 2 "cannot write $tmp: Is a directory" -- "$kerbsim" trace "$default" --output "$tmp"
expect "no temporary file left" 0 "" -- test -z "$(ls "$tmp"/no 2>/dev/null; ls "$tmp" | grep '\.tmp\.')"

# --fix-script writes the verified fix as a PowerShell script; no fix: no file, exit 1; a bad path: exit 2.
expect "trace --fix-script" 0 "via web2" -- "$kerbsim" trace "$default" --fix-script "$tmp/fix.ps1"
expect "fix script content" 0 "New-ADServiceAccount @params" -- cat "$tmp/fix.ps1"
expect "trace --help names --fix-script" 0 "--fix-script" -- "$kerbsim" trace --help
expect "fix script without a fix" 1 "no traced path has a verified fix" \
  -- "$kerbsim" trace iis-farm-shared-account --fix-script "$tmp/none.ps1"
expect "no script written without a fix" 0 "" -- test ! -e "$tmp/none.ps1"
expect "fix script into a missing folder" 2 "cannot write $tmp/no/such/dir/fix.ps1" \
  -- "$kerbsim" trace "$default" --fix-script "$tmp/no/such/dir/fix.ps1"
expect "no trace printed when the script cannot be written" 0 "" \
  -- test -z "$("$kerbsim" trace "$default" --fix-script "$tmp/no/such/dir/fix.ps1" 2>/dev/null)"

# The script's usage names the file it was saved as; a name with a space is run with the call operator.
expect "fix script usage names its file" 0 "\\.\\\\fix\\.ps1 -Section 1" -- cat "$tmp/fix.ps1"
expect "trace --fix-script with a space" 0 "" -- "$kerbsim" trace "$default" --fix-script "$tmp/my fix.ps1"
expect "its usage quotes the name" 0 "& '\\.\\\\my fix\\.ps1' -Check" -- cat "$tmp/my fix.ps1"

# Several outputs: all are written or none, and no two may name the same file.
expect "two outputs on one path" 2 "--output and --fix-script name the same file" \
  -- "$kerbsim" trace "$default" --fix-script "$tmp/same.ps1" -o "$tmp/./same.ps1"
expect "nothing written for two outputs on one path" 0 "" -- test ! -e "$tmp/same.ps1"
ln -s fix.ps1 "$tmp/fix-link.ps1"
expect "the same file through a link" 2 "--output and --fix-script name the same file" \
  -- "$kerbsim" trace "$default" --fix-script "$tmp/fix-link.ps1" --output "$tmp/fix.ps1"
expect "a failing output leaves the others unwritten" 2 "cannot write $tmp/no/such/dir/fixed.json" \
  -- "$kerbsim" trace "$default" --fix-script "$tmp/staged.ps1" --write-fixed "$tmp/no/such/dir/fixed.json"
expect "no script written when the fixed design cannot be" 0 "" -- test ! -e "$tmp/staged.ps1"
expect "no temporary file left by a failed output" 0 "" -- test -z "$(ls "$tmp" | grep '\.tmp\.')"
expect "two outputs to /dev/null" 0 "" -- "$kerbsim" trace "$default" --fix-script /dev/null -o /dev/null

# --output replaces only a regular file (by a rename); anything else that exists is written through.
echo old > "$tmp/existing.txt"
inode="$(stat -c %i "$tmp/existing.txt")"
expect "output over an existing file" 0 "" -- "$kerbsim" trace "$default" -o "$tmp/existing.txt"
expect "existing file has the trace" 0 "via web2" -- cat "$tmp/existing.txt"
expect "existing file replaced by a rename" 0 "" -- test "$(stat -c %i "$tmp/existing.txt")" != "$inode"
echo old > "$tmp/target.txt"
ln -s target.txt "$tmp/link.txt"
expect "output to a symlink" 0 "" -- "$kerbsim" trace "$default" -o "$tmp/link.txt"
expect "symlink is still a symlink" 0 "" -- test -L "$tmp/link.txt"
expect "symlink target has the trace" 0 "via web2" -- cat "$tmp/target.txt"
ln -s not-yet.txt "$tmp/dangling.txt"
expect "output to a dangling symlink" 0 "" -- "$kerbsim" trace "$default" -o "$tmp/dangling.txt"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "dangling symlink target created" 0 "via web2" -- bash -c 'test -L "$0" && cat "$1"' "$tmp/dangling.txt" "$tmp/not-yet.txt"
mkfifo "$tmp/fifo"
timeout 10 cat "$tmp/fifo" > "$tmp/fifo.out" &
reader=$!
expect "output to a FIFO" 0 "" -- timeout 5 "$kerbsim" trace "$default" -o "$tmp/fifo"
wait "$reader"
expect "FIFO reader has the trace" 0 "via web2" -- cat "$tmp/fifo.out"
expect "FIFO is still a FIFO" 0 "" -- test -p "$tmp/fifo"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "-o - is standard output" 0 "via web2" -- bash -c 'cd "$1" && "$0" trace "$2" -o - && test ! -e -' "$kerbsim" "$tmp" "$default"
# The real /dev/null and /dev/stdout only when a regression could not replace them (not root); as
# root, twins made in the temporary folder stand in: the same device, a link to /proc/self/fd/1.
null=/dev/null stdout=/dev/stdout
if [ "$(id -u)" -eq 0 ]; then
  null="$tmp/null" stdout="$tmp/stdout"
  mknod "$null" c 1 3 2> /dev/null || null=""
  ln -s /proc/self/fd/1 "$stdout"
fi
if [ -n "$null" ]; then
  expect "output to /dev/null" 0 "" -- "$kerbsim" trace "$default" -o "$null"
  expect "/dev/null is still a device" 0 "" -- test -c "$null"
fi
expect "output to /dev/stdout" 0 "via web2" -- "$kerbsim" trace "$default" -o "$stdout"
expect "/dev/stdout is still a link" 0 "" -- test -L "$stdout"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "output to /dev/stdout redirected to a file" 0 "via web2" -- \
  bash -c '"$0" trace "$1" -o "$2" > "$3" && test -L "$2" && cat "$3"' "$kerbsim" "$default" "$stdout" "$tmp/redirected.txt"
expect "no temporary file left after writing through" 0 "" -- test -z "$(find "$tmp" -name '*.tmp.*')"

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
expect "simulate compound duration" 0 "simulated 02:30:00 with 20 users" -- "$kerbsim" simulate "$sim" --duration 2h30m --users 20
expect "simulate duration in plain seconds" 0 "simulated 00:10:00 with 20 users" -- "$kerbsim" simulate "$sim" --duration 600 --users 20
expect "simulate units out of order" 2 "--duration must be like .*not '30m2h': write each unit once, from days down to seconds" -- \
  "$kerbsim" simulate "$sim" --duration 30m2h
expect "simulate duration too long" 2 "--duration must be like .*not '36501d': the longest duration is 36500d" -- \
  "$kerbsim" simulate "$sim" --duration 36501d
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
expect "simulate output into a missing folder" 2 "cannot write $tmp/no/such/dir/sim.txt: No such file or directory" -- \
  "$kerbsim" simulate "$sim" "${short[@]}" --output "$tmp/no/such/dir/sim.txt"
expect "simulate -o -" 0 "with 20 users" -- "$kerbsim" simulate "$sim" "${short[@]}" -o -
expect "simulate output to /dev/stdout" 0 "with 20 users" -- "$kerbsim" simulate "$sim" "${short[@]}" -o "$stdout"
# shellcheck disable=SC2016  # expanded by the inner shell
expect "simulate refusal writes no file" 0 "" -- \
  bash -c '"$0" simulate "$1" --users 100000000 --output "$2" 2>/dev/null; test ! -e "$2"' "$kerbsim" "$sim" "$tmp/refused.txt"
expect "check runs simulation expectations" 0 "simulation: failure_fraction" -- "$kerbsim" check "$sim"
# check refuses a workload over the budget as simulate does (exit 2, the message), before running it,
# and goes on with the next file. The rate is the loader's highest: the estimate alone exceeds the budget.
sed 's/"requests_per_user_per_hour": 30,/"requests_per_user_per_hour": 3600000,/' "$sim" > "$tmp/over-budget.json"
expect "check budget refusal" 2 \
  'over-budget\.json:[0-9]+:[0-9]+: /workload: this workload would make about 11,520,000,000 requests, more than the budget of 50,000,000' \
  -- timeout 5 "$kerbsim" check "$tmp/over-budget.json"
expect "check goes on after a budget refusal" 2 "passed, 0 failed" -- timeout 5 "$kerbsim" check "$tmp/over-budget.json" "$default"

# kdc: one question to the KDC of the real-KDC test domain (samba-4.17), text and JSON.
contoso="$root/tests/fidelity/contoso.json"
sql="MSSQLSvc/sql.contoso.test:1433"
sed 's/"samba-4.17"/"windows-2016"/' "$contoso" > "$tmp/contoso-windows.json"
expect "kdc --help" 0 "Usage: kerbsim kdc SCENARIO KIND" -- "$kerbsim" kdc --help
expect "kdc as" 0 "granted: a ticket encrypted for CONTOSO\\\\krbtgt \(aes256\), valid 10h, flags: forwardable, renewable, initial, pre_authent$" \
  -- "$kerbsim" kdc "$contoso" as alice
expect "kdc as narrates the exchange" 0 "CONTOSO\\\\alice → dc1 +AS-REQ CONTOSO\\\\alice \(forwardable requested\)" \
  -- "$kerbsim" kdc "$contoso" as alice
expect "kdc as --not-forwardable" 0 "flags: renewable, initial, pre_authent$" -- "$kerbsim" kdc "$contoso" as alice --not-forwardable
expect "kdc tgs" 0 "granted: a ticket encrypted for CONTOSO\\\\svc-plain \(rc4\), valid 10h, flags: forwardable, renewable, pre_authent$" \
  -- "$kerbsim" kdc "$contoso" tgs alice HTTP/plain.contoso.test
expect "kdc tgs on windows-2016" 0 "encrypted for CONTOSO\\\\svc-plain \(aes256\)" \
  -- "$kerbsim" kdc "$tmp/contoso-windows.json" tgs alice HTTP/plain.contoso.test
expect "kdc s4u2self" 0 "TGS-REQ to itself for CONTOSO\\\\bob \(S4U2Self\)" -- "$kerbsim" kdc "$contoso" s4u2self svc-pt bob
expect "kdc s4u2proxy" 0 "granted: a ticket encrypted for CONTOSO\\\\svc-sql" -- "$kerbsim" kdc "$contoso" s4u2proxy svc-pt bob "$sql"
expect "kdc s4u2proxy --evidence user-ticket" 0 "\(S4U2Proxy, evidence: the user's" \
  -- "$kerbsim" kdc "$contoso" s4u2proxy svc-kcd bob "$sql" --evidence user-ticket
expect "kdc forward-tgt" 0 "flags: forwardable, forwarded, renewable, pre_authent, ok_as_delegate$" \
  -- "$kerbsim" kdc "$contoso" forward-tgt bob
expect "kdc --explain shows DC events" 0 "Security event 4769" -- "$kerbsim" kdc "$contoso" tgs alice HTTP/plain.contoso.test --explain
expect "kdc by bundled name" 0 "granted" -- "$kerbsim" kdc ssrs-farm-networkservice as alice
# A refusal is an answer, not an error: exit 0.
expect "kdc refusal" 0 "^refused: KDC_ERR_BADOPTION$" -- "$kerbsim" kdc "$contoso" s4u2proxy svc-kcd bob "$sql"
expect "kdc refusal with NTSTATUS" 0 "^refused: KDC_ERR_BADOPTION \(STATUS_ACCOUNT_RESTRICTION\)$" \
  -- "$kerbsim" kdc "$tmp/contoso-windows.json" s4u2proxy svc-kcd bob "$sql"
expect "kdc unknown user" 0 "^refused: KDC_ERR_C_PRINCIPAL_UNKNOWN$" -- "$kerbsim" kdc "$contoso" as mallory
expect "kdc disabled user" 0 "^refused: KDC_ERR_POLICY$" -- "$kerbsim" kdc "$contoso" s4u2self svc-pt erin
# Usage errors: exit 2 before the scenario is read.
expect "kdc without KIND" 2 "a SCENARIO and a KIND are required" -- "$kerbsim" kdc "$contoso"
expect "kdc unknown KIND" 2 "unknown KIND 'kinit': as, tgs, s4u2self, s4u2proxy or forward-tgt" -- "$kerbsim" kdc "$contoso" kinit alice
expect "kdc as with two names" 2 "usage: kerbsim kdc SCENARIO as USER" -- "$kerbsim" kdc "$contoso" as alice bob
expect "kdc tgs without SPN" 2 "usage: kerbsim kdc SCENARIO tgs USER SPN" -- "$kerbsim" kdc "$contoso" tgs alice
expect "kdc tgs with a text that is no SPN" 2 '"HTTP/web 1" is not an SPN: serviceclass/host\[:port\]' \
  -- "$kerbsim" kdc "$contoso" tgs alice "HTTP/web 1"
expect "kdc s4u2self with one name" 2 "usage: kerbsim kdc SCENARIO s4u2self SERVICE USER" -- "$kerbsim" kdc "$contoso" s4u2self svc-pt
expect "kdc s4u2proxy without target" 2 "usage: kerbsim kdc SCENARIO s4u2proxy SERVICE USER TARGET-SPN" \
  -- "$kerbsim" kdc "$contoso" s4u2proxy svc-pt bob
expect "kdc forward-tgt without user" 2 "usage: kerbsim kdc SCENARIO forward-tgt USER" -- "$kerbsim" kdc "$contoso" forward-tgt
expect "kdc bad format" 2 "--format must be text or json, not 'xml'" -- "$kerbsim" kdc "$contoso" as alice --format xml
expect "kdc bad evidence" 2 "--evidence must be s4u2self or user-ticket, not 'ntlm'" \
  -- "$kerbsim" kdc "$contoso" s4u2proxy svc-pt bob "$sql" --evidence ntlm
expect "kdc bad option" 2 "unrecognised option '--frob'" -- "$kerbsim" kdc "$contoso" as alice --frob
expect "kdc unknown scenario" 2 "nope-scenario" -- "$kerbsim" kdc nope-scenario as alice
expect "kdc unknown domain" 2 "kerbsim kdc: the scenario has no domain NOPE" -- "$kerbsim" kdc "$contoso" as 'NOPE\alice'
expect "kdc service without SPN" 2 "holds no SPN" -- "$kerbsim" kdc "$contoso" s4u2proxy alice bob "$sql" --evidence user-ticket
# --format json: the keys in order and the values of a grant and of a refusal.
cat > "$tmp/kdc_json.py" <<'PY'
import json, sys
a = json.load(sys.stdin)
keys = ["ok", "error", "status", "flags", "lifetime", "encrypted_for", "etype", "reason", "steps"]
assert list(a) == keys, list(a)
for arg in sys.argv[1:]:
    key, want = arg.split("=", 1)
    assert a[key] == json.loads(want), (key, a[key])
for i, s in enumerate(a["steps"]):
    assert s["seq"] == i + 1 and s["why"] and s["rule"], s
print("steps:", " ".join(s["kind"] + ("!" if s["failed"] else "") for s in a["steps"]))
PY
if command -v python3 > /dev/null; then
  # shellcheck disable=SC2016  # expanded by the inner shell
  expect "kdc json grant" 0 '^steps: as tgs$' -- bash -o pipefail -c '"$0" kdc "$1" tgs alice HTTP/plain.contoso.test --format json | python3 "$2" "${@:3}"' \
    "$kerbsim" "$contoso" "$tmp/kdc_json.py" 'ok=true' 'error=null' 'status=null' 'etype="rc4"' 'lifetime=36000' \
    'flags=["forwardable", "renewable", "pre_authent"]' 'encrypted_for="CONTOSO\\svc-plain"'
  # shellcheck disable=SC2016  # expanded by the inner shell
  expect "kdc json refusal" 0 '^steps: as tgs tgs!$' -- bash -o pipefail -c '"$0" kdc "$1" s4u2proxy svc-kcd bob "$2" --format json | python3 "$3" "${@:4}"' \
    "$kerbsim" "$tmp/contoso-windows.json" "$sql" "$tmp/kdc_json.py" 'ok=false' 'error="KDC_ERR_BADOPTION"' \
    'status="STATUS_ACCOUNT_RESTRICTION"' 'flags=[]' 'lifetime=null' 'etype=null' 'encrypted_for=null'
else
  expect "kdc json grant" 0 '"etype": "rc4"' -- "$kerbsim" kdc "$contoso" tgs alice HTTP/plain.contoso.test --format json
  expect "kdc json refusal" 0 '"status": "STATUS_ACCOUNT_RESTRICTION"' \
    -- "$kerbsim" kdc "$tmp/contoso-windows.json" s4u2proxy svc-kcd bob "$sql" --format json
fi

# Every file of the bad-input corpus: exit code 2 with a message, well within a few seconds.
for bad in "$root"/tests/bad-input/*.json; do
  expect "bad input $(basename "$bad")" 2 "problem" -- timeout 5 "$kerbsim" check "$bad"
done

# A 50 MB file is refused by its size before it is read.
head -c 52428800 /dev/zero | tr '\0' ' ' > "$tmp/huge.json"
expect "50 MB file" 2 "MiB" -- timeout 5 "$kerbsim" check "$tmp/huge.json"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
