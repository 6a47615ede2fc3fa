// Backups: a backup opens with the key and every version authenticates; a backup made
// while an import runs in another connection is consistent; bad destinations, damaged
// copies and wrong keys are refused.
#include "ops/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audit/audit_log.h"
#include "fmt/format.h"
#include "test_util.h"
#include "zone/catalog.h"
#include "zone/dataset_files.h"
#include "zone/hierarchies.h"
#include "zone/ingest.h"
#include "zone/zone.h"

namespace sz::ops {
namespace {

namespace fs = std::filesystem;
using sz::testing::TempDir;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.dir = tmp_ / "zone";
    options_.key.file = tmp_ / "master.key";
    options_.key.env_var = "";
    options_.clock = &clock_;
    auto z = zone::Zone::Init(options_, {.name = "backup_zone"});
    ASSERT_TRUE(z.ok()) << z.status().ToString();
    zone_ = std::move(*z);
  }

  static Status Import(zone::Zone& zone, const std::string& csv_path, const std::string& name) {
    zone::ImportRequest r;
    r.path = csv_path;
    r.name = name;
    r.sector = "transportation";
    r.tier = "non_open";
    r.provider = "seoul_metro";
    r.threads = 1;
    return zone::ImportDataset(zone, zone::Caller::Operator(), r).status();
  }

  std::string Csv(const std::string& name, int rows) {
    std::string path = tmp_ / (name + ".csv");
    std::ofstream f(path, std::ios::binary);
    f << "trip_id,line,fare\n";
    for (int i = 0; i < rows; ++i) f << i << ",L" << (i % 9) << "," << 1200 + i % 700 << "\n";
    return path;
  }

  zone::ZoneOptions CopyOptions(const std::string& dir) {
    zone::ZoneOptions o = options_;
    o.dir = dir;
    return o;
  }

  static int64_t Count(storage::SqliteDb& db, const char* table) {
    auto st = db.Query(fmt::format("SELECT COUNT(*) FROM {}", table));
    return st.ok() && *st->Step() ? st->Int64(0) : -1;
  }

  TempDir tmp_;
  FakeClock clock_{SystemClock::Get().Now()};
  zone::ZoneOptions options_;
  std::unique_ptr<zone::Zone> zone_;
};

TEST_F(BackupTest, ABackupOpensWithTheKeyAndEveryVersionAuthenticates) {
  ASSERT_TRUE(Import(*zone_, Csv("trips", 50), "trips").ok());
  ASSERT_TRUE(Import(*zone_, Csv("fares", 20), "fares").ok());
  std::string dest = tmp_ / "backups/2026-11-30";
  auto b = BackupZone(*zone_, zone::Caller::Operator(), {dest});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->dest, dest);
  EXPECT_EQ(b->files, 5);  // zone.db, two versions, two raw uploads
  EXPECT_EQ(b->verified.dataset_versions, 2);
  EXPECT_EQ(b->verified.uploads, 2);
  EXPECT_GT(b->verified.audit_entries, 0);

  // The copy is a zone: it opens with the same key and reads back.
  auto copy = zone::Zone::Open(CopyOptions(dest));
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  zone::Catalog catalog(**copy);
  auto version = catalog.Version("trips");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->row_count, 50);
  EXPECT_TRUE(zone::OpenVersion(**copy, "trips", *version).ok());
  EXPECT_EQ((*copy)->zone_id(), zone_->zone_id());
  struct stat st {};
  ASSERT_EQ(::stat((dest + "/zone.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dest.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_FALSE(fs::exists(dest + "/master.key"));

  // The zone records when and where, with an audit entry.
  EXPECT_EQ(*zone_->Meta(kLastBackupDest), dest);
  EXPECT_EQ(*zone_->Meta(kLastBackupTime), b->time);
  auto last = audit::LastSeq(zone_->db());
  auto entries = audit::ReadEntries(zone_->db(), *last, 1);
  ASSERT_TRUE(entries.ok() && entries->size() == 1u);
  EXPECT_EQ((*entries)[0].action, "zone.configure");
  EXPECT_NE((*entries)[0].reason.find("backup: 5 files"), std::string::npos);
}

// Officers' hierarchies are sealed files too (uploads/*.szh): a backup without them
// would lose them, so the copy must carry and verify them.
TEST_F(BackupTest, UploadedHierarchiesAreCopiedAndVerified) {
  ASSERT_TRUE(zone::UploadHierarchy(*zone_, zone::Caller::Operator(), "sex", "M;*\nF;*\n").ok());
  std::string dest = tmp_ / "backups/h";
  auto b = BackupZone(*zone_, zone::Caller::Operator(), {dest});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->files, 2);  // zone.db and the hierarchy
  EXPECT_EQ(b->verified.hierarchies, 1);
  auto copy = zone::Zone::Open(CopyOptions(dest));
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  auto text = zone::ReadHierarchyText(**copy, "sex");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "M;*\nF;*\n");
}

TEST_F(BackupTest, ABackupWhileAnImportRunsElsewhereIsConsistent) {
  ASSERT_TRUE(Import(*zone_, Csv("small", 10), "small").ok());
  std::string big = Csv("big", 200000);
  std::atomic<bool> done{false};
  Status imported;
  std::thread importer([&] {
    auto other = zone::Zone::Open(options_);  // its own connection, as another process would
    imported = other.ok() ? Import(**other, big, "big") : other.status();
    done = true;
  });
  // Back up over and over while the import runs; every copy must be a zone whose catalog
  // and files agree (BackupZone verifies each), holding the import entirely or not at all.
  std::vector<int64_t> datasets;
  for (int i = 0; i < 30 && (i == 0 || !done); ++i) {
    std::string dest = tmp_ / fmt::format("backups/b{}", i);
    auto b = BackupZone(*zone_, zone::Caller::Operator(), {dest});
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    auto copy = zone::Zone::Open(CopyOptions(dest));
    ASSERT_TRUE(copy.ok());
    int64_t n = Count((*copy)->db(), "datasets");
    EXPECT_EQ(n, Count((*copy)->db(), "dataset_versions"));
    EXPECT_EQ(b->verified.dataset_versions, n);
    EXPECT_TRUE(n == 1 || n == 2) << n;
    datasets.push_back(n);
    copy->reset();
    fs::remove_all(dest);  // keep the disk small
  }
  importer.join();
  ASSERT_TRUE(imported.ok()) << imported.ToString();
  // Once a backup held the new dataset, every later one does too.
  for (size_t i = 1; i < datasets.size(); ++i) EXPECT_GE(datasets[i], datasets[i - 1]);
  auto after = BackupZone(*zone_, zone::Caller::Operator(), {tmp_ / "backups/after"});
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->verified.dataset_versions, 2);
  EXPECT_EQ(after->verified.uploads, 2);
}

TEST_F(BackupTest, BadDestinationsAreRefusedAndNothingIsRecorded) {
  fs::create_directories(tmp_ / "full");
  std::ofstream(tmp_ / "full/x") << "x";
  EXPECT_EQ(BackupZone(*zone_, zone::Caller::Operator(), {tmp_ / "full"}).status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(BackupZone(*zone_, zone::Caller::Operator(), {options_.dir + "/data/b"})
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(BackupZone(*zone_, zone::Caller::Operator(), {""}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(*zone_->Meta(kLastBackupTime), "");
}

TEST_F(BackupTest, AMissingSealedFileFailsTheBackupAndLeavesNoCopy) {
  ASSERT_TRUE(Import(*zone_, Csv("trips", 5), "trips").ok());
  auto st = zone_->db().Query("SELECT file FROM dataset_versions");
  ASSERT_TRUE(st.ok() && *st->Step());
  fs::remove(options_.dir + "/" + st->Text(0));
  std::string dest = tmp_ / "b";
  auto b = BackupZone(*zone_, zone::Caller::Operator(), {dest});
  EXPECT_EQ(b.status().code(), Code::kDataLoss) << b.status().ToString();
  EXPECT_NE(b.status().message().find("dataset trips v1"), std::string::npos);
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_EQ(*zone_->Meta(kLastBackupTime), "");
  // The failure is audited.
  auto last = audit::LastSeq(zone_->db());
  auto entries = audit::ReadEntries(zone_->db(), *last, 1);
  ASSERT_TRUE(entries.ok() && entries->size() == 1u);
  EXPECT_EQ((*entries)[0].outcome, "error");
}

TEST_F(BackupTest, DamagedCopiesAndWrongKeysDoNotVerify) {
  ASSERT_TRUE(Import(*zone_, Csv("trips", 30), "trips").ok());
  std::string dest = tmp_ / "b";
  auto b = BackupZone(*zone_, zone::Caller::Operator(), {dest});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(VerifyZoneCopy(CopyOptions(dest)).ok());

  zone::ZoneOptions wrong = CopyOptions(dest);
  wrong.key.file = tmp_ / "other.key";
  ASSERT_TRUE(crypto::CreateMasterKeyFile(wrong.key.file).ok());
  EXPECT_EQ(VerifyZoneCopy(wrong).status().code(), Code::kPermissionDenied);

  auto st = zone_->db().Query("SELECT file FROM dataset_versions");
  ASSERT_TRUE(st.ok() && *st->Step());
  std::string file = dest + "/" + st->Text(0);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    char c = 0;
    f.read(&c, 1);
    f.seekp(100);
    c = static_cast<char>(c ^ 0x01);
    f.write(&c, 1);
  }
  auto damaged = VerifyZoneCopy(CopyOptions(dest));
  EXPECT_EQ(damaged.status().code(), Code::kDataLoss);
  EXPECT_NE(damaged.status().message().find("dataset trips v1"), std::string::npos);
}

}  // namespace
}  // namespace sz::ops
