#include "kerberos/ticket.h"

namespace kerbsim::kerberos {

std::vector<std::string> TicketFlags::names() const {
  std::vector<std::string> out;
  if (forwardable) out.emplace_back("forwardable");
  if (forwarded) out.emplace_back("forwarded");
  if (proxiable) out.emplace_back("proxiable");
  if (renewable) out.emplace_back("renewable");
  if (initial) out.emplace_back("initial");
  if (pre_authent) out.emplace_back("pre_authent");
  if (ok_as_delegate) out.emplace_back("ok_as_delegate");
  if (name_canonicalize) out.emplace_back("name_canonicalize");
  return out;
}

}  // namespace kerbsim::kerberos
