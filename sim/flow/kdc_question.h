// `kerbsim kdc`: ask the simulated KDC one question (include/kerbsim/kdc_question.h).
#pragma once

#include "farm/environment.h"
#include "kerbsim/kdc_question.h"

namespace kerbsim::flow {

KdcAnswer ask_kdc(const farm::Environment& env, const KdcQuestion& question);

}  // namespace kerbsim::flow
