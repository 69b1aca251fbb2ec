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

// How an add_spn is written: straight to the directory (Set-ADUser -ServicePrincipalNames, setspn -A,
// a service registering itself), or with setspn -S, which looks for the SPN in the forest first
// (kerberos-rules R1.7). A timeline's add_spn is a directory write; a fix's is setspn -S.
enum class SpnTool { Directory, SetspnS };

// The right a change needs, which a rollout step states as its `needs` (kerberos-rules R3.0, R7.1).
enum class Right {
  None,              // an event of a running farm
  EnableDelegation,  // SeEnableDelegationPrivilege, held by Domain Admins: trusted for (constrained) delegation
  WriteAccount,      // write access on the account: its SPNs, password, RBCD's msDS-AllowedToActOnBehalfOfOtherIdentity
  CreateAccount,     // create accounts in the domain (New-ADServiceAccount)
  ForestKdsRootKey,  // Add-KdsRootKey: Domain Admins or Enterprise Admins of the forest root domain
  LocalAdministrator,  // local Administrators on the host (appcmd, the report server's WMI provider, SQL network setup)
};
std::string right_name(Right r);  // "Domain Admins (SeEnableDelegationPrivilege)", ...

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
  SpnTool spn_tool = SpnTool::Directory;                    // add_spn

  // Does the change write to Active Directory (and so reach each DC only after replication)?
  bool in_directory() const;
};

// The right the change needs: setting trusted for delegation, protocol transition or
// msDS-AllowedToDelegateTo needs SeEnableDelegationPrivilege; resource-based delegation only write
// access on the back end's account (kerberos-rules R3.0).
Right needed_right(const Change& change);

// The DC a directory change is written on, and whether the write is its own (originating) or came by
// replication, which no write-time rule refuses (MS-ADTS 3.1.1.5.1.3 speaks of originating updates).
struct Writer {
  std::string dc;  // host name
  std::string os;  // its Windows Server version
  bool samba = false;
  bool replicated = false;
};
// The DC that takes the change: the first DC of the account's domain (Environment::dc_name), with its
// host's version, or the version its domain's KDC profile implies when the DC is not a modelled host.
Writer writing_dc(const Environment& env, const Change& change);

// What apply_change did: the change applied, refused by a write-time rule (the directory's, or the
// tool's), or an event of a running farm that edits a simulation's state instead of the environment.
struct ChangeResult {
  enum class Status { Applied, Refused, Event };
  Status status = Status::Applied;
  std::optional<directory::Refusal> refusal;  // when refused
  std::string what;                           // describe(change), or the refusal's words

  bool applied() const { return status == Status::Applied; }
  bool refused() const { return status == Status::Refused; }
};

// Applies the change if it edits the environment and the write-time rules accept it (kerberos-rules
// R1.7 duplicate SPNs, R7.1 the KDS root key); a refused change leaves the environment as it was.
ChangeResult apply_change(Environment& env, const Change& change);
ChangeResult apply_change(Environment& env, const Change& change, const Writer& writer);

// What a change is about, in words, for the report.
std::string describe(const Change& change);

}  // namespace kerbsim::farm
