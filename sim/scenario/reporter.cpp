#include "scenario/reporter.h"

#include <utility>

namespace kerbsim::scenario {

Reporter::Reporter(std::string file, const JsonNode* root) : file_(std::move(file)) {
  if (root) index(*root);
}

void Reporter::index(const JsonNode& root) {
  std::vector<const JsonNode*> pending = {&root};
  while (!pending.empty()) {
    const JsonNode* n = pending.back();
    pending.pop_back();
    index_.emplace(n->path, n);
    for (const auto& child : n->children) pending.push_back(&child);
  }
}

void Reporter::at(const JsonNode& value, std::string message) {
  flagged_.insert(value.path);
  diagnostics_.push_back(Diagnostic{file_, value.line, value.column, value.path, std::move(message)});
}

void Reporter::at_key(const JsonNode& member, std::string message) {
  flagged_.insert(member.path);
  diagnostics_.push_back(Diagnostic{file_, member.key_line, member.key_column, member.path, std::move(message)});
}

void Reporter::streamed(const JsonNode& element) { streamed_.push_back({element.line, element.column}); }

namespace {

// The element index of a path "/accounts/N"; nullopt for any other path.
std::optional<std::size_t> account_element(std::string_view path) {
  constexpr std::string_view prefix = "/accounts/";
  if (path.substr(0, prefix.size()) != prefix || path.size() == prefix.size()) return std::nullopt;
  std::size_t index = 0;
  for (const char c : path.substr(prefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

}  // namespace

std::optional<std::pair<Reporter::Position, std::string>> Reporter::position(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (const auto it = index_.find(p); it != index_.end())
      return std::pair{Position{it->second->line, it->second->column}, p};
    if (const auto i = account_element(p); i && *i < streamed_.size()) return std::pair{streamed_[*i], p};
    if (p.empty()) return std::nullopt;
    p.erase(p.rfind('/'));
  }
}

const JsonNode* Reporter::node(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (const auto it = index_.find(p); it != index_.end()) return it->second;
    if (p.empty()) return nullptr;
    p.erase(p.rfind('/'));
  }
}

void Reporter::at_path(const std::string& path, std::string message) {
  flagged_.insert(path);
  if (const auto at = position(path)) {
    diagnostics_.push_back(Diagnostic{file_, at->first.line, at->first.column, at->second, std::move(message)});
  } else {
    diagnostics_.push_back(Diagnostic{file_, 0, 0, path, std::move(message)});
  }
}

int Reporter::line_of(const std::string& path) const {
  const auto at = position(path);
  return at ? at->first.line : 0;
}

}  // namespace kerbsim::scenario
