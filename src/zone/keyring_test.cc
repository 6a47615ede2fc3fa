#include "zone/keyring.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "audit/audit_log.h"
#include "zone/pcentre_test_util.h"
#include "zone/pseudonymize.h"

namespace sz::zone {
namespace {

using testing::OfficerCaller;

class KeyringTest : public testing::PcentreTest {
 protected:
  // Gets key `id` in `scope` under `binding` and commits it, as a run would.
  std::string CommittedKey(const KeyringBinding& binding, std::string_view id, std::string_view scope) {
    ZoneKeyring ring(*zone_, officer_, binding, "test");
    auto key = ring.Key(id, scope);
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    if (!key.ok()) return "";
    auto txn = storage::Transaction::Begin(zone_->db());
    EXPECT_TRUE(txn.ok());
    EXPECT_TRUE(ring.Commit("").ok());
    EXPECT_TRUE(txn->Commit().ok());
    return std::string(key->view());
  }
  std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  Caller officer_ = OfficerCaller(10, "alice");
};

TEST_F(KeyringTest, SameIdAndScopeGiveTheSameKeyOtherScopesOthers) {
  const KeyringBinding a{"customers", "alpha", ""};
  std::string k1 = CommittedKey(a, "person", "dataset");
  ASSERT_EQ(k1.size(), 32u);
  EXPECT_EQ(CommittedKey(a, "person", "dataset"), k1);  // stored, found again
  std::string project = CommittedKey(a, "person", "project");
  EXPECT_NE(project, k1);  // same id, other scope
  EXPECT_EQ(CommittedKey({"other_data", "alpha", ""}, "person", "project"), project);  // project scope spans datasets
  EXPECT_NE(CommittedKey({"other_data", "alpha", ""}, "person", "dataset"), k1);      // dataset scope does not
  EXPECT_NE(CommittedKey({"customers", "beta", ""}, "person", "project"), project);
  EXPECT_NE(CommittedKey(a, "person2", "dataset"), k1);
  // Purposes name scope, scope name and id.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM zone_keys WHERE purpose = 'keyring:dataset:customers:person'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM zone_keys WHERE purpose = 'keyring:project:alpha:person'"), 1);
}

TEST_F(KeyringTest, AKeyCreatedByAFailedRunIsNotKept) {
  const int64_t keys = Count("SELECT COUNT(*) FROM zone_keys");
  std::string first;
  {
    ZoneKeyring ring(*zone_, officer_, {"customers", "", ""}, "test");
    auto key = ring.Key("person", "dataset");
    ASSERT_TRUE(key.ok());
    first = std::string(key->view());
    ring.RecordFailure(Internal("the run failed"));
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM zone_keys"), keys);
  EXPECT_NE(CommittedKey({"customers", "", ""}, "person", "dataset"), first);
}

TEST_F(KeyringTest, RefusesBadNamesUnboundScopesAndPeopleWithoutTheRole) {
  ZoneKeyring ring(*zone_, officer_, {"customers", "", ""}, "test");
  EXPECT_EQ(ring.Key("Bad Key", "dataset").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ring.Key("person", "galaxy").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ring.Key("person", "project").status().code(), Code::kInvalidArgument);  // no project bound
  authz::Actor analyst = testing::Officer(30, "eve");
  analyst.roles = {{authz::Role::kAnalyst, 0}};
  Caller eve = Caller::Person(analyst, "t");
  ZoneKeyring denied(*zone_, eve, {"customers", "", ""}, "test");
  EXPECT_EQ(denied.Key("person", "dataset").status().code(), Code::kPermissionDenied);
  auto entries = audit::ReadEntries(zone_->db(), 1, 1000);
  ASSERT_TRUE(entries.ok());
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().action, "key.use");
  EXPECT_EQ(entries->back().outcome, "deny");
  EXPECT_EQ(entries->back().actor, "user:30/eve");
}

TEST_F(KeyringTest, KeysAreNeverInTheControlPlaneInClearNorInTheTrail) {
  ImportCustomers(50);
  RunRequest r;
  r.dataset = "customers";
  r.policy_text =
      "version: 1\nunlisted: keep\ncolumns:\n"
      "  - {column: customer_rrn, rule: pseudonym, key_id: person, scope: dataset}\n"
      "  - {column: phone, rule: token, method: ff1, key_id: phone_token, scope: dataset}\n";
  r.threads = 1;
  auto run = RunPseudonymization(*zone_, officer_, r);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  std::vector<std::string> keys;
  for (const char* purpose : {"keyring:dataset:customers:person", "keyring:dataset:customers:phone_token"}) {
    auto key = zone_->Key(purpose);
    ASSERT_TRUE(key.ok()) << purpose;
    keys.emplace_back(key->view());
  }
  // Raw bytes, hex and base64 of each key: nowhere in the database files.
  std::string db = FileBytes(zone_->dir() + "/zone.db") + FileBytes(zone_->dir() + "/zone.db-wal");
  ASSERT_GT(db.size(), 1000u);
  for (const auto& k : keys) {
    for (const std::string& form : {k, crypto::ToHex(k), crypto::ToBase64(k), crypto::ToBase64Url(k)}) {
      EXPECT_EQ(db.find(form), std::string::npos);
    }
  }
  // Every use is on the trail, named by scope and id only.
  auto entries = audit::ReadEntries(zone_->db(), 1, 1000);
  ASSERT_TRUE(entries.ok());
  int uses = 0;
  for (const auto& e : *entries) {
    for (const auto& k : keys) EXPECT_EQ(e.reason.find(crypto::ToHex(k)), std::string::npos);
    if (e.action != "key.use") continue;
    ++uses;
    EXPECT_EQ(e.outcome, "allow");
    EXPECT_NE(e.reason.find("dataset:customers/"), std::string::npos) << e.reason;
    EXPECT_NE(e.reason.find(fmt::format("job {}", run->job.id)), std::string::npos) << e.reason;
  }
  EXPECT_EQ(uses, 2);
}

}  // namespace
}  // namespace sz::zone
