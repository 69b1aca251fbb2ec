"""The planted risks: each kind changes or adds a few objects of the enterprise and records what the audit
must report about them, with the accounts, SPNs and hosts involved (tools/generate/README.md, "Risks").

Objects a risk uses are marked `busy` and `risky`, so the proportions never give them a second setting
and they are never a delegation target or a flow's user.
"""

from .manifest import RISK_PARAMS, ManifestError
from .names import APPS, SQL_INSTANCES

# kind -> (severity, what the audit reports, the rule behind it)
FINDINGS = {
    "unconstrained-delegation": (
        "high", "unconstrained delegation on an account that is not a domain controller: every user's "
        "forwarded TGT lands on it", "kerberos-rules R3.1.1"),
    "kcd-to-dc": (
        "high", "constrained delegation to a domain controller's service: the account can act as any delegable "
        "user, administrators included, at the DC", "kerberos-rules R3.2.3"),
    "rbcd-to-dc": (
        "high", "resource-based delegation on a domain controller: the account it lists can act as any "
        "delegable user at the DC", "kerberos-rules R3.4.2"),
    "protocol-transition-to-dc": (
        "high", "protocol transition with constrained delegation to a domain controller's service: the account "
        "can impersonate any delegable user at the DC without their password", "kerberos-rules R3.3.2"),
    "kerberoastable-privileged": (
        "high", "a privileged user with an SPN and RC4 allowed: anyone in the forest can ask for a ticket "
        "encrypted with its password's RC4 key and crack it offline", "kerberos-rules R2.3"),
    "duplicate-spn": (
        "high", "an SPN registered on two accounts: the KDC refuses tickets for it (event 11) and clients fall "
        "back to NTLM", "kerberos-rules R1.7"),
    "kcd-orphan-spn": (
        "medium", "constrained delegation to an SPN no account holds: whoever registers it later receives the "
        "delegated tickets", "kerberos-rules R3.2.3"),
    "kcd-dynamic-port": (
        "medium", "constrained delegation to a SQL Server named instance on a dynamic port: the SPN and the "
        "delegation go stale when the instance picks another port at its next start", "kerberos-rules R1.11"),
    "privileged-unprotected": (
        "high", "a privileged account that is neither sensitive nor in Protected Users: any service trusted "
        "for delegation can act as it", "kerberos-rules R3.5.1"),
    "localsystem-app-pool": (
        "high", "an IIS app pool running as LocalSystem, the highest local privilege", "iis-rules 2.1"),
    "rc4-only-service-account": (
        "medium", "a service account whose only encryption type is RC4: its tickets are easy to crack, and it "
        "fails once the DCs stop issuing RC4 by default", "kerberos-rules R2.5"),
    # Only from the proportions, never planted by name:
    "protocol-transition": (
        "medium", "protocol transition (TRUSTED_TO_AUTH_FOR_DELEGATION): the account can impersonate any "
        "delegable user to the services it lists, without their password", "kerberos-rules R3.3.2"),
    "no-aes-keys": (
        "low", "a user whose password predates the domain's AES keys: it has only RC4 keys",
        "kerberos-rules R2.2"),
}

DC_CLASSES = {"ldap": "ldap", "cifs": "cifs", "host": "HOST"}


def needs_host(risk):
    """Whether the risk takes a server host of its own (reserved before the roles are given out)."""
    return risk.kind in ("localsystem-app-pool", "kcd-dynamic-port") or (
        risk.kind == "unconstrained-delegation" and risk.params.get("on") == "server")


class _Planter:
    def __init__(self, e, r, d, risk):
        self.e, self.r, self.d, self.risk = e, r, d, risk
        self.what = f'the risk "{risk.id}"'

    def fail(self, message):
        raise ManifestError([f"{self.risk.path}: {message}"])

    def mark(self, account):
        account.busy = account.risky = True
        return account

    def front(self, app=None, tier="app"):
        """A new service account holding the HTTP SPNs of a web alias: the front end of a delegation."""
        app = app or self.r.pick(APPS)
        a = self.e.take_service(self.d, app, tier, self.risk.path, self.what)
        alias = self.e.names.alias(self.r, app)
        self.e.claim_spns(a, [f"HTTP/{alias}.{self.d.dns}", f"HTTP/{alias}"], self.risk.path)
        return self.mark(a)

    def host(self):
        h = self.d.role_hosts["reserved"].pop()
        self.mark(h.account)
        return h

    def dc(self):
        return self.r.pick(self.d.dcs)

    def member_server(self):
        pool = [s for s in self.d.servers if s.host is None and not s.busy]
        if not pool:
            self.fail(f"{self.d.dns} has no member server without a host entry left for this risk "
                      "(raise /accounts/servers)")
        return self.mark(self.r.pick(pool))

    def admin(self):
        pool = [a for a in self.d.admins if not a.busy]
        if not pool:
            self.fail(f"{self.d.dns} has no admin left for this risk (raise /accounts/admins)")
        return self.mark(self.r.pick(pool))


def _unconstrained(p):
    if p.risk.params["on"] == "server":
        h = p.host()
        h.account.unconstrained = True
        return dict(accounts=[h.account.name], hosts=[h.name],
                    graph={"from": h.account.name, "kind": "unconstrained", "target": "any service", "owner": None})
    a = p.front()
    a.unconstrained = True
    return dict(accounts=[a.name], spns=a.spns[:1], graph={"from": a.name, "kind": "unconstrained",
                                                          "target": "any service", "owner": None})


def _to_dc(p, transition):
    a, dc = p.front(), p.dc()
    spn = f"{DC_CLASSES[p.risk.params['service']]}/{dc.fqdn}"
    a.delegate_to = [spn]
    a.transition = transition
    return dict(accounts=[a.name, dc.account.name], spns=[spn], hosts=[dc.name],
                graph={"from": a.name, "kind": "protocol-transition" if transition else "constrained",
                       "target": spn, "owner": dc.account.name})


def _rbcd_to_dc(p):
    principal = p.member_server() if p.risk.params["from"] == "computer" else p.front()
    dc = p.dc()
    dc.account.allowed_to_act.append(principal)
    return dict(accounts=[principal.name, dc.account.name], hosts=[dc.name],
                graph={"from": principal.name, "kind": "resource-based", "target": dc.account.name,
                       "owner": dc.account.name})


def _kerberoastable_privileged(p):
    server = p.member_server()
    a = p.mark(p.e.take_service(p.d, p.r.pick(APPS), "sql", p.risk.path, p.what))
    p.e.claim_spns(a, [f"MSSQLSvc/{server.fqdn}:1433", f"MSSQLSvc/{server.fqdn}"], p.risk.path)
    a.groups = ["Domain Admins"]
    a.enctypes = ["rc4", "aes128", "aes256"]
    a.sensitive = True  # not delegable, so the only finding on it is this one
    return dict(accounts=[a.name], spns=a.spns[:1])


def _duplicate_spn(p):
    a = p.front()
    b = p.front(app=a.app)
    spn = a.spns[0]
    b.spns.append(spn)  # written by a DC that did not check, or restored from a backup
    return dict(accounts=[a.name, b.name], spns=[spn])


def _orphan(p):
    a = p.front()
    gone = p.e.names.computer(p.r, p.r.pick(p.d.sites), "sql", p.d.width)  # a decommissioned server's name
    spn = f"MSSQLSvc/{gone}.{p.d.dns}:1433"
    a.delegate_to = [spn]
    return dict(accounts=[a.name], spns=[spn],
                graph={"from": a.name, "kind": "constrained", "target": spn, "owner": None})


def _dynamic_port(p):
    h = p.host()
    svc = p.mark(p.e.take_service(p.d, p.r.pick(APPS), "sql", p.risk.path, p.what))
    inst = {"name": p.r.pick(SQL_INSTANCES), "dynamic_port": True, "port": p.r.between(49152, 65535),
            "service_account": svc.name}
    spns = [f"MSSQLSvc/{h.fqdn}:{inst['port']}", f"MSSQLSvc/{h.fqdn}:{inst['name']}"]
    p.e.claim_spns(svc, spns, p.risk.path)  # registered by hand for the port of the day
    h.sql, h.sql_owner = {"instances": [inst]}, svc
    a = p.front()
    a.delegate_to = [spns[0]]
    return dict(accounts=[a.name, svc.name], spns=[spns[0]], hosts=[h.name],
                graph={"from": a.name, "kind": "constrained", "target": spns[0], "owner": svc.name})


def _unprotected(p):
    a = p.admin()
    return dict(accounts=[a.name])


def _localsystem(p):
    h = p.host()
    h.iis = {"app_pools": [{"name": "LegacyApp", "identity": "LocalSystem"}],
             "sites": [{"name": "LegacyApp", "app_pool": "LegacyApp", "anonymous": {"enabled": False},
                        "windows": {"enabled": True}}]}
    return dict(accounts=[h.account.name], hosts=[h.name], app_pools=[f"{h.name}/LegacyApp"])


def _rc4_only(p):
    a = p.front()
    a.enctypes = ["rc4"]
    return dict(accounts=[a.name], spns=a.spns[:1])


PLANTERS = {
    "unconstrained-delegation": _unconstrained,
    "kcd-to-dc": lambda p: _to_dc(p, transition=False),
    "rbcd-to-dc": _rbcd_to_dc,
    "protocol-transition-to-dc": lambda p: _to_dc(p, transition=True),
    "kerberoastable-privileged": _kerberoastable_privileged,
    "duplicate-spn": _duplicate_spn,
    "kcd-orphan-spn": _orphan,
    "kcd-dynamic-port": _dynamic_port,
    "privileged-unprotected": _unprotected,
    "localsystem-app-pool": _localsystem,
    "rc4-only-service-account": _rc4_only,
}


assert set(PLANTERS) == set(RISK_PARAMS) and set(PLANTERS) <= set(FINDINGS), "one planter and finding per kind"


def plant(e):
    r = e.rng("risks")
    for risk in e.m.risks:
        d = e.risk_domains[risk.id]
        found = PLANTERS[risk.kind](_Planter(e, r, d, risk))
        severity, finding, rule = FINDINGS[risk.kind]
        record = {"id": risk.id, "kind": risk.kind, "severity": risk.severity or severity, "finding": finding,
                  "rule": rule, "domain": d.dns, "accounts": [], "spns": [], "hosts": []}
        record.update(found)
        e.planted.append(record)
