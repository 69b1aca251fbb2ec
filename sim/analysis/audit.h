// `kerbsim audit`: the findings of a design, on one severity scale (include/kerbsim/audit.h). Findings
// about authentication come from the trace itself, never from a second reading of the model: each path
// that fails or is degraded gives a finding named by the step where it went wrong, that step's rule and
// the accounts and SPNs of the path, with the fixes the trace verified. The design's risks come from
// analysis/risks.h; the changes that remove a risk are applied to a copy of the environment and the
// flows traced again, and a fix is shown only when no traced path gets worse.
#pragma once

#include "analysis/fixes.h"
#include "farm/environment.h"
#include "kerbsim/audit.h"

namespace kerbsim::analysis {

// `traced` is the environment's trace with its fixes attached (attach_fixes); `retrace` traces one flow
// of a changed environment, to verify a risk's fix.
AuditReport audit(const farm::Environment& env, const TraceReport& traced, const Retrace& retrace);

}  // namespace kerbsim::analysis
