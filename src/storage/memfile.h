// MemFile: an anonymous in-memory file (Linux memfd) that DuckDB can read and write by
// path ("/proc/self/fd/N"). This is the zone's "memory-backed temporary area": plaintext
// of protected datasets lives only here while a job or workspace runs. It has no name in
// any file system, is never swapped to a file we create, and vanishes with the process,
// even on a crash.
//
// Move-only; closing the descriptor frees the memory. Not shareable across processes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace sz::storage {

class MemFile {
 public:
  static Result<MemFile> Create(std::string_view label);
  MemFile() = default;
  MemFile(MemFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  MemFile& operator=(MemFile&& o) noexcept;
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  ~MemFile();

  int fd() const { return fd_; }
  // A path through which DuckDB (in this process) opens the file.
  std::string path() const;
  Result<uint64_t> Size() const;
  Status Append(std::string_view data);
  // Reads `len` bytes at `offset`; short only at end of file.
  Result<std::string> ReadAt(uint64_t offset, size_t len) const;
  Result<std::string> ReadAll() const;
  Status Clear();

 private:
  explicit MemFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace sz::storage
