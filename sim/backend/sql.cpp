#include "backend/sql.h"

#include "directory/names.h"

namespace kerbsim::backend {

const SqlInstance* SqlServer::instance(const std::string& name) const {
  for (const auto& i : instances)
    if (directory::iequals(i.name, name)) return &i;
  return nullptr;
}

}  // namespace kerbsim::backend
