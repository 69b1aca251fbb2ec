#include "analysis/no_fix.h"

namespace kerbsim::analysis {

std::string why_no_fix(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path) {
  (void)env;
  (void)flow;
  (void)path;
  return "";
}

}  // namespace kerbsim::analysis
