#include "authz/guard.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace sz::authz {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using storage::SqliteDb;
using storage::Transaction;

class GuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(dir_ / "control.db", SqliteDb::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_.Exec("PRAGMA synchronous=OFF").ok());
    ASSERT_TRUE(audit::AuditLog::CreateSchema(db_).ok());
    ASSERT_TRUE(db_.Exec("CREATE TABLE reviews (id INTEGER PRIMARY KEY, decision TEXT)").ok());
    reviewer_.user_id = 5;
    reviewer_.username = "park";
    reviewer_.roles = {{Role::kOutputReviewer, 0}};
    reviewer_.accreditation_expires = Date{year(2026), month(1), day(1)};
    reviewer_.today = Date{year(2025), month(6), day(15)};
    reviewer_.method = AuthMethod::kSession;
    project_.id = 3;
    project_.members = {7};
    export_ = Object::ExportRequest(11, project_, /*requester=*/7);
  }

  std::vector<std::vector<std::string>> Entries() {
    std::vector<std::vector<std::string>> out;
    auto st = db_.Prepare(
        "SELECT actor, action, object, outcome, reason, datasets, request_id, "
        "query_digest FROM audit_entries ORDER BY seq");
    while (*st->Step()) {
      std::vector<std::string> row;
      for (int c = 0; c < 8; ++c) row.push_back(st->Text(c));
      out.push_back(row);
    }
    return out;
  }

  int64_t Reviews() {
    auto st = db_.Prepare("SELECT count(*) FROM reviews");
    EXPECT_TRUE(*st->Step());
    return st->Int64(0);
  }

  sz::testing::TempDir dir_;
  SqliteDb db_;
  FakeClock clock_{FromUnix(1'750'000'000)};
  audit::SigningKey signing_ = audit::SigningKey::Generate();
  crypto::SecretBytes query_key_ = crypto::SecretBytes::Random(32);
  audit::AuditLog log_{clock_, signing_, query_key_};
  Actor reviewer_;
  ProjectInfo project_;
  Object export_;
};

TEST_F(GuardTest, DenialIsRecordedBeforeTheErrorReturns) {
  Object own = Object::ExportRequest(12, project_, /*requester=*/5);
  auto permit = Authorize(db_, log_, reviewer_, Action::kExportReview, own, "req-1");
  EXPECT_EQ(permit.status().code(), Code::kPermissionDenied);
  EXPECT_NE(permit.status().message().find("separation of duties"), std::string::npos);
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0],
            (std::vector<std::string>{"user:5/park", "export.review", "export:12", "deny",
                                      std::string(ReasonText(Reason::kOwnWork)), "", "req-1", ""}));
}

TEST_F(GuardTest, AnonymousDenialIsUnauthenticated) {
  auto permit = Authorize(db_, log_, Actor::Anonymous(reviewer_.today), Action::kExportReview,
                          export_, "req-2");
  EXPECT_EQ(permit.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(Entries().at(0).at(0), "anonymous");
}

TEST_F(GuardTest, AllowedActionIsRecordedInItsOwnTransaction) {
  auto permit = Authorize(db_, log_, reviewer_, Action::kExportReview, export_, "req-3");
  ASSERT_TRUE(permit.ok()) << permit.status().ToString();
  EXPECT_TRUE(Entries().empty());  // nothing yet: the action has not happened
  auto txn = Transaction::Begin(db_);
  ASSERT_TRUE(db_.Exec("INSERT INTO reviews (decision) VALUES ('approve')").ok());
  AuditDetails details;
  details.note = "approved";
  details.datasets = {"dataset:4@2"};
  details.query_text = "SELECT count(*) FROM t";
  ASSERT_TRUE(std::move(*permit).Record(db_, details).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0][3], "allow");
  EXPECT_EQ(entries[0][4], "allowed; approved");
  EXPECT_EQ(entries[0][5], "dataset:4@2");
  EXPECT_EQ(entries[0][7], audit::QueryDigest(query_key_, "SELECT count(*) FROM t"));
  EXPECT_EQ(Reviews(), 1);
}

TEST_F(GuardTest, RolledBackActionLeavesNoAllowEntryOnlyTheError) {
  auto permit = Authorize(db_, log_, reviewer_, Action::kExportReview, export_, "req-4");
  ASSERT_TRUE(permit.ok());
  {
    auto txn = Transaction::Begin(db_);
    ASSERT_TRUE(db_.Exec("INSERT INTO reviews (decision) VALUES ('approve')").ok());
    ASSERT_TRUE(std::move(*permit).Record(db_).ok());
    // The action fails before commit; the transaction rolls back with the entry in it.
  }
  EXPECT_TRUE(Entries().empty());
  EXPECT_EQ(Reviews(), 0);
  ASSERT_TRUE(std::move(*permit).RecordFailure(db_, Unavailable("disk went away")).ok());
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0][3], "error");
  EXPECT_EQ(entries[0][4], "UNAVAILABLE: disk went away");
  EXPECT_EQ(std::move(*permit).RecordFailure(db_, Unavailable("again")).code(),
            Code::kFailedPrecondition);
}

TEST_F(GuardTest, PermitRecordsOnce) {
  auto permit = Authorize(db_, log_, reviewer_, Action::kExportReview, export_, "req-5");
  auto txn = Transaction::Begin(db_);
  ASSERT_TRUE(std::move(*permit).Record(db_).ok());
  EXPECT_EQ(std::move(*permit).Record(db_).code(), Code::kFailedPrecondition);
}

TEST_F(GuardTest, AuthorizeInsideATransactionIsRefused) {
  auto txn = Transaction::Begin(db_);
  auto permit = Authorize(db_, log_, reviewer_, Action::kExportReview, export_, "req-6");
  EXPECT_EQ(permit.status().code(), Code::kFailedPrecondition);
}

TEST_F(GuardTest, AuthorizeReadRecordsAtOnce) {
  ASSERT_TRUE(AuthorizeRead(db_, log_, reviewer_, Action::kExportRead, export_, "req-7").ok());
  EXPECT_EQ(
      AuthorizeRead(db_, log_, reviewer_, Action::kAuditRead, Object::AuditTrail(), "req-8").code(),
      Code::kPermissionDenied);
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0][3], "allow");
  EXPECT_EQ(entries[1][3], "deny");
}

}  // namespace
}  // namespace sz::authz
