// `kerbsim kdc`: ask the simulated KDC one question (include/kerbsim/kdc_question.h).
#pragma once

#include "flow/environment.h"
#include "kerbsim/kdc_question.h"

namespace kerbsim::flow {

KdcAnswer ask_kdc(const Environment& env, const KdcQuestion& question);

}  // namespace kerbsim::flow
