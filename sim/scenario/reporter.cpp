#include "scenario/reporter.h"

#include <utility>

namespace kerbsim::scenario {

Reporter::Reporter(std::string file, const JsonNode* root) : file_(std::move(file)) {
  if (!root) return;
  std::vector<const JsonNode*> pending = {root};
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
  if (const JsonNode* n = node(path)) {
    diagnostics_.push_back(Diagnostic{file_, n->line, n->column, n->path, std::move(message)});
  } else {
    diagnostics_.push_back(Diagnostic{file_, 0, 0, path, std::move(message)});
  }
}

int Reporter::line_of(const std::string& path) const {
  const JsonNode* n = node(path);
  return n ? n->line : 0;
}

}  // namespace kerbsim::scenario
