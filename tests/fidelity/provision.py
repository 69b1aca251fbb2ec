#!/usr/bin/python3
"""Provision a throwaway Samba AD domain on 127.0.0.1 from a kerbsim scenario.

Usage: provision.py SCENARIO BASEDIR [--password PW]

Creates BASEDIR/dc (samba-tool domain provision, only the KDC enabled, bound to 127.0.0.1),
then every account of the scenario, offline, straight into BASEDIR/dc/private/sam.ldb through
Samba's own Python bindings (what samba-tool user/computer create, ldbmodify and
samba-tool delegation do, in one process instead of dozens):

  accounts[]       user (or computer / gMSA-as-computer) with the scenario's password,
                   userAccountControl bits (disabled, sensitive, trusted for delegation,
                   trusted to authenticate for delegation), servicePrincipalName,
                   msDS-AllowedToDelegateTo, msDS-SupportedEncryptionTypes (enctypes; 0x1C on
                   computer accounts, as joined Windows machines write it),
                   msDS-AllowedToActOnBehalfOfOtherIdentity (allowed_to_act), groups
  hosts[]          a computer account NAME$ for every domain-joined host that is not a DC of its
                   domain, with HOST/name, HOST/name.domain and the host's "account" settings
  settings         tgt_lifetime / service_ticket_lifetime -> kdc:user / service ticket lifetime
                   (whole hours); default_enctypes, when the scenario sets it, -> kdc default
                   domain supported enctypes (left out, Samba keeps its own default: RC4 tickets
                   with AES session keys for accounts without msDS-SupportedEncryptionTypes, which
                   is what kerbsim's samba-4.17 profile assumes)

An SPN held by several accounts is written on the first through the directory and on the others
last, straight into the partition database (Samba refuses duplicates through the directory).

Writes BASEDIR/krb5.conf (client side: KDC 127.0.0.1 only) and BASEDIR/accounts.json
({realm, password, accounts: {scenario name: {principal, sam, dn, type, enabled, spns}}}).
Exit codes: 0 done, 2 the scenario uses something this script cannot build, 1 Samba failed.
"""

import argparse
import base64
import json
import os
import re
import subprocess
import sys

SAMBA_MISSING = 77

try:
    import ldb
    import samba
    from samba import dsdb
    from samba.auth import system_session
    from samba.dcerpc import security
    from samba.ndr import ndr_pack
    from samba.param import LoadParm
    from samba.samdb import SamDB
except ImportError as e:  # python3-samba missing, or run by a Python without Samba's modules
    print("provision.py: cannot import Samba's Python modules (%s); run it with /usr/bin/python3 "
          "and install python3-samba" % e, file=sys.stderr)
    sys.exit(SAMBA_MISSING)

UF_ACCOUNTDISABLE = 0x2
UF_NORMAL_ACCOUNT = 0x200
UF_WORKSTATION_TRUST_ACCOUNT = 0x1000
UF_DONT_EXPIRE_PASSWD = 0x10000
UF_TRUSTED_FOR_DELEGATION = 0x80000
UF_NOT_DELEGATED = 0x100000
UF_TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000

ENCTYPE_BITS = {"des": 0x3, "rc4": 0x4, "aes128": 0x8, "aes256": 0x10}

# Scenario functional levels Samba 4.17 can provision (samba-tool --function-level).
SAMBA_LEVELS = {"2003": "2003", "2008": "2008", "2008R2": "2008_R2"}

# Access mask PowerShell's Set-ADComputer -PrincipalsAllowedToDelegateToAccount writes.
RBCD_ACE = "(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;%s)"


class Unsupported(Exception):
    pass


def strip_comments(text):
    """JSON plus // and /* */ comments (the scenario format) -> plain JSON."""
    out, i, n = [], 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
        elif c == '"':
            in_str = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def load_scenario(path):
    with open(path, encoding="utf-8-sig") as f:
        return json.loads(strip_comments(f.read()))


def duration_seconds(value):
    if isinstance(value, (int, float)):
        return int(value)
    total, units = 0, {"s": 1, "m": 60, "h": 3600, "d": 86400}
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)([smhd])", value):
        total += float(num) * units[unit]
    return int(total)


def whole_hours(seconds, what):
    if seconds % 3600:
        raise Unsupported("%s = %ds: Samba's KDC takes whole hours only" % (what, seconds))
    return seconds // 3600


def split_account(name, netbios):
    """'CONTOSO\\alice' or 'alice' -> 'alice' (refusing other domains)."""
    if "\\" in name:
        dom, sam = name.split("\\", 1)
        if dom.upper() != netbios.upper():
            raise Unsupported("account %s is not in domain %s" % (name, netbios))
        return sam
    return name


def run(cmd, log):
    log.write("+ %s\n" % " ".join(cmd))
    log.flush()
    r = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    if r.returncode:
        raise RuntimeError("%s failed (exit %d), see %s" % (cmd[0], r.returncode, log.name))


def plan(scn):
    """The scenario as a list of accounts to create, or Unsupported."""
    domains = scn.get("domains") or []
    if len(domains) != 1:
        raise Unsupported("exactly one domain is supported (the scenario has %d)" % len(domains))
    if scn.get("trusts"):
        raise Unsupported("trusts are not supported")
    d = domains[0]
    dns = d["dns"].lower()
    netbios = d.get("netbios") or dns.split(".")[0].upper()[:15]
    dcs = [h.lower() for h in d.get("dcs") or []]
    if len(dcs) > 1:
        raise Unsupported("one DC only (the scenario lists %s)" % ", ".join(dcs))
    dc = dcs[0] if dcs else "dc1"
    settings = scn.get("settings") or {}
    level = d.get("functional_level", "2016")
    if level not in SAMBA_LEVELS:
        raise Unsupported("functional_level %s: Samba 4.17 provisions at most the 2008 R2 level (its DCs are "
                          "2008 R2 DCs, so the domain cannot be raised above it); say \"2008R2\"" % level)
    if d.get("kdc", "windows-2016") != "samba-4.17":
        print("provision.py: warning: domain %s says kdc %s; the real KDC here is Samba 4.17"
              % (dns, d.get("kdc", "windows-2016")), file=sys.stderr)
    accounts = []
    for a in scn.get("accounts") or []:
        sam = split_account(a["name"], netbios)
        kind = a.get("type", "user")
        if kind == "gmsa":
            raise Unsupported("gMSA %s: Samba 4.17's KDC cannot serve gMSA passwords" % a["name"])
        accounts.append({
            "name": a["name"], "sam": sam, "type": kind,
            "spns": list(a.get("spns") or []),
            "trusted_for_delegation": a.get("trusted_for_delegation", False),
            "trusted_to_auth_for_delegation": a.get("trusted_to_auth_for_delegation", False),
            "allowed_to_delegate_to": list(a.get("allowed_to_delegate_to") or []),
            "allowed_to_act": list(a.get("allowed_to_act") or []),
            "sensitive": a.get("sensitive", False),
            "groups": list(a.get("groups") or []),
            "enctypes": a.get("enctypes"),
            "aes_keys": a.get("aes_keys", True),
            "enabled": a.get("enabled", True),
        })
        if not accounts[-1]["aes_keys"]:
            raise Unsupported("%s: aes_keys false (RC4-only keys) cannot be created on Samba" % a["name"])
        if a.get("password_version", 1) != 1:
            raise Unsupported("%s: password_version other than 1" % a["name"])
    for h in scn.get("hosts") or []:
        hd = h.get("domain", dns)
        if hd is None:
            continue  # workgroup machine: no account
        if hd.lower() != dns:
            raise Unsupported("host %s joined to unknown domain %s" % (h["name"], hd))
        name = h["name"].lower()
        acct = h.get("account") or {}
        if name == dc:
            if acct:
                raise Unsupported("settings on the DC's own account (%s) are not supported" % name)
            continue
        fqdn = "%s.%s" % (name, dns)
        accounts.append({
            "name": "%s\\%s$" % (netbios, name.upper()), "sam": name.upper() + "$", "type": "computer",
            "host": name,
            "spns": ["HOST/%s" % name, "HOST/%s" % fqdn] + list(acct.get("spns") or []),
            "trusted_for_delegation": acct.get("trusted_for_delegation", False),
            "trusted_to_auth_for_delegation": acct.get("trusted_to_auth_for_delegation", False),
            "allowed_to_delegate_to": list(acct.get("allowed_to_delegate_to") or []),
            "allowed_to_act": list(acct.get("allowed_to_act") or []),
            "sensitive": False, "groups": [], "enctypes": None, "aes_keys": True, "enabled": True,
            "dns_host_name": fqdn,
        })
    return {
        "dns": dns, "realm": dns.upper(), "netbios": netbios, "dc": dc,
        "functional_level": SAMBA_LEVELS[level],
        "tgt_hours": whole_hours(duration_seconds(settings.get("tgt_lifetime", "10h")), "tgt_lifetime"),
        "service_hours": whole_hours(duration_seconds(settings.get("service_ticket_lifetime", "600m")),
                                     "service_ticket_lifetime"),
        "default_enctypes": settings.get("default_enctypes"),
        "accounts": accounts,
    }


def enctype_mask(names):
    mask = 0
    for n in names:
        mask |= ENCTYPE_BITS[n]
    return mask


def provision_domain(p, base, password, log):
    dc_dir = os.path.join(base, "dc")
    run_dir = os.path.join(base, "run")
    for sub in ("dc", "run", "log"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    opts = {
        "interfaces": "127.0.0.1",
        "bind interfaces only": "yes",
        "disable netbios": "yes",
        "server services": "kdc",
        "log file": os.path.join(base, "log", "samba.log"),
        "max log size": "0",
        "pid directory": run_dir,
        "ncalrpc dir": os.path.join(run_dir, "ncalrpc"),
        "winbindd socket directory": os.path.join(run_dir, "winbindd"),
        "ntp signd socket directory": os.path.join(run_dir, "ntp_signd"),
        "kdc:user ticket lifetime": str(p["tgt_hours"]),
        "kdc:service ticket lifetime": str(p["service_hours"]),
        "kdc:renewal lifetime": "168",
    }
    if p["default_enctypes"]:
        opts["kdc default domain supported enctypes"] = str(enctype_mask(p["default_enctypes"]))
    cmd = ["samba-tool", "domain", "provision", "--targetdir=" + dc_dir, "--realm=" + p["realm"],
           "--domain=" + p["netbios"], "--server-role=dc", "--dns-backend=NONE",
           "--host-name=" + p["dc"], "--host-ip=127.0.0.1", "--adminpass=" + password,
           "--function-level=" + p["functional_level"]]
    cmd += ["--option=%s = %s" % kv for kv in opts.items()]
    run(cmd, log)
    os.makedirs(os.path.join(dc_dir, "cache"), exist_ok=True)
    return os.path.join(dc_dir, "etc", "smb.conf")


def write_krb5_conf(base, realm, dns):
    path = os.path.join(base, "krb5.conf")
    with open(path, "w") as f:
        f.write("""[libdefaults]
    default_realm = {realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    qualify_shortname = ""
    udp_preference_limit = 1
    ticket_lifetime = 10h
    renew_lifetime = 7d
    forwardable = false
[realms]
    {realm} = {{
        kdc = 127.0.0.1
        admin_server = 127.0.0.1
    }}
[domain_realm]
    .{dns} = {realm}
    {dns} = {realm}
""".format(realm=realm, dns=dns))
    return path


def create_accounts(p, smb_conf, password, log):
    lp = LoadParm()
    lp.load(smb_conf)
    samdb = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    domain_dn = samdb.domain_dn()
    domain_sid = samdb.get_domain_sid()
    by_name = {}

    def find(sam):
        res = samdb.search(base=domain_dn, scope=ldb.SCOPE_SUBTREE,
                           expression="(sAMAccountName=%s)" % ldb.binary_encode(sam),
                           attrs=["objectSid", "userAccountControl"])
        if len(res) != 1:
            raise RuntimeError("account %s not found after creating it" % sam)
        return res[0]

    # Password policy: complexity off, no expiry (what `samba-tool domain passwordsettings set
    # --complexity=off --max-pwd-age=0` writes).
    m = ldb.Message(ldb.Dn(samdb, domain_dn))
    m["pwdProperties"] = ldb.MessageElement("0", ldb.FLAG_MOD_REPLACE, "pwdProperties")
    m["maxPwdAge"] = ldb.MessageElement("0", ldb.FLAG_MOD_REPLACE, "maxPwdAge")
    samdb.modify(m)

    # Which SPN values go in through the directory, and which are later copies of a duplicate.
    seen, late_spns = {}, []
    for a in p["accounts"]:
        a["direct_spns"] = []
        for spn in a["spns"]:
            key = spn.lower()
            if key in seen:
                late_spns.append((a, spn))
            else:
                seen[key] = a
                a["direct_spns"].append(spn)

    for a in p["accounts"]:
        sam = a["sam"]
        if a["type"] == "computer":
            cn = sam.rstrip("$")
            samdb.newcomputer(cn)
            samdb.setpassword("(sAMAccountName=%s)" % ldb.binary_encode(sam), password)
            base_uac = UF_WORKSTATION_TRUST_ACCOUNT
        else:
            samdb.newuser(sam, password, useusernameascn=True)
            base_uac = UF_NORMAL_ACCOUNT
        rec = find(sam)
        a["dn"] = str(rec.dn)
        a["sid"] = str(ndr_unpack_sid(rec["objectSid"][0]))
        by_name[a["name"].lower()] = a
        by_name[sam.lower()] = a

        uac = base_uac | UF_DONT_EXPIRE_PASSWD
        if not a["enabled"]:
            uac |= UF_ACCOUNTDISABLE
        if a["sensitive"]:
            uac |= UF_NOT_DELEGATED
        if a["trusted_for_delegation"]:
            uac |= UF_TRUSTED_FOR_DELEGATION
        if a["trusted_to_auth_for_delegation"]:
            uac |= UF_TRUSTED_TO_AUTH_FOR_DELEGATION
        m = ldb.Message(rec.dn)
        m["userAccountControl"] = ldb.MessageElement(str(uac), ldb.FLAG_MOD_REPLACE, "userAccountControl")
        if a["direct_spns"]:
            m["servicePrincipalName"] = ldb.MessageElement(a["direct_spns"], ldb.FLAG_MOD_REPLACE,
                                                           "servicePrincipalName")
        if a["allowed_to_delegate_to"]:
            m["msDS-AllowedToDelegateTo"] = ldb.MessageElement(a["allowed_to_delegate_to"], ldb.FLAG_MOD_REPLACE,
                                                               "msDS-AllowedToDelegateTo")
        enctypes = a["enctypes"]
        if enctypes is None and a["type"] == "computer":
            # A joined Windows machine keeps msDS-SupportedEncryptionTypes in sync with its local
            # policy (RC4 + AES, 0x1C; kerberos-rules R2.4), and kerbsim models computer accounts
            # so; an account made by samba-tool has none and would fall under the domain default.
            enctypes = ["rc4", "aes128", "aes256"]
        if enctypes:
            m["msDS-SupportedEncryptionTypes"] = ldb.MessageElement(
                str(enctype_mask(enctypes)), ldb.FLAG_MOD_REPLACE, "msDS-SupportedEncryptionTypes")
        if a.get("dns_host_name"):
            m["dNSHostName"] = ldb.MessageElement(a["dns_host_name"], ldb.FLAG_MOD_REPLACE, "dNSHostName")
        samdb.modify(m)
        log.write("created %s (%s) uac=0x%x spns=%s\n" % (a["name"], a["dn"], uac, a["direct_spns"]))

    def resolve(name):
        key = name.lower()
        if key in by_name:
            return by_name[key]
        sam = split_account(name, p["netbios"]).lower()
        if sam in by_name:
            return by_name[sam]
        raise Unsupported("allowed_to_act names %s, which is not an account of the scenario" % name)

    # Resource-based constrained delegation: a security descriptor on the back end granting the
    # listed front ends (as Set-ADUser -PrincipalsAllowedToDelegateToAccount writes it).
    for a in p["accounts"]:
        if not a["allowed_to_act"]:
            continue
        aces = "".join(RBCD_ACE % resolve(n)["sid"] for n in a["allowed_to_act"])
        sd = security.descriptor.from_sddl("O:BAD:" + aces, security.dom_sid(domain_sid))
        m = ldb.Message(ldb.Dn(samdb, a["dn"]))
        m["msDS-AllowedToActOnBehalfOfOtherIdentity"] = ldb.MessageElement(
            ndr_pack(sd), ldb.FLAG_MOD_REPLACE, "msDS-AllowedToActOnBehalfOfOtherIdentity")
        samdb.modify(m)
        log.write("RBCD on %s: %s\n" % (a["name"], ", ".join(a["allowed_to_act"])))

    # Groups: existing ones (Protected Users, ...) or new global security groups.
    members = {}
    for a in p["accounts"]:
        for g in a["groups"]:
            members.setdefault(g, []).append(a["sam"])
    for g, sams in members.items():
        res = samdb.search(base=domain_dn, scope=ldb.SCOPE_SUBTREE,
                           expression="(&(objectClass=group)(sAMAccountName=%s))" % ldb.binary_encode(g),
                           attrs=[])
        if len(res) == 0:
            samdb.newgroup(g)
        samdb.add_remove_group_members(g, sams, add_members_operation=True)
        log.write("group %s: %s\n" % (g, ", ".join(sams)))

    # Duplicate SPNs, last, into the partition database itself (not through the directory's
    # uniqueness checks). The KDC reads the same records.
    if late_spns:
        part = os.path.join(os.path.dirname(lp.private_path("sam.ldb")), "sam.ldb.d",
                            "%s.ldb" % domain_dn.upper())
        samdb = None  # close the directory before touching its backend
        raw = ldb.Ldb(part)
        for a, spn in late_spns:
            m = ldb.Message(ldb.Dn(raw, a["dn"]))
            m["servicePrincipalName"] = ldb.MessageElement(spn, ldb.FLAG_MOD_ADD, "servicePrincipalName")
            raw.modify(m)
            log.write("duplicate SPN %s also on %s (raw write to %s)\n" % (spn, a["name"], part))
        raw = None
    return by_name


def ndr_unpack_sid(raw):
    from samba.ndr import ndr_unpack
    return ndr_unpack(security.dom_sid, raw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("basedir")
    ap.add_argument("--password", default="Fidelity-Pa55word!")
    args = ap.parse_args()
    base = os.path.abspath(args.basedir)
    try:
        p = plan(load_scenario(args.scenario))
    except Unsupported as e:
        print("provision.py: %s: %s" % (args.scenario, e), file=sys.stderr)
        return 2
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "provision.log"), "w") as log:
        try:
            smb_conf = provision_domain(p, base, args.password, log)
            create_accounts(p, smb_conf, args.password, log)
        except Unsupported as e:
            print("provision.py: %s: %s" % (args.scenario, e), file=sys.stderr)
            return 2
        except Exception as e:  # Samba refused something: show where the log is
            print("provision.py: %s (log: %s)" % (e, log.name), file=sys.stderr)
            return 1
    write_krb5_conf(base, p["realm"], p["dns"])
    summary = {
        "realm": p["realm"], "netbios": p["netbios"], "dns": p["dns"], "password": args.password,
        "smb_conf": smb_conf,
        "accounts": {a["name"]: {"sam": a["sam"], "principal": "%s@%s" % (a["sam"], p["realm"]),
                                 "type": a["type"], "enabled": a["enabled"], "spns": a["spns"], "dn": a["dn"]}
                     for a in p["accounts"]},
    }
    with open(os.path.join(base, "accounts.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
