// Helpers shared by the unit tests: temporary directories and a fault-injecting Env.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "storage/env.h"

namespace sz::testing {

// A fresh directory under $TMPDIR, removed with everything in it at scope end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sz-test-XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    path_ = made ? made : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  std::string operator/(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Wraps the default Env; writes fail with `err` once `fail_after_bytes` bytes were
// written in total (simulating a full disk or a revoked permission).
class FaultyEnv : public storage::Env {
 public:
  FaultyEnv(size_t fail_after_bytes, int err) : budget_(fail_after_bytes), err_(err) {}

  Result<std::unique_ptr<storage::WritableFile>> NewWritableFile(const std::string& path,
                                                                 int mode) override {
    if (budget_ == 0) return storage::ErrnoStatus(err_, "creating", path);
    SZ_ASSIGN_OR_RETURN(auto inner, storage::Env::Default()->NewWritableFile(path, mode));
    return std::unique_ptr<storage::WritableFile>(
        std::make_unique<File>(std::move(inner), this, path));
  }
  Status Rename(const std::string& a, const std::string& b) override {
    return storage::Env::Default()->Rename(a, b);
  }
  Status Remove(const std::string& p) override { return storage::Env::Default()->Remove(p); }
  Status SyncDir(const std::string& d) override { return storage::Env::Default()->SyncDir(d); }
  Status CreateDir(const std::string& p, int mode) override {
    return storage::Env::Default()->CreateDir(p, mode);
  }

 private:
  class File : public storage::WritableFile {
   public:
    File(std::unique_ptr<storage::WritableFile> inner, FaultyEnv* env, std::string path)
        : inner_(std::move(inner)), env_(env), path_(std::move(path)) {}
    Status Append(std::string_view data) override {
      if (data.size() > env_->budget_) {
        env_->budget_ = 0;
        return storage::ErrnoStatus(env_->err_, "writing", path_);
      }
      env_->budget_ -= data.size();
      return inner_->Append(data);
    }
    Status Sync() override { return inner_->Sync(); }
    Status Close() override { return inner_->Close(); }

   private:
    std::unique_ptr<storage::WritableFile> inner_;
    FaultyEnv* env_;
    std::string path_;
  };
  size_t budget_;
  int err_;
};

}  // namespace sz::testing
