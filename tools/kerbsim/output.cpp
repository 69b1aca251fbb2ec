// Where a command's report goes: standard output, or the file given with --output.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
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

bool write_file_atomically(const std::string& path, const std::string& text) {
  // Created exclusively under a fresh name, so that nothing already there (a leftover, or a link
  // planted in a shared folder) is followed; with the mode a new file would get (0666 less umask).
  std::string tmp = path + ".tmp.XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    report_failure("write", path, errno);
    return false;
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
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    report_failure("replace", path, errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

int emit(const std::string& path, const std::string& text) {
  if (is_standard_output(path)) {
    std::cout << text;
    return kExitOk;
  }
  // Only a regular file, or a name not taken yet, is replaced by a rename. Anything else that
  // exists is written through: renaming over /dev/stdout or /dev/null would put a regular file in
  // its place as root, over a FIFO would leave its reader waiting, over a symlink would cut the link.
  // A symlink is not resolved and its target replaced either: /dev/stdout is itself a link, to
  // /proc/self/fd/1, whose target is the very file the shell redirected to.
  struct stat st {};
  const bool replace = ::lstat(path.c_str(), &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
  const bool written = replace ? write_file_atomically(path, text) : write_through(path, text);
  return written ? kExitOk : kExitUsage;
}

}  // namespace kerbsim::cli
