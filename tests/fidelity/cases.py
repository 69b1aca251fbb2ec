#!/usr/bin/python3
"""Run every case of cases.json against the real KDC and against `kerbsim kdc`, and compare.

Called by tests/fidelity/run once the Samba KDC answers; not meant to be run by hand, but can be:

  cases.py --base DIR --cases cases.json --scenario contoso.json --kdc-client PATH
           [--kerbsim PATH | --real-only] [--only NAME,...] [--results FILE]

DIR is the folder provision.py filled (krb5.conf, accounts.json, log/samba.log). Real requests use
the stock MIT tools where they can (kinit -f/-F, kvno, kvno -I USER [-P TARGET], klist -f -e,
KRB5_TRACE for the KRB-ERROR) and kdc_client for the two they cannot (S4U2Proxy with the user's own
ticket as evidence, the forwarded TGT). Prints the table, the mismatches with the evidence (the
KDC's error, the Samba log's reason, kerbsim's reason) and "N of M requests agree".
Exit status: 0 all agree, 1 a mismatch, 2 bad input.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

# RFC 4120 error numbers, named as kerbsim names them (sim/kerberos/errors.cpp).
KRB_ERRORS = {
    0: "KDC_ERR_NONE", 1: "KDC_ERR_NAME_EXP", 2: "KDC_ERR_SERVICE_EXP", 3: "KDC_ERR_BAD_PVNO",
    4: "KDC_ERR_C_OLD_MAST_KVNO", 5: "KDC_ERR_S_OLD_MAST_KVNO", 6: "KDC_ERR_C_PRINCIPAL_UNKNOWN",
    7: "KDC_ERR_S_PRINCIPAL_UNKNOWN", 8: "KDC_ERR_PRINCIPAL_NOT_UNIQUE", 9: "KDC_ERR_NULL_KEY",
    10: "KDC_ERR_CANNOT_POSTDATE", 11: "KDC_ERR_NEVER_VALID", 12: "KDC_ERR_POLICY", 13: "KDC_ERR_BADOPTION",
    14: "KDC_ERR_ETYPE_NOSUPP", 15: "KDC_ERR_SUMTYPE_NOSUPP", 16: "KDC_ERR_PADATA_TYPE_NOSUPP",
    17: "KDC_ERR_TRTYPE_NOSUPP", 18: "KDC_ERR_CLIENT_REVOKED", 19: "KDC_ERR_SERVICE_REVOKED",
    20: "KDC_ERR_TGT_REVOKED", 21: "KDC_ERR_CLIENT_NOTYET", 22: "KDC_ERR_SERVICE_NOTYET",
    23: "KDC_ERR_KEY_EXPIRED", 24: "KDC_ERR_PREAUTH_FAILED", 25: "KDC_ERR_PREAUTH_REQUIRED",
    26: "KDC_ERR_SERVER_NOMATCH", 27: "KDC_ERR_MUST_USE_USER2USER", 28: "KDC_ERR_PATH_NOT_ACCEPTED",
    29: "KDC_ERR_SVC_UNAVAILABLE", 31: "KRB_AP_ERR_BAD_INTEGRITY", 32: "KRB_AP_ERR_TKT_EXPIRED",
    33: "KRB_AP_ERR_TKT_NYV", 34: "KRB_AP_ERR_REPEAT", 35: "KRB_AP_ERR_NOT_US", 36: "KRB_AP_ERR_BADMATCH",
    37: "KRB_AP_ERR_SKEW", 38: "KRB_AP_ERR_BADADDR", 39: "KRB_AP_ERR_BADVERSION", 40: "KRB_AP_ERR_MSG_TYPE",
    41: "KRB_AP_ERR_MODIFIED", 42: "KRB_AP_ERR_BADORDER", 44: "KRB_AP_ERR_BADKEYVER", 45: "KRB_AP_ERR_NOKEY",
    46: "KRB_AP_ERR_MUT_FAIL", 47: "KRB_AP_ERR_BADDIRECTION", 48: "KRB_AP_ERR_METHOD", 49: "KRB_AP_ERR_BADSEQ",
    50: "KRB_AP_ERR_INAPP_CKSUM", 52: "KRB_ERR_RESPONSE_TOO_BIG", 60: "KRB_ERR_GENERIC",
    61: "KRB_ERR_FIELD_TOOLONG", 68: "KDC_ERR_WRONG_REALM",
}
KDC_ERR_BASE = -1765328384  # MIT com_err code of KDC_ERR_NONE

COMPARED_FLAGS = ["forwardable", "forwarded", "renewable", "initial", "pre_authent", "ok_as_delegate"]
FLAG_LETTER = {"forwardable": "F", "forwarded": "f", "renewable": "R", "initial": "I", "pre_authent": "A",
               "ok_as_delegate": "O"}
KLIST_FLAGS = {"F": "forwardable", "f": "forwarded", "P": "proxiable", "p": "proxy", "D": "may_postdate",
               "d": "postdated", "i": "invalid", "R": "renewable", "I": "initial", "H": "hw_authent",
               "A": "pre_authent", "T": "transited_policy_checked", "O": "ok_as_delegate", "a": "anonymous"}
LIFETIME_TOLERANCE = 120  # seconds: the real tickets end with the TGT, issued a moment earlier
KINDS = {"as": 1, "tgs": 2, "s4u2self": 2, "s4u2proxy": 3, "forward-tgt": 1}
CASE_KEYS = {"name", "kind", "args", "not_forwardable", "evidence", "compare", "note"}


def etype_short(name):
    n = name.lower().replace("deprecated:", "")
    if n.startswith("aes256"):
        return "aes256"
    if n.startswith("aes128"):
        return "aes128"
    if "arcfour" in n or n.startswith("rc4"):
        return "rc4"
    if n.startswith("des"):
        return "des"
    return n


class Real:
    """The real KDC side: ticket caches, the stock tools, kdc_client."""

    def __init__(self, base, kdc_client):
        self.base = base
        self.kdc_client_path = kdc_client
        with open(os.path.join(base, "accounts.json")) as f:
            self.acc = json.load(f)
        self.realm = self.acc["realm"]
        self.password = self.acc["password"]
        self.by_name = {}
        for name, a in self.acc["accounts"].items():
            self.by_name[name.lower()] = a
            self.by_name[a["sam"].lower()] = a
        self.work = os.path.join(base, "cases")
        os.makedirs(self.work, exist_ok=True)
        self.tgts = {}
        self.log = os.path.join(base, "log", "samba.log")
        self.env = dict(os.environ, KRB5_CONFIG=os.path.join(base, "krb5.conf"), LC_ALL="C", LANG="C")
        self.env.pop("KRB5CCNAME", None)

    def principal(self, name):
        a = self.by_name.get(name.lower())
        if a is None and "\\" in name:
            a = self.by_name.get(name.split("\\", 1)[1].lower())
        sam = a["sam"] if a else name.split("\\", 1)[-1]
        return "%s@%s" % (sam, self.realm)

    def spn(self, spn):
        return spn if "@" in spn else "%s@%s" % (spn, self.realm)

    def run(self, cmd, trace, ccache=None, stdin=None):
        env = dict(self.env, KRB5_TRACE=trace)
        if ccache:
            env["KRB5CCNAME"] = "FILE:" + ccache
        return subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, timeout=60)

    @staticmethod
    def kdc_error(trace):
        """The last KRB-ERROR the KDC sent, from a KRB5_TRACE file: (name, text) or None."""
        last = None
        try:
            with open(trace, errors="replace") as f:
                for line in f:
                    for m in re.finditer(r"(-17653283\d\d)/([^\n]*)", line):
                        n = int(m.group(1)) - KDC_ERR_BASE
                        if 0 < n <= 127 and n != 25:  # 25 = PREAUTH_REQUIRED, the normal first answer
                            last = (KRB_ERRORS.get(n, "KRB_ERR_%d" % n), m.group(2).strip())
        except FileNotFoundError:
            pass
        return last

    def failure(self, proc, trace, step):
        err = self.kdc_error(trace)
        if err:
            return {"ok": False, "error": err[0], "step": step, "detail": err[1]}
        text = (proc.stderr or proc.stdout).strip().splitlines()
        return {"ok": False, "error": "CLIENT:" + (text[-1] if text else "exit %d" % proc.returncode), "step": step,
                "detail": "no KRB-ERROR from the KDC: the client failed on its own"}

    def kinit(self, principal, forwardable, ccache, trace):
        return self.run(["kinit", "-f" if forwardable else "-F", "-c", "FILE:" + ccache, principal], trace,
                        stdin=self.password + "\n")

    def tgt(self, principal, forwardable, case_dir, trace):
        """A fresh copy of principal's TGT for one case, or the AS failure."""
        key = (principal.lower(), forwardable)
        if key not in self.tgts:
            path = os.path.join(self.work, "tgt-%s-%s.cc" % (re.sub(r"[^A-Za-z0-9]", "_", principal),
                                                            "f" if forwardable else "nf"))
            p = self.kinit(principal, forwardable, path, trace)
            self.tgts[key] = path if p.returncode == 0 else self.failure(p, trace, "as " + principal)
        got = self.tgts[key]
        if isinstance(got, dict):
            return None, got
        copy = os.path.join(case_dir, os.path.basename(got))
        shutil.copyfile(got, copy)
        return copy, None

    def klist(self, ccache):
        """klist -f -e entries: {client, server, start, end, flags, etype, skey}."""
        p = subprocess.run(["klist", "-f", "-e", "-c", "FILE:" + ccache], env=self.env, capture_output=True,
                           text=True)
        entries, cur, default = [], None, None
        for line in p.stdout.splitlines():
            m = re.match(r"Default principal: (\S+)", line)
            if m:
                default = m.group(1)
            m = re.match(r"^(\d\d/\d\d/\d\d \d\d:\d\d:\d\d)\s+(\d\d/\d\d/\d\d \d\d:\d\d:\d\d)\s+(\S+)\s*$", line)
            if m:
                fmt = "%m/%d/%y %H:%M:%S"
                cur = {"client": default, "server": m.group(3),
                       "start": datetime.datetime.strptime(m.group(1), fmt),
                       "end": datetime.datetime.strptime(m.group(2), fmt), "flags": [], "etype": None}
                entries.append(cur)
                continue
            if cur is None:
                continue
            m = re.search(r"for client (\S+?),", line)
            if m:
                cur["client"] = m.group(1)
            m = re.search(r"Flags: ([A-Za-z]*)", line)
            if m:
                cur["flags"] = [KLIST_FLAGS.get(c, c) for c in m.group(1)]
            m = re.search(r"Etype \(skey, tkt\): ([^,]+), (\S+)", line)
            if m:
                cur["skey"], cur["etype"] = etype_short(m.group(1)), etype_short(m.group(2))
        return entries

    def ticket(self, ccache, server, client=None):
        for e in reversed(self.klist(ccache)):
            if e["server"].lower() == server.lower() and (client is None or (e["client"] or "").lower() == client.lower()):
                return {"ok": True, "error": None, "flags": e["flags"], "etype": e["etype"],
                        "lifetime": int((e["end"] - e["start"]).total_seconds()), "client": e["client"],
                        "server": e["server"]}
        return {"ok": False, "error": "CLIENT:no ticket for %s in the cache" % server, "detail": ""}

    # -- the five kinds -------------------------------------------------------------------------

    def do(self, case, case_dir):
        kind, args = case["kind"], case["args"]
        fwd = not case.get("not_forwardable", False)
        trace = os.path.join(case_dir, "trace")
        if kind == "as":
            cc = os.path.join(case_dir, "as.cc")
            p = self.kinit(self.principal(args[0]), fwd, cc, trace)
            if p.returncode:
                return self.failure(p, trace, "as")
            return self.ticket(cc, "krbtgt/%s@%s" % (self.realm, self.realm))
        if kind == "tgs":
            cc, fail = self.tgt(self.principal(args[0]), fwd, case_dir, trace)
            if fail:
                return fail
            p = self.run(["kvno", "-c", "FILE:" + cc, args[1]], trace)
            if p.returncode:
                return self.failure(p, trace, "tgs")
            return self.ticket(cc, self.spn(args[1]))
        if kind == "s4u2self":
            svc, user = self.principal(args[0]), self.principal(args[1])
            cc, fail = self.tgt(svc, True, case_dir, trace)
            if fail:
                return fail
            p = self.run(["kvno", "-c", "FILE:" + cc, "-I", user, svc], trace)
            if p.returncode:
                return self.failure(p, trace, "s4u2self")
            return self.ticket(cc, svc, client=user)
        if kind == "s4u2proxy":
            svc, user, target = self.principal(args[0]), self.principal(args[1]), args[2]
            scc, fail = self.tgt(svc, True, case_dir, trace)
            if fail:
                return fail
            if case.get("evidence", "s4u2self") == "s4u2self":
                # kvno prints a line for the S4U2Self step even when S4U2Proxy then fails: exit code.
                p = self.run(["kvno", "-c", "FILE:" + scc, "-I", user, "-P", target], trace)
                if p.returncode:
                    return self.failure(p, trace, "s4u2proxy")
                return self.ticket(scc, self.spn(target), client=user)
            ucc, fail = self.tgt(user, fwd, case_dir, trace)
            if fail:
                return fail
            return self.kdc_client(["proxy", "FILE:" + scc, "FILE:" + ucc, svc, target], trace)
        if kind == "forward-tgt":
            ucc, fail = self.tgt(self.principal(args[0]), fwd, case_dir, trace)
            if fail:
                return fail
            return self.kdc_client(["forward", "FILE:" + ucc], trace)
        raise ValueError(kind)

    def kdc_client(self, args, trace):
        p = self.run([self.kdc_client_path] + args, trace)
        try:
            out = json.loads(p.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {"ok": False, "error": "CLIENT:kdc_client failed: " + (p.stderr.strip() or "no output"),
                    "detail": ""}
        if out["ok"]:
            return {"ok": True, "error": None, "flags": out["flags"], "etype": out["etype"],
                    "lifetime": out["lifetime"], "client": out["client"], "server": out["server"]}
        if out.get("kdc_error") is not None:
            n = out["kdc_error"]
            return {"ok": False, "error": KRB_ERRORS.get(n, "KRB_ERR_%d" % n), "step": out["step"],
                    "detail": out["message"]}
        return {"ok": False, "error": "CLIENT:" + out["message"], "step": out["step"],
                "detail": "no KRB-ERROR from the KDC: the client failed on its own"}

    def samba_reasons(self, start):
        """What the Samba KDC logged (kerberos:3) for one case: its decisions, shortly."""
        try:
            with open(self.log, "rb") as f:
                f.seek(start)
                text = f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            m = re.search(r"Kerberos: (.*)", line)
            if not m:
                continue
            msg = m.group(1).strip()
            if re.search(r"reason=|constrained delegation|Missing forwardable|not allowed|Bad request|"
                         r"disabled|revoked|expired|Protected|S4U2Self|s4u2self|impersonat|policy", msg,
                         re.I) and not msg.startswith("heim_audit"):
                msg = re.sub(r" ipv4:127\.0\.0\.1:\d+", "", msg)
                msg = re.sub(r" elapsed=[0-9.]+", "", msg)
                msg = re.sub(r" armor_client_name=\S+", "", msg)
                if msg not in out:
                    out.append(msg)
        return out

    def log_size(self):
        try:
            return os.path.getsize(self.log)
        except OSError:
            return 0


def kerbsim_answer(kerbsim, scenario, case):
    cmd = [kerbsim, "kdc", scenario, case["kind"]] + list(case["args"])
    if case.get("not_forwardable"):
        cmd.append("--not-forwardable")
    if case.get("evidence"):
        cmd += ["--evidence", case["evidence"]]
    cmd += ["--format", "json"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except OSError as e:
        return {"ok": False, "error": "KERBSIM:" + str(e), "reason": "", "cmd": cmd}
    try:
        out = json.loads(p.stdout)
        if not isinstance(out, dict) or "ok" not in out:
            raise ValueError("no \"ok\" key")
    except ValueError:
        msg = (p.stderr.strip().splitlines() or ["exit %d, no JSON" % p.returncode])[0]
        return {"ok": False, "error": "KERBSIM:exit %d: %s" % (p.returncode, msg), "reason": "", "cmd": cmd}
    out["cmd"] = cmd
    return out


def six(flags):
    return [f for f in COMPARED_FLAGS if f in (flags or [])]


def summary(r):
    if r is None:
        return "-"
    if not r.get("ok"):
        return str(r.get("error"))
    text = "ok " + ("".join(FLAG_LETTER[f] for f in six(r.get("flags"))) or "-")
    if r.get("etype"):
        text += " " + r["etype"]
    if r.get("lifetime") is not None:
        s = int(r["lifetime"])
        text += " %dh%02dm" % (s // 3600, s % 3600 // 60)
    return text


def compare(case, real, sim):
    """The differences between the two answers, as sentences (empty = they agree)."""
    diffs = []
    if bool(real.get("ok")) != bool(sim.get("ok")):
        diffs.append("real KDC %s, kerbsim %s" % ("issued a ticket" if real.get("ok") else "refused (%s)" % real.get("error"),
                                                 "issued a ticket" if sim.get("ok") else "refused (%s)" % sim.get("error")))
        return diffs
    if not real.get("ok"):
        if real.get("error") != sim.get("error"):
            diffs.append("error: real %s, kerbsim %s" % (real.get("error"), sim.get("error")))
        return diffs
    rf, sf = six(real.get("flags")), six(sim.get("flags"))
    if rf != sf:
        only_real = [f for f in rf if f not in sf]
        only_sim = [f for f in sf if f not in rf]
        parts = []
        if only_real:
            parts.append("only the real ticket has " + ", ".join(only_real))
        if only_sim:
            parts.append("only kerbsim's has " + ", ".join(only_sim))
        diffs.append("flags: " + "; ".join(parts))
    wanted = case.get("compare") or []
    if "etype" in wanted and real.get("etype") != sim.get("etype"):
        diffs.append("etype: real %s, kerbsim %s" % (real.get("etype"), sim.get("etype")))
    if "lifetime" in wanted:
        rl, sl = real.get("lifetime"), sim.get("lifetime")
        if rl is None or sl is None or abs(int(rl) - int(sl)) > LIFETIME_TOLERANCE:
            diffs.append("lifetime: real %ss, kerbsim %ss" % (rl, sl))
    return diffs


def validate(cases):
    names = set()
    for i, c in enumerate(cases):
        where = "case %d (%s)" % (i, c.get("name", "?"))
        unknown = set(c) - CASE_KEYS
        if unknown:
            raise ValueError("%s: unknown keys %s" % (where, ", ".join(sorted(unknown))))
        if c.get("kind") not in KINDS:
            raise ValueError("%s: kind must be one of %s" % (where, ", ".join(KINDS)))
        if not isinstance(c.get("args"), list) or len(c["args"]) != KINDS[c["kind"]]:
            raise ValueError("%s: %s takes %d args" % (where, c["kind"], KINDS[c["kind"]]))
        if c.get("evidence") not in (None, "s4u2self", "user-ticket") or (c.get("evidence") and c["kind"] != "s4u2proxy"):
            raise ValueError("%s: evidence is s4u2self or user-ticket, for s4u2proxy only" % where)
        if set(c.get("compare") or []) - {"etype", "lifetime"}:
            raise ValueError("%s: compare lists etype and/or lifetime" % where)
        if c["name"] in names:
            raise ValueError("%s: duplicate name" % where)
        names.add(c["name"])


def table(rows):
    heads = ["case", "real KDC", "kerbsim", "match"]
    data = [[r["name"], summary(r["real"]), summary(r["kerbsim"]) if r["kerbsim"] is not None else "-",
             "yes" if r["agree"] else ("-" if r["agree"] is None else "NO")] for r in rows]
    widths = [max(len(h), *(len(d[i]) for d in data)) for i, h in enumerate(heads)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(heads))
    print(line(["-" * w for w in widths]))
    for d in data:
        print(line(d))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--kdc-client", required=True)
    ap.add_argument("--kerbsim")
    ap.add_argument("--real-only", action="store_true")
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--results", help="write every answer here as JSON")
    args = ap.parse_args()
    try:
        with open(args.cases) as f:
            cases = json.load(f)
        validate(cases)
    except (OSError, ValueError) as e:
        print("cases.py: %s: %s" % (args.cases, e), file=sys.stderr)
        return 2
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in cases if c["name"] in wanted]
    real = Real(args.base, args.kdc_client)
    rows = []
    t0 = time.time()
    for case in cases:
        case_dir = os.path.join(real.work, case["name"])
        os.makedirs(case_dir, exist_ok=True)
        start = real.log_size()
        r = real.do(case, case_dir)
        time.sleep(0.01)  # let the KDC worker's log lines land
        r["samba_log"] = real.samba_reasons(start)
        sim = None if args.real_only else kerbsim_answer(args.kerbsim, args.scenario, case)
        diffs = None if sim is None else compare(case, r, sim)
        rows.append({"name": case["name"], "case": case, "real": r, "kerbsim": sim, "diffs": diffs,
                     "agree": None if diffs is None else not diffs})
    elapsed = time.time() - t0

    table(rows)
    mismatches = [r for r in rows if r["agree"] is False]
    if mismatches:
        print("\nMismatches:")
    for r in mismatches:
        c = r["case"]
        opts = (" --not-forwardable" if c.get("not_forwardable") else "") + (
            " --evidence " + c["evidence"] if c.get("evidence") else "")
        print("\n* %s: %s %s%s" % (r["name"], c["kind"], " ".join(c["args"]), opts))
        for d in r["diffs"]:
            print("    differs:  " + d)
        rr, s = r["real"], r["kerbsim"]
        if not rr.get("ok"):
            print("    real:     %s%s" % (rr.get("error"), " (%s)" % rr["detail"] if rr.get("detail") else ""))
        else:
            print("    real:     ticket %s -> %s, flags %s, etype %s, lifetime %ss" % (
                rr.get("client"), rr.get("server"), " ".join(rr.get("flags") or []), rr.get("etype"),
                rr.get("lifetime")))
        for line in rr.get("samba_log", [])[:4]:
            print("    samba:    " + line[:240])
        print("    kerbsim:  %s%s" % (summary(s), " status %s" % s["status"] if s.get("status") else ""))
        if s.get("reason"):
            print("    because:  " + str(s["reason"])[:400])
    agree = sum(1 for r in rows if r["agree"])
    print()
    if args.real_only:
        print("%d requests asked of the real KDC in %.1f s (kerbsim not compared)" % (len(rows), elapsed))
    else:
        print("%d of %d requests agree" % (agree, len(rows)))
    if args.results:
        with open(args.results, "w") as f:
            json.dump(rows, f, indent=1, default=str)
    if args.real_only:
        return 0
    return 0 if agree == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
