"""The generator's manifest: JSON read into plain dataclasses with their defaults (tools/generate/README.md).

Every problem is collected, each with the JSON pointer of the key it is about, and reported together as one
ManifestError. Counts that depend on other counts (a share of the servers, farms that need more hosts than
the manifest gives) are checked by the generator, which raises the same error with the same kind of path.
"""

import difflib
import json
import re
from dataclasses import dataclass, field

FORMAT = "kerbsim-generate/1"
FUNCTIONAL_LEVELS = ["2003", "2008", "2008R2", "2012", "2012R2", "2016", "2025"]
SEVERITIES = ["high", "medium", "low"]
_MISSING = object()
_DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_SERVICE_CLASS = re.compile(r"^[A-Za-z0-9_-]+$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_RISK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ManifestError(Exception):
    """A manifest the generator cannot honour; each problem is "<json pointer>: <sentence>"."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass
class Amount:
    """How many of something: an exact count, or a share of a population the key's documentation names."""

    count: int = 0
    share: float = None
    path: str = ""

    def of(self, population, what):
        if self.share is None:
            if self.count > population:
                raise ManifestError([f"{self.path}/count: {self.count} is more than the {population} {what} there are"])
            return self.count
        return int(self.share * population + 0.5)


@dataclass
class Trust:
    domain: str
    netbios: str
    kind: str = "forest"
    source: str = ""  # our end of the trust ("from"); the forest root by default
    direction: str = "two-way"
    tgt_delegation: bool = False
    users: int = 100
    dcs: int = 1


@dataclass
class Risk:
    id: str
    kind: str
    severity: str
    domain: str = ""  # a domain of the forest, or "" for one chosen at random
    params: dict = field(default_factory=dict)
    path: str = ""


@dataclass
class Manifest:
    name: str
    title: str
    seed: int
    root: str
    root_netbios: str
    children: int
    dcs_per_domain: int
    root_share: float
    functional_level: str
    trusts: list
    total: int
    admins: Amount
    service_accounts: Amount
    gmsas: Amount
    workstations: Amount
    servers: Amount
    workstation_spns: list
    server_spns: list
    http: Amount
    http_names: tuple
    mssql: Amount
    mssql_instances: tuple
    mssql_named: Amount
    cifs_aliases: Amount
    groups: int
    groups_per_user: tuple
    groups_per_service_account: tuple
    admins_sensitive: Amount
    admins_protected_users: Amount
    sensitive_users: Amount
    protected_users: Amount
    rc4_only_service_accounts: Amount
    no_aes_users: Amount
    constrained: Amount
    protocol_transition: Amount
    resource_based: Amount
    unconstrained_servers: Amount
    delegation_targets: tuple
    host_servers: int
    host_workstations: int
    farms: int
    farm_nodes: tuple
    farm_gmsa: Amount
    farm_resource_based: Amount
    sql_servers: int
    sql_named: Amount
    sql_gmsa: Amount
    sql_virtual: Amount
    iis_servers: int
    flows: int
    risks: list


# Each planted risk kind, with the parameters it takes (name -> allowed values, the first the default).
RISK_PARAMS = {
    "unconstrained-delegation": {"on": ["server", "service-account"]},
    "kcd-to-dc": {"service": ["ldap", "cifs", "host"]},
    "rbcd-to-dc": {"from": ["computer", "service-account"]},
    "protocol-transition-to-dc": {"service": ["cifs", "ldap", "host"]},
    "kerberoastable-privileged": {},
    "duplicate-spn": {},
    "kcd-orphan-spn": {},
    "kcd-dynamic-port": {},
    "privileged-unprotected": {},
    "localsystem-app-pool": {},
    "rc4-only-service-account": {},
}


def _describe(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return f"the number {json.dumps(v)}"
    if isinstance(v, str):
        return f"the string {json.dumps(v)}"
    if isinstance(v, list):
        return "an array"
    return "an object"


class _Problems:
    def __init__(self):
        self.items = []

    def add(self, path, message):
        self.items.append(f"{path or '/'}: {message}")


class _Obj:
    """One object of the manifest, read key by key; `done` reports the keys nobody asked for."""

    def __init__(self, problems, path, value, what):
        self.p, self.path, self.seen = problems, path, []
        self.ok = isinstance(value, dict)
        self.v = value if self.ok else {}
        if not self.ok and value is not _MISSING:
            problems.add(path, f"must be an object ({what}), not {_describe(value)}")

    def _at(self, key):
        return f"{self.path}/{key}"

    def _take(self, key, required):
        self.seen.append(key)
        if key not in self.v:
            if required and self.ok:
                self.p.add(self.path, f'the key "{key}" is required')
            return _MISSING
        return self.v[key]

    def whole(self, key, default=_MISSING, lo=0, hi=None):
        v = self._take(key, default is _MISSING)
        if v is _MISSING:
            return default if default is not _MISSING else lo
        if isinstance(v, bool) or not isinstance(v, int):
            self.p.add(self._at(key), f"must be a whole number, not {_describe(v)}")
            return default if default is not _MISSING else lo
        if v < lo or (hi is not None and v > hi):
            bound = f"from {lo} to {hi}" if hi is not None else f"{lo} or more"
            self.p.add(self._at(key), f"{v} is out of range: it must be {bound}")
            return default if default is not _MISSING else lo
        return v

    def share(self, key, default=_MISSING):
        v = self._take(key, default is _MISSING)
        if v is _MISSING:
            return default if default is not _MISSING else 0.0
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.p.add(self._at(key), f"must be a number from 0 to 1, not {_describe(v)}")
            return 0.0
        if v < 0 or v > 1:
            self.p.add(self._at(key), f"{json.dumps(v)} is {'over 1' if v > 1 else 'negative'}: a share is a "
                                      "proportion from 0 to 1")
            return 0.0
        return float(v)

    def string(self, key, default=_MISSING, choices=None, pattern=None, what=""):
        v = self._take(key, default is _MISSING)
        if v is _MISSING:
            return default if default is not _MISSING else ""
        if not isinstance(v, str):
            self.p.add(self._at(key), f"must be a string, not {_describe(v)}")
            return default if default is not _MISSING else ""
        if choices is not None and v not in choices:
            self.p.add(self._at(key), f"{json.dumps(v)} is not one of {', '.join(json.dumps(c) for c in choices)}")
            return default if default is not _MISSING else choices[0]
        if pattern is not None and not pattern.match(v):
            self.p.add(self._at(key), f"{json.dumps(v)} is not {what}")
            return default if default is not _MISSING else ""
        return v

    def boolean(self, key, default):
        v = self._take(key, False)
        if v is _MISSING:
            return default
        if not isinstance(v, bool):
            self.p.add(self._at(key), f"must be true or false, not {_describe(v)}")
            return default
        return v

    def obj(self, key, what, required=False):
        v = self._take(key, required)
        return _Obj(self.p, self._at(key), v, what)

    def array(self, key):
        v = self._take(key, False)
        if v is _MISSING:
            return []
        if not isinstance(v, list):
            self.p.add(self._at(key), f"must be an array, not {_describe(v)}")
            return []
        return [(f"{self._at(key)}/{i}", item) for i, item in enumerate(v)]

    def amount(self, key, default_count=0, default_share=None):
        """{"count": n} or {"share": x}."""
        path = self._at(key)
        v = self._take(key, False)
        if v is _MISSING:
            return Amount(default_count, default_share, path)
        o = _Obj(self.p, path, v, '{"count": n} or {"share": x}')
        if not o.ok:
            return Amount(default_count, default_share, path)
        has_count, has_share = "count" in o.v, "share" in o.v
        if has_count == has_share:
            self.p.add(path, 'give exactly one of "count" and "share"')
            o.seen += ["count", "share"]
            o.done()
            return Amount(0, None, path)
        result = Amount(o.whole("count"), None, path) if has_count else Amount(0, o.share("share"), path)
        o.done()
        return result

    def span(self, key, default, lo=0, hi=None):
        """[min, max], two whole numbers."""
        v = self._take(key, False)
        if v is _MISSING:
            return tuple(default)
        ok = isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
        if not ok:
            self.p.add(self._at(key), f"must be [min, max], two whole numbers, not {json.dumps(v)}")
            return tuple(default)
        if v[0] > v[1] or v[0] < lo or (hi is not None and v[1] > hi):
            bound = f"from {lo} to {hi}" if hi is not None else f"{lo} or more"
            self.p.add(self._at(key), f"{json.dumps(v)}: min must not exceed max, and both must be {bound}")
            return tuple(default)
        return tuple(v)

    def classes(self, key, default):
        if key not in self.v:
            self.seen.append(key)
            return list(default)
        pairs = self.array(key)
        out = []
        for path, c in pairs:
            if not isinstance(c, str) or not _SERVICE_CLASS.match(c):
                self.p.add(path, f"{json.dumps(c)} is not a service class (letters, digits, - and _)")
            elif c.lower() == "host":
                self.p.add(path, "HOST is written on every computer at domain join; list only the other classes")
            elif c.lower() in (x.lower() for x in out):
                self.p.add(path, f"{c} is listed twice")
            else:
                out.append(c)
        return out

    def done(self):
        if not self.ok:
            return
        for key in self.v:
            if key not in self.seen:
                near = difflib.get_close_matches(key, self.seen, n=1)
                hint = f' (did you mean "{near[0]}"?)' if near else f" (known keys: {', '.join(self.seen)})"
                self.p.add(self._at(key), f'unknown key "{key}"{hint}')


def dns_name_problem(name):
    """Why `name` is not a DNS name of at least two labels, or None."""
    if len(name) > 253:
        return "is longer than 253 characters"
    labels = name.split(".")
    if len(labels) < 2:
        return "needs at least two labels (contoso.com)"
    for label in labels:
        if not _DNS_LABEL.match(label):
            return f'has the label "{label}", which is not 1-63 lowercase letters, digits and - (not at either end)'
    return None


def _dns(o, key, default=_MISSING):
    v = o.string(key, default)
    if v:
        problem = dns_name_problem(v)
        if problem:
            o.p.add(o._at(key), f"{json.dumps(v)} {problem}")
            return ""
    return v


def _netbios(o, key, dns):
    default = dns.split(".")[0].upper()[:15] if dns else ""
    v = o.string(key, default)
    if v and not re.match(r"^[A-Za-z0-9-]{1,15}$", v):
        o.p.add(o._at(key), f"{json.dumps(v)} is not a NetBIOS name (1-15 letters, digits or -)")
        return default
    return v.upper()


def _risk(p, path, value, seen_ids):
    o = _Obj(p, path, value, "a planted risk")
    rid = o.string("id", pattern=_RISK_ID, what="an id (letters, digits, -, _ and ., starting with a letter or digit)")
    kind = o.string("kind", choices=list(RISK_PARAMS))
    severity = o.string("severity", "", choices=SEVERITIES + [""])
    domain = o.string("domain", "")
    params = {}
    for name, allowed in RISK_PARAMS.get(kind, {}).items():
        params[name] = o.string(name, allowed[0], choices=allowed)
    o.done()
    if rid:
        if rid.lower() in seen_ids:
            p.add(f"{path}/id", f'"{rid}" is the id of another risk; ids are unique')
        seen_ids.add(rid.lower())
    return Risk(rid, kind, severity, domain, params, path)


def parse(text):
    """The manifest in `text`, or ManifestError."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ManifestError([f"/: not JSON: {e.msg} at line {e.lineno}, column {e.colno}"])
    p = _Problems()
    top = _Obj(p, "", doc, "the manifest")
    if not top.ok:
        raise ManifestError(p.items)
    fmt = top.string("format")
    if fmt and fmt != FORMAT:
        p.add("/format", f'must be "{FORMAT}", not {json.dumps(fmt)}')
    name = top.string("name", pattern=_NAME, what="a scenario name (lowercase letters, digits and -)")
    title = top.string("title", "")
    seed = top.whole("seed", hi=2**64 - 1)

    f = top.obj("forest", "the forest", required=True)
    root = _dns(f, "root")
    root_netbios = _netbios(f, "netbios", root)
    children = f.whole("children", 0, hi=len(CHILD_LABELS))
    dcs_per_domain = f.whole("dcs_per_domain", 2, lo=1, hi=20)
    root_share = f.share("root_share", 0.1)
    functional_level = f.string("functional_level", "2016", choices=FUNCTIONAL_LEVELS)
    f.done()

    trusts = []
    for path, value in top.array("trusts"):
        t = _Obj(p, path, value, "a trust to another forest or domain")
        dns = _dns(t, "domain")
        kind = t.string("kind", "forest", choices=["forest", "external"])
        trusts.append(Trust(dns, _netbios(t, "netbios", dns), kind,
                            _dns(t, "from", ""),
                            t.string("direction", "two-way", choices=["two-way", "outbound", "inbound"]),
                            t.boolean("tgt_delegation", False), t.whole("users", 100), t.whole("dcs", 1, lo=1, hi=20)))
        t.done()

    a = top.obj("accounts", "the account counts", required=True)
    total = a.whole("total", lo=1, hi=20_000_000)
    admins, service_accounts = a.amount("admins"), a.amount("service_accounts")
    gmsas, workstations, servers = a.amount("gmsas"), a.amount("workstations"), a.amount("servers")
    a.done()
    kinds = [("admins", admins), ("service_accounts", service_accounts), ("gmsas", gmsas),
             ("workstations", workstations), ("servers", servers)]
    shares = sum(x.share for _, x in kinds if x.share is not None)
    if shares > 1 + 1e-9:
        p.add("/accounts", f"the shares of {', '.join(k for k, x in kinds if x.share is not None)} add up to "
                           f"{shares:g}, over 1")

    c = top.obj("computer_spns", "the SPN classes written on computers besides HOST")
    workstation_spns = c.classes("workstation", ["RestrictedKrbHost"])
    server_spns = c.classes("server", ["RestrictedKrbHost", "TERMSRV", "WSMAN"])
    c.done()

    s = top.obj("services", "the SPNs of service accounts")
    h = s.obj("http", "HTTP SPNs")
    http, http_names = h.amount("accounts", 0, 0.5), h.span("names", (1, 2), lo=1, hi=8)
    h.done()
    m = s.obj("mssql", "MSSQLSvc SPNs")
    mssql, mssql_instances = m.amount("accounts", 0, 0.3), m.span("instances", (1, 2), lo=1, hi=8)
    mssql_named = m.amount("named_instances", 0, 0.25)
    m.done()
    cifs_aliases = s.amount("cifs_aliases", 0, 0.0)
    s.done()
    if http.share is not None and mssql.share is not None and http.share + mssql.share > 1 + 1e-9:
        p.add("/services", f"the shares of http and mssql accounts add up to {http.share + mssql.share:g}, over 1")

    g = top.obj("groups", "the groups")
    groups = g.whole("count", 200, hi=1_000_000)
    groups_per_user = g.span("per_user", (1, 5), hi=50)
    groups_per_service_account = g.span("per_service_account", (0, 2), hi=50)
    g.done()
    if groups == 0 and (groups_per_user[1] > 0 or groups_per_service_account[1] > 0):
        p.add("/groups/count", "is 0, but per_user or per_service_account asks for memberships")

    pr = top.obj("protection", "sensitive accounts, Protected Users, encryption types")
    admins_sensitive = pr.amount("admins_sensitive", 0, 1.0)
    admins_protected_users = pr.amount("admins_protected_users", 0, 1.0)
    sensitive_users = pr.amount("sensitive_users")
    protected_users = pr.amount("protected_users")
    rc4_only = pr.amount("rc4_only_service_accounts")
    no_aes_users = pr.amount("no_aes_users")
    pr.done()

    d = top.obj("delegation", "delegation settings")
    constrained, protocol_transition = d.amount("constrained"), d.amount("protocol_transition")
    resource_based, unconstrained_servers = d.amount("resource_based"), d.amount("unconstrained_servers")
    targets = d.span("targets", (1, 3), lo=1, hi=20)
    d.done()
    dshares = [x.share for x in (constrained, protocol_transition, resource_based) if x.share is not None]
    if sum(dshares) > 1 + 1e-9:
        p.add("/delegation", f"the shares of constrained, protocol_transition and resource_based add up to "
                             f"{sum(dshares):g}, over 1")

    ho = top.obj("hosts", "the hosts")
    host_servers, host_workstations = ho.whole("servers", 0), ho.whole("workstations", 0)
    fa = ho.obj("iis_farms", "IIS farms")
    farms, farm_nodes = fa.whole("count", 0), fa.span("nodes", (2, 3), lo=1, hi=32)
    farm_gmsa, farm_resource_based = fa.amount("gmsa_identities", 0, 0.5), fa.amount("resource_based", 0, 0.5)
    fa.done()
    sq = ho.obj("sql_servers", "SQL Server hosts")
    sql_servers, sql_named = sq.whole("count", 0), sq.amount("named_instances", 0, 0.3)
    sql_gmsa, sql_virtual = sq.amount("gmsa_service_accounts", 0, 0.3), sq.amount("virtual_accounts", 0, 0.4)
    sq.done()
    if sql_gmsa.share is not None and sql_virtual.share is not None and sql_gmsa.share + sql_virtual.share > 1 + 1e-9:
        p.add("/hosts/sql_servers", "the shares of gmsa_service_accounts and virtual_accounts add up to "
                                    f"{sql_gmsa.share + sql_virtual.share:g}, over 1")
    ii = ho.obj("iis_servers", "stand-alone IIS servers")
    iis_servers = ii.whole("count", 0)
    ii.done()
    ho.done()

    fl = top.obj("flows", "the flows")
    flows = fl.whole("count", 0, hi=1000)
    fl.done()

    seen_ids = set()
    risks = [_risk(p, path, value, seen_ids) for path, value in top.array("risks")]
    top.done()

    if p.items:
        raise ManifestError(p.items)
    return Manifest(name, title, seed, root, root_netbios, children, dcs_per_domain, root_share, functional_level,
                    trusts, total, admins, service_accounts, gmsas, workstations, servers, workstation_spns,
                    server_spns, http, http_names, mssql, mssql_instances, mssql_named, cifs_aliases, groups,
                    groups_per_user, groups_per_service_account, admins_sensitive, admins_protected_users,
                    sensitive_users, protected_users, rc4_only, no_aes_users, constrained, protocol_transition,
                    resource_based, unconstrained_servers, targets, host_servers, host_workstations, farms,
                    farm_nodes, farm_gmsa, farm_resource_based, sql_servers, sql_named, sql_gmsa, sql_virtual,
                    iis_servers, flows, risks)


# The first labels of child domains, by region, in the order a forest grows them.
CHILD_LABELS = ["corp", "emea", "amer", "apac", "latam", "anz", "mea", "nordics", "dach", "iberia", "india",
                "japan", "china", "africa", "canada", "benelux"]
