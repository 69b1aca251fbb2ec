// Plain-text layout for the text printers: the page width, columns of UTF-8 text, greedy word wrap,
// and ANSI colour only when enabled. It lays text out; what the text says is the printers' business.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "kerbsim/outcome.h"

namespace kerbsim::layout {

constexpr int kWidth = 100;  // wrap narrative text to this many columns

// Columns a UTF-8 string takes: one per code point (kerbsim prints no double-width characters).
int display_width(const std::string& s);

std::string spaces(int n);
std::string pad_right(const std::string& s, int width);
std::string pad_left(const std::string& s, int width);
std::string upper(std::string s);

// Greedy word wrap; '\n' forces a break; a word wider than the line stays whole. At least one line.
std::vector<std::string> wrap(const std::string& text, int width);

// Writes `text` wrapped to the page width: the first line after `first` (already `indent` columns
// wide), the others indented by `indent` columns.
void write_wrapped(std::ostream& out, const std::string& first, int indent, const std::string& text);

// ANSI SGR colours, only when enabled.
class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  std::string red(const std::string& s) const { return paint(s, "31"); }
  std::string green(const std::string& s) const { return paint(s, "32"); }
  std::string yellow(const std::string& s) const { return paint(s, "33"); }
  std::string cyan(const std::string& s) const { return paint(s, "36"); }
  std::string dim(const std::string& s) const { return paint(s, "2"); }
  std::string bold(const std::string& s) const { return paint(s, "1"); }

  std::string verdict(Verdict v, const std::string& s) const {
    switch (v) {
      case Verdict::Ok:
        return green(s);
      case Verdict::Degraded:
        return yellow(s);
      case Verdict::Failed:
        return red(s);
    }
    return s;
  }

 private:
  std::string paint(const std::string& s, const char* code) const {
    if (!enabled_ || s.empty()) return s;
    return std::string("\x1b[") + code + "m" + s + "\x1b[0m";
  }
  bool enabled_;
};

}  // namespace kerbsim::layout

namespace kerbsim {

// A fix as the trace and the audit print it: what it changes, then its steps under "on HOST, needs
// RIGHT:", each command whole on its own line, a wait on a line of its own; or "none — why".
void print_fix_text(const Fix& fix, std::ostream& out);

}  // namespace kerbsim
