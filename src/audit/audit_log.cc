#include "audit/audit_log.h"

#include <sodium.h>

#include "common/text.h"
#include "fmt/format.h"

namespace sz::audit {

namespace {

constexpr std::string_view kEntryMagic = "SZAUDIT1";
constexpr std::string_view kCheckpointMagic = "SZAUDCP1";
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "szaudit1";
constexpr uint64_t kDigestSubkey = 1;
constexpr uint64_t kSealSubkey = 2;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
const std::string kGenesisHash(64, '0');

void PutU64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void PutString(std::string& out, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());
  for (int i = 3; i >= 0; --i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
  out.append(s);
}

// Decodes a stored hex hash; anything malformed becomes 32 bytes that match nothing,
// so a corrupted field shows up as a hash mismatch rather than an exception.
std::string RawHash(std::string_view hex) {
  auto raw = crypto::FromHex(hex);
  if (!raw.ok() || raw->size() != 32) return std::string(32, '\xff');
  return *raw;
}

crypto::SecretBytes Subkey(const crypto::SecretBytes& key, uint64_t id) {
  crypto::SecretBytes sub(32);
  crypto_kdf_derive_from_key(sub.mutable_data(), sub.size(), id, kKdfContext, key.data());
  return sub;
}

std::string QueryAd(int64_t seq) { return fmt::format("safezone/audit-query/v1:{}", seq); }

Status CheckQueryKey(const crypto::SecretBytes& key) {
  if (key.size() != crypto_kdf_KEYBYTES) {
    return FailedPrecondition("the audit log needs a 32-byte query key to record query text");
  }
  return OkStatus();
}

std::string Seal(const crypto::SecretBytes& key, std::string_view text, int64_t seq) {
  crypto::SecretBytes sub = Subkey(key, kSealSubkey);
  std::string ad = QueryAd(seq);
  std::string out = crypto::RandomBytes(kNonceBytes);
  out.resize(kNonceBytes + text.size() + kTagBytes);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes, &len,
      reinterpret_cast<const unsigned char*>(text.data()), text.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
      reinterpret_cast<const unsigned char*>(out.data()), sub.data());
  return out;
}

constexpr std::string_view kSelectEntry =
    "SELECT seq, time, actor, action, object, outcome, reason, query_digest, query_sealed, "
    "datasets, request_id, prev_hash, hash FROM audit_entries";

StoredEntry RowToEntry(const storage::Statement& st) {
  StoredEntry e;
  e.seq = st.Int64(0);
  e.time = st.Int64(1);
  e.actor = st.Text(2);
  e.action = st.Text(3);
  e.object = st.Text(4);
  e.outcome = st.Text(5);
  e.reason = st.Text(6);
  e.query_digest = st.Text(7);
  e.query_sealed = st.Blob(8);
  e.datasets = st.Text(9);
  e.request_id = st.Text(10);
  e.prev_hash = st.Text(11);
  e.hash = st.Text(12);
  return e;
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAllow:
      return "allow";
    case Outcome::kDeny:
      return "deny";
    case Outcome::kError:
      return "error";
  }
  return "error";
}

Result<Outcome> ParseOutcome(std::string_view name) {
  for (Outcome o : {Outcome::kAllow, Outcome::kDeny, Outcome::kError})
    if (OutcomeName(o) == name) return o;
  return InvalidArgument("unknown audit outcome; use allow, deny or error");
}

SigningKey SigningKey::Generate() {
  crypto::Init();
  SigningKey k;
  k.secret_key = crypto::SecretBytes(crypto_sign_SECRETKEYBYTES);
  k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(k.public_key.data()),
                      k.secret_key.mutable_data());
  return k;
}

Result<SigningKey> SigningKey::FromSeed(const crypto::SecretBytes& seed) {
  crypto::Init();
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return InvalidArgument("an audit signing seed must be 32 bytes");
  }
  SigningKey k;
  k.secret_key = crypto::SecretBytes(crypto_sign_SECRETKEYBYTES);
  k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(k.public_key.data()),
                           k.secret_key.mutable_data(), seed.data());
  return k;
}

std::string KeyId(std::string_view public_key) {
  return crypto::Sha256Hex(public_key).substr(0, 16);
}

std::string CanonicalEncoding(const StoredEntry& e) {
  std::string out;
  out.reserve(160 + e.actor.size() + e.action.size() + e.object.size() + e.reason.size() +
              e.query_digest.size() + e.query_sealed.size() + e.datasets.size() +
              e.request_id.size());
  out.append(kEntryMagic);
  PutU64(out, static_cast<uint64_t>(e.seq));
  PutU64(out, static_cast<uint64_t>(e.time));
  PutString(out, e.actor);
  PutString(out, e.action);
  PutString(out, e.object);
  PutString(out, e.outcome);
  PutString(out, e.reason);
  PutString(out, e.query_digest);
  PutString(out, e.query_sealed);
  PutString(out, e.datasets);
  PutString(out, e.request_id);
  out.append(RawHash(e.prev_hash));
  return out;
}

std::string EntryHashHex(const StoredEntry& e) { return crypto::Sha256Hex(CanonicalEncoding(e)); }

std::string CheckpointMessage(int64_t seq, int64_t time, std::string_view entry_hash_raw) {
  std::string out(kCheckpointMagic);
  PutU64(out, static_cast<uint64_t>(seq));
  PutU64(out, static_cast<uint64_t>(time));
  out.append(entry_hash_raw);
  return out;
}

std::string QueryDigest(const crypto::SecretBytes& query_key, std::string_view query_text) {
  crypto::Init();
  if (query_key.size() != crypto_kdf_KEYBYTES) return {};
  crypto::SecretBytes sub = Subkey(query_key, kDigestSubkey);
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(query_text.data()),
                     query_text.size(), sub.data(), sub.size());
  return crypto::ToHex(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

Result<std::string> OpenQueryText(const crypto::SecretBytes& query_key, const StoredEntry& e) {
  crypto::Init();
  if (e.query_sealed.empty()) return NotFound("this audit entry has no query text");
  SZ_RETURN_IF_ERROR(CheckQueryKey(query_key));
  if (e.query_sealed.size() < kNonceBytes + kTagBytes) {
    return DataLoss(fmt::format("audit entry {}: query ciphertext is truncated", e.seq));
  }
  crypto::SecretBytes sub = Subkey(query_key, kSealSubkey);
  std::string ad = QueryAd(e.seq);
  std::string out(e.query_sealed.size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long len = 0;
  const auto* sealed = reinterpret_cast<const unsigned char*>(e.query_sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, sealed + kNonceBytes,
          e.query_sealed.size() - kNonceBytes, reinterpret_cast<const unsigned char*>(ad.data()),
          ad.size(), sealed, sub.data()) != 0) {
    return DataLoss(fmt::format(
        "audit entry {}: query text does not open (altered, moved, or another key)", e.seq));
  }
  return out;
}

Status AuditLog::CreateSchema(storage::SqliteDb& db) {
  return db.Exec(R"sql(
    CREATE TABLE IF NOT EXISTS audit_entries (
      seq          INTEGER PRIMARY KEY,
      time         INTEGER NOT NULL,
      actor        TEXT NOT NULL,
      action       TEXT NOT NULL,
      object       TEXT NOT NULL,
      outcome      TEXT NOT NULL,
      reason       TEXT NOT NULL,
      query_digest TEXT NOT NULL,
      query_sealed BLOB,
      datasets     TEXT NOT NULL,
      request_id   TEXT NOT NULL,
      prev_hash    TEXT NOT NULL,
      hash         TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS audit_checkpoints (
      seq        INTEGER PRIMARY KEY,
      time       INTEGER NOT NULL,
      entry_hash TEXT NOT NULL,
      signature  BLOB NOT NULL,
      key_id     TEXT NOT NULL);
    CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
  )sql");
}

AuditLog::AuditLog(const Clock& clock, const SigningKey& signing_key,
                   const crypto::SecretBytes& query_key, AuditOptions options)
    : clock_(clock), signing_key_(signing_key), query_key_(query_key), options_(options) {
  if (options_.checkpoint_interval <= 0) options_.checkpoint_interval = 1000;
}

Result<int64_t> AuditLog::Append(storage::SqliteDb& db, const Entry& entry) const {
  if (sqlite3_get_autocommit(db.raw()) != 0) {
    return FailedPrecondition(
        "audit entries must be appended inside the transaction of the action they record");
  }
  for (std::string_view field : {std::string_view(entry.actor), std::string_view(entry.action),
                                 std::string_view(entry.object), std::string_view(entry.reason),
                                 std::string_view(entry.request_id)}) {
    // Archives are JSON and CSV text: keep every field valid UTF-8 so they round-trip.
    if (!text::IsValidUtf8(field))
      return InvalidArgument("an audit entry field is not valid UTF-8");
  }
  StoredEntry s;
  for (const std::string& d : entry.datasets) {
    if (!text::IsValidUtf8(d)) return InvalidArgument("an audit dataset label is not valid UTF-8");
    if (d.find(',') != std::string::npos) {
      return InvalidArgument("an audit dataset label must not contain a comma");
    }
    if (!s.datasets.empty()) s.datasets += ',';
    s.datasets += d;
  }
  SZ_ASSIGN_OR_RETURN(storage::Statement last,
                      db.Prepare("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1"));
  SZ_ASSIGN_OR_RETURN(bool has_last, last.Step());
  s.seq = has_last ? last.Int64(0) + 1 : 1;
  s.prev_hash = has_last ? last.Text(1) : kGenesisHash;
  s.time = ToUnix(clock_.Now());
  s.actor = entry.actor;
  s.action = entry.action;
  s.object = entry.object;
  s.outcome = std::string(OutcomeName(entry.outcome));
  s.reason = entry.reason;
  s.request_id = entry.request_id;
  if (!entry.query_text.empty()) {
    SZ_RETURN_IF_ERROR(CheckQueryKey(query_key_));
    s.query_digest = QueryDigest(query_key_, entry.query_text);
    s.query_sealed = Seal(query_key_, entry.query_text, s.seq);
  }
  s.hash = EntryHashHex(s);

  SZ_ASSIGN_OR_RETURN(
      storage::Statement insert,
      db.Prepare("INSERT INTO audit_entries (seq, time, actor, action, object, outcome, reason, "
                 "query_digest, query_sealed, datasets, request_id, prev_hash, hash) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  insert.Bind(1, s.seq).Bind(2, s.time).Bind(3, s.actor).Bind(4, s.action).Bind(5, s.object);
  insert.Bind(6, s.outcome).Bind(7, s.reason).Bind(8, s.query_digest);
  if (s.query_sealed.empty()) {
    insert.Bind(9, nullptr);
  } else {
    insert.BindBlob(9, s.query_sealed);
  }
  insert.Bind(10, s.datasets).Bind(11, s.request_id).Bind(12, s.prev_hash).Bind(13, s.hash);
  SZ_RETURN_IF_ERROR(insert.Run());
  if (s.seq % options_.checkpoint_interval == 0) {
    SZ_RETURN_IF_ERROR(SignCheckpoint(db, s.seq, s.time, s.hash).status());
  }
  return s.seq;
}

Result<Checkpoint> AuditLog::SignCheckpoint(storage::SqliteDb& db, int64_t seq, int64_t time,
                                            std::string_view hash_hex) const {
  if (signing_key_.secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return FailedPrecondition("the audit log has no signing key; open the zone with its keys");
  }
  Checkpoint cp;
  cp.seq = seq;
  cp.time = time;
  cp.entry_hash = std::string(hash_hex);
  cp.key_id = KeyId(signing_key_.public_key);
  std::string message = CheckpointMessage(seq, time, RawHash(hash_hex));
  cp.signature.resize(crypto_sign_BYTES);
  crypto_sign_detached(reinterpret_cast<unsigned char*>(cp.signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       signing_key_.secret_key.data());
  // A periodic and an on-demand checkpoint may fall on the same entry: keep the first.
  SZ_ASSIGN_OR_RETURN(storage::Statement insert,
                      db.Prepare("INSERT OR IGNORE INTO audit_checkpoints "
                                 "(seq, time, entry_hash, signature, key_id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)"));
  insert.Bind(1, cp.seq).Bind(2, cp.time).Bind(3, cp.entry_hash).BindBlob(4, cp.signature);
  insert.Bind(5, cp.key_id);
  SZ_RETURN_IF_ERROR(insert.Run());
  return cp;
}

Result<Checkpoint> AuditLog::CheckpointNow(storage::SqliteDb& db) const {
  std::optional<storage::Transaction> own;
  if (sqlite3_get_autocommit(db.raw()) != 0) {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db));
    own.emplace(std::move(txn));
  }
  SZ_ASSIGN_OR_RETURN(storage::Statement last,
                      db.Prepare("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1"));
  SZ_ASSIGN_OR_RETURN(bool has_last, last.Step());
  if (!has_last) return FailedPrecondition("the audit trail is empty; nothing to checkpoint");
  SZ_ASSIGN_OR_RETURN(Checkpoint cp, SignCheckpoint(db, last.Int64(0),
                                                    ToUnix(clock_.Now()), last.Text(1)));
  if (own) SZ_RETURN_IF_ERROR(own->Commit());
  return cp;
}

Result<std::vector<StoredEntry>> ReadEntries(storage::SqliteDb& db, int64_t from, int64_t limit) {
  SZ_ASSIGN_OR_RETURN(
      storage::Statement st,
      db.Query(std::string(kSelectEntry) + " WHERE seq >= ?1 AND seq < ?2 ORDER BY seq", from,
               from + limit));
  std::vector<StoredEntry> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(RowToEntry(st));
  }
  return out;
}

Result<std::vector<Checkpoint>> ReadCheckpoints(storage::SqliteDb& db) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db.Prepare("SELECT seq, time, entry_hash, signature, key_id "
                                 "FROM audit_checkpoints ORDER BY seq"));
  std::vector<Checkpoint> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int64(0), st.Int64(1), st.Text(2), st.Blob(3), st.Text(4)});
  }
  return out;
}

Result<int64_t> LastSeq(storage::SqliteDb& db) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st, db.Prepare("SELECT max(seq) FROM audit_entries"));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.IsNull(0)) return int64_t{0};
  return st.Int64(0);
}

Status ForEachEntry(storage::SqliteDb& db, const std::function<bool(const StoredEntry&)>& visit) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db.Prepare(std::string(kSelectEntry) + " ORDER BY seq"));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return OkStatus();
    if (!visit(RowToEntry(st))) return OkStatus();
  }
}

}  // namespace sz::audit
