#include "net/url.h"

#include <cctype>

#include "directory/names.h"

namespace kerbsim::net {
namespace {

int default_port_for(const std::string& scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "mssql") return 1433;
  return 0;
}

bool parse_port(std::string_view s, int& out) {
  if (s.empty() || s.size() > 5) return false;
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 65535) return false;
  out = v;
  return true;
}

}  // namespace

bool is_ipv4(std::string_view text) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t j = text.find('.', i);
    if (j == std::string_view::npos) j = text.size();
    const auto part = text.substr(i, j - i);
    if (part.empty() || part.size() > 3) return false;
    int v = 0;
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    ++parts;
    i = j + 1;
    if (j == text.size()) break;
  }
  return parts == 4;
}

bool Url::host_is_ip() const { return is_ipv4(host); }
bool Url::host_is_dotless() const { return host.find('.') == std::string::npos; }
bool Url::default_port() const { return port == default_port_for(scheme); }

std::string Url::to_string() const {
  std::string s = scheme + "://" + host;
  if (explicit_port) s += ":" + std::to_string(port);
  if (scheme == "mssql" && !instance.empty()) s += "/" + instance;
  s += path;
  return s;
}

std::optional<Url> parse_url(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme = directory::to_lower(text.substr(0, sep));
  if (default_port_for(url.scheme) == 0) return std::nullopt;
  std::string_view rest = text.substr(sep + 3);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view tail = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  const auto colon = authority.find(':');
  if (colon != std::string_view::npos) {
    if (!parse_port(authority.substr(colon + 1), url.port)) return std::nullopt;
    url.explicit_port = true;
    authority = authority.substr(0, colon);
  } else {
    url.port = default_port_for(url.scheme);
  }
  if (authority.empty()) return std::nullopt;
  url.host = std::string(authority);
  if (url.scheme == "mssql") {
    // mssql://host/INSTANCE[:port]
    std::string_view inst = tail.empty() ? std::string_view{} : tail.substr(1);
    const auto c2 = inst.find(':');
    if (c2 != std::string_view::npos) {
      if (url.explicit_port || !parse_port(inst.substr(c2 + 1), url.port)) return std::nullopt;
      url.explicit_port = true;
      inst = inst.substr(0, c2);
    }
    url.instance = inst.empty() ? "MSSQLSERVER" : std::string(inst);
  } else {
    url.path = std::string(tail);
  }
  return url;
}

}  // namespace kerbsim::net
