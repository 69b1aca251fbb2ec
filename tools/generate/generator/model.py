"""The generated enterprise as plain objects: domains, accounts, hosts, farms and flows. The builder
(enterprise.py) makes them, the risk planters (risks.py) change a few, the writer (writer.py) prints them."""


class Account:
    """A user, service account, gMSA or computer. `kind` is user, admin, service, gmsa or computer."""

    __slots__ = ("sam", "domain", "kind", "role", "app", "spns", "groups", "enctypes", "aes_keys", "sensitive",
                 "unconstrained", "transition", "delegate_to", "allowed_to_act", "host", "busy", "risky")

    def __init__(self, sam, domain, kind, role="", app=""):
        self.sam, self.domain, self.kind, self.role, self.app = sam, domain, kind, role, app
        self.spns = []  # for a computer: beyond HOST and the manifest's classes for its kind (computer_spns)
        self.groups = []
        self.enctypes = None  # None: the domain default
        self.aes_keys = True
        self.sensitive = False
        self.unconstrained = False
        self.transition = False
        self.delegate_to = []
        self.allowed_to_act = []  # Account objects
        self.host = None  # the Host whose computer account this is
        self.busy = False  # taken by a farm, a SQL Server host or a risk: proportions leave it alone
        self.risky = False  # part of a planted risk: never a delegation target or a flow's user

    @property
    def name(self):
        return f"{self.domain.netbios}\\{self.sam}"

    @property
    def computer_name(self):
        return self.sam[:-1].lower()

    @property
    def fqdn(self):
        return f"{self.computer_name}.{self.domain.dns}"

    @property
    def delegates(self):
        return self.unconstrained or self.transition or bool(self.delegate_to)


class Host:
    __slots__ = ("name", "domain", "ip", "os", "account", "iis", "sql", "client", "purpose", "sql_owner",
                 "client_plain")

    def __init__(self, account, ip, os, purpose):
        self.name, self.domain, self.ip, self.os, self.purpose = account.computer_name, account.domain, ip, os, purpose
        self.account = account
        account.host = self
        self.iis = self.sql = self.client = None  # the scenario's role objects, as JSON-ready dicts
        self.sql_owner = None  # the account whose key SQL Server's tickets are encrypted with
        self.client_plain = False  # its user is an ordinary one: not sensitive, protected or RC4-only

    @property
    def fqdn(self):
        return f"{self.name}.{self.domain.dns}"


class Domain:
    def __init__(self, dns, netbios, index, root, partner=False):
        self.dns, self.netbios, self.index, self.root, self.partner = dns, netbios, index, root, partner
        self.sites = []
        self.dcs = []  # Host
        self.hosts = []  # every Host of the domain, DCs first
        self.admins, self.services, self.gmsas, self.servers = [], [], [], []  # Account
        self.users = []  # logon names of the ordinary users (written as they are streamed)
        self.workstations = []  # names of the workstations without a host entry
        self.spare = {"service": 0, "gmsa": 0}  # service accounts and gMSAs not created yet
        self.targets = []  # (SPN, owner Account): what the delegation proportions may name
        self.next_ip = {"server": 0, "workstation": 0, "vip": 0}
        self.width = 4  # digits in its member servers' names
        self.role_hosts = {"sql": [], "farm": [], "iis": [], "reserved": []}  # server hosts by what they are for
        self.ws_hosts = []  # workstation Hosts
        self.flags = {}  # index in `users` -> SENSITIVE | PROTECTED | NO_AES (enterprise.py)

    @property
    def label(self):
        return self.dns.split(".")[0]


class Farm:
    def __init__(self, domain, alias, identity, nodes, sql, instance, delegation, vip):
        self.domain, self.alias, self.identity, self.nodes = domain, alias, identity, nodes
        self.sql, self.instance, self.delegation, self.vip = sql, instance, delegation, vip

    @property
    def fqdn(self):
        return f"{self.alias}.{self.domain.dns}"

    @property
    def sql_spn(self):
        return f"MSSQLSvc/{self.sql.fqdn}:{self.instance['port']}"
