// Where a command's report goes: standard output, or the file given with --output.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include "command.h"

namespace kerbsim::cli {

namespace {

void report_failure(const char* what, const std::string& path, int error) {
  std::cerr << "kerbsim: cannot " << what << " " << path << ": " << std::strerror(error) << "\n";
}

// Writes all of text to fd; the errno of the first failure, or 0.
int write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Opens the path and writes into it, as the shell's '>' would: a device or a FIFO receives the
// report, a symlink stays a link and its target receives it.
bool write_through(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    report_failure("write", path, errno);
    return false;
  }
  int error = write_all(fd, text);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    report_failure("write", path, error);
    return false;
  }
  return true;
}

}  // namespace

bool is_standard_output(const std::string& path) { return path.empty() || path == "-"; }

namespace {

// A file written under a fresh name beside its target, not yet moved into place.
struct Staged {
  std::string path;
  std::string tmp;
};

// Writes text under a fresh name beside path. Created exclusively, so that nothing already there (a
// leftover, or a link planted in a shared folder) is followed; with the mode a new file would get
// (0666 less umask).
std::optional<Staged> stage(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp.XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    report_failure("write", path, errno);
    return std::nullopt;
  }
  tmp = name.data();
  const mode_t umask = ::umask(0);
  ::umask(umask);
  int error = ::fchmod(fd, 0666 & ~umask) != 0 ? errno : 0;
  if (error == 0) error = write_all(fd, text);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    report_failure("write", path, error);
    std::remove(tmp.c_str());
    return std::nullopt;
  }
  return Staged{path, tmp};
}

bool move_into_place(const Staged& s) {
  if (std::rename(s.tmp.c_str(), s.path.c_str()) == 0) return true;
  report_failure("replace", s.path, errno);
  std::remove(s.tmp.c_str());
  return false;
}

// Only a regular file, or a name not taken yet, is replaced by a rename. Anything else that exists
// is written through: renaming over /dev/stdout or /dev/null would put a regular file in its place
// as root, over a FIFO would leave its reader waiting, over a symlink would cut the link. A symlink
// is not resolved and its target replaced either: /dev/stdout is itself a link, to /proc/self/fd/1,
// whose target is the very file the shell redirected to.
bool replaced_by_rename(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

// The file a path names, when it exists: two paths to one file (a link, "./x" and "x") are the same
// output.
std::optional<std::pair<dev_t, ino_t>> file_id(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return std::make_pair(st.st_dev, st.st_ino);
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::string& text) {
  const auto staged = stage(path, text);
  return staged && move_into_place(*staged);
}

void check_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const auto& [option_a, a] = outputs[j];
      const auto& [option_b, b] = outputs[i];
      if (a.empty() || b.empty()) continue;  // not given
      std::error_code ea, eb;
      const auto ca = std::filesystem::weakly_canonical(std::filesystem::absolute(a, ea), ea);
      const auto cb = std::filesystem::weakly_canonical(std::filesystem::absolute(b, eb), eb);
      const auto ia = file_id(a), ib = file_id(b);
      // A device (/dev/null, /dev/stdout) may take more than one output: nothing is replaced.
      struct stat st {};
      const bool device = ::stat(a.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
      if (!device && ((!ea && !eb && ca == cb) || (ia && ib && *ia == *ib)))
        throw boost::program_options::error(option_a + " and " + option_b + " name the same file, " + b +
                                            "; give each its own");
    }
}

int emit_all(const std::vector<Output>& outputs) {
  std::vector<Staged> staged;
  const auto discard = [&] {
    for (const auto& s : staged) std::remove(s.tmp.c_str());
  };
  for (const auto& o : outputs) {
    if (is_standard_output(o.path) || !replaced_by_rename(o.path)) continue;
    auto s = stage(o.path, o.text);
    if (!s) {
      discard();
      return kExitUsage;
    }
    staged.push_back(std::move(*s));
  }
  for (std::size_t i = 0; i < staged.size(); ++i)
    if (!move_into_place(staged[i])) {
      for (std::size_t j = i + 1; j < staged.size(); ++j) std::remove(staged[j].tmp.c_str());
      return kExitUsage;
    }
  for (const auto& o : outputs) {
    if (is_standard_output(o.path))
      std::cout << o.text;
    else if (!replaced_by_rename(o.path) && !write_through(o.path, o.text))
      return kExitUsage;
  }
  return kExitOk;
}

int emit(const std::string& path, const std::string& text) { return emit_all({{path, text}}); }

}  // namespace kerbsim::cli
