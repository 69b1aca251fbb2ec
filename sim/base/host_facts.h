// Facts about a server process that every server model (IIS, SSRS, SQL Server) and the farm share:
// the host a process runs on, whose key decrypts the tickets it accepts, and the calls its application
// makes next. Plain values; the decisions that produce them live with each server (iis-rules 3.5, 7.6).
#pragma once

#include <string>

namespace kerbsim::base {

// The host as a server process sees it.
struct HostInfo {
  std::string name;              // "web1"
  std::string computer_account;  // "CORP\\WEB1$", "" on a workgroup host
};

// Whose key a server uses to decrypt an incoming ticket, and why.
struct KeyDecision {
  std::string account;  // "" when the process holds no domain key (workgroup host)
  std::string why;
  std::string rule;
};

// A call the application makes next (followed by the double-hop tracer); kept as written.
struct Call {
  std::string to;
  std::string instance;
  std::string url;
  std::string as = "caller";
};

}  // namespace kerbsim::base
