// Env: the file-system operations through which the zone writes durable files.
//
// Production uses Env::Default() (POSIX). Tests inject an Env that fails after a given
// number of bytes (disk full) or refuses to create files (permission denied), so the
// "lose nothing" promises of import and rotation can be checked without a real full
// disk. Implementations must be thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sz::storage {

// Owns a file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Flushes to stable storage (fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  static Env* Default();

  // Creates (exclusively: fails if it exists) a file with permission bits `mode`.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                                int mode) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // fsync of a directory, so that a rename or create inside it is durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual Status CreateDir(const std::string& path, int mode) = 0;
};

// Maps errno from a failed system call on `path` to a Status with a one-line message
// (ENOSPC -> ResourceExhausted, EACCES -> PermissionDenied, ENOENT -> NotFound, ...).
Status ErrnoStatus(int err, std::string_view what, std::string_view path);

// Whether `child` is `parent` or lies below it, after making both absolute and resolving
// symbolic links and `..` as far as the paths exist (std::filesystem::weakly_canonical).
bool PathIsInside(const std::string& child, const std::string& parent);

// Reads a whole (small) file.
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes = 1 << 20);
// Writes `data` to `path` atomically (temp file, fsync, rename, fsync dir).
Status WriteFileAtomic(Env* env, const std::string& path, std::string_view data, int mode);

}  // namespace sz::storage
