// Master key checks of the security self-inspection.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "fmt/format.h"
#include "ops/inspect_internal.h"

namespace sz::ops::internal {

namespace fs = std::filesystem;

namespace {

std::string Parent(const std::string& path) {
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(path), ec).parent_path().string();
}

void CheckBackupPlace(const ZoneFacts& facts, const std::string& key, Findings& out) {
  if (facts.last_backup_dest.empty()) return;
  const std::string& dest = facts.last_backup_dest;
  if (storage::PathIsInside(key, dest) || Parent(key) == Parent(dest)) {
    out.push_back({Severity::kHigh, "master_key.backup_location",
                   "the master key file sits with the zone's backups",
                   fmt::format("key {}; last backup {}", key, dest),
                   "keep the key apart from the backups (another volume, a safe or a secrets "
                   "manager): whoever obtains the backup medium must not obtain the key with "
                   "it"});
  }
}

}  // namespace

void CheckMasterKey(const ZoneFacts& facts, const crypto::MasterKeySource& key, Findings& out) {
  if (key.file.empty()) {
    out.push_back({Severity::kInfo, "master_key.source",
                   fmt::format("the master key comes from the environment variable {}",
                               key.env_var.empty() ? "SAFEZONE_MASTER_KEY" : key.env_var),
                   "",
                   "keep it out of shell history, unit files others can read and process "
                   "listings; a key file (mode 0600, outside the zone) is easier to protect"});
    return;
  }
  std::error_code ec;
  std::string path = fs::absolute(key.file, ec).lexically_normal().string();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    out.push_back({Severity::kHigh, "master_key.missing", "the master key file cannot be read",
                   path, "restore the key file from its separate backup"});
    return;
  }
  if (storage::PathIsInside(path, facts.dir)) {
    out.push_back({Severity::kCritical, "master_key.location",
                   "the master key file lies inside the zone directory", path,
                   fmt::format("move it out of the zone (e.g. mv {} /etc/safezone/zone.key) and "
                               "pass the new path with --key-file: a copy of the zone must not "
                               "carry its own key",
                               path)});
  }
  if (st.st_mode & 077) {
    out.push_back({Severity::kCritical, "master_key.permissions",
                   fmt::format("the master key file is accessible by group or others (mode {:04o})",
                               st.st_mode & 0777),
                   path, fmt::format("chmod 600 {}", path)});
  }
  if (st.st_uid != ::geteuid()) {
    out.push_back({Severity::kHigh, "master_key.owner",
                   "the master key file belongs to another user than the zone's operator", path,
                   "chown the key to the account that runs safezone, or run safezone as its "
                   "owner"});
  }
  std::string dir = Parent(path);
  struct stat dst {};
  if (::stat(dir.c_str(), &dst) == 0 && (dst.st_mode & 022) && !(dst.st_mode & S_ISVTX)) {
    out.push_back({Severity::kMedium, "master_key.directory",
                   "others can write the directory of the master key file (and so replace the key)",
                   dir, fmt::format("chmod go-w {}", dir)});
  }
  if (!storage::PathIsInside(path, facts.dir) && dir == Parent(facts.dir)) {
    out.push_back({facts.demo ? Severity::kInfo : Severity::kLow, "master_key.beside_zone",
                   "the master key file sits next to the zone directory",
                   fmt::format("key {}; zone {}", path, facts.dir),
                   "keep the key in another directory (ideally another volume), so that a copy "
                   "of the zone's parent directory does not carry both"});
  }
  CheckBackupPlace(facts, path, out);
}

}  // namespace sz::ops::internal
