"""Builds the enterprise a manifest describes: the forest and its trusts, every account, the hosts and their
roles (IIS farms behind balancers calling SQL Server, stand-alone IIS and SQL hosts), SPNs, groups,
delegation and protection in the manifest's proportions, clients and flows; then the planted risks.

Counts are exact: a share becomes round(share x population), split over the domains by their weights with
the largest-remainder method, and the objects that get a setting are a random sample. Each phase draws from
its own random stream. A count the design cannot meet raises ManifestError with the key it comes from.
"""

from . import risks
from .manifest import CHILD_LABELS, ManifestError
from .model import Account, Domain, Farm, Host
from .names import APPS, HEADQUARTERS, OTHER_SITES, REGION_SITES, SQL_INSTANCES, Names, group_names
from .rng import Rng

SERVER_ROLES = ["app"] * 7 + ["web"] * 4 + ["sql"] * 4 + ["fs"] * 3 + ["util"] * 2
SERVER_OS = ["2016", "2019", "2019", "2022", "2022"]
WORKSTATION_OS = ["10", "10", "11"]
DC_OS = "2022"
CIFS_ALIASES = ["files", "share", "dfs", "home", "profiles", "data", "scans", "projects", "dept"]
DC_GUID_CLASS = "E3514235-4B06-11D1-AB04-00C04FC2DCD2"  # directory replication (DRSUAPI)
DFSR_CLASS = "Dfsr-12F9A27C-BF97-4787-9364-D31B6C55EB04"

# Flags of an ordinary user, kept per domain by index while the users are only names.
SENSITIVE, PROTECTED, NO_AES = 1, 2, 4


def split(n, weights):
    """n whole things over the weights, by the largest remainder (ties to the first)."""
    total = sum(weights)
    if n == 0 or total <= 0:
        return [0] * len(weights)
    raw = [n * w / total for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: n - sum(out)]:
        out[i] += 1
    return out


def per_domain(amount, sizes, what):
    """An Amount of a population that lives in several domains, as a count per domain."""
    if amount.share is None:
        return split(amount.of(sum(sizes), what), sizes)
    return [int(amount.share * s + 0.5) for s in sizes]


def fail(path, message):
    raise ManifestError([f"{path}: {message}"])


class Enterprise:
    def __init__(self, m):
        self.m = m
        self.names = Names()
        self.forest, self.partners = [], []
        self.trusts = []  # JSON-ready
        self.farms, self.lbs, self.dns, self.flows, self.expect = [], [], [], [], []
        self.planted = []  # records for <name>.risks.json
        self.incidental = {}  # kind -> records: risky settings the proportions asked for
        self.spns_taken = set()  # service SPNs, lower-case (computer SPNs are unique by their names)
        self.groups = []
        self.counts = {}
        self.risk_hosts = {}  # risk id -> reserved Host
        self.risk_domains = {}  # risk id -> Domain

    def rng(self, stream):
        return Rng(self.m.seed, stream)

    # ---- building ---------------------------------------------------------------------------------------

    def build(self):
        self._domains()
        self._plan()
        self._resolve_risk_domains()
        self._computers()
        self._people()
        self.groups = group_names(self.rng("group-names"), self.m.groups)
        self._roles()
        risks.plant(self)
        self._services()
        self._cifs_and_targets()
        self._delegation()
        self._protection()
        self._clients_and_flows()
        return self

    def _domains(self):
        m, r = self.m, self.rng("domains")
        root = Domain(m.root, m.root_netbios, 1, m.root)
        self.forest = [root]
        for i, label in enumerate(CHILD_LABELS[: m.children]):
            self.forest.append(Domain(f"{label}.{m.root}", label.upper()[:15], i + 2, m.root))
        seen = {}
        for d in self.forest:
            if d.netbios in seen:
                fail("/forest/netbios", f"{d.dns} would have the NetBIOS name {d.netbios} of {seen[d.netbios]}")
            seen[d.netbios] = d.dns
        for i, t in enumerate(m.trusts):
            path = f"/trusts/{i}"
            if t.domain == m.root or t.domain.endswith("." + m.root):
                fail(f"{path}/domain", f"{t.domain} is in the forest {m.root}; a trust goes to another forest")
            if any(p.dns == t.domain for p in self.partners):
                fail(f"{path}/domain", f"a second trust to {t.domain}")
            if t.netbios in seen:
                fail(f"{path}/netbios", f"{t.netbios} is already the NetBIOS name of {seen[t.netbios]}")
            seen[t.netbios] = t.domain
            source = t.source or m.root
            if not any(d.dns == source for d in self.forest):
                fail(f"{path}/from", f"{source} is not a domain of the forest "
                                     f"({', '.join(d.dns for d in self.forest)})")
            if t.kind == "forest" and source != m.root:
                fail(f"{path}/from", f"a forest trust joins two forest roots; {source} is not the root {m.root}")
            partner = Domain(t.domain, t.netbios, len(self.forest) + len(self.partners) + 1, t.domain, partner=True)
            self.partners.append(partner)
            self.trusts.append({"from": source, "to": t.domain, "kind": t.kind, "direction": t.direction,
                                "tgt_delegation": t.tgt_delegation})
        root.sites = r.sample(HEADQUARTERS, 2)
        for d in self.forest[1:]:
            d.sites = list(REGION_SITES[d.label])
        others = r.shuffle(list(OTHER_SITES))
        for i, p in enumerate(self.partners):
            p.sites = [others[i % len(others)]]

    def _weights(self):
        m = self.m
        if m.children == 0:
            return [1.0]
        return [m.root_share] + [(1 - m.root_share) / m.children] * m.children

    def _plan(self):
        m, w = self.m, self._weights()
        total = m.total
        dcs = len(self.forest) * m.dcs_per_domain
        partner = sum(t.users + t.dcs for t in m.trusts)
        c = {k: getattr(m, k).of(total, "accounts") for k in
             ("admins", "service_accounts", "gmsas", "workstations", "servers")}
        fixed = dcs + partner + sum(c.values())
        if fixed > total:
            fail("/accounts/total", f"{total} accounts cannot hold the {fixed} that the admins, service accounts, "
                                    f"gMSAs, computers, the domain controllers ({dcs}) and the trusted domains' "
                                    f"accounts ({partner}) add up to")
        c["users"] = total - fixed
        self.counts = dict(c, dcs=dcs, partner=partner, total=total)
        n = len(self.forest)
        self.plan = {
            "admins": split(c["admins"], [1] * n),
            "users": split(c["users"], w),
            "service": split(c["service_accounts"], w),
            "gmsa": split(c["gmsas"], w),
            "workstations": split(c["workstations"], w),
            "servers": split(c["servers"], w),
        }
        for d, s, g in zip(self.forest, self.plan["service"], self.plan["gmsa"]):
            d.spare["service"], d.spare["gmsa"] = s, g

    def _resolve_risk_domains(self):
        r = self.rng("risk-domains")
        by_dns = {d.dns: d for d in self.forest}
        for risk in self.m.risks:
            if risk.domain:
                if risk.domain not in by_dns:
                    fail(f"{risk.path}/domain", f"{risk.domain} is not a domain of the forest "
                                                f"({', '.join(by_dns)})")
                self.risk_domains[risk.id] = by_dns[risk.domain]
            else:
                self.risk_domains[risk.id] = r.pick(self.forest)

    # ---- computers and hosts ------------------------------------------------------------------------------

    def ip(self, d, kind):
        n = d.next_ip[kind]
        d.next_ip[kind] = n + 1
        if kind == "server":
            if n >= 200 * 250:
                fail("/hosts/servers", f"{d.dns} has more than {200 * 250} server hosts, more than its subnet holds")
            return f"10.{d.index}.{n // 250}.{n % 250 + 1}"
        if kind == "vip":
            return f"10.{d.index}.{200 + n // 250}.{n % 250 + 1}"
        if n >= 250 * 250:
            fail("/hosts/workstations", f"{d.dns} has more than {250 * 250} workstation hosts")
        return f"10.{100 + d.index}.{n // 250}.{n % 250 + 1}"

    def _width(self, d, role, count, path):
        width = max(4, len(str(count * 4)))
        if 3 + 1 + len(role) + width > 15:
            fail(path, f"{count} computers in {d.dns} are too many to name within 15 characters")
        return width

    def new_server(self, r, d, role, width):
        a = Account(self.names.computer(r, r.pick(d.sites), role, width).upper() + "$", d, "computer", role)
        d.servers.append(a)
        return a

    def add_host(self, account, purpose, os=None, r=None):
        kind = "workstation" if purpose == "workstation" else "server"
        os = os or r.pick(WORKSTATION_OS if kind == "workstation" else SERVER_OS)
        h = Host(account, self.ip(account.domain, kind), os, purpose)
        account.domain.hosts.append(h)
        return h

    def _computers(self):
        m, w, r = self.m, self._weights(), self.rng("computers")
        n = len(self.forest)
        farms_d = split(m.farms, w)
        farm_domains = sum(1 for f in farms_d if f)
        if m.sql_servers < farm_domains:
            fail("/hosts/sql_servers/count", f"{m.sql_servers} SQL Server hosts cannot serve the IIS farms of "
                                             f"{farm_domains} domains: each domain with a farm needs one")
        sql_d = [1 if f else 0 for f in farms_d]
        sql_d = [a + b for a, b in zip(sql_d, split(m.sql_servers - sum(sql_d), w))]
        iis_d = split(m.iis_servers, w)
        risk_d = [0] * n
        for risk in m.risks:
            if risks.needs_host(risk):
                risk_d[self.forest.index(self.risk_domains[risk.id])] += 1
        self.farm_nodes = [[r.between(*m.farm_nodes) for _ in range(farms_d[i])] for i in range(n)]
        nodes_d = [sum(x) for x in self.farm_nodes]
        role_d = [nodes_d[i] + sql_d[i] + iis_d[i] + risk_d[i] for i in range(n)]
        if sum(role_d) > m.host_servers:
            fail("/hosts/servers", f"{m.host_servers} server hosts are fewer than the {sum(role_d)} that the IIS "
                                   f"farms ({sum(nodes_d)} nodes), SQL Server hosts ({sum(sql_d)}), IIS servers "
                                   f"({sum(iis_d)}) and planted risks ({sum(risk_d)}) need")
        generic_d = split(m.host_servers - sum(role_d), w)
        ws_hosts_d = split(m.host_workstations, w)
        self.sql_d, self.iis_d = sql_d, iis_d
        for i, d in enumerate(self.forest):
            servers, workstations = self.plan["servers"][i], self.plan["workstations"][i]
            if role_d[i] + generic_d[i] > servers:
                fail("/accounts/servers", f"{d.dns} has {servers} servers, fewer than the "
                                          f"{role_d[i] + generic_d[i]} server hosts placed in it")
            if ws_hosts_d[i] > workstations:
                fail("/hosts/workstations", f"{d.dns} has {workstations} workstations, fewer than the "
                                            f"{ws_hosts_d[i]} workstation hosts placed in it")
            sw = self._width(d, "util", servers, "/accounts/servers")
            ww = self._width(d, "ws", workstations, "/accounts/workstations")
            d.width = sw
            for k in range(m.dcs_per_domain):  # the first DCs of each site, in turn
                name = self.names.numbered(d.sites[k % len(d.sites)], "dc", 2)
                d.dcs.append(self.add_host(Account(name.upper() + "$", d, "computer", "dc"), "dc", DC_OS))
            for purpose, role, count in (("sql", "sql", sql_d[i]), ("farm", "web", nodes_d[i]),
                                         ("iis", "web", iis_d[i]), ("reserved", "app", risk_d[i])):
                for _ in range(count):
                    h = self.add_host(self.new_server(r, d, role, sw), purpose, r=r)
                    h.account.busy = True
                    d.role_hosts[purpose].append(h)
            for _ in range(generic_d[i]):
                self.add_host(self.new_server(r, d, r.pick(SERVER_ROLES), sw), "generic", r=r)
            for _ in range(servers - role_d[i] - generic_d[i]):
                self.new_server(r, d, r.pick(SERVER_ROLES), sw)
            for _ in range(ws_hosts_d[i]):
                a = Account(self.names.computer(r, r.pick(d.sites), "ws", ww).upper() + "$", d, "computer", "ws")
                d.ws_hosts.append(self.add_host(a, "workstation", r=r))
            for _ in range(workstations - ws_hosts_d[i]):
                d.workstations.append(self.names.computer(r, r.pick(d.sites), "ws", ww).upper())
        for p, t in zip(self.partners, m.trusts):
            for _ in range(t.dcs):
                name = self.names.numbered(p.sites[0], "dc", 2)
                p.dcs.append(self.add_host(Account(name.upper() + "$", p, "computer", "dc"), "dc", DC_OS))
        for d in self.forest + self.partners:
            for dc in d.dcs:
                self._dc_spns(r, dc)

    def _dc_spns(self, r, dc):
        """The SPNs a domain controller registers besides HOST (DsReplicaGetInfo, LDAP, GC, DNS, DFSR)."""
        d, name, fqdn = dc.domain, dc.name, dc.fqdn
        guid = r.guid()
        dc.account.spns += [f"ldap/{fqdn}", f"ldap/{fqdn}/{d.dns}", f"ldap/{fqdn}/{d.netbios}", f"ldap/{name}",
                            f"ldap/{name}/{d.netbios}", f"ldap/{guid}._msdcs.{d.root}", f"GC/{fqdn}/{d.root}",
                            f"DNS/{fqdn}", f"{DC_GUID_CLASS}/{guid}/{d.dns}", f"{DFSR_CLASS}/{fqdn}",
                            f"HOST/{fqdn}/{d.dns}", f"HOST/{fqdn}/{d.netbios}", f"HOST/{name}/{d.netbios}"]

    # ---- people ------------------------------------------------------------------------------------------

    def _people(self):
        r = self.rng("people")
        for i, d in enumerate(self.forest):
            for _ in range(self.plan["admins"][i]):
                a = Account(self.names.admin(r), d, "admin")
                a.groups = ["Domain Admins"] + (["Enterprise Admins"] if i == 0 else [])
                d.admins.append(a)
            d.users = [self.names.user(r) for _ in range(self.plan["users"][i])]
        for p, t in zip(self.partners, self.m.trusts):
            p.users = [self.names.user(r) for _ in range(t.users)]

    def take_service(self, d, app, tier, path, what):
        if d.spare["service"] == 0:
            fail(path, f"{what} needs a service account in {d.dns}, and none is left there "
                       "(raise /accounts/service_accounts)")
        d.spare["service"] -= 1
        a = Account(self.names.service(app, tier), d, "service", app=app)
        d.services.append(a)
        return a

    def take_gmsa(self, d, app, tier, path, what):
        if d.spare["gmsa"] == 0:
            fail(path, f"{what} needs a gMSA in {d.dns}, and none is left there (raise /accounts/gmsas)")
        d.spare["gmsa"] -= 1
        a = Account(self.names.gmsa(app), d, "gmsa", app=app)
        d.gmsas.append(a)
        return a

    def claim_spns(self, account, spns, path):
        for spn in spns:
            key = spn.lower()
            if key in self.spns_taken:
                fail(path, f"{spn} would be registered twice")
            self.spns_taken.add(key)
        account.spns += spns

    # ---- roles: SQL Server hosts, IIS farms, stand-alone IIS ------------------------------------------------

    def sql_instance(self, r, host, named, used):
        """A default instance on 1433 or a named one on a static port; `used` holds the host's ports and names."""
        if not named and 1433 not in used:
            used.add(1433)
            return {"name": "MSSQLSERVER", "port": 1433}
        for _ in range(64):
            name, port = r.pick(SQL_INSTANCES), r.between(1435, 1499)
            if name not in used and port not in used:
                used.update((name, port))
                return {"name": name, "port": port, "dynamic_port": False}
        return None

    @staticmethod
    def sql_spns(fqdn, instance):
        port = f"MSSQLSvc/{fqdn}:{instance['port']}"
        if instance["name"] == "MSSQLSERVER":
            return [port, f"MSSQLSvc/{fqdn}"]
        return [port, f"MSSQLSvc/{fqdn}:{instance['name']}"]

    def _roles(self):
        m, r = self.m, self.rng("roles")
        sql_hosts = [h for d in self.forest for h in d.role_hosts["sql"]]
        named = set(r.sample_indices(len(sql_hosts), m.sql_named.of(len(sql_hosts), "SQL Server hosts")))
        g = m.sql_gmsa.of(len(sql_hosts), "SQL Server hosts")
        v = m.sql_virtual.of(len(sql_hosts), "SQL Server hosts")
        if g + v > len(sql_hosts):
            fail("/hosts/sql_servers", f"{g} gMSA and {v} virtual-account hosts are more than the "
                                       f"{len(sql_hosts)} SQL Server hosts")
        kinds = r.shuffle(["gmsa"] * g + ["virtual"] * v + ["domain"] * (len(sql_hosts) - g - v))
        for k, h in enumerate(sql_hosts):
            d = h.domain
            inst = self.sql_instance(r, h, k in named, set())
            app = r.pick(APPS)
            what = f"SQL Server host {h.name}"
            if kinds[k] == "virtual":
                owner = h.account
            elif kinds[k] == "gmsa":
                owner = self.take_gmsa(d, app, "sql", "/hosts/sql_servers/gmsa_service_accounts", what)
            else:
                owner = self.take_service(d, app, "sql", "/hosts/sql_servers", what)
            if owner is not h.account:
                inst["service_account"] = owner.name
                owner.busy = True
            self.claim_spns(owner, self.sql_spns(h.fqdn, inst), "/hosts/sql_servers")
            h.sql = {"instances": [inst]}
            h.sql_owner = owner
            d.targets.append((self.sql_spns(h.fqdn, inst)[0], owner))

        nfarms = sum(len(x) for x in self.farm_nodes)
        gmsa_farms = set(r.sample_indices(nfarms, m.farm_gmsa.of(nfarms, "IIS farms")))
        rbcd_farms = set(r.sample_indices(nfarms, m.farm_resource_based.of(nfarms, "IIS farms")))
        k = 0
        for i, d in enumerate(self.forest):
            nodes = iter(d.role_hosts["farm"])
            for j, count in enumerate(self.farm_nodes[i]):
                app = r.pick(APPS)
                what = f"IIS farm {k + 1}"
                if k in gmsa_farms:
                    identity = self.take_gmsa(d, app, "web", "/hosts/iis_farms/gmsa_identities", what)
                else:
                    identity = self.take_service(d, app, "web", "/hosts/iis_farms", what)
                identity.busy = True
                alias = self.names.alias(r, app)
                self.claim_spns(identity, [f"HTTP/{alias}.{d.dns}", f"HTTP/{alias}"], "/hosts/iis_farms")
                sql = d.role_hosts["sql"][j % len(d.role_hosts["sql"])]
                inst = sql.sql["instances"][0]
                farm = Farm(d, alias, identity, [next(nodes) for _ in range(count)], sql, inst,
                            "resource-based" if k in rbcd_farms else "constrained", self.ip(d, "vip"))
                if farm.delegation == "constrained":
                    identity.delegate_to.append(farm.sql_spn)
                else:
                    sql.sql_owner.allowed_to_act.append(identity)
                pool = alias.capitalize()
                for node in farm.nodes:
                    node.iis = {"app_pools": [{"name": pool, "identity": identity.name}],
                                "sites": [{"name": pool, "app_pool": pool, "bindings": [f"http://{farm.fqdn}:80"],
                                           "anonymous": {"enabled": False},
                                           "windows": {"enabled": True, "use_app_pool_credentials": True},
                                           "impersonate": True,
                                           "calls": [{"to": sql.fqdn, "instance": inst["name"], "as": "caller"}]}]}
                self.dns.append((farm.fqdn, {"a": farm.vip}))
                self.lbs.append({"name": f"{alias}-{d.label}", "vip": farm.vip,
                                 "members": [n.name for n in farm.nodes]})
                self.farms.append(farm)
                k += 1
            for h in d.role_hosts["iis"]:
                h.iis = {"sites": [{"name": "Intranet", "anonymous": {"enabled": False},
                                    "windows": {"enabled": True}}]}

    # ---- service accounts and gMSAs that no role took -------------------------------------------------------

    def _services(self):
        m, r = self.m, self.rng("services")
        sizes = [d.spare["service"] + d.spare["gmsa"] for d in self.forest]
        http_d = per_domain(m.http, sizes, "service accounts and gMSAs")
        mssql_d = per_domain(m.mssql, sizes, "service accounts and gMSAs")
        named_d = per_domain(m.mssql_named, mssql_d, "MSSQLSvc accounts")
        for i, d in enumerate(self.forest):
            if http_d[i] + mssql_d[i] > sizes[i]:
                fail("/services", f"{d.dns} has {sizes[i]} service accounts and gMSAs left, fewer than the "
                                  f"{http_d[i] + mssql_d[i]} with HTTP and MSSQLSvc SPNs")
            kinds = r.shuffle(["http"] * http_d[i] + ["mssql"] * mssql_d[i] +
                              ["none"] * (sizes[i] - http_d[i] - mssql_d[i]))
            named = set(r.sample_indices(mssql_d[i], named_d[i]))
            free = [s for s in d.servers if s.host is None and not s.risky]
            hosts = [s for s in free if s.role == "sql"] or free
            used = {}
            nsvc, mssql_seen = d.spare["service"], 0
            for k, kind in enumerate(kinds):
                app = r.pick(APPS)
                tier = {"http": r.pick(["web", "api", "app"]), "mssql": "sql"}.get(kind) or r.pick(["batch", "int",
                                                                                                    "rpt", "app"])
                what = "a service account of /services"
                a = self.take_service(d, app, tier, "/services", what) if k < nsvc else \
                    self.take_gmsa(d, app, tier, "/services", what)
                lo, hi = m.groups_per_service_account
                a.groups = r.sample(self.groups, r.between(lo, hi))
                if kind == "http":
                    for _ in range(r.between(*m.http_names)):
                        alias = self.names.alias(r, app)
                        self.claim_spns(a, [f"HTTP/{alias}.{d.dns}", f"HTTP/{alias}"], "/services/http")
                elif kind == "mssql":
                    if not hosts:
                        fail("/services/mssql/accounts", f"{d.dns} has no server without a host entry to run "
                                                         "the SQL Server instances of its MSSQLSvc accounts on")
                    for _ in range(r.between(*m.mssql_instances)):
                        for _ in range(16):
                            s = r.pick(hosts)
                            inst = self.sql_instance(r, s, mssql_seen in named, used.setdefault(s.sam, set()))
                            if inst:
                                break
                        if inst:
                            spns = self.sql_spns(s.fqdn, inst)
                            self.claim_spns(a, spns, "/services/mssql")
                            d.targets.append((spns[0], a))
                    mssql_seen += 1

    def _cifs_and_targets(self):
        m, r = self.m, self.rng("cifs")
        eligible = [[s for s in d.servers if not s.busy and not s.risky] for d in self.forest]
        counts = per_domain(m.cifs_aliases, [len(e) for e in eligible], "servers")
        for d, pool, n in zip(self.forest, eligible, counts):
            pool = r.shuffle(list(pool))
            pool.sort(key=lambda s: s.role != "fs")  # file servers first, the rest in random order
            for s in pool[:n]:
                alias = self.names.alias(r, r.pick(CIFS_ALIASES))
                self.claim_spns(s, [f"cifs/{alias}.{d.dns}", f"cifs/{alias}"], "/services/cifs_aliases")
                d.targets.append((f"cifs/{alias}.{d.dns}", s))
            # Any member server's file shares: cifs/<fqdn>, held through HOST (kerberos-rules R1.4).
            d.targets += [(f"cifs/{s.fqdn}", s) for s in pool if s.host is None]

    # ---- delegation and protection ---------------------------------------------------------------------------

    def _delegation(self):
        m, r = self.m, self.rng("delegation")
        principals = [[a for a in d.services + d.gmsas if a.spns and not a.busy] for d in self.forest]
        sizes = [len(p) for p in principals]
        what = "service accounts and gMSAs with SPNs"
        kcd_d = per_domain(m.constrained, sizes, what)
        pt_d = per_domain(m.protocol_transition, sizes, what)
        rbcd_d = per_domain(m.resource_based, sizes, what)
        for i, d in enumerate(self.forest):
            if kcd_d[i] + pt_d[i] + rbcd_d[i] > sizes[i]:
                fail("/delegation", f"{d.dns} has {sizes[i]} {what} that no farm, SQL Server host or risk uses, "
                                    f"fewer than the {kcd_d[i] + pt_d[i] + rbcd_d[i]} given delegation")
            pool = r.shuffle(list(principals[i]))
            targets = [t for t in d.targets if not t[1].risky]
            for k, a in enumerate(pool[: kcd_d[i] + pt_d[i]]):
                a.delegate_to = self._targets(r, targets, a, r.between(*m.delegation_targets), d)
                if k >= kcd_d[i]:
                    a.transition = True
                    self.note("protocol-transition", a, spns=a.delegate_to)
            fronts = [a for a in principals[i] if any(s.startswith("HTTP/") for s in a.spns)] or principals[i]
            for back in pool[kcd_d[i] + pt_d[i]: kcd_d[i] + pt_d[i] + rbcd_d[i]]:
                others = [f for f in fronts if f is not back]
                if not others:
                    fail("/delegation/resource_based", f"{d.dns} has no other service to allow")
                back.allowed_to_act.append(r.pick(others))
        servers = [[s for s in d.servers if not s.busy and not s.risky] for d in self.forest]
        for d, pool, n in zip(self.forest, servers,
                              per_domain(m.unconstrained_servers, [len(s) for s in servers], "member servers")):
            for s in r.sample(pool, n):
                s.unconstrained = True
                self.note("unconstrained-delegation", s)

    @staticmethod
    def _targets(r, targets, a, k, d):
        """k distinct SPNs of `targets` that `a` does not hold itself (fewer when the domain has fewer)."""
        chosen, seen = [], set()
        for _ in range(k * 8):
            if len(chosen) == k or not targets:
                break
            i = r.below(len(targets))
            if i not in seen and targets[i][1] is not a:
                seen.add(i)
                chosen.append(targets[i][0])
        if not chosen:
            fail("/delegation/constrained", f"{d.dns} has no service for {a.name} to delegate to")
        return chosen

    def _protection(self):
        m, r = self.m, self.rng("protection")
        admins = [[a for a in d.admins if not a.busy] for d in self.forest]
        sizes = [len(a) for a in admins]
        for d, pool, s, p in zip(self.forest, admins, per_domain(m.admins_sensitive, sizes, "admins"),
                                 per_domain(m.admins_protected_users, sizes, "admins")):
            for a in r.sample(pool, s):
                a.sensitive = True
            for a in r.sample(pool, p):
                a.groups.append("Protected Users")
        for d, pool in zip(self.forest, admins):
            for a in pool:
                if not a.sensitive and "Protected Users" not in a.groups:
                    self.note("privileged-unprotected", a)
        sizes = [len(d.users) for d in self.forest]
        for amount, flag in ((m.sensitive_users, SENSITIVE), (m.protected_users, PROTECTED), (m.no_aes_users, NO_AES)):
            for d, n in zip(self.forest, per_domain(amount, sizes, "users")):
                for idx in r.sample_indices(len(d.users), n):
                    d.flags[idx] = d.flags.get(idx, 0) | flag
                    if flag == NO_AES:
                        self.note("no-aes-keys", f"{d.netbios}\\{d.users[idx]}")
        pool = [[a for a in d.services if a.spns and not a.busy and a.enctypes is None] for d in self.forest]
        for d, accounts, n in zip(self.forest, pool, per_domain(m.rc4_only_service_accounts, [len(p) for p in pool],
                                                                 "service accounts with SPNs")):
            for a in r.sample(accounts, n):
                a.enctypes = ["rc4"]
                self.note("rc4-only-service-account", a, spns=a.spns[:1])

    def note(self, kind, account, spns=()):
        """An object the proportions made risky: the audit reports it, though no planted risk names it."""
        name = account if isinstance(account, str) else account.name
        self.incidental.setdefault(kind, []).append({"account": name, "spns": list(spns)})

    # ---- clients and flows ----------------------------------------------------------------------------------

    def _clients_and_flows(self):
        m, r = self.m, self.rng("clients")
        for d in self.forest:
            if d.ws_hosts and not d.users:
                fail("/hosts/workstations", f"{d.dns} has workstation hosts but no ordinary user to log on to them")
            for h in d.ws_hosts:
                for _ in range(64):
                    idx = r.below(len(d.users))
                    if idx not in d.flags:
                        break
                h.client = {"user": f"{d.netbios}\\{d.users[idx]}", "browser": "edge",
                            "intranet_sites": [f"*.{m.root}"]}
                h.client_plain = idx not in d.flags
        if m.flows == 0:
            return
        clients = [h for d in self.forest for h in d.ws_hosts if h.client_plain]
        if not self.farms:
            fail("/flows/count", f"{m.flows} flows need an IIS farm to open (/hosts/iis_farms/count is 0)")
        if not clients:
            fail("/flows/count", f"{m.flows} flows need a workstation host with a user (/hosts/workstations is 0)")
        for j in range(m.flows):
            farm = self.farms[j % len(self.farms)]
            same = [h for h in clients if h.domain is farm.domain]
            client = r.pick(same if same and j % 2 == 0 else clients)
            user = client.client["user"].split("\\")[1]
            name = f"{j + 1:02d} {user} on {client.name} opens {farm.fqdn}"
            self.flows.append({"name": name, "client": client.name, "url": f"http://{farm.fqdn}/"})
            hop = "constrained" if farm.delegation == "constrained" else "resource_based"
            self.expect.append({"flow": name, "outcome": {
                "front": {"protocol": "kerberos", "identity": client.client["user"]},
                "hops": [{"protocol": "kerberos", "identity": client.client["user"], "delegation": hop,
                          "result": "ok"}],
                "verdict": "ok"}})
