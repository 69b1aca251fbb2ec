#include "report/text_layout.h"

#include <algorithm>

namespace kerbsim::layout {

int display_width(const std::string& s) {
  int w = 0;
  for (const char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++w;
  return w;
}

std::string spaces(int n) { return std::string(static_cast<std::size_t>(std::max(n, 0)), ' '); }

std::string pad_right(const std::string& s, int width) { return s + spaces(width - display_width(s)); }

std::string pad_left(const std::string& s, int width) { return spaces(width - display_width(s)) + s; }

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return s;
}

std::vector<std::string> wrap(const std::string& text, int width) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    const std::string para = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string line;
    std::size_t pos = 0;
    while (pos < para.size()) {
      if (para[pos] == ' ') {
        ++pos;
        continue;
      }
      std::size_t word_end = para.find(' ', pos);
      if (word_end == std::string::npos) word_end = para.size();
      const std::string word = para.substr(pos, word_end - pos);
      if (line.empty()) {
        line = word;
      } else if (display_width(line) + 1 + display_width(word) <= width) {
        line += ' ' + word;
      } else {
        lines.push_back(line);
        line = word;
      }
      pos = word_end;
    }
    lines.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

void write_wrapped(std::ostream& out, const std::string& first, int indent, const std::string& text) {
  const auto lines = wrap(text, std::max(kWidth - indent, 20));
  for (std::size_t i = 0; i < lines.size(); ++i) out << (i == 0 ? first : spaces(indent)) << lines[i] << '\n';
}

}  // namespace kerbsim::layout
