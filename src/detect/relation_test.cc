#include "detect/relation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "detect/test_printers.h"
#include "korea/rrn.h"
#include "storage/duck.h"
#include "storage/memfile.h"

namespace sz::detect {

namespace {

const ProfileOptions kOptions{0.6, 0.02, {2025, 6, 1}};

class ProfileRelationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    duck::Options options;
    options.threads = 2;
    auto db = duck::Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto conn = duck::Connection::Open(db_);
    ASSERT_TRUE(conn.ok());
    conn_ = std::move(*conn);
  }

  // 5,000 people: every column a different kind of data.
  void MakePeople() {
    ASSERT_TRUE(conn_.Execute("CREATE TABLE staging (rrn_num BIGINT, phone VARCHAR, email VARCHAR, "
                              "birth VARCHAR, 성별 VARCHAR, monthly_income DOUBLE, memo VARCHAR)")
                    .ok());
    auto app = duck::Appender::Create(conn_, "staging");
    ASSERT_TRUE(app.ok());
    for (int i = 0; i < 5000; ++i) {
      // Citizens born 1950-1999; the check digit from korea::RrnCheckDigit.
      std::string first12 = fmt::format("{:02d}{:02d}{:02d}{}{:05d}", 50 + i % 50, 1 + i % 12,
                                        1 + i % 28, 1 + i % 2, i);
      int64_t rrn = std::stoll(first12) * 10 + korea::RrnCheckDigit(first12, korea::RrnKind::kCitizen);
      app->Append(rrn)
          .Append(fmt::format("010-{:04d}-{:04d}", 2000 + (i * 37) % 8000, i % 10000))
          .Append(fmt::format("user{}@example.com", i))
          .Append(fmt::format("{}-{:02d}-{:02d}", 1950 + i % 50, 1 + i % 12, 1 + i % 28))
          .Append(i % 2 == 0 ? "남" : "여")
          .Append(1000.0 * (i % 700) + 0.5)
          .AppendNull();
      ASSERT_TRUE(app->EndRow().ok());
    }
    ASSERT_TRUE(app->Flush().ok());
    ASSERT_TRUE(conn_.Execute("CREATE TABLE people AS SELECT rrn_num, phone, email, "
                              "CAST(birth AS DATE) AS birth_date, 성별, monthly_income, memo "
                              "FROM staging")
                    .ok());
  }

  duck::Database db_;
  duck::Connection conn_;
};

std::map<std::string, ColumnProfile> ByName(const std::vector<ColumnProfile>& profiles) {
  std::map<std::string, ColumnProfile> out;
  for (const auto& p : profiles) out[p.column] = p;
  return out;
}

TEST_F(ProfileRelationTest, ProfilesEveryColumnOfATable) {
  MakePeople();
  auto profiles = ProfileRelation(conn_, "people", kDefaultSampleRows, kOptions);
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  ASSERT_EQ(profiles->size(), 7u);
  auto p = ByName(*profiles);
  EXPECT_EQ(p["rrn_num"].type, "BIGINT");
  EXPECT_EQ(p["rrn_num"].pattern, Pattern::kRrn);  // a numeric column, checked as text
  EXPECT_EQ(p["rrn_num"].matches[0].checksum_valid, 5000u);
  EXPECT_EQ(p["phone"].pattern, Pattern::kMobilePhone);
  EXPECT_EQ(p["email"].pattern, Pattern::kEmail);
  EXPECT_EQ(p["birth_date"].type, "DATE");
  EXPECT_EQ(p["birth_date"].pattern, Pattern::kDateOfBirth);
  EXPECT_EQ(p["birth_date"].proposed_role, Role::kQuasiIdentifier);
  EXPECT_EQ(p["성별"].pattern, Pattern::kSex);
  EXPECT_EQ(p["monthly_income"].proposed_role, Role::kSensitive);
  EXPECT_EQ(p["memo"].nulls, 5000u);
  EXPECT_EQ(p["memo"].proposed_role, Role::kOther);
  for (const auto& [name, profile] : p) {
    EXPECT_EQ(profile.sampled, 5000u) << name;  // smaller than the sample: all rows
  }
}

TEST_F(ProfileRelationTest, SamplesAtMostTheRequestedRowsDeterministically) {
  MakePeople();
  auto first = ProfileRelation(conn_, "people", 1000, kOptions);
  auto second = ProfileRelation(conn_, "people", 1000, kOptions);
  ASSERT_TRUE(first.ok() && second.ok());
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].sampled, 1000u);
    EXPECT_EQ((*first)[i].distinct, (*second)[i].distinct);
    EXPECT_EQ((*first)[i].evidence, (*second)[i].evidence);
  }
}

TEST_F(ProfileRelationTest, SampleIsUniformNotTheHead) {
  // 1,000 e-mails, then 4,000 phone numbers: a head-of-table sample of 1,000 rows would
  // see only e-mails; a uniform one sees about 80% phones.
  ASSERT_TRUE(conn_.Execute("CREATE TABLE contacts AS SELECT CASE WHEN i < 1000 THEN "
                            "'user' || i || '@example.com' ELSE printf('010-%04d-%04d', "
                            "2000 + i, i) END AS contact FROM range(5000) r(i)")
                  .ok());
  auto profiles = ProfileRelation(conn_, "contacts", 1000, kOptions);
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  const ColumnProfile& p = (*profiles)[0];
  EXPECT_EQ(p.sampled, 1000u);
  EXPECT_EQ(p.pattern, Pattern::kMobilePhone);
  EXPECT_GT(p.share, 0.7);
  EXPECT_LT(p.share, 0.9);
  // The same relation draws the same sample: the share is reproduced exactly (another
  // draw would almost surely move it).
  auto again = ProfileRelation(conn_, "contacts", 1000, kOptions);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].matches[0].matched, p.matches[0].matched);
  EXPECT_EQ((*again)[0].evidence, p.evidence);
}

TEST_F(ProfileRelationTest, ParquetWindowsSpanTheWholeFile) {
  // 20,000 e-mails, then 80,000 phone numbers in a Parquet file: windows spread over the
  // file see about 80% phones and about the requested number of rows.
  auto mem = storage::MemFile::Create("profile-test");
  ASSERT_TRUE(mem.ok());
  ASSERT_TRUE(conn_.Execute(fmt::format(
                  "COPY (SELECT CASE WHEN i < 20000 THEN 'user' || i || '@example.com' ELSE "
                  "printf('010-%04d-%04d', i % 10000, i // 10) END AS contact FROM range(100000) r(i)) "
                  "TO '{}' (FORMAT parquet, USE_TMP_FILE false)", mem->path())).ok());
  auto profiles = ProfileParquet(conn_, mem->path(), 10240, kOptions);
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  const ColumnProfile& p = (*profiles)[0];
  EXPECT_GE(p.sampled, 10240u);
  EXPECT_LE(p.sampled, 12288u);
  EXPECT_EQ(p.pattern, Pattern::kMobilePhone);
  EXPECT_GT(p.share, 0.7);
  EXPECT_LT(p.share, 0.9);
}

TEST_F(ProfileRelationTest, ReportsBadInputWithoutQuotingData) {
  auto zero = ProfileRelation(conn_, "people", 0, kOptions);
  EXPECT_EQ(zero.status().code(), Code::kInvalidArgument);
  auto missing = ProfileRelation(conn_, "no_such_table", 10, kOptions);
  EXPECT_EQ(missing.status().code(), Code::kInvalidArgument);
  // A conversion error quotes the offending value; the message must not.
  auto failing = ProfileRelation(
      conn_, "(SELECT CAST(v AS INTEGER) AS x FROM (VALUES ('900101-1234568')) t(v))", 10, kOptions);
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(failing.status().message().find("900101"), std::string::npos)
      << failing.status().message();
}

TEST_F(ProfileRelationTest, FindsIdentifiersInFebrl) {
  std::string relation = fmt::format("read_csv('{}/febrl/dataset1.csv', delim=', ', header=true, "
                                     "all_varchar=true)",
                                     SAFEZONE_SHARED_DATA);
  auto profiles = ProfileRelation(conn_, relation, kDefaultSampleRows, kOptions);
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  auto p = ByName(*profiles);
  ASSERT_EQ(p.size(), 11u);
  for (const auto* col : {"given_name", "surname"}) {
    EXPECT_EQ(p[col].pattern, Pattern::kRomanizedName) << col << ": " << p[col].evidence;
    EXPECT_EQ(p[col].proposed_role, Role::kDirectIdentifier) << col;
  }
  EXPECT_EQ(p["soc_sec_id"].pattern, Pattern::kIdentifierNumber) << p["soc_sec_id"].evidence;
  EXPECT_EQ(p["soc_sec_id"].proposed_role, Role::kDirectIdentifier);
  EXPECT_EQ(p["date_of_birth"].pattern, Pattern::kDateOfBirth) << p["date_of_birth"].evidence;
  EXPECT_EQ(p["date_of_birth"].proposed_role, Role::kQuasiIdentifier);
  EXPECT_EQ(p["postcode"].proposed_role, Role::kQuasiIdentifier) << p["postcode"].evidence;
  EXPECT_EQ(p["address_1"].pattern, Pattern::kAddress) << p["address_1"].evidence;
  EXPECT_EQ(p["state"].proposed_role, Role::kQuasiIdentifier);
}

TEST_F(ProfileRelationTest, AdultColumnsAreQuasiIdentifiersButSalary) {
  // ARX treats all nine UCI Adult columns as quasi-identifiers; by name, the salary
  // class is income, hence sensitive.
  std::string relation = fmt::format("read_csv('{}/adult/adult.csv', delim=';', header=true)",
                                     SAFEZONE_SHARED_DATA);
  auto profiles = ProfileRelation(conn_, relation, kDefaultSampleRows, kOptions);
  ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
  ASSERT_EQ(profiles->size(), 9u);
  for (const auto& p : *profiles) {
    Role want = p.column == "salary-class" ? Role::kSensitive : Role::kQuasiIdentifier;
    EXPECT_EQ(p.proposed_role, want) << p.column << ": " << p.evidence;
  }
  EXPECT_EQ((*profiles)[0].pattern, Pattern::kSex);  // "Male"/"Female"
  EXPECT_EQ((*profiles)[0].sampled, 30162u);
}

}  // namespace
}  // namespace sz::detect
