"""Realistic, unique names: first.last users, adm- admins, svc- service accounts, gmsa- group managed service
accounts, <site>-<role><number> computers, application aliases and groups.

Every logon name is unique in the whole file (case-insensitively), whatever its domain, and every computer
name is unique among computers and differs from every domain's NetBIOS name.
"""

FIRST = """
aaron abby adam adrian ahmed aidan aisha alan albert alex alice alina amanda amber amelia amir amy ana andre
andrea andrew angela anita ann anna anton arjun arthur ashley ava barbara ben bianca blake brian bruno caleb
carl carla carlos carmen caroline carter chen chloe chris claire clara colin craig daniel daria david dean
deepak denise diana diego dmitri dylan edward elena eli elif elise ella emil emily emma eric erik esther eva
evan fatima felix fiona frank freya gabriel gary george grace greg hana hannah harry hassan heidi helen henry
hugo ian igor ines irene isaac isabel ivan jack jacob jade james jan jane jason javier jean jeff jenna jerry
jessica jin joan joel john jonas jorge jose joseph julia julian justin kai karen karim kate katya keith kelly
ken kevin kim kyle lara laura leah lena leo leon liam lily linda lisa liu logan lucas lucia luis luke maya
maria mark marta martin mary mason matt max megan mei mia michael mike mila miguel mohamed monica nadia naomi
nathan neil nina noah nora olga oliver omar oscar owen pablo paul paula pedro peter petra philip priya rachel
rafael raj ravi rebecca ricardo rita robert rosa ruby ryan sabine sam samir sandra sara scott sean sergei
simon sofia sophie stefan steven susan tanya tara theo thomas tim tina tom tyler uma victor vikram vincent
wei will xavier yara yuki yusuf zara zoe
""".split()

LAST = """
abbott adams ahmed ali allen alvarez anderson andersen arnold bailey baker banks barnes bauer becker bell
bennett berg berger blake bose boyd brandt brooks brown bruno burke butler campbell carter castro chan chen
cho clark cohen cole collins cook cooper costa cox cruz davies davis dean diaz dixon doyle duarte dubois
dunn edwards ellis evans farah ferrari fischer fisher fleming flores ford foster fox franco fraser fuchs
garcia gardner gibson gomez gonzalez gordon graham grant gray green gupta hall hamid hansen harper harris
hart hayes henry hill hoffman holt howard huang hughes hunt iyer jackson jansen jensen johnson jones jordan
kaur keller kelly khan kim king klein koch kowalski kumar lambert lang larsen lee lewis li lim lopez lucas
maier malik marin marsh martin martinez mason meyer miller mitchell moore morales moreau morgan morris muller
murphy murray nagy nair navarro nelson nguyen nielsen novak oconnor okafor olsen ortiz owens park parker patel
perez perry peters petrov phillips pierce popescu porter powell price quinn rahman ramos reed reid reyes rice
richter rivera roberts robinson rossi roth russell ryan saito sanchez santos sato schmidt schneider scott shah
sharma shaw silva simon singh smith snyder sousa stewart stone sullivan suzuki tan tanaka taylor thomas
thompson torres tran turner wagner walker walsh wang ward watson weber wells white wilson wolf wong wood
wright wu yamada yang young zhang zhao zimmer
""".split()

# Three-letter site codes a domain's computers are named after: the regions' cities, the forest root's
# headquarters, and the cities of other forests.
REGION_SITES = {
    "corp": ["sea", "sfo", "bos"], "emea": ["lon", "par", "fra", "ams"], "amer": ["nyc", "dal", "chi", "atl"],
    "apac": ["sin", "tok", "syd", "hkg"], "latam": ["mex", "gru", "bog", "scl"], "anz": ["syd", "mel", "akl"],
    "mea": ["dxb", "jnb", "cai"], "nordics": ["sto", "osl", "cph", "hel"], "dach": ["muc", "zrh", "vie", "ber"],
    "iberia": ["mad", "bcn", "lis"], "india": ["del", "bom", "blr"], "japan": ["tok", "osa"],
    "china": ["pek", "sha", "can"], "africa": ["jnb", "cpt", "nbo"], "canada": ["yyz", "yul", "yvr"],
    "benelux": ["ams", "bru", "lux"],
}
HEADQUARTERS = ["iad", "sea", "dal", "lhr", "nyc", "chi"]
OTHER_SITES = ["den", "phx", "mia", "lax", "dub", "man", "ham", "dus", "lyo", "mil", "prg", "war", "gva"]

# Short application names for service accounts, gMSAs and web aliases.
APPS = """
crm erp hr payroll intranet wiki portal reports billing sales finance invoice ordering catalog inventory
helpdesk ticketing timesheet expenses travel learning recruit docs archive scan print backup monitor
logging metrics search mail calendar chat booking claims policy quotes pricing audit compliance legal
contracts assets fleet dispatch planning forecast budget treasury tax ledger procure supplier warehouse
shipping tracking returns loyalty survey feedback partner extranet sso identity vault deploy build release
""".split()

TIERS = ["web", "app", "sql", "batch", "rpt", "api", "int"]

DEPARTMENTS = """
finance hr it sales marketing legal ops engineering support research procurement logistics facilities
security audit treasury payroll training design product quality compliance strategy executive
""".split()

GROUP_ROLES = ["Users", "Readers", "Editors", "Managers", "Approvers", "Owners", "Contractors", "VPN", "WiFi",
               "Printers", "Share-RO", "Share-RW", "App-Users", "App-Admins", "Remote"]

SQL_INSTANCES = ["SALES", "FINANCE", "HR", "REPORTING", "DW", "STAGING", "APPS", "CRM", "ERP", "ARCHIVE",
                 "SHAREPOINT", "BI", "OPS", "AUDIT"]


class Names:
    def __init__(self, reserved_host_names=()):
        self._logons = set()
        self._computers = set(n.lower() for n in reserved_host_names)
        self._aliases = set()
        self._next = {}  # base -> the suffix to try first, so that the 500th james.smith costs one probe

    def _claim(self, base, limit, taken):
        """base, or base2, base3, ... cut to `limit` characters, whichever is free first."""
        candidate, n = base[:limit], self._next.get(base.lower(), 1)
        if n > 1:
            candidate = base[: limit - len(str(n))] + str(n)
        while candidate.lower() in taken:
            n += 1
            candidate = base[: limit - len(str(n))] + str(n)
        self._next[base.lower()] = n + 1
        taken.add(candidate.lower())
        return candidate

    def user(self, rng):
        return self._claim(f"{rng.pick(FIRST)}.{rng.pick(LAST)}", 20, self._logons)

    def admin(self, rng):
        return self._claim(f"adm-{rng.pick(FIRST)[0]}{rng.pick(LAST)}", 20, self._logons)

    def service(self, app, tier):
        return self._claim(f"svc-{app}-{tier}", 20, self._logons)

    def gmsa(self, app):
        # sAMAccountName of a gMSA: at most 15 characters before the $.
        return self._claim(f"gmsa-{app}", 15, self._logons) + "$"

    def logon_taken(self, sam):
        return sam.lower() in self._logons

    def computer(self, rng, site, role, width):
        """<site>-<role><number>: a random number of `width` digits not used before with this prefix."""
        prefix = f"{site}-{role}"
        while True:
            name = f"{prefix}{rng.below(10 ** width):0{width}d}"
            if name not in self._computers:
                self._computers.add(name)
                return name

    def numbered(self, site, role, width):
        """<site>-<role>01, 02, ...: the first number not taken (domain controllers)."""
        n = 1
        while f"{site}-{role}{n:0{width}d}" in self._computers:
            n += 1
        name = f"{site}-{role}{n:0{width}d}"
        self._computers.add(name)
        return name

    def alias(self, rng, base=None):
        """A web alias: crm, crm2, ... unique in the whole file, since its SPN's short form (HTTP/crm) is the
        same in every domain; never a computer's name."""
        base = base or rng.pick(APPS)
        n = self._next.get(("alias", base), 1)
        candidate = base if n == 1 else f"{base}{n}"
        while candidate in self._aliases or candidate in self._computers:
            n += 1
            candidate = f"{base}{n}"
        self._next[("alias", base)] = n + 1
        self._aliases.add(candidate)
        return candidate


def group_names(rng, count):
    """`count` distinct group names: GG-<Department>-<Role> global groups and DL-<APP>-<Access> domain local
    groups, numbered when the combinations run out."""
    combos = [f"GG-{d.upper() if len(d) <= 3 else d.capitalize()}-{r}" for d in DEPARTMENTS for r in GROUP_ROLES]
    combos += [f"DL-{a.upper()}-{x}" for a in APPS for x in ("RO", "RW", "Admins")]
    rng.shuffle(combos)
    out = combos[:count]
    n = 2
    while len(out) < count:
        out += [f"{c}-{n}" for c in combos[: count - len(out)]]
        n += 1
    return out
