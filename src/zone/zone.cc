#include "zone/zone.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <regex>

#include "common/clock.h"
#include "fmt/format.h"
#include "identity/identity.h"
#include "zone/request_log.h"
#include "zone/projects.h"
#include "zone/schema.h"

namespace sz::zone {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFormatVersion = "1";
// Keys every zone holds, wrapped under the master key like data keys.
constexpr std::string_view kSigningSeedKey = "zone:audit-signing-seed";
constexpr std::string_view kAuditQueryKey = "zone:audit-query";
constexpr std::string_view kTotpKey = "zone:totp";

bool IsEmptyDir(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

}  // namespace

Status ValidateName(std::string_view what, std::string_view name) {
  static const std::regex kName("[a-z][a-z0-9_]{0,62}");
  if (!std::regex_match(name.begin(), name.end(), kName)) {
    return InvalidArgument(fmt::format(
        "{} name '{}' is not allowed: use 1-63 lower-case letters, digits and '_', starting "
        "with a letter",
        what, name.size() > 80 ? std::string(name.substr(0, 80)) + "..." : std::string(name)));
  }
  return OkStatus();
}

Zone::Zone() = default;
Zone::~Zone() = default;

Status Zone::OpenStorage(bool create) {
  auto mode = create ? storage::SqliteDb::Mode::kReadWriteCreate : storage::SqliteDb::Mode::kReadWrite;
  auto db = storage::SqliteDb::Open(dir_ + "/zone.db", mode);
  if (!db.ok()) return db.status().WithContext("zone " + dir_);
  db_ = std::move(*db);
  SZ_RETURN_IF_ERROR(CreateSchema(db_));
  SZ_RETURN_IF_ERROR(audit::AuditLog::CreateSchema(db_));
  SZ_RETURN_IF_ERROR(CreateRequestLogSchema(db_));
  SZ_RETURN_IF_ERROR(identity::Identity::CreateSchema(db_));
  return CreateAnalysisSchema(db_);
}

// The audit trail and identity service, with their keys unwrapped from zone_keys.
Status Zone::LoadServices(const ZoneOptions& options) {
  clock_ = options.clock ? options.clock : &SystemClock::Get();
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes seed, Key(kSigningSeedKey));
  SZ_ASSIGN_OR_RETURN(signing_, audit::SigningKey::FromSeed(seed));
  SZ_ASSIGN_OR_RETURN(audit_query_key_, Key(kAuditQueryKey));
  SZ_ASSIGN_OR_RETURN(totp_key_, Key(kTotpKey));
  audit::AuditOptions audit_options;
  audit_options.checkpoint_interval = options.audit_checkpoint_interval;
  audit_ = std::make_unique<audit::AuditLog>(*clock_, signing_, audit_query_key_, audit_options);
  identity_ = std::make_unique<identity::Identity>(db_, *clock_, *audit_, totp_key_);
  return OkStatus();
}

Status KeyFileOutsideZone(const std::string& key_file, const std::string& zone_dir) {
  if (!storage::PathIsInside(key_file, zone_dir)) return OkStatus();
  return InvalidArgument(fmt::format(
      "the master key file must live outside the zone directory (got {}): a copy of the "
      "zone must not carry its own key",
      key_file));
}

Result<std::unique_ptr<Zone>> Zone::Init(const ZoneOptions& options, const InitOptions& init) {
  SZ_RETURN_IF_ERROR(ValidateName("zone", init.name));
  std::error_code ec;
  bool existed = fs::exists(options.dir, ec);
  if (existed && !IsEmptyDir(options.dir)) {
    return AlreadyExists(fmt::format("{} exists and is not empty; a zone needs a new directory",
                                     options.dir));
  }
  if (!options.key.file.empty()) SZ_RETURN_IF_ERROR(KeyFileOutsideZone(options.key.file, options.dir));
  bool key_created = false;
  if (!options.key.file.empty() && !fs::exists(options.key.file, ec)) {
    if (!init.create_key) {
      return FailedPrecondition(fmt::format("master key file {} does not exist", options.key.file));
    }
    SZ_RETURN_IF_ERROR(crypto::CreateMasterKeyFile(options.key.file));
    key_created = true;
  }
  auto zone = std::unique_ptr<Zone>(new Zone());
  zone->dir_ = fs::absolute(options.dir).lexically_normal().string();
  zone->env_ = options.env ? options.env : storage::Env::Default();
  zone->key_source_ = options.key;
  auto cleanup = [&] {
    if (!existed) fs::remove_all(zone->dir_, ec);
    else for (const auto& e : fs::directory_iterator(zone->dir_, ec)) fs::remove_all(e.path(), ec);
    if (key_created) fs::remove(options.key.file, ec);
  };
  Status s = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(zone->master_, crypto::LoadMasterKey(options.key));
    for (const std::string& d : {zone->dir_, zone->DataDir(), zone->UploadDir(), zone->TmpDir()}) {
      SZ_RETURN_IF_ERROR(zone->env_->CreateDir(d, 0700));
      ::chmod(d.c_str(), 0700);
    }
    SZ_RETURN_IF_ERROR(zone->OpenStorage(/*create=*/true));
    zone->zone_id_ = crypto::ToHex(crypto::RandomBytes(16));
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone->db_));
    const std::pair<std::string_view, std::string> meta[] = {
        {"zone_id", zone->zone_id_},
        {"format_version", std::string(kFormatVersion)},
        {"name", init.name},
        {"created_at", FormatUtc(SystemClock::Get().Now())},
        {"master_key_fingerprint", zone->MasterKeyFingerprint()},
    };
    for (const auto& [k, v] : meta) {
      SZ_RETURN_IF_ERROR(zone->db_.Run("INSERT INTO zone_meta(key, value) VALUES (?1, ?2)", k, v));
    }
    for (std::string_view purpose : {kSigningSeedKey, kAuditQueryKey, kTotpKey}) {
      SZ_RETURN_IF_ERROR(zone->CreateKey(purpose).status());
    }
    SZ_RETURN_IF_ERROR(txn.Commit());
    return zone->LoadServices(options);
  }();
  if (!s.ok()) {
    zone->identity_.reset();
    zone->audit_.reset();
    zone->db_ = storage::SqliteDb();
    cleanup();
    return s;
  }
  ::chmod((zone->dir_ + "/zone.db").c_str(), 0600);
  return zone;
}

Result<std::unique_ptr<Zone>> Zone::Open(const ZoneOptions& options) {
  std::error_code ec;
  if (!fs::exists(fs::path(options.dir) / "zone.db", ec)) {
    return NotFound(fmt::format("no zone at {} (create one with: safezone init {})", options.dir,
                                options.dir));
  }
  auto zone = std::unique_ptr<Zone>(new Zone());
  zone->dir_ = fs::absolute(options.dir).lexically_normal().string();
  zone->env_ = options.env ? options.env : storage::Env::Default();
  zone->key_source_ = options.key;
  SZ_ASSIGN_OR_RETURN(zone->master_, crypto::LoadMasterKey(options.key));
  SZ_RETURN_IF_ERROR(zone->OpenStorage(/*create=*/false));
  SZ_ASSIGN_OR_RETURN(std::string expected, zone->Meta("master_key_fingerprint"));
  if (!crypto::ConstantTimeEquals(expected, zone->MasterKeyFingerprint())) {
    return PermissionDenied(fmt::format(
        "the master key does not belong to the zone at {} (key fingerprint {}, the zone "
        "expects {})",
        options.dir, zone->MasterKeyFingerprint(), expected));
  }
  SZ_ASSIGN_OR_RETURN(zone->zone_id_, zone->Meta("zone_id"));
  SZ_RETURN_IF_ERROR(zone->LoadServices(options));
  SZ_RETURN_IF_ERROR(zone->SweepTemporaryFiles());
  return zone;
}

Result<std::string> Zone::Meta(std::string_view key) {
  SZ_ASSIGN_OR_RETURN(auto st, db_.Query("SELECT value FROM zone_meta WHERE key = ?1", key));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

// Files in tmp/ belong to imports that never finished. A live writer names its files
// "<pid>-..." so files of a process that is still running are left alone.
Status Zone::SweepTemporaryFiles() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(TmpDir(), ec)) {
    std::string name = entry.path().filename().string();
    pid_t pid = static_cast<pid_t>(std::atol(name.c_str()));
    bool alive = pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
    if (!alive) SZ_RETURN_IF_ERROR(env_->Remove(entry.path().string()));
  }
  return OkStatus();
}

Result<crypto::SecretBytes> Zone::CreateKey(std::string_view purpose) {
  crypto::SecretBytes key = crypto::SecretBytes::Random(crypto::kKeyBytes);
  SZ_RETURN_IF_ERROR(StoreKey(purpose, key));
  return key;
}

Status Zone::StoreKey(std::string_view purpose, const crypto::SecretBytes& key) {
  std::string wrapped = crypto::WrapKey(master_, key, purpose);
  SZ_ASSIGN_OR_RETURN(auto st, db_.Prepare(
      "INSERT INTO zone_keys(purpose, wrapped, created_at) VALUES (?1, ?2, ?3)"));
  st.Bind(1, purpose).BindBlob(2, wrapped).Bind(3, FormatUtc(SystemClock::Get().Now()));
  return st.Run();
}

Result<crypto::SecretBytes> Zone::Key(std::string_view purpose) {
  SZ_ASSIGN_OR_RETURN(auto st, db_.Query("SELECT wrapped FROM zone_keys WHERE purpose = ?1", purpose));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(fmt::format("no key for {}", purpose));
  return crypto::UnwrapKey(master_, st.Blob(0), purpose);
}

Status Zone::RotateMasterKey(const crypto::SecretBytes& new_master) {
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(db_));
  std::vector<std::pair<std::string, std::string>> rewrapped;
  {
    SZ_ASSIGN_OR_RETURN(auto st, db_.Query("SELECT purpose, wrapped FROM zone_keys ORDER BY purpose"));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      std::string purpose = st.Text(0);
      SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, crypto::UnwrapKey(master_, st.Blob(1), purpose));
      rewrapped.emplace_back(purpose, crypto::WrapKey(new_master, key, purpose));
    }
  }
  for (const auto& [purpose, wrapped] : rewrapped) {
    SZ_ASSIGN_OR_RETURN(auto st, db_.Prepare("UPDATE zone_keys SET wrapped = ?2 WHERE purpose = ?1"));
    st.Bind(1, purpose).BindBlob(2, wrapped);
    SZ_RETURN_IF_ERROR(st.Run());
  }
  SZ_RETURN_IF_ERROR(db_.Run("UPDATE zone_meta SET value = ?1 WHERE key = 'master_key_fingerprint'",
                             crypto::KeyFingerprint(new_master)));
  SZ_RETURN_IF_ERROR(txn.Commit());
  master_ = new_master.Clone();
  return OkStatus();
}

}  // namespace sz::zone
