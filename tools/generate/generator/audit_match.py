"""How a planted risk is matched against `kerbsim audit --format json` (tools/generate/README.md, "How a test
checks the audit"): a finding of the risk's audit code, at or above its severity, naming its key object (the
duplicated SPN, the LocalSystem app pool, or else its first account). Used by tests/cli/generate_test.py and
tools/bench/enterprise_bench.py.
"""

# The audit's code for each kind of planted or incidental risk, where the two differ.
AUDIT_CODE = {"kerberoastable-privileged": "kerberoastable", "rc4-only-service-account": "rc4-only"}
SEVERITY = ["critical", "high", "medium", "low", "info"]


def audit_code(kind):
    return AUDIT_CODE.get(kind, kind)


def names_in(finding):
    """Every name a finding gives, lower-cased: its subject, accounts, SPNs and hosts."""
    return {x.lower() for x in [finding["subject"]] + finding["accounts"] + finding["spns"] + finding["hosts"]}


def key_of(rec):
    """The object a finding about the planted risk `rec` must name."""
    kind = rec["kind"]
    return (rec["spns"][0] if kind == "duplicate-spn" else
            rec["app_pools"][0] if kind == "localsystem-app-pool" else rec["accounts"][0]).lower()


def hits(findings, rec):
    """The findings of the planted risk's code that name its key object, at any severity."""
    code, key = audit_code(rec["kind"]), key_of(rec)
    return [f for f in findings if f["code"] == code and key in names_in(f)]


def found(findings, rec):
    """Does the audit report the planted risk at or above its severity?"""
    return any(SEVERITY.index(f["severity"]) <= SEVERITY.index(rec["severity"]) for f in hits(findings, rec))
