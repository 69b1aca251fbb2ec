#!/usr/bin/env python3
"""tools/generate as a new user meets it: the 10k manifests generate scenarios `kerbsim check` loads without a
diagnostic; the same manifest and seed give byte-identical files; bad manifests exit 2 naming the key and write
nothing; <name>.risks.json lists every planted risk of the manifest, each naming objects of the scenario that
carry the risky setting; `kerbsim graph --from` shows the chain of each planted delegation risk.
Usage: generate_test.py KERBSIM SOURCE_DIR WORK_DIR
"""

import contextlib
import filecmp
import io
import json
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
kerbsim, root, work = sys.argv[1:4]
generator = os.path.join(root, "tools", "generate", "generate.py")
sys.path.insert(0, os.path.join(root, "tools", "generate"))
from generator.audit_match import audit_code, found, hits, key_of, names_in  # noqa: E402
manifests = os.path.join(root, "tools", "generate", "manifests")
env = dict(os.environ, NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
passed, failed = 0, 0


def expect(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, env=env)


def generate(manifest, out, *extra):
    return run(sys.executable, generator, "--manifest", manifest, "--output", out, *extra)


def generate_here(*args):
    """The generator's main() in this process (no interpreter start-up): (exit code, stderr)."""
    sys.path.insert(0, os.path.dirname(generator))
    import generate as tool  # noqa: E402 (tools/generate/generate.py)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = tool.main(list(args))
        except SystemExit as e:
            code = e.code
    return code, err.getvalue()


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

# ---- the bundled 10k manifests: generated, loaded, traced, every expectation met --------------------------------
for name in ("enterprise-10k", "clean-10k"):
    manifest = os.path.join(manifests, f"{name}.json")
    r = generate(manifest, os.path.join(work, "a"))
    expect(f"{name}: generated", r.returncode == 0 and not r.stderr, r.stderr)
    r = generate(manifest, os.path.join(work, "b"))
    for suffix in (".json", ".risks.json"):
        a, b = (os.path.join(work, d, name + suffix) for d in ("a", "b"))
        expect(f"{name}{suffix}: byte-identical across two runs", filecmp.cmp(a, b, shallow=False))
    scenario = os.path.join(work, "a", f"{name}.json")
    r = run(kerbsim, "check", scenario)
    expect(f"{name}: kerbsim check passes with no diagnostic", r.returncode == 0 and not r.stderr and
           " 0 failed" in r.stdout and "problem" not in r.stdout, r.stdout[-400:] + r.stderr[-400:])
    expect(f"{name}: kerbsim check traced flows", "✔" in r.stdout, r.stdout[-200:])

r = generate(os.path.join(manifests, "enterprise-10k.json"), os.path.join(work, "seed"), "--seed", "7")
expect("--seed: another seed, another enterprise", r.returncode == 0 and not filecmp.cmp(
    os.path.join(work, "seed", "enterprise-10k.json"), os.path.join(work, "a", "enterprise-10k.json"), shallow=False))

# ---- risks.json against the manifest and the scenario ---------------------------------------------------------


class Scenario:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        netbios = {d["dns"]: d["netbios"] for d in self.doc["domains"]}
        self.accounts = {a["name"].lower(): a for a in self.doc["accounts"]}
        self.hosts = {h["name"].lower(): h for h in self.doc["hosts"]}
        self.holders = {}
        for a in self.doc["accounts"]:
            for spn in a.get("spns", []):
                self.holders.setdefault(spn.lower(), []).append(a["name"])
        for h in self.doc["hosts"]:
            computer = f"{netbios[h['domain']]}\\{h['name'].upper()}$"
            self.accounts[computer.lower()] = dict(h.get("account", {}), name=computer, host=h)
            spns = [f"HOST/{h['name']}", f"HOST/{h['name']}.{h['domain']}"] + h.get("account", {}).get("spns", [])
            for spn in spns:
                self.holders.setdefault(spn.lower(), []).append(computer)

    def account(self, name):
        return self.accounts.get(name.lower())

    def owners(self, spn):
        """Who holds the SPN, directly or, for a class mapped to HOST (cifs), through HOST/<host>."""
        direct = self.holders.get(spn.lower(), [])
        if direct or not spn.lower().startswith("cifs/"):
            return direct
        return self.holders.get("host/" + spn.split("/", 1)[1].lower(), [])


def check_record(s, rec, where):
    for name in rec["accounts"]:
        expect(f"{where}: account {name} exists", s.account(name) is not None)
    for host in rec["hosts"]:
        expect(f"{where}: host {host} exists", host.lower() in s.hosts)
    kind, first = rec["kind"], s.account(rec["accounts"][0]) if rec["accounts"] else None
    if first is None:
        return
    spn = rec["spns"][0] if rec["spns"] else None
    if kind == "duplicate-spn":
        expect(f"{where}: {spn} held by both accounts", sorted(s.owners(spn)) == sorted(rec["accounts"]))
    elif kind == "kcd-orphan-spn":
        expect(f"{where}: {spn} is held by nobody", s.owners(spn) == [] and spn in first["allowed_to_delegate_to"])
    elif kind in ("kcd-to-dc", "protocol-transition-to-dc", "kcd-dynamic-port"):
        expect(f"{where}: {spn} delegated to and held", spn in first.get("allowed_to_delegate_to", []) and
               len(s.owners(spn)) == 1)
        expect(f"{where}: protocol transition as planted", first.get("trusted_to_auth_for_delegation", False) ==
               (kind == "protocol-transition-to-dc"))
        if kind != "kcd-dynamic-port":
            dc = s.account(rec["accounts"][1])
            expect(f"{where}: {spn} is a DC's", s.owners(spn) == [dc["name"]] and any(
                dc["host"]["name"] in d.get("dcs", []) for d in s.doc["domains"]))
        else:
            inst = s.hosts[rec["hosts"][0].lower()]["sql"]["instances"][0]
            expect(f"{where}: a named instance on a dynamic port", inst["dynamic_port"] and
                   spn.endswith(f":{inst['port']}"))
    elif kind == "rbcd-to-dc":
        dc = s.account(rec["accounts"][1])
        expect(f"{where}: the DC allows {first['name']}", first["name"] in dc.get("allowed_to_act", []))
    elif kind == "unconstrained-delegation":
        expect(f"{where}: trusted for delegation", first.get("trusted_for_delegation") is True)
    elif kind == "kerberoastable-privileged":
        expect(f"{where}: a Domain Admin with an SPN and RC4", "Domain Admins" in first.get("groups", []) and
               first.get("spns") and "rc4" in first.get("enctypes", []))
    elif kind == "privileged-unprotected":
        groups = first.get("groups", [])
        expect(f"{where}: a Domain Admin neither sensitive nor protected", "Domain Admins" in groups and
               "Protected Users" not in groups and not first.get("sensitive"))
    elif kind == "localsystem-app-pool":
        pools = s.hosts[rec["hosts"][0].lower()]["iis"]["app_pools"]
        expect(f"{where}: the pool runs as LocalSystem", any(p["identity"] == "LocalSystem" for p in pools))
    elif kind == "rc4-only-service-account":
        expect(f"{where}: RC4 only", first.get("enctypes") == ["rc4"] and first.get("spns"))


def check_graph(scenario, rec, where):
    g = rec["graph"]
    r = run(kerbsim, "graph", scenario, "--from", g["from"], "--format", "json")
    if r.returncode != 0:
        expect(f"{where}: kerbsim graph --from {g['from']}", False, r.stderr[-300:])
        return
    hops = [h for c in json.loads(r.stdout)["chains"] for h in c["hops"]]
    found = any(h["service"].lower() == g["from"].lower() and h["kind"] == g["kind"] and
                h["target"].lower() == g["target"].lower() and
                (h["owner"] or "").lower() == (g["owner"] or "").lower() for h in hops)
    expect(f"{where}: kerbsim graph shows {g['from']} -{g['kind']}-> {g['target']}", found, json.dumps(hops)[:400])


for name in ("enterprise-10k", "clean-10k"):
    with open(os.path.join(manifests, f"{name}.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(work, "a", f"{name}.risks.json"), encoding="utf-8") as f:
        risks = json.load(f)
    scenario_path = os.path.join(work, "a", f"{name}.json")
    s = Scenario(scenario_path)
    expect(f"{name}: risks.json lists the manifest's risks, in order",
           [(r["id"], r["kind"]) for r in risks["planted"]] == [(r["id"], r["kind"]) for r in manifest["risks"]])
    expect(f"{name}: counts.accounts is the manifest's total", risks["counts"]["accounts"] ==
           manifest["accounts"]["total"] == len(s.doc["accounts"]) + len(s.doc["hosts"]))
    for rec in risks["planted"]:
        where = f"{name} {rec['id']}"
        expect(f"{where}: severity and finding", rec["severity"] in ("high", "medium", "low") and rec["finding"])
        check_record(s, rec, where)
        if "graph" in rec:
            check_graph(scenario_path, rec, where)
    for group in risks["incidental"]:
        for obj in group["objects"]:
            expect(f"{name} incidental {group['kind']}: {obj['account']} exists", s.account(obj["account"]))
    if name == "clean-10k":
        expect("clean-10k: no planted risk", risks["planted"] == [])
        expect("clean-10k: no risky setting from the proportions", risks["incidental"] == [],
               json.dumps(risks["incidental"])[:300])
        expect("clean-10k: no account but a DC is trusted for delegation", not any(
            a.get("trusted_for_delegation") or a.get("trusted_to_auth_for_delegation") for a in s.doc["accounts"]) and
            not any(h.get("account", {}).get("trusted_for_delegation") for h in s.doc["hosts"]))

delegation = {"unconstrained-delegation", "kcd-to-dc", "rbcd-to-dc", "protocol-transition-to-dc", "kcd-orphan-spn",
              "kcd-dynamic-port"}
with open(os.path.join(work, "a", "enterprise-10k.risks.json"), encoding="utf-8") as f:
    planted = json.load(f)["planted"]
expect("every planted delegation risk has a graph check",
       all("graph" in r for r in planted if r["kind"] in delegation) and any(r["kind"] in delegation for r in planted))

# ---- bad manifests: exit 2, the key named, nothing written ------------------------------------------------------
with open(os.path.join(manifests, "enterprise-10k.json"), encoding="utf-8") as f:
    base = f.read()


def mutated(change):
    m = json.loads(base)
    change(m)
    return json.dumps(m)


# ---- kerbsim audit against risks.json (tools/generate/README.md, "How a test checks the audit") -------------------
for name in ("enterprise-10k", "clean-10k"):
    scenario = os.path.join(work, "a", f"{name}.json")
    with open(os.path.join(work, "a", f"{name}.risks.json"), encoding="utf-8") as f:
        risks = json.load(f)
    r = run(kerbsim, "audit", scenario, "--format", "json")
    expect(f"{name}: kerbsim audit runs", r.returncode in (0, 1) and not r.stderr, r.stderr[-400:])
    findings = json.loads(r.stdout)["findings"] if r.returncode in (0, 1) else []
    for rec in risks["planted"]:
        expect(f"{name}: the audit finds planted {rec['id']} ({audit_code(rec['kind'])} {key_of(rec)})",
               found(findings, rec),
               json.dumps([(f["code"], f["severity"], f["subject"]) for f in hits(findings, rec)]))
    known = {}
    for rec in risks["planted"]:
        known.setdefault(audit_code(rec["kind"]), set()).update(
            x.lower() for x in rec["accounts"] + rec["spns"] + rec.get("app_pools", []))
    for inc in risks["incidental"]:
        known.setdefault(audit_code(inc["kind"]), set()).update(
            o["account"].lower() for o in inc["objects"])
    for f in findings:
        if f["severity"] not in ("critical", "high"):
            continue
        expect(f"{name}: the high finding {f['code']} {f['subject']} is a planted or incidental risk",
               bool(names_in(f) & known.get(f["code"], set())), f["message"][:300])
    if name == "clean-10k":
        expect("clean-10k: kerbsim audit passes the default gate", r.returncode == 0,
               json.dumps([(f["code"], f["subject"]) for f in findings if f["severity"] in ("critical", "high")]))

bad = [
    ("unknown key", mutated(lambda m: m["accounts"].update(serverz=m["accounts"].pop("servers"))),
     '/accounts/serverz: unknown key "serverz" (did you mean "servers"?)'),
    ("wrong type", mutated(lambda m: m.update(seed="x")), "/seed: must be a whole number, not the string \"x\""),
    ("a share over 1", mutated(lambda m: m["accounts"].update(servers={"share": 1.5})),
     "/accounts/servers/share: 1.5 is over 1"),
    ("shares adding up over 1", mutated(lambda m: m["accounts"].update(workstations={"share": 0.7},
                                                                       servers={"share": 0.4})),
     "/accounts: the shares of service_accounts, workstations, servers add up to 1.13, over 1"),
    ("count and share", mutated(lambda m: m["delegation"].update(constrained={"count": 5, "share": 0.1})),
     '/delegation/constrained: give exactly one of "count" and "share"'),
    ("too few accounts", mutated(lambda m: m["accounts"].update(total=100)), "/accounts/total: 100 accounts cannot"),
    ("too few server hosts", mutated(lambda m: m["hosts"].update(servers=10)),
     "/hosts/servers: 10 server hosts are fewer than the 23"),
    ("more workstation hosts than workstations", mutated(lambda m: m["hosts"].update(workstations=5000)),
     "/hosts/workstations: contoso.com has 200 workstations, fewer than the 500 workstation hosts"),
    ("a risk with nothing to use", mutated(lambda m: m["accounts"].update(service_accounts={"count": 5})),
     '/risks/1: the risk "unconstrained-service-account" needs a service account in'),
    ("an unknown risk kind", mutated(lambda m: m["risks"].append({"id": "x", "kind": "nope"})),
     '/risks/13/kind: "nope" is not one of'),
    ("a repeated risk id", mutated(lambda m: m["risks"][1].update(id=m["risks"][0]["id"])),
     '/risks/1/id: "unconstrained-server" is the id of another risk'),
    ("a missing key", mutated(lambda m: m.pop("accounts")), '/: the key "accounts" is required'),
    ("a scenario instead", '{"format": "kerbsim/1"}', '/format: must be "kerbsim-generate/1"'),
    ("not JSON", "{\"seed\": ", "/: not JSON"),
]
for i, (what, text, message) in enumerate(bad):
    path = os.path.join(work, f"bad{i}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(work, f"bad{i}")
    code, stderr = generate_here("--manifest", path, "--output", out)
    expect(f"bad manifest, {what}: exit 2", code == 2, f"exit {code}")
    expect(f"bad manifest, {what}: the message", f"{path}: {message}" in stderr, stderr[-400:])
    expect(f"bad manifest, {what}: nothing written", not os.path.exists(out))

code, stderr = generate_here("--manifest", os.path.join(manifests, "clean-10k.json"), "--output",
                             os.path.join(work, "a", "clean-10k.json"))
expect("an output that is a file: exit 2", code == 2 and "cannot write" in stderr, stderr)
expect("nothing half-written beside it", not [f for f in os.listdir(os.path.join(work, "a")) if f.endswith(".partial")])
code, stderr = generate_here("--manifest", os.path.join(manifests, "clean-10k.json"))
expect("no --output: exit 2 with the usage", code == 2 and "--output" in stderr, stderr)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
