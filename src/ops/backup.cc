#include "ops/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "audit/verify.h"
#include "fmt/format.h"
#include "ops/zone_files.h"

namespace sz::ops {

namespace fs = std::filesystem;

namespace {

constexpr size_t kCopyChunk = 1 << 20;

Status CheckDestination(const zone::Zone& zone, const std::string& dest) {
  if (dest.empty()) return InvalidArgument("name a destination directory for the backup");
  std::error_code ec;
  if (fs::exists(dest, ec) && !(fs::is_directory(dest, ec) && fs::is_empty(dest, ec))) {
    return AlreadyExists(
        fmt::format("{} exists and is not empty; a backup needs a new directory", dest));
  }
  if (storage::PathIsInside(dest, zone.dir())) {
    return InvalidArgument(fmt::format(
        "the backup destination {} lies inside the zone; choose a directory outside it", dest));
  }
  return OkStatus();
}

// The whole control plane, as of one commit, through SQLite's online backup API.
Status CopyControlPlane(zone::Zone& zone, const std::string& dest_db) {
  SZ_ASSIGN_OR_RETURN(storage::SqliteDb dest,
                      storage::SqliteDb::Open(dest_db, storage::SqliteDb::Mode::kReadWriteCreate));
  using BackupHandle = std::unique_ptr<sqlite3_backup, decltype(&sqlite3_backup_finish)>;
  BackupHandle backup(sqlite3_backup_init(dest.raw(), "main", zone.db().raw(), "main"),
                      &sqlite3_backup_finish);
  if (!backup) {
    return storage::SqliteError(sqlite3_errcode(dest.raw()), "starting the control-plane backup");
  }
  // One step copies every page under one read transaction: a consistent snapshot. A
  // writer holding an exclusive lock (rare in WAL mode) makes the step report BUSY or
  // LOCKED; waiting and retrying is what SQLite's documentation recommends.
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup.get(), -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int finish = sqlite3_backup_finish(backup.release());
  if (rc != SQLITE_DONE) return storage::SqliteError(rc, "copying the control plane");
  if (finish != SQLITE_OK) return storage::SqliteError(finish, "finishing the control-plane copy");
  return OkStatus();
}

// Copies `from` to the new file `to` (mode 0600) and fsyncs it; returns the bytes copied.
Result<uint64_t> CopyFile(storage::Env* env, const std::string& from, const std::string& to) {
  storage::UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in.valid()) return storage::ErrnoStatus(errno, "opening", from);
  SZ_ASSIGN_OR_RETURN(auto out, env->NewWritableFile(to, 0600));
  std::string buf(kCopyChunk, '\0');
  uint64_t total = 0;
  while (true) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return storage::ErrnoStatus(errno, "reading", from);
    if (n == 0) break;
    SZ_RETURN_IF_ERROR(out->Append(std::string_view(buf.data(), static_cast<size_t>(n))));
    total += static_cast<uint64_t>(n);
  }
  SZ_RETURN_IF_ERROR(out->Sync());
  SZ_RETURN_IF_ERROR(out->Close());
  return total;
}

// fsync of a file written by SQLite (the copied control plane).
Status SyncFile(const std::string& path) {
  storage::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) return storage::ErrnoStatus(errno, "syncing", path);
  return OkStatus();
}

class Backup {
 public:
  Backup(zone::Zone& zone, std::string dest) : zone_(zone), env_(zone.env()), dest_(std::move(dest)) {}

  Result<BackupResult> Run() {
    SZ_RETURN_IF_ERROR(MakeDir(dest_));
    SZ_RETURN_IF_ERROR(MakeDir(dest_ + "/tmp"));
    const std::string db = dest_ + "/zone.db";
    SZ_RETURN_IF_ERROR(CopyControlPlane(zone_, db));
    SZ_RETURN_IF_ERROR(SyncFile(db));
    ::chmod(db.c_str(), 0600);
    std::error_code ec;
    result_.bytes += fs::file_size(db, ec);
    ++result_.files;
    SZ_RETURN_IF_ERROR(CopySealedFiles(db));
    SZ_RETURN_IF_ERROR(CopyIfPresent("tls/cert.pem"));
    for (const std::string& dir : dirs_) SZ_RETURN_IF_ERROR(env_->SyncDir(dir));
    SZ_RETURN_IF_ERROR(env_->SyncDir(dest_));
    SZ_RETURN_IF_ERROR(env_->SyncDir(fs::path(dest_).parent_path().string()));
    return std::move(result_);
  }

 private:
  Status MakeDir(const std::string& dir) {
    SZ_RETURN_IF_ERROR(env_->CreateDir(dir, 0700));
    ::chmod(dir.c_str(), 0700);
    dirs_.insert(dir);
    return OkStatus();
  }

  Status CopyOne(const std::string& rel) {
    fs::path to = fs::path(dest_) / rel;
    // Catalog paths are relative and below the zone; refuse anything else outright.
    if (fs::path(rel).is_absolute() || !storage::PathIsInside(to, dest_) || rel.find("..") != std::string::npos) {
      return DataLoss(fmt::format("the control plane names a file outside the zone ({})", rel));
    }
    // Parent directories, outermost first.
    std::vector<fs::path> parents;
    for (fs::path p = to.parent_path(); p != fs::path(dest_) && !dirs_.count(p.string());
         p = p.parent_path()) {
      parents.push_back(p);
    }
    for (auto it = parents.rbegin(); it != parents.rend(); ++it) {
      SZ_RETURN_IF_ERROR(MakeDir(it->string()));
    }
    SZ_ASSIGN_OR_RETURN(uint64_t n, CopyFile(env_, zone_.dir() + "/" + rel, to.string()));
    result_.bytes += n;
    ++result_.files;
    return OkStatus();
  }

  // Reads the list from the copy, not the live zone: the copy is the snapshot the files
  // must match.
  Status CopySealedFiles(const std::string& db_path) {
    SZ_ASSIGN_OR_RETURN(storage::SqliteDb copy,
                        storage::SqliteDb::Open(db_path, storage::SqliteDb::Mode::kReadOnly));
    SZ_ASSIGN_OR_RETURN(std::vector<SealedRef> refs, ReferencedFiles(copy));
    std::set<std::string> done;
    for (const SealedRef& ref : refs) {
      if (!done.insert(ref.file).second) continue;
      Status s = CopyOne(ref.file);
      if (!s.ok()) {
        return DataLoss(fmt::format("{} could not be copied: {}", ref.Label(), s.message()));
      }
    }
    return OkStatus();
  }

  Status CopyIfPresent(const std::string& rel) {
    std::error_code ec;
    if (!fs::exists(zone_.dir() + "/" + rel, ec)) return OkStatus();
    return CopyOne(rel);
  }

  zone::Zone& zone_;
  storage::Env* env_;
  std::string dest_;
  std::set<std::string> dirs_;
  BackupResult result_;
};

Status Record(zone::Zone& zone, zone::Access& access, const BackupResult& result) {
  authz::AuditDetails details =
      authz::AuditDetails::Note(fmt::format("backup: {} files, {} bytes, verified", result.files,
                                            result.bytes));
  return zone::Audited(zone, access, details, [&]() -> Status {
    for (const auto& [key, value] : {std::pair{kLastBackupTime, result.time},
                                     std::pair{kLastBackupDest, result.dest}}) {
      SZ_RETURN_IF_ERROR(zone.db().Run(
          "INSERT INTO zone_meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET "
          "value = excluded.value",
          key, value));
    }
    return OkStatus();
  });
}

}  // namespace

Result<ZoneVerification> VerifyZoneCopy(const zone::ZoneOptions& options) {
  SZ_ASSIGN_OR_RETURN(auto copy, zone::Zone::Open(options));
  ZoneVerification v;
  SZ_ASSIGN_OR_RETURN(std::vector<SealedRef> refs, ReferencedFiles(copy->db()));
  for (const SealedRef& ref : refs) {
    SZ_RETURN_IF_ERROR(VerifySealedFile(*copy, ref));
    switch (ref.kind) {
      case SealedKind::kDatasetVersion: ++v.dataset_versions; break;
      case SealedKind::kUpload: ++v.uploads; break;
      case SealedKind::kOutputRevision: ++v.outputs; break;
      case SealedKind::kReleasePackage: ++v.releases; break;
      case SealedKind::kHierarchy: ++v.hierarchies; break;
    }
  }
  audit::VerifyOptions verify;
  verify.checkpoint_interval = copy->audit().options().checkpoint_interval;
  SZ_ASSIGN_OR_RETURN(audit::VerifyReport report,
                      audit::Verify(copy->db(), copy->audit_public_key(), verify));
  SZ_RETURN_IF_ERROR(report.ToStatus());
  v.audit_entries = report.entries;
  return v;
}

Result<BackupResult> BackupZone(zone::Zone& zone, const zone::Caller& caller,
                                const BackupOptions& options) {
  SZ_ASSIGN_OR_RETURN(zone::Access access, zone::Access::Check(zone, caller,
                                                               authz::Action::kZoneConfigure,
                                                               authz::Object::Zone()));
  if (Status s = CheckDestination(zone, options.dest); !s.ok()) {
    (void)std::move(access).RecordFailure(s);
    return s;
  }
  std::string dest = fs::absolute(options.dest).lexically_normal().string();
  std::error_code ec;
  bool existed = fs::exists(dest, ec);
  fs::create_directories(fs::path(dest).parent_path(), ec);
  auto made = [&]() -> Result<BackupResult> {
    SZ_ASSIGN_OR_RETURN(BackupResult result, Backup(zone, dest).Run());
    zone::ZoneOptions copy;
    copy.dir = dest;
    copy.key = zone.key_source();
    copy.clock = &zone.clock();
    auto verified = VerifyZoneCopy(copy);
    if (!verified.ok()) return verified.status().WithContext("the backup does not verify");
    result.verified = *verified;
    result.dest = dest;
    result.time = FormatUtc(zone.clock().Now());
    return result;
  }();
  if (!made.ok()) {
    if (existed) {
      for (const auto& e : fs::directory_iterator(dest, ec)) fs::remove_all(e.path(), ec);
    } else {
      fs::remove_all(dest, ec);
    }
    (void)std::move(access).RecordFailure(made.status());
    return made.status();
  }
  SZ_RETURN_IF_ERROR(Record(zone, access, *made));
  return made;
}

}  // namespace sz::ops
