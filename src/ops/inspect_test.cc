// The security self-inspection: a zone set up with each problem produces the matching
// finding, and a clean zone produces none above info.
#include "ops/inspect.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "audit/audit_log.h"
#include "identity/password.h"
#include "ops/backup.h"
#include "ops/inspect_json.h"
#include "server/tls.h"
#include "test_util.h"
#include "zone/hierarchies.h"
#include "zone/ingest.h"
#include "zone/operator_accounts.h"
#include "zone/zone.h"

namespace sz::ops {
namespace {

namespace fs = std::filesystem;
using sz::testing::TempDir;

const std::string& StrongHash() {
  static const std::string hash = *identity::HashPassword("granite-heron-lantern-518");
  return hash;
}

void WriteFile(const std::string& path, std::string_view content, int mode = 0600) {
  std::ofstream(path, std::ios::binary) << content;
  ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

class InspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(tmp_ / "keys");
    fs::create_directories(tmp_ / "zones");
    ::chmod((tmp_ / "keys").c_str(), 0700);
    OpenNewZone("ops_zone");
  }

  // A fresh zone in ZONES/<name>, keyed by KEYS/<name>.key, with one administrator who
  // has a strong password, TOTP and a valid accreditation.
  void OpenNewZone(const std::string& name) {
    zone_.reset();
    options_ = zone::ZoneOptions();
    options_.dir = tmp_ / ("zones/" + name);
    options_.key.file = tmp_ / ("keys/" + name + ".key");
    options_.key.env_var = "";
    options_.clock = &clock_;
    auto z = zone::Zone::Init(options_, {.name = name});
    ASSERT_TRUE(z.ok()) << z.status().ToString();
    zone_ = std::move(*z);
    admin_ = AddUser("admin1", StrongHash(), {.roles = {"administrator"}});
  }

  struct UserSpec {
    std::vector<std::string> roles;
    bool totp = true;
    bool must_change = false;
    std::optional<std::string> accreditation = "2030-01-01";
    int64_t created_days_ago = 30;
  };
  int64_t AddUser(const std::string& username, const std::string& hash, const UserSpec& spec) {
    auto& db = zone_->db();
    int64_t created = ToUnix(clock_.Now()) - spec.created_days_ago * 86400;
    EXPECT_TRUE(db.Run("INSERT INTO identity_users(username, display_name, status, password_hash, "
                       "must_change_password, totp_confirmed, accreditation_expires, created_at, "
                       "updated_at) VALUES (?1, ?1, 'active', ?2, ?3, ?4, ?5, ?6, ?6)",
                       username, hash, spec.must_change ? 1 : 0, spec.totp ? 1 : 0,
                       spec.accreditation, created)
                    .ok());
    int64_t id = db.LastInsertId();
    for (const std::string& role : spec.roles) {
      EXPECT_TRUE(db.Run("INSERT INTO identity_roles(user_id, role, project_id, granted_by, "
                         "granted_at) VALUES (?1, ?2, 0, 0, 0)",
                         id, role)
                      .ok());
    }
    return id;
  }

  // The weak-password check is slow by design (Argon2id); most tests skip it.
  static InspectOptions Fast() {
    InspectOptions o;
    o.password_time_budget = std::chrono::milliseconds(0);
    return o;
  }

  InspectionReport Inspect(const InspectOptions& options = Fast()) {
    auto r = InspectZone(*zone_, zone::Caller::Operator(), options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : InspectionReport{};
  }

  void Backup(const std::string& dest) {
    auto b = BackupZone(*zone_, zone::Caller::Operator(), {dest});
    ASSERT_TRUE(b.ok()) << b.status().ToString();
  }

  static const Finding* Find(const InspectionReport& r, std::string_view check) {
    for (const Finding& f : r.findings) {
      if (f.check == check) return &f;
    }
    return nullptr;
  }

  static std::string Dump(const InspectionReport& r) {
    std::string out;
    for (const Finding& f : r.findings) {
      out += std::string(SeverityName(f.severity)) + " " + f.check + ": " + f.title + " [" +
             f.detail + "]\n";
    }
    return out;
  }

  static void Expect(const InspectionReport& r, std::string_view check, Severity severity) {
    const Finding* f = Find(r, check);
    ASSERT_NE(f, nullptr) << check << " missing in\n" << Dump(r);
    EXPECT_EQ(f->severity, severity) << check << "\n" << Dump(r);
    if (severity != Severity::kInfo) {
      EXPECT_FALSE(f->fix.empty()) << check;
    }
  }

  TempDir tmp_;
  FakeClock clock_{SystemClock::Get().Now()};
  zone::ZoneOptions options_;
  std::unique_ptr<zone::Zone> zone_;
  int64_t admin_ = 0;
};

TEST_F(InspectTest, CleanZoneHasNothingAboveInfo) {
  // An officer's sealed hierarchy is a referenced file, neither orphaned nor unexpected.
  ASSERT_TRUE(zone::UploadHierarchy(*zone_, zone::Caller::Operator(), "sex", "M;*\nF;*\n").ok());
  Backup(tmp_ / "backups/b1");
  InspectionReport r = Inspect(InspectOptions{});  // with the full password check
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.severity, Severity::kInfo) << Dump(r);
  }
  EXPECT_FALSE(r.Failing());
  Expect(r, "audit.chain", Severity::kInfo);
  Expect(r, "backup.age", Severity::kInfo);
  Expect(r, "accounts.password_check", Severity::kInfo);
  Expect(r, "tls.settings", Severity::kInfo);
  // The inspection is itself audited.
  auto last = audit::LastSeq(zone_->db());
  auto entries = audit::ReadEntries(zone_->db(), *last, 1);
  ASSERT_TRUE(entries.ok() && entries->size() == 1u);
  EXPECT_EQ((*entries)[0].action, "zone.inspect");
}

TEST_F(InspectTest, MasterKeyInsideTheZoneIsCritical) {
  std::string inside = options_.dir + "/master.key";
  fs::copy_file(options_.key.file, inside);
  ::chmod(inside.c_str(), 0600);
  zone_.reset();
  options_.key.file = inside;
  auto z = zone::Zone::Open(options_);
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  zone_ = std::move(*z);
  InspectionReport r = Inspect();
  Expect(r, "master_key.location", Severity::kCritical);
  EXPECT_TRUE(r.Failing());
}

TEST_F(InspectTest, ReadableKeyIsCriticalEvenWhenTheZoneWillNotOpen) {
  zone_.reset();
  ::chmod(options_.key.file.c_str(), 0640);
  auto z = zone::Zone::Open(options_);
  ASSERT_FALSE(z.ok());
  InspectionReport r = InspectUnopenedZone(options_.dir, options_.key, z.status(), clock_.Now());
  Expect(r, "master_key.permissions", Severity::kCritical);
  Expect(r, "zone.open", Severity::kCritical);
  EXPECT_NE(Find(r, "master_key.permissions")->fix.find("chmod 600"), std::string::npos);
}

TEST_F(InspectTest, KeyBesideTheBackupsIsHigh) {
  Backup(tmp_ / "keys/backup-1");
  Expect(Inspect(), "master_key.backup_location", Severity::kHigh);
}

TEST_F(InspectTest, KeyBesideTheZoneIsLow) {
  // The demo's own layout: DIR/zone and DIR/master.key.
  zone_.reset();
  options_.dir = tmp_ / "zones/beside";
  options_.key.file = tmp_ / "zones/beside.key";
  auto z = zone::Zone::Init(options_, {.name = "beside"});
  ASSERT_TRUE(z.ok());
  zone_ = std::move(*z);
  Expect(Inspect(), "master_key.beside_zone", Severity::kLow);
}

TEST_F(InspectTest, SelfSignedCertificateInARealZoneButNotInADemo) {
  auto cert = server::MakeSelfSigned("t", {"localhost"}, 365);
  ASSERT_TRUE(cert.ok());
  fs::create_directories(options_.dir + "/tls");
  WriteFile(options_.dir + "/tls/cert.pem", cert->cert_pem, 0644);
  Expect(Inspect(), "tls.self_signed", Severity::kMedium);

  OpenNewZone("demo");
  fs::create_directories(options_.dir + "/tls");
  WriteFile(options_.dir + "/tls/cert.pem", cert->cert_pem, 0644);
  Expect(Inspect(), "tls.self_signed", Severity::kInfo);
}

TEST_F(InspectTest, ExpiringAndExpiredCertificates) {
  auto soon = server::MakeSelfSigned("t", {"localhost"}, 10);
  ASSERT_TRUE(soon.ok());
  fs::create_directories(options_.dir + "/tls");
  WriteFile(options_.dir + "/tls/cert.pem", soon->cert_pem, 0644);
  // The zone's own certificate is replaced at the next start: low.
  Expect(Inspect(), "tls.expiring", Severity::kLow);
  // A configured one needs the operator: medium; its key file must be private.
  InspectOptions configured = Fast();
  configured.tls_cert_file = tmp_ / "server.pem";
  configured.tls_key_file = tmp_ / "server.key";
  WriteFile(configured.tls_cert_file, soon->cert_pem, 0644);
  WriteFile(configured.tls_key_file, "not really a key", 0644);
  InspectionReport r = Inspect(configured);
  Expect(r, "tls.expiring", Severity::kMedium);
  Expect(r, "tls.key_permissions", Severity::kHigh);
  clock_.Advance(std::chrono::days(20));
  r = Inspect();
  Expect(r, "tls.expired", Severity::kHigh);
  EXPECT_EQ(Find(r, "tls.expiring"), nullptr);
}

TEST_F(InspectTest, DemoAndWeakPasswordsAreFoundInTheHashes) {
  std::string demo = zone::DemoAccountOptions{}.password;
  int64_t demo_user = AddUser("demo.user", *identity::HashPassword(demo), {.roles = {"analyst"}});
  AddUser("weak.user", *identity::HashPassword("password1234"), {.roles = {"analyst"}});
  InspectionReport r = Inspect(InspectOptions{});
  Expect(r, "accounts.demo_password", Severity::kCritical);
  Expect(r, "accounts.weak_password", Severity::kHigh);
  EXPECT_EQ(Find(r, "accounts.demo_password")->detail,
            "user:" + std::to_string(demo_user) + "/demo.user");
  EXPECT_EQ(Find(r, "accounts.weak_password")->detail.find("admin1"), std::string::npos);
  // No password appears in any finding.
  std::string json = ToJson(r).dump();
  EXPECT_EQ(json.find(demo), std::string::npos);
  EXPECT_EQ(json.find("password1234"), std::string::npos);

  OpenNewZone("demo");
  AddUser("demo.user", *identity::HashPassword(demo), {.roles = {"analyst"}});
  Expect(Inspect(InspectOptions{}), "accounts.demo_password", Severity::kLow);
}

TEST_F(InspectTest, ThePasswordCheckIsBoundedInTime) {
  AddUser("demo.user", *identity::HashPassword(zone::DemoAccountOptions{}.password),
          {.roles = {"analyst"}});
  InspectionReport r = Inspect();  // budget 0
  EXPECT_EQ(Find(r, "accounts.demo_password"), nullptr);
  Expect(r, "accounts.password_check_incomplete", Severity::kInfo);
}

TEST_F(InspectTest, MissingSecondFactorAndStaleTemporaryPasswords) {
  AddUser("no.totp", StrongHash(), {.roles = {"analyst"}, .totp = false});
  int64_t stale = AddUser("stale.temp", StrongHash(),
                          {.roles = {"analyst"}, .must_change = true, .created_days_ago = 10});
  AddUser("fresh.temp", StrongHash(),
          {.roles = {"analyst"}, .must_change = true, .created_days_ago = 1});
  // Created long ago, but an administrator reset the password yesterday.
  int64_t reset = AddUser("reset.temp", StrongHash(),
                          {.roles = {"analyst"}, .must_change = true, .created_days_ago = 40});
  {
    Time now = clock_.Now();
    clock_.Set(now - std::chrono::days(1));
    auto txn = storage::Transaction::Begin(zone_->db());
    ASSERT_TRUE(txn.ok());
    audit::Entry e;
    e.actor = "user:1/admin1";
    e.action = "user.reset_credentials";
    e.object = "user:" + std::to_string(reset);
    e.reason = "allowed; password reset";
    ASSERT_TRUE(zone_->audit().Append(zone_->db(), e).ok());
    ASSERT_TRUE(txn->Commit().ok());
    clock_.Set(now);
  }
  InspectionReport r = Inspect();
  Expect(r, "accounts.no_second_factor", Severity::kMedium);
  EXPECT_NE(Find(r, "accounts.no_second_factor")->detail.find("no.totp"), std::string::npos);
  Expect(r, "accounts.stale_temporary_password", Severity::kMedium);
  EXPECT_EQ(Find(r, "accounts.stale_temporary_password")->detail,
            "user:" + std::to_string(stale) + "/stale.temp");
}

TEST_F(InspectTest, AccreditationsOfProjectMembersAndAdministrators) {
  int64_t expired = AddUser("expired.member", StrongHash(),
                            {.roles = {"analyst"}, .accreditation = "2020-01-01"});
  int64_t fine = AddUser("fine.member", StrongHash(), {.roles = {"analyst"}});
  AddUser("admin.unaccredited", StrongHash(),
          {.roles = {"administrator"}, .accreditation = std::nullopt});
  auto& db = zone_->db();
  ASSERT_TRUE(db.Run("INSERT INTO projects(id, name, purpose, state, start_date, end_date, "
                     "created_by, created_at) VALUES (1, 'study', 'p', 'approved', '2020-01-01', "
                     "'2099-12-31', 'operator', 'x'), (2, 'old', 'p', 'closed', '2020-01-01', "
                     "'2099-12-31', 'operator', 'x')")
                  .ok());
  for (auto [project, user] : {std::pair{1, expired}, {1, fine}, {2, expired}}) {
    ASSERT_TRUE(db.Run("INSERT INTO project_members(project_id, user_id, role, added_by, "
                       "added_at) VALUES (?1, ?2, 'analyst', 'operator', 'x')",
                       project, user)
                    .ok());
  }
  InspectionReport r = Inspect();
  Expect(r, "accounts.expired_accreditation_in_project", Severity::kHigh);
  EXPECT_EQ(Find(r, "accounts.expired_accreditation_in_project")->detail,
            "user:" + std::to_string(expired) + "/expired.member in project study (expired "
            "2020-01-01)");
  Expect(r, "accounts.admin_not_accredited", Severity::kMedium);
  EXPECT_EQ(Find(r, "accounts.admin_not_accredited")->detail.find("admin1"), std::string::npos);
}

TEST_F(InspectTest, PlaintextPersonalDataInTheZoneDirectoryIsCritical) {
  WriteFile(options_.dir + "/export_copy.csv",
            "name,rrn,phone\nkim,900101-1234568,010-1234-5678\nlee,8501012345678,01098765432\n");
  WriteFile(options_.dir + "/data/900101-1234568.txt", "nothing personal here");
  WriteFile(options_.dir + "/notes.txt", "meeting at 10:30, room 4");
  InspectionReport r = Inspect();
  Expect(r, "files.plaintext_personal_data", Severity::kCritical);
  const Finding* plain = Find(r, "files.plaintext_personal_data");
  EXPECT_NE(plain->detail.find("export_copy.csv: 2 resident registration numbers, 2 mobile "
                               "phone numbers"),
            std::string::npos)
      << plain->detail;
  Expect(r, "files.unexpected", Severity::kMedium);
  const Finding* other = Find(r, "files.unexpected");
  EXPECT_NE(other->detail.find("notes.txt"), std::string::npos);
  // The file named after an RRN is listed with its digits masked.
  EXPECT_NE(other->detail.find("data/******-*******.txt"), std::string::npos) << other->detail;
  std::string json = ToJson(r).dump();
  for (const char* value : {"900101", "1234-5678", "8501012345678", "98765432"}) {
    EXPECT_EQ(json.find(value), std::string::npos) << value;
  }
}

TEST_F(InspectTest, IdentifiersInTheControlPlaneAreCritical) {
  ASSERT_TRUE(zone_->db()
                  .Run("INSERT INTO zone_meta(key, value) VALUES ('note', 'call 010-2345-6789')")
                  .ok());
  Expect(Inspect(), "files.plaintext_in_control_plane", Severity::kCritical);
}

TEST_F(InspectTest, MissingOrphanAndStaleFiles) {
  std::string csv = tmp_ / "trips.csv";
  WriteFile(csv, "trip,fare\n1,1500\n2,1400\n");
  zone::ImportRequest req;
  req.path = csv;
  req.name = "trips";
  req.sector = "transportation";
  req.tier = "non_open";
  req.provider = "seoul_metro";
  req.threads = 1;
  auto imported = zone::ImportDataset(*zone_, zone::Caller::Operator(), req);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  auto st = zone_->db().Query("SELECT file FROM dataset_versions");
  ASSERT_TRUE(st.ok() && *st->Step());
  std::string file = options_.dir + "/" + st->Text(0);
  fs::copy_file(file, options_.dir + "/data/stray.szp");
  fs::remove(file);
  std::string tmp_file = options_.dir + "/tmp/" + std::to_string(::getpid()) + "-import.szp";
  fs::copy_file(options_.dir + "/data/stray.szp", tmp_file);
  fs::last_write_time(tmp_file, fs::file_time_type::clock::now() - std::chrono::hours(7));

  InspectionReport r = Inspect();
  Expect(r, "files.missing_sealed", Severity::kHigh);
  EXPECT_EQ(Find(r, "files.missing_sealed")->detail, "dataset trips v1");
  Expect(r, "files.orphan_sealed", Severity::kLow);
  EXPECT_EQ(Find(r, "files.orphan_sealed")->detail, "data/stray.szp");
  Expect(r, "files.stale_tmp", Severity::kLow);
  EXPECT_EQ(Find(r, "files.unexpected"), nullptr);  // sealed files are expected
}

TEST_F(InspectTest, TamperedAuditTrailIsCritical) {
  Expect(Inspect(), "audit.chain", Severity::kInfo);  // writes entry 1
  auto& db = zone_->db();
  ASSERT_TRUE(db.Exec("DROP TRIGGER audit_entries_no_update").ok());
  ASSERT_TRUE(db.Exec("UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 1").ok());
  InspectionReport r = Inspect();
  Expect(r, "audit.chain", Severity::kCritical);
  EXPECT_NE(Find(r, "audit.chain")->title.find("entry 1"), std::string::npos);
}

TEST_F(InspectTest, BackupAge) {
  Expect(Inspect(), "backup.none", Severity::kMedium);
  Backup(tmp_ / "backups/b1");
  Expect(Inspect(), "backup.age", Severity::kInfo);
  clock_.Advance(std::chrono::days(8));
  Expect(Inspect(), "backup.age", Severity::kMedium);
}

TEST_F(InspectTest, DemoAccountsFileBesideTheZone) {
  WriteFile(tmp_ / "zones/demo-accounts.json", "[]");
  Expect(Inspect(), "files.demo_accounts", Severity::kCritical);
}

TEST_F(InspectTest, ZoneDirectoryAndDatabaseMustBePrivate) {
  ::chmod(options_.dir.c_str(), 0750);
  ::chmod((options_.dir + "/zone.db").c_str(), 0644);
  InspectionReport r = Inspect();
  int permissions = 0;
  for (const Finding& f : r.findings) permissions += f.check == "files.permissions";
  EXPECT_EQ(permissions, 2) << Dump(r);
  Expect(r, "files.permissions", Severity::kHigh);
}

TEST_F(InspectTest, OnlyAdministratorsMayInspect) {
  authz::Actor analyst;
  analyst.user_id = 9;
  analyst.username = "kim";
  analyst.roles = {{authz::Role::kAnalyst, 0}};
  analyst.accreditation_expires = Date{std::chrono::year(2099), std::chrono::month(1),
                                       std::chrono::day(1)};
  analyst.today = SeoulDate(clock_.Now());
  analyst.method = authz::AuthMethod::kSession;
  EXPECT_EQ(InspectZone(*zone_, zone::Caller::Person(analyst, "r"), Fast()).status().code(),
            Code::kPermissionDenied);
}

TEST_F(InspectTest, JsonRoundTripsAndCounts) {
  InspectionReport r = Inspect();
  nlohmann::json j = ToJson(r);
  EXPECT_EQ(j["counts"]["medium"].get<int>(), r.Count(Severity::kMedium));
  EXPECT_EQ(j["failing"].get<bool>(), r.Failing());
  auto back = InspectionFromJson(j);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ToJson(*back), j);
}

}  // namespace
}  // namespace sz::ops
