// PowerShell source for the fix's steps: quoting as the language defines it, one command per line,
// and the step builders that keep a command's text and its parts (for splatting in the fix script)
// in step.
#pragma once

#include <string>
#include <vector>

#include "kerbsim/outcome.h"

namespace kerbsim::analysis::powershell {

// A single-quoted string: nothing inside expands, a quote is doubled.
std::string quote(const std::string& s);
// A native program's argument: bare when PowerShell passes it through unchanged, quoted otherwise.
std::string argument(const std::string& s);
// @('a', 'b')
std::string array(const std::vector<std::string>& items);
// $true or $false
std::string boolean(bool b);

// A step that runs a cmdlet: its command is the cmdlet and its parameters, as typed.
FixStep cmdlet_step(std::string host, std::string needs, std::string phase, std::string program,
                    std::vector<CommandParameter> parameters);
// A step that runs a native program (setspn, appcmd, klist) with its arguments.
FixStep native_step(std::string host, std::string needs, std::string phase, std::string program,
                    std::vector<std::string> arguments);
// A step that is a PowerShell snippet rather than one command (an XML edit, a WMI call and its result).
FixStep snippet_step(std::string host, std::string needs, std::string phase, std::string command);

}  // namespace kerbsim::analysis::powershell
