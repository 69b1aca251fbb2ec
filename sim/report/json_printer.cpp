// JSON printers: the traced outcome of scenario-format.md and the KDC's answers, pretty-printed with two
// spaces and keys in a fixed order, so the output is byte-for-byte stable.
#include "kerbsim/report.h"

namespace kerbsim {

void print_trace_json(const TraceReport& report, std::ostream& out) { out << to_value(report).dump(2) << '\n'; }

}  // namespace kerbsim

namespace kerbsim {

void print_kdc_json(const KdcAnswer& answer, std::ostream& out) { out << to_value(answer).dump(2) << '\n'; }

void print_simulation_json(const SimulationReport& report, std::ostream& out) {
  out << to_value(report).dump(2) << '\n';
}

void print_simulation_csv(const SimulationReport& report, std::ostream& out) {
  out << "start_s,requests,ok,degraded,failed,kerberos,ntlm,new_connections,kdc_requests,netlogon_calls,"
         "peak_netlogon_queue\n";
  for (const auto& i : report.timeline)
    out << i.start / 1000000 << ',' << i.requests.requests << ',' << i.requests.ok << ',' << i.requests.degraded << ','
        << i.requests.failed << ',' << i.kerberos << ',' << i.ntlm << ',' << i.new_connections << ',' << i.kdc_requests
        << ',' << i.netlogon_calls << ',' << i.peak_netlogon_queue << '\n';
}

}  // namespace kerbsim
