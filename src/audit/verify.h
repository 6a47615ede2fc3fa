// Verifying the audit trail: the whole chain, every checkpoint signature, and a name for
// the first thing that is wrong.
//
// The verifier walks entries in seq order and needs only the zone's Ed25519 public key.
// For each entry it checks, in order: the seq follows the previous one (a gap means
// entries were deleted); the entry's hash matches its canonical encoding (if not, it
// looks for the seq the content was hashed under, which tells a renumbered, reordered or
// inserted entry from an edited one); the entry's prev_hash equals the previous entry's
// hash (if not, the previous entry was altered and re-hashed); a checkpoint due at this
// seq exists, carries a valid signature and signs this entry's hash.
//
// What it can and cannot see (see docs/identity.md, threat model):
//   - anyone who edits, deletes, inserts or reorders entries without re-hashing the
//     rest of the chain is caught at the entry they touched;
//   - someone who rewrites the chain from some point on and re-hashes everything is
//     caught at the next signed checkpoint: the report names the checkpoint and the first
//     entry after the previous good checkpoint, the earliest that can no longer be trusted;
//   - removing the newest entries is caught if a checkpoint or a trusted Anchor (seq and
//     hash taken from an earlier export or an external witness) lies beyond the new end;
//     a tail after the last checkpoint, removed with no anchor, is not detectable from
//     the trail alone: checkpoint on demand before exporting, and keep the exports.
//
// Thread-safety: ChainVerifier is used by one thread; Verify is thread-safe given its own
// connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "common/status.h"
#include "storage/sqlite.h"

namespace sz::audit {

enum class Problem {
  kNone,
  kEdited,              // an entry's content no longer matches its hash (or was re-hashed)
  kDeleted,             // entries are missing
  kInserted,            // entries were inserted before existing ones
  kReordered,           // entries swapped places
  kTruncated,           // the newest entries are gone
  kCheckpointForged,    // a checkpoint's signature does not verify with the public key
  kCheckpointMismatch,  // a valid checkpoint signs another hash: the chain was rewritten
  kCheckpointMissing,   // a periodic checkpoint was removed
  kMalformed,           // an archive line or field cannot be parsed
};
std::string_view ProblemName(Problem problem);

// A (seq, hash) pair the verifier trusts from outside the trail.
struct Anchor {
  int64_t seq = 0;
  std::string hash;  // hex
};

struct VerifyOptions {
  // The interval the log was written with; periodic checkpoints are expected at every
  // multiple. 0 means "take it from the archive header" (archives only).
  int64_t checkpoint_interval = 1000;
  std::optional<Anchor> anchor;
};

struct VerifyReport {
  int64_t entries = 0;      // entries verified before the first problem
  int64_t checkpoints = 0;  // checkpoint signatures verified
  int64_t last_seq = 0;     // newest verified entry
  std::string last_hash;    // its hash (hex): an anchor for the next verification
  Problem problem = Problem::kNone;
  int64_t first_bad_seq = 0;   // first entry that cannot be trusted
  int64_t checkpoint_seq = 0;  // for checkpoint problems: the checkpoint involved
  std::string detail;          // one line for the operator

  bool ok() const { return problem == Problem::kNone; }
  // OK, or DataLoss naming the first bad entry and what is wrong.
  Status ToStatus() const;
};

// Incremental verification: feed all checkpoints first, then entries in seq order.
class ChainVerifier {
 public:
  ChainVerifier(std::string_view public_key, VerifyOptions options);

  void AddCheckpoint(Checkpoint checkpoint);
  // False once a problem is found; stop feeding then and call Finish().
  bool AddEntry(const StoredEntry& entry);
  VerifyReport Finish();
  // Records that the input itself could not be read (archives); stops verification.
  void ReportMalformed(std::string detail);

 private:
  bool Fail(Problem problem, int64_t first_bad, std::string detail, int64_t checkpoint = 0);
  bool CheckCheckpoint(const StoredEntry& entry);
  std::optional<int64_t> OriginalSeq(const StoredEntry& entry) const;
  bool SignatureValid(const Checkpoint& cp) const;

  std::string public_key_;
  VerifyOptions options_;
  std::map<int64_t, Checkpoint> checkpoints_;
  VerifyReport report_;
  int64_t expected_seq_ = 1;
  int64_t last_good_checkpoint_ = 0;
  std::string prev_hash_;
  // An entry found hashed under a later seq; the next entry tells a swap from a deletion.
  std::optional<std::pair<int64_t, int64_t>> moved_up_;  // (position, original seq)
  bool done_ = false;
};

// Verifies the trail stored in `db`.
Result<VerifyReport> Verify(storage::SqliteDb& db, std::string_view public_key,
                            VerifyOptions options = {});

}  // namespace sz::audit
