// A zone: one directory plus one master key.
//
//   ZONE/zone.db        control plane (SQLite, WAL): catalog, keys (wrapped), users, audit
//   ZONE/data/          sealed dataset versions (<file id>.szp: encrypted Parquet)
//   ZONE/uploads/       sealed raw uploads (<file id>.szr: the provider's file as given)
//   ZONE/tmp/           sealed files being written; swept at open
//   ZONE/tls/cert.pem   the API server's self-signed certificate (public; its key is
//                       kept wrapped in zone.db, see server/tls.h)
//
// The master key never lives in the zone directory (Init refuses a key path inside it).
// Open() refuses a missing key, a key file others can read, and a key that is not this
// zone's (compared by fingerprint, so a wrong key is told apart from corrupted data).
// Back a zone up with `safezone backup DEST` (ops/backup.h: SQLite's online backup API,
// then the sealed files; safe while the zone runs); the master key is backed up separately.
//
// Thread-safety: a Zone is used by one thread at a time (the server opens one per worker
// thread; SQLite's WAL lets them run concurrently).
#pragma once

#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/status.h"
#include "crypto/keys.h"
#include "crypto/secret.h"
#include "storage/env.h"
#include "storage/sqlite.h"

namespace sz::identity {
class Identity;
}

namespace sz::zone {

struct ZoneOptions {
  std::string dir;
  crypto::MasterKeySource key;
  // Default: Env::Default(). Tests inject faults here.
  storage::Env* env = nullptr;
  // Default: the system clock. Tests inject a FakeClock (expiry, lockout, reports).
  const Clock* clock = nullptr;
  // Signed audit checkpoint every this many entries. Default: 1000.
  int64_t audit_checkpoint_interval = 1000;
};

struct InitOptions {
  std::string name = "safezone";  // shown in reports and the portal
  // Create the master key file (ZoneOptions::key.file) if it does not exist yet.
  bool create_key = true;
};

// InvalidArgument if `key_file` lies inside `zone_dir`: a copy of the zone must never
// carry the key that opens it (checked at init and at key rotation).
Status KeyFileOutsideZone(const std::string& key_file, const std::string& zone_dir);

class Zone {
 public:
  static Result<std::unique_ptr<Zone>> Init(const ZoneOptions& options, const InitOptions& init);
  static Result<std::unique_ptr<Zone>> Open(const ZoneOptions& options);

  const std::string& dir() const { return dir_; }
  const std::string& zone_id() const { return zone_id_; }
  storage::SqliteDb& db() { return db_; }
  storage::Env* env() const { return env_; }
  const Clock& clock() const { return *clock_; }
  // The zone's audit trail (hash chain, Ed25519 checkpoints) and identity service, both
  // over this zone's connection.
  const audit::AuditLog& audit() const { return *audit_; }
  identity::Identity& identity() { return *identity_; }
  std::string_view audit_public_key() const { return signing_.public_key; }

  // Where the master key came from (file or environment variable): for backups, which
  // verify their copy with the same key, and the security self-inspection (ops/).
  const crypto::MasterKeySource& key_source() const { return key_source_; }

  std::string DataDir() const { return dir_ + "/data"; }
  std::string UploadDir() const { return dir_ + "/uploads"; }
  std::string TmpDir() const { return dir_ + "/tmp"; }

  // Creates a fresh random key for `purpose` ("dataset:card_payments"), stores it wrapped
  // by the master key (inside the caller's transaction) and returns it.
  Result<crypto::SecretBytes> CreateKey(std::string_view purpose);
  // Stores `key` for `purpose`, wrapped (inside the caller's transaction, if any).
  Status StoreKey(std::string_view purpose, const crypto::SecretBytes& key);
  // Unwraps the key for `purpose`. NotFound if there is none; DataLoss if it was altered.
  Result<crypto::SecretBytes> Key(std::string_view purpose);

  // Re-wraps every key under `new_master` and records its fingerprint, atomically. Data
  // files are not touched. After this, the zone opens only with the new key.
  Status RotateMasterKey(const crypto::SecretBytes& new_master);
  std::string MasterKeyFingerprint() const { return crypto::KeyFingerprint(master_); }

  // Reads a zone_meta value ("" if absent).
  Result<std::string> Meta(std::string_view key);

 private:
  Zone();
  Status OpenStorage(bool create);
  Status LoadServices(const ZoneOptions& options);
  Status SweepTemporaryFiles();

  std::string dir_;
  crypto::MasterKeySource key_source_;
  std::string zone_id_;
  storage::Env* env_ = nullptr;
  storage::SqliteDb db_;
  crypto::SecretBytes master_;
  const Clock* clock_ = nullptr;
  audit::SigningKey signing_;
  crypto::SecretBytes audit_query_key_;
  crypto::SecretBytes totp_key_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::Identity> identity_;

 public:
  ~Zone();
};

// Validates a name used in paths and SQL: 1-63 characters of [a-z0-9_], starting with a
// letter. InvalidArgument naming `what` otherwise.
Status ValidateName(std::string_view what, std::string_view name);

}  // namespace sz::zone
