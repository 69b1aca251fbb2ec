// Internal to the fix's commands (commands.cpp, directory_commands.cpp, host_commands.cpp): the
// renderer that walks an ordered list of changes, keeps the environment as the steps so far left it,
// and writes each change's steps. Directory writes are rendered in directory_commands.cpp, the
// commands on a node (IIS, the report server, SQL Server, a client's tickets) in host_commands.cpp.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "farm/change.h"
#include "farm/environment.h"
#include "kerbsim/outcome.h"

namespace kerbsim::analysis {

struct CommandRenderer {
  const farm::Environment& start;            // the environment before the first change
  std::optional<farm::Environment> changed;  // a copy, made when a step changes the environment
  const std::vector<farm::Change>& ordered;
  std::vector<FixStep> out;
  std::string phase;                                        // the rollout phase of the change being rendered
  std::set<std::pair<std::string, std::string>> installed;  // (node, gMSA) done
  std::set<std::string> appcmd_ready;                       // nodes whose session has the appcmd alias

  CommandRenderer(const farm::Environment& env, const std::vector<farm::Change>& ordered);

  // The environment as the steps so far left it: `start` until one of them changed it.
  const farm::Environment& env() const { return changed ? *changed : start; }
  // The environment to change: the copy, made on first use, so that a fix whose single step needs
  // no state after it copies nothing.
  farm::Environment& changing();

  // Appends a step with what the script queries before it (guard), what proves it worked (check) and
  // the sentence that says why it is needed.
  void add(FixStep step, std::string guard, std::string check, std::string why);
  void render(const farm::Change& c);

  // -- the directory (directory_commands.cpp) --
  std::string dc_of_account(const std::string& account) const;
  void spn(const farm::Change& c, bool add_it);
  void delegation(const farm::Change& c);
  void account_control(const farm::Change& c, const std::string& flag, bool value, const std::string& why);
  void allowed_to_delegate_to(const farm::Change& c, const std::vector<std::string>& wanted);
  void allowed_to_act(const farm::Change& c, const std::vector<std::string>& principals);
  void kds_root_key(const std::string& domain_dns);
  std::vector<std::string> retrievers(const std::string& account) const;
  void create_account(const farm::Change& c);
  void install_created(const farm::Change& c);
  void password_change(const farm::Change& c);
  void install_gmsa(const std::string& node, const web::ProcessIdentity& identity);
  void install_gmsa(const std::string& node, const std::string& gmsa);

  // -- the nodes (host_commands.cpp) --
  void appcmd_alias(const std::string& node);
  void pool_identity(const farm::Change& c);
  void pool_recycle(const farm::Change& c);
  void windows_authentication(const farm::Change& c, const std::string& attribute, const std::string& why);
  void ssrs_account(const farm::Change& c);
  void ssrs_authentication(const farm::Change& c);
  void sql_port(const farm::Change& c);
  void purge(const farm::Change& c);
};

// "local Administrators on WEB1"
std::string local_admin(const std::string& host);

}  // namespace kerbsim::analysis
