#include "common/text_checks.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gdprkit::internal {

absl::Status CheckIsText(absl::string_view text, absl::string_view name) {
  int line = 1;
  int column = 1;
  bool blank = true;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    bool ok = true;
    if (c == 0) {
      ok = false;
    } else if (c < 0x80) {
      len = 1;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      len = 4;
    } else {
      ok = false;
    }
    if (ok && i + len > text.size()) ok = false;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) ok = false;
    }
    if (ok && len == 3) {
      const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) ok = false;  // overlong, surrogate
    }
    if (ok && len == 4) {
      const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) ok = false;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:%d:%d: not UTF-8 text (byte 0x%02x); is this a binary file?", name, line, column, c));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') blank = false;
    i += len;
  }
  if (blank) return absl::InvalidArgumentError(absl::StrCat(name, ": the input is empty"));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& path, std::size_t limit,
                                          absl::string_view what) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " file path is empty"));
  if (path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " file path contains a NUL byte at offset ", path.find('\0')));
  }
  // Opened without blocking and checked on the descriptor (not the name), so
  // a FIFO without a writer cannot hang the caller and the file checked is
  // the file read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return absl::NotFoundError(absl::StrCat(what, " file ", path, " does not exist"));
    }
    if (err == EACCES) {
      return absl::PermissionDeniedError(absl::StrCat(what, " file ", path, ": permission denied"));
    }
    if (err == EISDIR) {
      return absl::InvalidArgumentError(absl::StrCat(what, " file ", path, " is a directory"));
    }
    return absl::InternalError(absl::StrCat(what, " file ", path, ": ", std::strerror(err)));
  }
  std::unique_ptr<FILE, int (*)(FILE*)> f(::fdopen(fd, "rb"), &std::fclose);
  if (!f) {
    ::close(fd);
    return absl::ResourceExhaustedError(absl::StrCat(what, " file ", path, ": cannot open"));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return absl::InternalError(absl::StrCat(what, " file ", path, ": ", std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(what, " file ", path, " is a directory"));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " file ", path,
        " is not a regular file (a pipe, device or socket); read it yourself and pass the text"));
  }
  if (static_cast<std::size_t>(st.st_size) > limit) {
    return absl::ResourceExhaustedError(absl::StrCat(what, " file ", path, " is ", st.st_size,
                                                     " bytes; the limit is ", limit, " bytes"));
  }
  std::string out;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    if (out.size() + n > limit) {
      return absl::ResourceExhaustedError(
          absl::StrCat(what, " file ", path, " exceeds the limit of ", limit, " bytes"));
    }
    out.append(buf, n);
  }
  if (std::ferror(f.get())) {
    return absl::InternalError(absl::StrCat(what, " file ", path, ": read error"));
  }
  return out;
}

}  // namespace gdprkit::internal
