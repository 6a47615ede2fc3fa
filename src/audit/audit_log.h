// The audit trail: an append-only, hash-chained, periodically signed record of who did
// what, with which data, and whether they were allowed.
//
// Each entry stores the SHA-256 of the previous entry's canonical encoding, so an entry
// cannot be edited, removed, inserted or moved without breaking the chain from that
// point on (a hash chain in the sense of Schneier & Kelsey, "Secure audit logs to support
// computer forensics", 1999, and of Crosby & Wallach's tamper-evident logs, 2009). Every
// `checkpoint_interval` entries, and on demand, the zone signs (seq, time, entry hash)
// with its Ed25519 key (RFC 8032, libsodium crypto_sign): someone who can write the
// database but does not hold the key cannot rewrite history up to a checkpoint, and an
// external party can verify an exported archive with the public key alone (verify.h).
//
// Transactions: Append() runs inside the caller's SQLite transaction, next to the state
// change it records; it refuses to run outside one. So an action commits with its entry
// or neither exists. Appends serialize on the write lock that BEGIN IMMEDIATE holds.
//
// What an entry never holds: raw identifiers. Actor and object are labels ("user:17/kim",
// "dataset:12"); reasons come from the policy's fixed texts. Query text may quote
// identifiers, so it is stored only as a keyed BLAKE2b digest (equal queries have equal
// digests; without the key, low-entropy values such as RRNs cannot be brute-forced from
// it) and XChaCha20-Poly1305 ciphertext under a key the caller supplies; auditors with
// that key open it with OpenQueryText().
//
// The canonical encoding of entry fields (all integers big-endian, strings as a 32-bit
// length then bytes) is
//   "SZAUDIT1" seq:u64 time:i64 actor action object outcome reason query_digest
//   query_sealed datasets request_id prev_hash:32 bytes
// and its SHA-256 is the entry hash. Entry 1's prev_hash is 32 zero bytes. A checkpoint
// signs "SZAUDCP1" seq:u64 time:i64 entry_hash:32 bytes.
//
// Thread-safety: an AuditLog holds only configuration and may be shared; each call uses
// the connection it is given, which belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"
#include "common/clock.h"
#include "storage/sqlite.h"

namespace sz::audit {

enum class Outcome { kAllow, kDeny, kError };
std::string_view OutcomeName(Outcome outcome);
Result<Outcome> ParseOutcome(std::string_view name);

// What a caller records.
struct Entry {
  std::string actor;   // "user:17/kim", "anonymous", "unknown"
  std::string action;  // authz::ActionName or an identity event ("session.login")
  std::string object;  // authz::ObjectLabel
  Outcome outcome = Outcome::kAllow;
  std::string reason;                 // one line; never a raw identifier or secret
  std::string query_text;             // optional; stored only as digest + ciphertext
  std::vector<std::string> datasets;  // versions touched: "dataset:12@3" (no commas)
  std::string request_id;
};

// An entry as stored and exported.
struct StoredEntry {
  int64_t seq = 0;
  int64_t time = 0;  // Unix seconds
  std::string actor, action, object;
  std::string outcome;  // OutcomeName() text, as stored
  std::string reason;
  std::string query_digest;  // hex, or empty
  std::string query_sealed;  // raw bytes (nonce + ciphertext), or empty
  std::string datasets;      // comma-joined
  std::string request_id;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

struct Checkpoint {
  int64_t seq = 0;
  int64_t time = 0;
  std::string entry_hash;  // hex of the hash of entry `seq`
  std::string signature;   // raw, 64 bytes
  std::string key_id;      // 16 hex characters identifying the public key
};

// The zone's Ed25519 key pair. The secret half stays in guarded memory.
struct SigningKey {
  crypto::SecretBytes secret_key;  // 64 bytes (libsodium format: seed + public key)
  std::string public_key;          // 32 bytes
  static SigningKey Generate();
  // From a 32-byte seed (the zone keeps the seed wrapped under its master key).
  static Result<SigningKey> FromSeed(const crypto::SecretBytes& seed);
};
// 16 hex characters of SHA-256(public key).
std::string KeyId(std::string_view public_key);

struct AuditOptions {
  // A signed checkpoint after every this many entries. REQUIRES: > 0. Default: 1000.
  int64_t checkpoint_interval = 1000;
};

// Canonical bytes and hash of an entry (the hash is over everything but `hash`).
std::string CanonicalEncoding(const StoredEntry& e);
std::string EntryHashHex(const StoredEntry& e);
std::string CheckpointMessage(int64_t seq, int64_t time, std::string_view entry_hash_raw);

class AuditLog {
 public:
  // Creates the tables (idempotent). Entries and checkpoints refuse UPDATE and DELETE
  // through triggers, so that application bugs cannot rewrite history either.
  static Status CreateSchema(storage::SqliteDb& db);

  // `clock`, `signing_key` and `query_key` (32 bytes) are borrowed and must outlive the log.
  AuditLog(const Clock& clock, const SigningKey& signing_key,
           const crypto::SecretBytes& query_key, AuditOptions options = {});

  // Appends `entry` inside the transaction open on `db` and returns its seq; adds a
  // signed checkpoint when the seq is a multiple of the interval. FailedPrecondition if
  // no transaction is open; InvalidArgument if a dataset label contains a comma.
  Result<int64_t> Append(storage::SqliteDb& db, const Entry& entry) const;

  // Signs a checkpoint over the newest entry now (in the open transaction, or in its own
  // if none is open). FailedPrecondition if the trail is empty.
  Result<Checkpoint> CheckpointNow(storage::SqliteDb& db) const;

  const AuditOptions& options() const { return options_; }
  std::string_view public_key() const { return signing_key_.public_key; }

 private:
  Result<Checkpoint> SignCheckpoint(storage::SqliteDb& db, int64_t seq, int64_t time,
                                    std::string_view hash_hex) const;

  const Clock& clock_;
  const SigningKey& signing_key_;
  const crypto::SecretBytes& query_key_;
  AuditOptions options_;
};

// The audit tables (same as AuditLog::CreateSchema), for the zone's init/open sequence.
inline Status CreateSchema(storage::SqliteDb& db) { return AuditLog::CreateSchema(db); }

// Entries with seq in [from, from + limit), in order.
Result<std::vector<StoredEntry>> ReadEntries(storage::SqliteDb& db, int64_t from, int64_t limit);
Result<std::vector<Checkpoint>> ReadCheckpoints(storage::SqliteDb& db);
// The newest entry's seq (0 when empty).
Result<int64_t> LastSeq(storage::SqliteDb& db);

// Streams every entry in seq order to `visit` until it returns false.
Status ForEachEntry(storage::SqliteDb& db, const std::function<bool(const StoredEntry&)>& visit);

// Decrypts an entry's query text with the key the log was given. DataLoss if the
// ciphertext was altered or moved to another entry; NotFound if the entry has none.
Result<std::string> OpenQueryText(const crypto::SecretBytes& query_key, const StoredEntry& e);
// The digest Append stores for `query_text`, to find entries that ran a given query.
std::string QueryDigest(const crypto::SecretBytes& query_key, std::string_view query_text);

}  // namespace sz::audit
