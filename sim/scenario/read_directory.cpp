// Reads the directory sections of a scenario: "settings", "domains", "trusts" and "accounts", each
// with the keys it allows and the values its choices take.
#include <algorithm>
#include <optional>

#include "scenario/implied_defaults.h"
#include "scenario/reader.h"

namespace kerbsim::scenario {

namespace {

const Kind kSettings{
    "settings",
    "in settings",
    {"max_clock_skew", "tgt_lifetime", "service_ticket_lifetime", "spn_negative_cache", "protected_users_tgt_lifetime",
     "http_max_field_length", "http_max_request_bytes", "default_enctypes", "duplicate_spn_error"},
    {}};
const Kind kDomain{
    "a domain",
    "in a domain",
    {"dns", "netbios", "forest", "functional_level", "dcs", "kdc", "kds_root_key", "spn_uniqueness_check"},
    {"dns"}};
const Kind kTrust{"a trust", "in a trust", {"from", "to", "kind", "direction", "tgt_delegation"}, {"from", "to"}};
const Kind kAccount{"an account",
                    "in an account",
                    {"name", "type", "spns", "trusted_for_delegation", "trusted_to_auth_for_delegation",
                     "allowed_to_delegate_to", "allowed_to_act", "sensitive", "groups", "token_groups",
                     "foreign_token_groups", "enctypes", "aes_keys", "password_version", "enabled"},
                    {"name"}};

const Strings kAccountTypes = {"user", "gmsa", "computer"};
const Strings kFunctionalLevels = {"2003", "2008", "2008R2", "2012", "2012R2", "2016", "2025"};
const Strings kKdcs = {"windows-2016", "windows-2012r2", "samba-4.17"};
const Strings kTrustKinds = {"forest", "external"};
const Strings kTrustDirections = {"two-way", "outbound", "inbound"};

}  // namespace

void Reader::settings(const JsonNode& n, spec::Settings& s) {
  if (!object(n, kSettings)) return;
  s.at = n.path;
  duration(n.find("max_clock_skew"), s.max_clock_skew, {false, true});
  duration(n.find("tgt_lifetime"), s.tgt_lifetime, {false, false});
  duration(n.find("service_ticket_lifetime"), s.service_ticket_lifetime, {false, false});
  duration(n.find("spn_negative_cache"), s.spn_negative_cache, {false, true});
  duration(n.find("protected_users_tgt_lifetime"), s.protected_users_tgt_lifetime, {false, false});
  whole(n.find("http_max_field_length"), s.http_max_field_length, 64, 65534);
  whole(n.find("http_max_request_bytes"), s.http_max_request_bytes, 256, 16777216);
  if (const auto* e = n.find("default_enctypes")) {
    std::vector<std::string> v;
    if (texts(e, v, one_of(kEnctypes, "encryption type"))) {
      if (v.empty() && e->children.empty())
        r_.at(*e, "\"default_enctypes\" must list at least one encryption type");
      else
        s.default_enctypes = v;
      s.default_enctypes_given = true;
    }
  }
  if (const auto* e = n.find("duplicate_spn_error")) {
    int code = 0;
    if (whole(e, code, 0)) {
      if (code == 7 || code == 8)
        s.duplicate_spn_error = code;
      else
        r_.at(*e,
              "\"duplicate_spn_error\" must be 7 (KDC_ERR_S_PRINCIPAL_UNKNOWN) or 8 (KDC_ERR_PRINCIPAL_NOT_UNIQUE), "
              "not " +
                  e->text);
    }
  }
}

std::optional<spec::Domain> Reader::domain(const JsonNode& n) {
  if (!object(n, kDomain)) return std::nullopt;
  spec::Domain d;
  d.at = n.path;
  checked(n.find("dns"), d.dns, check_domain_dns);
  if (!checked(n.find("netbios"), d.netbios, check_netbios) && !n.find("netbios") && !d.dns.empty())
    d.netbios = default_netbios(d.dns);
  checked(n.find("forest"), d.forest, check_domain_dns);
  choice(n.find("functional_level"), d.functional_level, kFunctionalLevels);
  texts(n.find("dcs"), d.dcs, check_host_name);
  choice(n.find("kdc"), d.kdc, kKdcs);
  flag(n.find("kds_root_key"), d.kds_root_key);
  flag(n.find("spn_uniqueness_check"), d.spn_uniqueness_check);
  return d;
}

std::optional<spec::Trust> Reader::trust(const JsonNode& n) {
  if (!object(n, kTrust)) return std::nullopt;
  spec::Trust t;
  t.at = n.path;
  checked(n.find("from"), t.from, check_domain_dns);
  checked(n.find("to"), t.to, check_domain_dns);
  choice(n.find("kind"), t.kind, kTrustKinds);
  choice(n.find("direction"), t.direction, kTrustDirections);
  flag(n.find("tgt_delegation"), t.tgt_delegation);
  return t;
}

void Reader::delegation(const JsonNode& n, spec::DelegationSettings& d) {
  texts(n.find("spns"), d.spns, check_spn);
  flag(n.find("trusted_for_delegation"), d.trusted_for_delegation);
  flag(n.find("trusted_to_auth_for_delegation"), d.trusted_to_auth_for_delegation);
  texts(n.find("allowed_to_delegate_to"), d.allowed_to_delegate_to, check_spn);
  texts(n.find("allowed_to_act"), d.allowed_to_act);
}

std::optional<spec::Account> Reader::account(const JsonNode& n) {
  if (!object(n, kAccount)) return std::nullopt;
  spec::Account a;
  a.at = n.path;
  const JsonNode* name = n.find("name");
  const bool named = checked(name, a.name, [](std::string_view v) -> std::string {
    const auto slash = v.find('\\');
    if (slash != std::string_view::npos && v.find('\\', slash + 1) != std::string_view::npos)
      return "account name " + quote(v) + " has more than one \"\\\"; write DOMAIN\\name";
    if (slash == 0) return "account name " + quote(v) + " has nothing before the \"\\\"; write DOMAIN\\name";
    return check_account_name(slash == std::string_view::npos ? v : v.substr(slash + 1));
  });
  choice(n.find("type"), a.type, kAccountTypes);
  if (named && (a.type == "gmsa" || a.type == "computer") && a.name.back() != '$')
    r_.at(*name, std::string(a.type == "gmsa" ? "a gMSA" : "a computer account") + "'s name ends with \"$\": write " +
                     quote(a.name + "$"));
  delegation(n, a.delegation);
  flag(n.find("sensitive"), a.sensitive);
  texts(n.find("groups"), a.groups);
  whole(n.find("token_groups"), a.token_groups, 0);
  whole(n.find("foreign_token_groups"), a.foreign_token_groups, 0);
  if (const auto* e = n.find("enctypes")) {
    std::vector<std::string> v;
    if (texts(e, v, one_of(kEnctypes, "encryption type"))) {
      if (e->children.empty())
        r_.at(*e, "\"enctypes\" must list at least one encryption type (or be left out for the domain default)");
      else
        a.enctypes = v;
    }
  }
  flag(n.find("aes_keys"), a.aes_keys);
  whole(n.find("password_version"), a.password_version, 1);
  flag(n.find("enabled"), a.enabled);
  return a;
}

}  // namespace kerbsim::scenario
