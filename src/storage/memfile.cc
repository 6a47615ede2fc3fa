#include "storage/memfile.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "storage/env.h"

namespace sz::storage {

Result<MemFile> MemFile::Create(std::string_view label) {
  std::string name = "safezone-" + std::string(label);
  int fd = ::memfd_create(name.c_str(), MFD_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "creating memory file", name);
  return MemFile(fd);
}

MemFile& MemFile::operator=(MemFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

MemFile::~MemFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string MemFile::path() const { return "/proc/self/fd/" + std::to_string(fd_); }

Result<uint64_t> MemFile::Size() const {
  off_t end = ::lseek(fd_, 0, SEEK_END);
  if (end < 0) return ErrnoStatus(errno, "sizing", "memory file");
  return static_cast<uint64_t>(end);
}

Status MemFile::Append(std::string_view data) {
  if (::lseek(fd_, 0, SEEK_END) < 0) return ErrnoStatus(errno, "seeking", "memory file");
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "writing", "memory file");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return OkStatus();
}

Result<std::string> MemFile::ReadAt(uint64_t offset, size_t len) const {
  std::string out(len, '\0');
  size_t got = 0;
  while (got < len) {
    ssize_t n = ::pread(fd_, out.data() + got, len - got, static_cast<off_t>(offset + got));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "reading", "memory file");
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

Result<std::string> MemFile::ReadAll() const {
  SZ_ASSIGN_OR_RETURN(uint64_t size, Size());
  return ReadAt(0, size);
}

Status MemFile::Clear() {
  if (::ftruncate(fd_, 0) != 0) return ErrnoStatus(errno, "truncating", "memory file");
  return OkStatus();
}

}  // namespace sz::storage
