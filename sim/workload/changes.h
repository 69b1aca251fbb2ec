// Timeline changes that edit the modelled environment: SPNs, delegation settings, passwords in the
// directory; app pool identities and authentication settings in IIS. The simulator applies each to
// every DC's view of the environment when it reaches that DC (kerberos-rules R8.4).
#pragma once

#include <string>

#include "farm/environment.h"
#include "workload/workload.h"

namespace kerbsim::workload {

// Applies the change if it edits the environment; returns what it did, in words
// ("HTTP/reports.corp.contoso.com on CORP\\svc-reports"), or "" for changes that do not.
std::string apply_change(farm::Environment& env, const Change& change);

// What a change is about, in words, for the report.
std::string describe(const Change& change);

}  // namespace kerbsim::workload
