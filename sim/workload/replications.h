// Replications: one workload run under N seeds, J at a time on their own threads. Each replication is
// an independent simulation on its own copy of the environment, sharing nothing mutable with the
// others; results are kept by replication, so the report never depends on which thread ran what.
#pragma once

#include <cstddef>
#include <functional>

#include "farm/environment.h"
#include "kerbsim/replications.h"
#include "workload/workload.h"

namespace kerbsim::workload {

// Runs `replications` copies of the workload, replication k with replication_seed(workload.seed, k),
// on min(jobs, replications) threads (the calling thread is one), and summarizes them. progress, when
// given, is called with the fraction of replications done, one call at a time, from whichever thread
// finished one. An exception from a replication (out of memory) stops the others from starting and is
// rethrown here, the earliest replication's, once every thread has stopped.
ReplicationReport replicate(const farm::Environment& env, const Workload& workload, std::size_t replications,
                            std::size_t jobs, const std::function<void(double)>& progress = {});

}  // namespace kerbsim::workload
