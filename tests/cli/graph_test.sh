#!/usr/bin/env bash
# `kerbsim graph` as a new user meets it: the queries on the bundled double-hop scenarios, the formats,
# and wrong input.
# Usage: graph_test.sh KERBSIM SOURCE_DIR
set -u
kerbsim="$1"
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

expect "graph --help" 0 "Usage: kerbsim graph" -- "$kerbsim" graph --help
expect "graph listed in kerbsim --help" 0 "graph SCENARIO" -- "$kerbsim" --help
expect "every chain" 0 "CORP.svc-web → MSSQLSvc/sql1.corp.contoso.com:1433 \(CORP.SQL1\\$\)" \
  -- "$kerbsim" graph double-hop-kcd-kerberos-only
expect "checked at the KDCs" 0 "✔ checked at the KDCs as CORP.alice" -- "$kerbsim" graph double-hop-kcd-kerberos-only
expect "--from a middle tier chain" 0 "then CORP.svc-sql1 → MSSQLSvc/sql2" \
  -- "$kerbsim" graph double-hop-linked-server --from 'CORP\svc-web'
expect "--from by sAMAccountName" 0 "whom CORP.svc-web can impersonate" -- "$kerbsim" graph double-hop-linked-server --from svc-web
expect "--to a host" 0 "who can reach sql1 as a user" -- "$kerbsim" graph double-hop-protocol-transition --to sql1
expect "--to an SPN" 0 "protocol transition" \
  -- "$kerbsim" graph double-hop-protocol-transition --to MSSQLSvc/sql1.corp.contoso.com:1433
expect "--user, sensitive" 0 "STATUS_ACCOUNT_RESTRICTION" -- "$kerbsim" graph double-hop-sensitive-user --user alice
expect "--as" 0 "checked at the KDCs as CORP.alice" -- "$kerbsim" graph double-hop-rbcd --from svc-web --as alice
expect "KCD into a child domain refused" 0 "STATUS_NO_MATCH" \
  -- "$kerbsim" graph double-hop-cross-domain-kcd-vs-rbcd --from svc-web
expect "no delegation at all" 0 "has no delegation setting" -- "$kerbsim" graph double-hop-not-trusted --from svc-web
expect "json" 0 '"query": "from"' -- "$kerbsim" graph double-hop-rbcd --from svc-web --format json
expect "dot" 0 "^digraph" -- "$kerbsim" graph double-hop-rbcd --format dot
expect "mermaid" 0 "^flowchart LR" -- "$kerbsim" graph double-hop-rbcd --format mermaid
expect "opengraph" 0 '"source_kind": "KS_Base"' -- "$kerbsim" graph double-hop-rbcd --format opengraph
expect "output to a file" 0 "" -- "$kerbsim" graph double-hop-rbcd --format dot -o "$tmp/g.dot"
expect "the file holds the graph" 0 "^digraph" -- cat "$tmp/g.dot"

expect "no scenario" 2 "SCENARIO is required" -- "$kerbsim" graph
expect "bad format" 2 "--format must be" -- "$kerbsim" graph double-hop-rbcd --format png
expect "two queries" 2 "give one of --from, --to and --user" -- "$kerbsim" graph double-hop-rbcd --from a --to b
expect "an empty name" 2 "take a name" -- "$kerbsim" graph double-hop-rbcd --from ""
expect "--user with --as" 2 "give --as without it" -- "$kerbsim" graph double-hop-rbcd --user alice --as alice
expect "unknown account" 2 "no account named \"nobody\"" -- "$kerbsim" graph double-hop-rbcd --from nobody
expect "unknown target" 2 "no SPN, account or host named" -- "$kerbsim" graph double-hop-rbcd --to nowhere
expect "a computer is no user" 2 "no user account named" -- "$kerbsim" graph double-hop-rbcd --user 'CORP\SQL1$'
expect "unknown --as" 2 "to check the chains with" -- "$kerbsim" graph double-hop-rbcd --as nobody
expect "nothing printed on a bad name" 0 "" \
  -- test -z "$("$kerbsim" graph double-hop-rbcd --from nobody 2>/dev/null)"
expect "missing file" 2 "nope.json" -- "$kerbsim" graph "$tmp/nope.json"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
