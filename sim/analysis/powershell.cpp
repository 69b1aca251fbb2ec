#include "analysis/powershell.h"

#include <cctype>
#include <utility>

namespace kerbsim::analysis::powershell {
namespace {

std::string cmdlet_line(const std::string& program, const std::vector<CommandParameter>& parameters) {
  std::string out = program;
  for (const auto& p : parameters) out += " -" + p.name + (p.value.empty() ? "" : " " + p.value);
  return out;
}

std::string native_line(const std::string& program, const std::vector<std::string>& arguments) {
  std::string out = program;
  for (const auto& a : arguments) out += " " + argument(a);
  return out;
}

}  // namespace

std::string quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string argument(const std::string& s) {
  bool bare = !s.empty();
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == ':' || c == '-' || c == '_'))
      bare = false;
  return bare ? s : quote(s);
}

std::string array(const std::vector<std::string>& items) {
  std::string out = "@(";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote(items[i]);
  return out + ")";
}

std::string boolean(bool b) { return b ? "$true" : "$false"; }

FixStep cmdlet_step(std::string host, std::string needs, std::string phase, std::string program,
                    std::vector<CommandParameter> parameters) {
  FixStep s;
  s.host = std::move(host);
  s.needs = std::move(needs);
  s.phase = std::move(phase);
  s.command = cmdlet_line(program, parameters);
  s.program = std::move(program);
  s.parameters = std::move(parameters);
  return s;
}

FixStep native_step(std::string host, std::string needs, std::string phase, std::string program,
                    std::vector<std::string> arguments) {
  FixStep s;
  s.host = std::move(host);
  s.needs = std::move(needs);
  s.phase = std::move(phase);
  s.command = native_line(program, arguments);
  s.program = std::move(program);
  s.arguments = std::move(arguments);
  return s;
}

FixStep snippet_step(std::string host, std::string needs, std::string phase, std::string command) {
  FixStep s;
  s.host = std::move(host);
  s.needs = std::move(needs);
  s.phase = std::move(phase);
  s.command = std::move(command);
  return s;
}

}  // namespace kerbsim::analysis::powershell
