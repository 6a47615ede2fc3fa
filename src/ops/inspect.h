// The security self-inspection: `safezone inspect` checks a zone's configuration and
// state and lists findings, each with a severity and a concrete fix.
//
// Checks (the `check` name of each finding in brackets):
//   master key    [master_key.*]  the key file inside the zone, readable or writable by
//                 group/others, owned by someone else, in a directory others can write,
//                 next to the zone directory, or in (or beside) the last backup's
//                 destination; a key from the environment is noted.
//   TLS           [tls.*]  the certificate the server presents (the configured one, else
//                 ZONE/tls/cert.pem): self-signed in a non-demo zone, expired or expiring
//                 within `tls_expiry_days`, a weak key (RSA < 2048 bits, EC < 256) or a
//                 SHA-1/MD5 signature; a configured key file others can read. The
//                 protocol settings are fixed in server/tls.h and noted as info.
//   passwords     [accounts.*]  active accounts whose Argon2id hash verifies the demo
//                 password or a short list of weak candidates (bounded by
//                 `password_time_budget`; each try costs one Argon2id verification),
//                 accounts without a confirmed second factor, must-change passwords set
//                 more than `must_change_days` ago, expired (or absent) accreditations of
//                 members of active projects, administrators without a valid
//                 accreditation.
//   files         [files.*]  every file in the zone directory must be a sealed file, the
//                 control plane (zone.db, -wal, -shm, -journal) or tls/cert.pem; anything
//                 else is reported, and scanned (plaintext_scan.h) for RRNs, mobile phone
//                 numbers and card numbers, as is the control plane's raw text; sealed
//                 files referenced but missing, sealed files nobody references, stale
//                 files in tmp/, symbolic links, a zone directory or database others can
//                 read; a demo accounts file (passwords and TOTP secrets) beside the zone.
//   audit         [audit.chain]  the hash chain and signed checkpoints (audit/verify.h).
//   backup        [backup.age]  no backup recorded, or the last one older than
//                 `backup_max_age_days` (ops/backup.h records it).
// A demo zone (created by `safezone demo`, zone name "demo") is expected to hold known
// passwords and a self-signed certificate; those findings are lowered to low/info there.
//
// Findings name accounts by their audit label ("user:17/kim") and files by their path
// relative to the zone (a name that itself looks like an identifier has its digits
// masked); never a password, a secret or a value found in a file, only counts.
//
// The CLI exits non-zero when any finding is critical or high (docs/operations.md).
//
// Thread-safety: InspectZone uses the zone's connection; same rule as Zone.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::ops {

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity);  // "critical", ...
Result<Severity> ParseSeverity(std::string_view name);

struct Finding {
  Severity severity = Severity::kInfo;
  std::string check;   // "master_key.permissions"
  std::string title;   // one line: what is wrong (or, for info, what was found)
  std::string detail;  // which accounts, files or entries; may be empty
  std::string fix;     // what to do, concretely; may be empty for info
};

struct InspectOptions {
  // The TLS certificate and key the server is configured with (serve --tls-cert,
  // --tls-key). Default: the zone's own certificate, ZONE/tls/cert.pem.
  std::string tls_cert_file;
  std::string tls_key_file;
  int tls_expiry_days = 30;
  int must_change_days = 7;
  int backup_max_age_days = 7;
  int stale_tmp_hours = 6;
  // Wall-clock budget for trying weak passwords against the Argon2id hashes. Default: 20 s.
  std::chrono::milliseconds password_time_budget{20000};
  // Candidates tried after the demo password and the built-in list.
  std::vector<std::string> extra_passwords;
  // Bytes scanned per unexpected file (the control plane is scanned whole). Default: 1 GiB.
  uint64_t scan_max_bytes = uint64_t{1} << 30;
};

struct InspectionReport {
  std::string zone_dir;
  std::string generated_at;  // UTC
  std::vector<Finding> findings;  // most severe first, then by check name

  int Count(Severity severity) const;
  // True if any finding is critical or high: the CLI's exit status.
  bool Failing() const;
};

// Every check above. Access: zone.inspect (administrator or the operator), audited.
Result<InspectionReport> InspectZone(zone::Zone& zone, const zone::Caller& caller,
                                     const InspectOptions& options);

// When the zone cannot be opened (for instance because the key file's mode makes
// Zone::Open refuse it): the master-key checks that need no zone, plus a critical
// finding naming `open_error`.
InspectionReport InspectUnopenedZone(std::string_view zone_dir, const crypto::MasterKeySource& key,
                                     const Status& open_error, Time now);

}  // namespace sz::ops
