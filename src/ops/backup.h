// Backups: a consistent copy of a zone, made while the zone may be serving and importing.
//
// BackupZone(zone, caller, {dest}) does, in order:
//   1. refuses a destination that exists and is not empty or that lies inside the zone
//      (its parent directories are created); the master key is never copied;
//   2. copies the control plane with SQLite's online backup API (sqlite3_backup_step with
//      -1: every page in one step under one read transaction, so the copy is the
//      database as of one commit; WAL mode lets writers go on meanwhile);
//   3. copies the sealed files that copy refers to (zone_files.h). They are immutable
//      and complete before their rows commit, so a file named by the snapshot exists and
//      is final; files of imports that commit later are simply not part of this backup.
//      Each copy is fsynced, then the directories;
//   4. copies the TLS certificate (its key is in the control plane, wrapped);
//   5. verifies the copy: opens it as a zone with the same master key (VerifyZoneCopy),
//      authenticates every sealed file it refers to and the audit chain;
//   6. records the backup's time and destination in the zone (zone_meta keys
//      last_backup_time, last_backup_dest), in the transaction of its audit entry, so
//      that the security self-inspection can report the backup's age (inspect.h).
// If anything fails, the partial destination is removed and nothing is recorded.
//
// There is deliberately no restore command: a backup *is* a zone directory. To use it,
// stop the server, move the damaged zone aside, and start the server (or any command)
// with --zone pointing at the backup (or copy it back) and the same master key; see
// docs/operations.md. A master key rotated after the backup still opens it only if the
// old key was kept: back the key up separately, never next to the zone copies.
//
// Authorization: zone.configure (administrator or the operator), audited. The CLI offers
// it to the operator only: a backup destination is a path on the server's machine.
//
// Thread-safety: uses the zone's connection; same rule as Zone. Other processes and
// connections may write the zone meanwhile.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::ops {

struct BackupOptions {
  std::string dest;  // a new (or empty) directory
};

struct ZoneVerification {
  int64_t dataset_versions = 0;
  int64_t uploads = 0;
  int64_t outputs = 0;
  int64_t releases = 0;
  int64_t hierarchies = 0;
  int64_t audit_entries = 0;  // verified, with every checkpoint signature
};

struct BackupResult {
  std::string dest;  // absolute
  std::string time;  // UTC, as recorded
  int64_t files = 0;  // zone.db, sealed files, certificate
  uint64_t bytes = 0;
  ZoneVerification verified;
};

Result<BackupResult> BackupZone(zone::Zone& zone, const zone::Caller& caller,
                                const BackupOptions& options);

// Opens the zone at `options.dir` (a backup, or any zone) and verifies every sealed file
// it refers to and its audit trail. Writes nothing to it. DataLoss naming the first
// problem; the zone's own errors if it does not open (wrong key: PermissionDenied).
Result<ZoneVerification> VerifyZoneCopy(const zone::ZoneOptions& options);

// zone_meta keys written by BackupZone.
inline constexpr std::string_view kLastBackupTime = "last_backup_time";
inline constexpr std::string_view kLastBackupDest = "last_backup_dest";

}  // namespace sz::ops
