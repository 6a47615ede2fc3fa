#include "zone/zone.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace sz::zone {
namespace {

class ZoneTest : public ::testing::Test {
 protected:
  sz::testing::TempDir tmp_;
  ZoneOptions Options(const std::string& key = "master.key") {
    ZoneOptions o;
    o.dir = tmp_ / "zone";
    o.key.file = tmp_ / key;
    o.key.env_var = "";
    return o;
  }
};

TEST_F(ZoneTest, InitCreatesLayoutAndKeyOutsideWithPrivateModes) {
  auto z = Zone::Init(Options(), {});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  for (const char* d : {"data", "uploads", "tmp"}) EXPECT_TRUE(std::filesystem::is_directory(tmp_ / ("zone/" + std::string(d))));
  struct stat st;
  ASSERT_EQ(::stat((tmp_ / "master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((tmp_ / "zone").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ((*z)->zone_id().size(), 32u);
}

TEST_F(ZoneTest, InitRefusesKeyInsideZoneAndNonEmptyDirectory) {
  ZoneOptions o = Options();
  o.key.file = tmp_ / "zone/inner.key";
  EXPECT_EQ(Zone::Init(o, {}).status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "zone"));
  std::filesystem::create_directories(tmp_ / "zone");
  std::ofstream(tmp_ / "zone/stray") << "x";
  EXPECT_EQ(Zone::Init(Options(), {}).status().code(), Code::kAlreadyExists);
  EXPECT_TRUE(std::filesystem::exists(tmp_ / "zone/stray"));  // nothing of the user's removed
}

TEST_F(ZoneTest, OpenRefusesMissingWrongAndExposedKeys) {
  ASSERT_TRUE(Zone::Init(Options(), {}).ok());
  EXPECT_TRUE(Zone::Open(Options()).ok());
  // Missing.
  EXPECT_EQ(Zone::Open(Options("absent.key")).status().code(), Code::kFailedPrecondition);
  // Another key.
  ASSERT_TRUE(crypto::CreateMasterKeyFile(tmp_ / "other.key").ok());
  Status wrong = Zone::Open(Options("other.key")).status();
  EXPECT_EQ(wrong.code(), Code::kPermissionDenied);
  EXPECT_NE(wrong.message().find("does not belong"), std::string::npos);
  // World-readable.
  ::chmod((tmp_ / "master.key").c_str(), 0644);
  Status exposed = Zone::Open(Options()).status();
  EXPECT_EQ(exposed.code(), Code::kPermissionDenied);
  EXPECT_NE(exposed.message().find("chmod 600"), std::string::npos);
}

TEST_F(ZoneTest, OpenFromEnvironmentVariable) {
  ASSERT_TRUE(Zone::Init(Options(), {}).ok());
  auto key_text = storage::ReadSmallFile(tmp_ / "master.key");
  ASSERT_TRUE(key_text.ok());
  ::setenv("SZ_TEST_MASTER_KEY", key_text->c_str(), 1);
  ZoneOptions o = Options();
  o.key.file.clear();
  o.key.env_var = "SZ_TEST_MASTER_KEY";
  EXPECT_TRUE(Zone::Open(o).ok());
  ::unsetenv("SZ_TEST_MASTER_KEY");
  EXPECT_EQ(Zone::Open(o).status().code(), Code::kFailedPrecondition);
}

TEST_F(ZoneTest, KeysSurviveRotationAndOnlyTheNewMasterOpens) {
  auto z = Zone::Init(Options(), {});
  ASSERT_TRUE(z.ok());
  auto k1 = (*z)->CreateKey("dataset:a");
  ASSERT_TRUE(k1.ok());
  ASSERT_TRUE(crypto::CreateMasterKeyFile(tmp_ / "new.key").ok());
  auto fresh = crypto::LoadMasterKey({tmp_ / "new.key", ""});
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE((*z)->RotateMasterKey(*fresh).ok());
  z->reset();
  EXPECT_EQ(Zone::Open(Options()).status().code(), Code::kPermissionDenied);
  auto reopened = Zone::Open(Options("new.key"));
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto k2 = (*reopened)->Key("dataset:a");
  ASSERT_TRUE(k2.ok());
  EXPECT_TRUE(crypto::ConstantTimeEquals(k1->view(), k2->view()));
}

TEST_F(ZoneTest, WrappedKeyCannotBeUsedForAnotherPurpose) {
  auto z = Zone::Init(Options(), {});
  ASSERT_TRUE(z.ok());
  ASSERT_TRUE((*z)->CreateKey("dataset:a").ok());
  ASSERT_TRUE((*z)->db().Run("INSERT INTO zone_keys(purpose, wrapped, created_at) "
                             "SELECT 'dataset:b', wrapped, created_at FROM zone_keys WHERE purpose = 'dataset:a'").ok());
  EXPECT_EQ((*z)->Key("dataset:b").status().code(), Code::kDataLoss);
}

TEST_F(ZoneTest, ValidateNameRejectsPathCharacters) {
  EXPECT_TRUE(ValidateName("dataset", "card_payments_2024").ok());
  for (const char* bad : {"../x", "a/b", "A", "", "1abc", "a b", "a.b", "가나"}) {
    EXPECT_EQ(ValidateName("dataset", bad).code(), Code::kInvalidArgument) << bad;
  }
}

TEST_F(ZoneTest, OpenSweepsTemporaryFilesOfDeadProcesses) {
  ASSERT_TRUE(Zone::Init(Options(), {}).ok());
  std::ofstream(tmp_ / "zone/tmp/999999999-abc.szp") << "sealed leftovers";
  std::string mine = tmp_ / ("zone/tmp/" + std::to_string(::getpid()) + "-live.szp");
  std::ofstream(mine) << "in progress";
  ASSERT_TRUE(Zone::Open(Options()).ok());
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "zone/tmp/999999999-abc.szp"));
  EXPECT_TRUE(std::filesystem::exists(mine));
}

}  // namespace
}  // namespace sz::zone
