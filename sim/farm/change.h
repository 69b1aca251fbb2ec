// Every edit to an environment is a Change: a value with a description, applied by one function.
// The timeline of a simulation and the fixes a trace proposes are both lists of changes: SPNs,
// delegation settings, accounts and passwords in the directory; app pool identities, authentication
// settings and the report server's account in the servers; and the events of a running farm
// (restarts, ticket purges, outages, clocks) that a simulation applies to its own state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backend/ssrs.h"
#include "directory/directory.h"
#include "engine/time.h"
#include "farm/environment.h"
#include "web/identity.h"

namespace kerbsim::farm {

enum class Action {
  AddSpn,
  RemoveSpn,
  ChangeAppPoolIdentity,
  SetUseAppPoolCredentials,
  SetKernelMode,
  SetDelegation,
  PasswordChange,
  AppPoolRestart,
  PurgeTickets,
  NodeDown,
  NodeUp,
  DcDown,
  DcUp,
  ClockStep,
  ClockDrift,
  CreateAccount,               // a new account in the directory (a gMSA for a farm, ...)
  SetSsrsServiceAccount,       // the report server's Windows service identity
  SetSsrsAuthenticationTypes,  // rsreportserver.config <AuthenticationTypes>
  AddKdsRootKey,               // the forest's KDS root key, which gMSA passwords derive from (kerberos-rules R7.1)
  SetSqlPort,                  // a SQL Server instance's TCP port: static or dynamic (iis-rules 6.4)
};
std::string action_name(Action a);  // "add_spn", as written in a scenario

// One change, with the keys its action uses.
struct Change {
  Action action = Action::AddSpn;
  std::string account;  // canonical
  directory::Spn spn;   // add_spn, remove_spn
  std::string host;
  std::string app_pool;
  std::string site;
  std::string dc;
  std::string domain;    // add_kds_root_key: the forest root domain's DNS name
  std::string instance;  // set_sql_port: the instance name ("MSSQLSERVER" for the default instance)
  int port = 0;          // set_sql_port: the static port; with value = true the port is dynamic
  web::ProcessIdentity identity;
  bool value = false;
  std::optional<bool> trusted_for_delegation;
  std::optional<bool> trusted_to_auth_for_delegation;
  std::optional<bool> sensitive;
  std::optional<std::vector<std::string>> allowed_to_delegate_to;
  std::optional<std::vector<std::string>> allowed_to_act;
  std::vector<std::string> clients;                         // purge_tickets: client hosts; empty = all
  engine::SimTime offset = 0;                               // clock_step: the step; clock_drift: drift per hour
  std::optional<directory::Account> new_account;            // create_account
  std::vector<backend::SsrsAuthType> authentication_types;  // set_ssrs_authentication_types

  // Does the change write to Active Directory (and so reach each DC only after replication)?
  bool in_directory() const;
};

// Applies the change if it edits the environment; returns what it did, in words
// ("HTTP/reports.corp.contoso.com added to CORP\\svc-reports"), or "" for the events of a running
// farm, which edit a simulation's state instead.
std::string apply_change(Environment& env, const Change& change);

// What a change is about, in words, for the report.
std::string describe(const Change& change);

}  // namespace kerbsim::farm
