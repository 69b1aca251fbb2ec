#include "directory/spn.h"

#include "directory/names.h"

namespace kerbsim::directory {

std::optional<Spn> Spn::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  Spn spn;
  spn.service_class = std::string(text.substr(0, slash));
  std::string_view rest = text.substr(slash + 1);
  const auto second = rest.find('/');
  if (second != std::string_view::npos) {
    spn.service_name = std::string(rest.substr(second + 1));
    rest = rest.substr(0, second);
  }
  const auto colon = rest.find(':');
  if (colon != std::string_view::npos) {
    spn.port = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return std::nullopt;
  spn.host = std::string(rest);
  return spn;
}

std::string Spn::to_string() const {
  std::string s = service_class + "/" + host;
  if (!port.empty()) s += ":" + port;
  if (!service_name.empty()) s += "/" + service_name;
  return s;
}

Spn Spn::with_class(std::string cls) const {
  Spn copy = *this;
  copy.service_class = std::move(cls);
  return copy;
}

std::string spn_key(std::string_view spn) { return to_lower(spn); }

}  // namespace kerbsim::directory
