#include "kerbsim/kerbsim.h"

#include "analysis/lint.h"
#include "flow/tracer.h"
#include "scenario/builder.h"
#include "scenario/fixes.h"
#include "scenario/loader.h"

namespace kerbsim {

std::string version() { return "0.1.0"; }

struct Scenario::Impl {
  spec::Scenario spec;
  flow::Environment env;
};

Scenario::Scenario(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scenario::~Scenario() = default;

std::unique_ptr<Scenario> Scenario::load(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->spec = scenario::load_file(path);
  impl->env = scenario::build(impl->spec);
  return std::unique_ptr<Scenario>(new Scenario(std::move(impl)));
}

const std::string& Scenario::file() const { return impl_->spec.file; }
const std::string& Scenario::name() const { return impl_->spec.name; }
const std::string& Scenario::title() const { return impl_->spec.title; }
const std::string& Scenario::description() const { return impl_->spec.description; }

std::vector<std::string> Scenario::flow_names() const {
  std::vector<std::string> out;
  for (const auto& f : impl_->spec.flows) out.push_back(f.name);
  return out;
}

std::vector<std::string> Scenario::host_names() const {
  std::vector<std::string> out;
  for (const auto& h : impl_->spec.hosts) out.push_back(h.name);
  return out;
}

TraceReport Scenario::trace(const TraceRequest& request) const {
  TraceReport report = flow::trace(impl_->env, {request.flow, request.via});
  scenario::attach_fixes(impl_->spec, report);
  return report;
}

CheckReport Scenario::check() const {
  std::vector<Expectation> expectations;
  for (const auto& e : impl_->spec.expect)
    expectations.push_back({e.flow, e.via, e.outcome, impl_->spec.file + ": " + e.at});
  CheckReport report = check_expectations(trace(), expectations);
  report.file = impl_->spec.file;
  return report;
}

LintReport Scenario::lint() const { return analysis::lint(impl_->env); }

}  // namespace kerbsim
