// Where the scenario's names lead, as the model holds them: every host's address (generated when the
// file gives none) and the DNS a client asks, each host's automatic A record plus the "dns" records.
// The builder fills the model with these, and validation resolves names through the same net::Dns.
#pragma once

#include <string>
#include <vector>

#include "net/dns.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

// A host's DNS name: "name.domain", or the name alone for a workgroup machine.
std::string host_fqdn(const spec::Host& h);

// Every host's IPv4 address, in the order of "hosts": its "ip", or else the next of 10.0.0.11 upwards
// that no host, VIP or A record of the file uses.
std::vector<std::string> host_addresses(const spec::Scenario& s);

// The DNS a client asks: an A record for each host's FQDN at its address in `addresses` (from
// host_addresses), then the "dns" records in file order, a later record for a name replacing an earlier one.
net::Dns scenario_dns(const spec::Scenario& s, const std::vector<std::string>& addresses);

}  // namespace kerbsim::scenario
