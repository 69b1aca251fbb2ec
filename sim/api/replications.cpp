// Scenario::replicate: the scenario's workload under N seeds, checked against the budget for all of
// them (requests) and for the replications that run at once (memory) before any starts.
#include <algorithm>

#include "api/effective_workload.h"
#include "api/scenario_impl.h"
#include "kerbsim/kerbsim.h"
#include "workload/replications.h"

namespace kerbsim {

ReplicationReport Scenario::replicate(const ReplicateRequest& request) const {
  const Copies copies{request.replications, std::min(request.jobs, request.replications)};
  const workload::Workload w = effective_workload(impl_->spec, impl_->env, request.simulate, 0, copies);
  return workload::replicate(impl_->env, w, request.replications, request.jobs, request.simulate.progress);
}

}  // namespace kerbsim
