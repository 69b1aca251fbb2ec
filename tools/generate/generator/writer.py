"""Writes the enterprise as a kerbsim/1 scenario, streaming: the small sections indented, the big ones (accounts,
hosts) one compact object per line, never the whole file in memory. Also writes <name>.risks.json."""

import json

from .enterprise import NO_AES, PROTECTED, SENSITIVE
from .risks import FINDINGS

_COMPACT = (",", ":")


def _computer_spns(e, a):
    """What a domain join and the computer's own services register: HOST and the manifest's classes."""
    classes = e.m.workstation_spns if a.role == "ws" else e.m.server_spns
    name, fqdn = a.computer_name, a.fqdn
    return [s for c in classes for s in (f"{c}/{name}", f"{c}/{fqdn}")]


def _settings(a, spns):
    o = {}
    if spns:
        o["spns"] = spns
    if a.unconstrained:
        o["trusted_for_delegation"] = True
    if a.transition:
        o["trusted_to_auth_for_delegation"] = True
    if a.delegate_to:
        o["allowed_to_delegate_to"] = a.delegate_to
    if a.allowed_to_act:
        o["allowed_to_act"] = [x.name for x in a.allowed_to_act]
    if a.sensitive:
        o["sensitive"] = True
    if a.groups:
        o["groups"] = a.groups
    if a.enctypes:
        o["enctypes"] = a.enctypes
    if not a.aes_keys:
        o["aes_keys"] = False
    return o


class _Lines:
    """A JSON array or object written one member per line."""

    def __init__(self, out, key, opener, closer, last=False):
        self.out, self.closer, self.last, self.first = out, closer, last, True
        out.write(f'  "{key}": {opener}')

    def add(self, text):
        self.out.write("\n    " if self.first else ",\n    ")
        self.out.write(text)
        self.first = False

    def close(self):
        self.out.write(("\n  " if not self.first else "") + self.closer + ("\n" if self.last else ",\n"))


class Stats:
    def __init__(self):
        self.accounts = {}
        self.spns = 0
        self.hosts = 0

    def count(self, kind, spns):
        self.accounts[kind] = self.accounts.get(kind, 0) + 1
        self.spns += len(spns)


def _description(e):
    m, c = e.m, e.counts
    children = len(e.forest) - 1
    forest = f"the forest {m.root} with " + (f"{children} child domains" if children > 1 else
                                             "one child domain" if children == 1 else "no child domain")
    if e.partners:
        forest += f", trusting {', '.join(p.dns for p in e.partners)}"
    lines = [f"A generated enterprise (manifest seed {m.seed}): {forest}.", "",
             f"{c['total']} accounts: {c['users']} users, {c['admins']} admins, {c['service_accounts']} service "
             f"accounts, {c['gmsas']} gMSAs, {c['workstations']} workstations, {c['servers']} member servers, "
             f"{c['dcs']} domain controllers, {c['partner']} in trusted domains."]
    if e.farms:
        lines[-1] += (f" {len(e.farms)} IIS farms behind load balancers call SQL Server as the user, by "
                      "constrained or resource-based delegation.")
    if e.planted:
        lines += ["", "Planted risks (listed with their objects in the file's .risks.json): " +
                  ", ".join(f"{r['id']} ({r['kind']})" for r in e.planted) + "."]
    elif e.incidental:
        lines += ["", "No risk is planted; the risky settings the proportions asked for are listed in the file's "
                      ".risks.json."]
    else:
        lines += ["", "No risk is planted, and no risky setting is used."]
    return "\n".join(lines)


def write_scenario(e, out):
    """Writes the scenario to the open text file `out`; returns the Stats."""
    m, stats = e.m, Stats()
    dump = json.dumps
    out.write("{\n")
    head = {"format": "kerbsim/1", "name": m.name, "title": m.title or f"Generated enterprise {m.name}",
            "description": _description(e)}
    for k, v in head.items():
        out.write(f"  {dump(k)}: {dump(v)},\n")
    domains = []
    for d in e.forest + e.partners:
        o = {"dns": d.dns, "netbios": d.netbios}
        if d.root != d.dns:
            o["forest"] = d.root
        o["functional_level"] = m.functional_level
        o["dcs"] = [h.name for h in d.dcs]
        domains.append(o)
    out.write('  "domains": ' + dump(domains, indent=2).replace("\n", "\n  ") + ",\n")
    out.write('  "trusts": ' + dump(e.trusts, indent=2).replace("\n", "\n  ") + ",\n")

    rng = e.rng("memberships")
    groups, (lo, hi) = e.groups, m.groups_per_user
    accounts = _Lines(out, "accounts", "[", "]")
    for d in e.forest + e.partners:
        for a in d.admins + d.services + d.gmsas:
            o = {"name": a.name}
            if a.kind == "gmsa":
                o["type"] = "gmsa"
            o.update(_settings(a, a.spns))
            accounts.add(dump(o, separators=_COMPACT))
            stats.count(a.kind, a.spns)
        prefix = d.netbios + "\\"
        flags = d.flags
        for idx, sam in enumerate(d.users):
            o = {"name": prefix + sam}
            if not d.partner and hi:
                o["groups"] = [groups[i] for i in rng.sample_indices(len(groups), rng.between(lo, hi))]
            f = flags.get(idx, 0)
            if f & PROTECTED:
                o.setdefault("groups", []).append("Protected Users")
            if f & SENSITIVE:
                o["sensitive"] = True
            if f & NO_AES:
                o["aes_keys"] = False
            accounts.add(dump(o, separators=_COMPACT))
            stats.count("user", ())
        for a in d.servers:
            if a.host is None:
                spns = [f"HOST/{a.computer_name}", f"HOST/{a.fqdn}"] + _computer_spns(e, a) + a.spns
                o = {"name": a.name, "type": "computer"}
                o.update(_settings(a, spns))
                accounts.add(dump(o, separators=_COMPACT))
                stats.count("server", spns)
        classes = m.workstation_spns
        for name in d.workstations:
            low = name.lower()
            fqdn = f"{low}.{d.dns}"
            spns = [f"HOST/{low}", f"HOST/{fqdn}"] + [s for c in classes for s in (f"{c}/{low}", f"{c}/{fqdn}")]
            accounts.add(dump({"name": f"{prefix}{name}$", "type": "computer", "spns": spns}, separators=_COMPACT))
            stats.count("workstation", spns)
    accounts.close()

    hosts = _Lines(out, "hosts", "[", "]")
    for d in e.forest + e.partners:
        for h in d.hosts:
            spns = _computer_spns(e, h.account) + h.account.spns
            o = {"name": h.name, "domain": d.dns, "ip": h.ip, "os": h.os}
            account = _settings(h.account, spns)
            if account:
                o["account"] = account
            for role in ("iis", "sql", "client"):
                if getattr(h, role):
                    o[role] = getattr(h, role)
            hosts.add(dump(o, separators=_COMPACT))
            stats.count("dc" if h.purpose == "dc" else "workstation" if h.purpose == "workstation" else "server",
                        spns + ["HOST/name", "HOST/fqdn"])
            stats.hosts += 1
    hosts.close()

    records = _Lines(out, "dns", "{", "}")
    for name, record in e.dns:
        records.add(f"{dump(name)}: {dump(record, separators=_COMPACT)}")
    records.close()
    for key, items, last in (("load_balancers", e.lbs, False), ("flows", e.flows, False),
                             ("expect", e.expect, True)):
        section = _Lines(out, key, "[", "]", last=last)
        for item in items:
            section.add(dump(item, separators=_COMPACT))
        section.close()
    out.write("}\n")
    return stats


def risks_document(e, stats):
    incidental = []
    for kind in sorted(e.incidental):
        severity, finding, rule = FINDINGS[kind]
        incidental.append({"kind": kind, "severity": severity, "finding": finding, "rule": rule,
                           "count": len(e.incidental[kind]), "objects": e.incidental[kind]})
    return {
        "format": "kerbsim-generate-risks/1",
        "scenario": e.m.name,
        "seed": e.m.seed,
        "counts": {"accounts": sum(stats.accounts.values()), "by_kind": dict(sorted(stats.accounts.items())),
                   "spns": stats.spns, "hosts": stats.hosts, "iis_farms": len(e.farms), "flows": len(e.flows)},
        "planted": e.planted,
        "incidental": incidental,
    }
