// How scenario messages write the values they quote: quoted and shortened text, case folding as the
// messages compare names, lists, and the "did you mean" suggestion.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kerbsim::scenario {

std::string quote(std::string_view s);  // "s" with JSON escapes, shortened when very long
std::string lower(std::string_view s);
std::string upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
// The closest candidate (case-insensitive edit distance) when it is close enough, else "".
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace kerbsim::scenario
