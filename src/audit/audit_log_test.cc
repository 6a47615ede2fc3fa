#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <sstream>

#include "audit/archive.h"
#include "audit/verify.h"
#include "test_util.h"

namespace sz::audit {
namespace {

using storage::SqliteDb;
using storage::Transaction;

VerifyOptions Options(int64_t interval, std::optional<Anchor> anchor = std::nullopt) {
  VerifyOptions o;
  o.checkpoint_interval = interval;
  o.anchor = std::move(anchor);
  return o;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(dir_ / "control.db", SqliteDb::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    // Durability is not under test here; fsyncs would only make the suite slow.
    ASSERT_TRUE(db_.Exec("PRAGMA synchronous=OFF").ok());
    ASSERT_TRUE(AuditLog::CreateSchema(db_).ok());
    ASSERT_TRUE(AuditLog::CreateSchema(db_).ok());  // idempotent
    ASSERT_TRUE(db_.Exec("CREATE TABLE state (k TEXT PRIMARY KEY, v TEXT)").ok());
  }

  Entry MakeEntry(int i) {
    Entry e;
    e.actor = "user:3/kim";
    e.action = "workspace.query";
    e.object = "project:1";
    e.reason = "allowed; run " + std::to_string(i);
    e.datasets = {"dataset:12@3"};
    e.request_id = "req-" + std::to_string(i);
    return e;
  }

  // Appends `n` entries, one transaction each, a second apart.
  void AppendN(int n) {
    for (int i = 0; i < n; ++i) {
      auto txn = Transaction::Begin(db_);
      ASSERT_TRUE(txn.ok());
      ASSERT_TRUE(log_.Append(db_, MakeEntry(i)).ok());
      ASSERT_TRUE(txn->Commit().ok());
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  VerifyReport VerifyNow(std::optional<Anchor> anchor = std::nullopt) {
    auto r = Verify(db_, signing_.public_key, Options(10, anchor));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }

  // What an attacker with write access to the file does first.
  void DropTriggers() {
    ASSERT_TRUE(
        db_.Exec("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;"
                 "DROP TRIGGER audit_checkpoints_no_update;"
                 "DROP TRIGGER audit_checkpoints_no_delete;")
            .ok());
  }

  StoredEntry Read(int64_t seq) {
    auto rows = ReadEntries(db_, seq, 1);
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return rows.ok() && !rows->empty() ? rows->front() : StoredEntry{};
  }

  // Stores `e` over the row that has `at_seq`.
  void Overwrite(int64_t at_seq, const StoredEntry& e) {
    auto st = db_.Prepare(
        "UPDATE audit_entries SET seq = ?1, time = ?2, actor = ?3, action = ?4, object = ?5, "
        "outcome = ?6, reason = ?7, query_digest = ?8, datasets = ?9, request_id = ?10, "
        "prev_hash = ?11, hash = ?12 WHERE seq = ?13");
    ASSERT_TRUE(st.ok());
    st->Bind(1, e.seq).Bind(2, e.time).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.object);
    st->Bind(6, e.outcome).Bind(7, e.reason).Bind(8, e.query_digest).Bind(9, e.datasets);
    st->Bind(10, e.request_id).Bind(11, e.prev_hash).Bind(12, e.hash).Bind(13, at_seq);
    ASSERT_TRUE(st->Run().ok());
  }

  // Moves every entry with seq >= from by `delta` (through negative seqs to dodge the key).
  void Shift(int64_t from, int64_t delta) {
    ASSERT_TRUE(
        db_.Run("UPDATE audit_entries SET seq = -(seq + ?2) WHERE seq >= ?1", from, delta).ok());
    ASSERT_TRUE(db_.Exec("UPDATE audit_entries SET seq = -seq WHERE seq < 0").ok());
  }

  sz::testing::TempDir dir_;
  SqliteDb db_;
  FakeClock clock_{FromUnix(1'750'000'000)};
  SigningKey signing_ = SigningKey::Generate();
  crypto::SecretBytes query_key_ = crypto::SecretBytes::Random(32);
  AuditLog log_{clock_, signing_, query_key_, {.checkpoint_interval = 10}};
};

TEST_F(AuditTest, ChainsEntriesFromTheGenesisHash) {
  AppendN(3);
  StoredEntry e1 = Read(1), e2 = Read(2), e3 = Read(3);
  EXPECT_EQ(e1.prev_hash, std::string(64, '0'));
  EXPECT_EQ(e2.prev_hash, e1.hash);
  EXPECT_EQ(e3.prev_hash, e2.hash);
  EXPECT_EQ(e1.hash, EntryHashHex(e1));
  EXPECT_EQ(e1.hash, crypto::Sha256Hex(CanonicalEncoding(e1)));
  EXPECT_EQ(e2.time - e1.time, 1);
  EXPECT_EQ(e1.outcome, "allow");
  EXPECT_EQ(e1.datasets, "dataset:12@3");
  EXPECT_EQ(*LastSeq(db_), 3);
}

TEST_F(AuditTest, CanonicalEncodingIsLengthPrefixed) {
  // Moving a character between adjacent fields must change the hash.
  StoredEntry a;
  a.seq = 1;
  a.actor = "ab";
  a.action = "c";
  a.prev_hash = std::string(64, '0');
  StoredEntry b = a;
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(EntryHashHex(a), EntryHashHex(b));
  std::string enc = CanonicalEncoding(a);
  EXPECT_TRUE(enc.starts_with("SZAUDIT1"));
  // magic 8 + seq 8 + time 8 + "ab" (4+2) + "c" (4+1) + 7 empty fields (4 each) + 32.
  EXPECT_EQ(enc.size(), 8u + 8 + 8 + 6 + 5 + 7 * 4 + 32);
}

TEST_F(AuditTest, RefusesToAppendOutsideATransaction) {
  auto seq = log_.Append(db_, MakeEntry(0));
  EXPECT_EQ(seq.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(*LastSeq(db_), 0);
}

TEST_F(AuditTest, RefusesCommasInDatasetLabelsAndInvalidUtf8) {
  auto txn = Transaction::Begin(db_);
  Entry e = MakeEntry(0);
  e.datasets = {"dataset:1@2,dataset:3@4"};
  EXPECT_EQ(log_.Append(db_, e).status().code(), Code::kInvalidArgument);
  e = MakeEntry(0);
  e.reason = "bad \xff byte";
  EXPECT_EQ(log_.Append(db_, e).status().code(), Code::kInvalidArgument);
}

TEST_F(AuditTest, CommittedActionCommitsItsEntry) {
  auto txn = Transaction::Begin(db_);
  ASSERT_TRUE(db_.Run("INSERT INTO state VALUES ('a', '1')").ok());
  ASSERT_TRUE(log_.Append(db_, MakeEntry(0)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(*LastSeq(db_), 1);
  auto st = db_.Prepare("SELECT count(*) FROM state");
  ASSERT_TRUE(st->Step().ok());
  EXPECT_EQ(st->Int64(0), 1);
}

TEST_F(AuditTest, RolledBackActionLeavesNeitherStateNorEntry) {
  AppendN(1);
  {
    auto txn = Transaction::Begin(db_);
    ASSERT_TRUE(db_.Run("INSERT INTO state VALUES ('a', '1')").ok());
    ASSERT_TRUE(log_.Append(db_, MakeEntry(1)).ok());
    // The action then fails (a constraint violation) and the transaction is abandoned.
    EXPECT_FALSE(db_.Run("INSERT INTO state VALUES ('a', '2')").ok());
  }
  EXPECT_EQ(*LastSeq(db_), 1);
  auto st = db_.Prepare("SELECT count(*) FROM state");
  ASSERT_TRUE(st->Step().ok());
  EXPECT_EQ(st->Int64(0), 0);
  // The next entry reuses seq 2 and links to entry 1: the chain has no hole.
  AppendN(1);
  EXPECT_EQ(Read(2).prev_hash, Read(1).hash);
  EXPECT_TRUE(VerifyNow().ok());
}

TEST_F(AuditTest, SignsACheckpointEveryIntervalAndOnDemand) {
  AppendN(25);
  auto cps = ReadCheckpoints(db_);
  ASSERT_TRUE(cps.ok());
  ASSERT_EQ(cps->size(), 2u);
  EXPECT_EQ((*cps)[0].seq, 10);
  EXPECT_EQ((*cps)[1].seq, 20);
  EXPECT_EQ((*cps)[1].entry_hash, Read(20).hash);
  EXPECT_EQ((*cps)[1].key_id, KeyId(signing_.public_key));
  std::string msg = CheckpointMessage(20, (*cps)[1].time, *crypto::FromHex(Read(20).hash));
  EXPECT_EQ(crypto_sign_verify_detached(
                reinterpret_cast<const unsigned char*>((*cps)[1].signature.data()),
                reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                reinterpret_cast<const unsigned char*>(signing_.public_key.data())),
            0);
  auto now = log_.CheckpointNow(db_);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->seq, 25);
  EXPECT_EQ(ReadCheckpoints(db_)->size(), 3u);
  VerifyReport r = VerifyNow();
  EXPECT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.entries, 25);
  EXPECT_EQ(r.checkpoints, 3);
  EXPECT_EQ(r.last_hash, Read(25).hash);
}

TEST_F(AuditTest, CheckpointOnAnEmptyTrailIsRefused) {
  EXPECT_EQ(log_.CheckpointNow(db_).status().code(), Code::kFailedPrecondition);
}

TEST_F(AuditTest, SigningKeyFromSeedIsDeterministic) {
  crypto::SecretBytes seed = crypto::SecretBytes::Random(32);
  auto a = SigningKey::FromSeed(seed);
  auto b = SigningKey::FromSeed(seed);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->public_key, b->public_key);
  EXPECT_EQ(KeyId(a->public_key).size(), 16u);
  EXPECT_FALSE(SigningKey::FromSeed(crypto::SecretBytes::Random(31)).ok());
}

TEST_F(AuditTest, QueryTextIsStoredOnlyDigestedAndEncrypted) {
  const std::string query = "SELECT * FROM people WHERE rrn = '900101-1234567'";
  {
    auto txn = Transaction::Begin(db_);
    Entry e = MakeEntry(0);
    e.query_text = query;
    ASSERT_TRUE(log_.Append(db_, e).ok());
    e.query_text = query;
    ASSERT_TRUE(log_.Append(db_, e).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  // Nothing in the stored row contains the identifier, in any column.
  auto st = db_.Prepare("SELECT * FROM audit_entries");
  while (*st->Step()) {
    for (int c = 0; c < 13; ++c) {
      EXPECT_EQ(st->Blob(c).find("900101"), std::string::npos) << "column " << c;
    }
  }
  StoredEntry e1 = Read(1), e2 = Read(2);
  EXPECT_EQ(e1.query_digest, QueryDigest(query_key_, query));
  EXPECT_EQ(e1.query_digest, e2.query_digest);           // equal queries are findable
  EXPECT_NE(e1.query_digest, crypto::Sha256Hex(query));  // but keyed, not a bare hash
  EXPECT_NE(e1.query_sealed, e2.query_sealed);           // fresh nonce each time
  EXPECT_EQ(*OpenQueryText(query_key_, e1), query);
  EXPECT_EQ(OpenQueryText(crypto::SecretBytes::Random(32), e1).status().code(), Code::kDataLoss);
  // Ciphertext moved to another entry does not open there.
  StoredEntry moved = e2;
  moved.query_sealed = e1.query_sealed;
  EXPECT_EQ(OpenQueryText(query_key_, moved).status().code(), Code::kDataLoss);
  EXPECT_EQ(OpenQueryText(query_key_, Read(1)).status().code(), Code::kOk);
}

TEST_F(AuditTest, TriggersRefuseUpdateAndDelete) {
  AppendN(2);
  ASSERT_TRUE(log_.CheckpointNow(db_).ok());
  EXPECT_FALSE(db_.Exec("UPDATE audit_entries SET reason = 'x' WHERE seq = 1").ok());
  EXPECT_FALSE(db_.Exec("DELETE FROM audit_entries WHERE seq = 2").ok());
  EXPECT_FALSE(db_.Exec("DELETE FROM audit_checkpoints").ok());
  EXPECT_TRUE(VerifyNow().ok());
}

// ---- Tampering: each kind detected at the entry it touched ----

class AuditTamperTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    AppendN(25);
    ASSERT_TRUE(log_.CheckpointNow(db_).ok());  // checkpoints at 10, 20, 25
    ASSERT_TRUE(VerifyNow().ok());
    DropTriggers();
  }
  void ExpectProblem(Problem problem, int64_t first_bad, int64_t checkpoint = 0) {
    VerifyReport r = VerifyNow();
    EXPECT_EQ(r.problem, problem) << ProblemName(r.problem) << ": " << r.detail;
    EXPECT_EQ(r.first_bad_seq, first_bad) << r.detail;
    EXPECT_EQ(r.checkpoint_seq, checkpoint) << r.detail;
    EXPECT_EQ(r.ToStatus().code(), Code::kDataLoss);
    EXPECT_NE(r.ToStatus().message().find("entry " + std::to_string(first_bad)), std::string::npos)
        << r.ToStatus().message();
  }
};

TEST_F(AuditTamperTest, EditedEntry) {
  ASSERT_TRUE(db_.Exec("UPDATE audit_entries SET reason = 'nothing happened' WHERE seq = 7").ok());
  ExpectProblem(Problem::kEdited, 7);
}

TEST_F(AuditTamperTest, EditedOutcome) {
  ASSERT_TRUE(db_.Exec("UPDATE audit_entries SET outcome = 'deny' WHERE seq = 4").ok());
  ExpectProblem(Problem::kEdited, 4);
}

TEST_F(AuditTamperTest, EditedAndRehashedEntry) {
  StoredEntry e = Read(7);
  e.actor = "user:1/someone-else";
  e.hash = EntryHashHex(e);
  Overwrite(7, e);
  ExpectProblem(Problem::kEdited, 7);
}

TEST_F(AuditTamperTest, DeletedEntry) {
  ASSERT_TRUE(db_.Exec("DELETE FROM audit_entries WHERE seq = 7").ok());
  ExpectProblem(Problem::kDeleted, 7);
}

TEST_F(AuditTamperTest, DeletedEntryWithLaterEntriesRenumbered) {
  ASSERT_TRUE(db_.Exec("DELETE FROM audit_entries WHERE seq = 7").ok());
  Shift(8, -1);
  ExpectProblem(Problem::kDeleted, 7);
}

TEST_F(AuditTamperTest, InsertedEntry) {
  Shift(7, +1);
  StoredEntry forged = Read(6);
  forged.seq = 7;
  forged.reason = "allowed; an alibi";
  forged.prev_hash = Read(6).hash;
  forged.hash = EntryHashHex(forged);
  ASSERT_TRUE(db_.Run("INSERT INTO audit_entries (seq, time, actor, action, object, outcome, "
                      "reason, query_digest, datasets, request_id, prev_hash, hash) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                      forged.seq, forged.time, forged.actor, forged.action, forged.object,
                      forged.outcome, forged.reason, forged.query_digest, forged.datasets,
                      forged.request_id, forged.prev_hash, forged.hash)
                  .ok());
  ExpectProblem(Problem::kInserted, 7);
}

TEST_F(AuditTamperTest, ReorderedEntries) {
  ASSERT_TRUE(db_.Exec("UPDATE audit_entries SET seq = -1 WHERE seq = 7;"
                       "UPDATE audit_entries SET seq = 7 WHERE seq = 8;"
                       "UPDATE audit_entries SET seq = 8 WHERE seq = -1;")
                  .ok());
  ExpectProblem(Problem::kReordered, 7);
}

TEST_F(AuditTamperTest, TruncatedBelowACheckpoint) {
  ASSERT_TRUE(db_.Exec("DELETE FROM audit_entries WHERE seq > 21").ok());
  ExpectProblem(Problem::kTruncated, 22, 25);
}

TEST_F(AuditTamperTest, TruncatedTogetherWithItsCheckpointNeedsAnAnchor) {
  std::string anchor_hash = Read(25).hash;
  ASSERT_TRUE(db_.Exec("DELETE FROM audit_entries WHERE seq > 20;"
                       "DELETE FROM audit_checkpoints WHERE seq = 25;")
                  .ok());
  // The trail alone cannot tell: what is left is a valid, signed trail of 20 entries.
  EXPECT_TRUE(VerifyNow().ok());
  // An anchor from an earlier export or an external witness can.
  VerifyReport r = VerifyNow(Anchor{25, anchor_hash});
  EXPECT_EQ(r.problem, Problem::kTruncated);
  EXPECT_EQ(r.first_bad_seq, 21);
}

TEST_F(AuditTamperTest, ReplacedCheckpointSignature) {
  SigningKey attacker = SigningKey::Generate();
  auto cps = ReadCheckpoints(db_);
  const Checkpoint& cp = (*cps)[1];  // seq 20
  std::string msg = CheckpointMessage(cp.seq, cp.time, *crypto::FromHex(cp.entry_hash));
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       attacker.secret_key.data());
  auto st = db_.Prepare("UPDATE audit_checkpoints SET signature = ?1 WHERE seq = 20");
  st->BindBlob(1, sig);
  ASSERT_TRUE(st->Run().ok());
  ExpectProblem(Problem::kCheckpointForged, 11, 20);
  EXPECT_NE(VerifyNow().detail.find("signature"), std::string::npos);
}

TEST_F(AuditTamperTest, ChainRewrittenAndRehashedIsCaughtAtTheNextCheckpoint) {
  // Rewrite entries 13..25 consistently: every hash and link recomputed.
  std::string prev = Read(12).hash;
  for (int64_t seq = 13; seq <= 25; ++seq) {
    StoredEntry e = Read(seq);
    if (seq == 13) e.reason = "allowed; history rewritten";
    e.prev_hash = prev;
    e.hash = EntryHashHex(e);
    prev = e.hash;
    Overwrite(seq, e);
  }
  ExpectProblem(Problem::kCheckpointMismatch, 11, 20);
  // Moving the checkpoint's hash along does not help: the signature no longer verifies.
  ASSERT_TRUE(
      db_.Run("UPDATE audit_checkpoints SET entry_hash = ?1 WHERE seq = 20", Read(20).hash).ok());
  ExpectProblem(Problem::kCheckpointForged, 11, 20);
}

TEST_F(AuditTamperTest, DeletedCheckpoint) {
  ASSERT_TRUE(db_.Exec("DELETE FROM audit_checkpoints WHERE seq = 10").ok());
  ExpectProblem(Problem::kCheckpointMissing, 1, 10);
}

TEST_F(AuditTamperTest, WrongPublicKeyFailsAtTheFirstCheckpoint) {
  auto r = Verify(db_, SigningKey::Generate().public_key, Options(10));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->problem, Problem::kCheckpointForged);
  EXPECT_EQ(r->checkpoint_seq, 10);
  EXPECT_EQ(r->first_bad_seq, 1);
}

// ---- Archives ----

TEST_F(AuditTest, JsonlArchiveVerifiesWithThePublicKeyAlone) {
  AppendN(23);
  {
    auto txn = Transaction::Begin(db_);
    Entry e = MakeEntry(99);
    e.reason = "quotes \" commas , newlines \n and 한글";
    e.query_text = "SELECT 1";
    ASSERT_TRUE(log_.Append(db_, e).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  ASSERT_TRUE(log_.CheckpointNow(db_).ok());
  std::stringstream archive;
  ASSERT_TRUE(ExportJsonl(db_, log_, archive).ok());
  std::string text = archive.str();
  EXPECT_TRUE(text.starts_with("{")) << text.substr(0, 80);
  EXPECT_NE(text.find("\"type\":\"meta\""), std::string::npos);

  std::istringstream in(text);
  auto r = VerifyJsonl(in, signing_.public_key, Options(0));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok()) << r->detail;
  EXPECT_EQ(r->entries, 24);
  EXPECT_EQ(r->checkpoints, 3);

  // Edit one entry inside the archive.
  std::string edited = text;
  size_t at = edited.find("allowed; run 5\"");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 14, "allowed; run 6");
  std::istringstream in2(edited);
  auto r2 = VerifyJsonl(in2, signing_.public_key, Options(0));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->problem, Problem::kEdited);
  EXPECT_EQ(r2->first_bad_seq, 6);  // "run 5" is the sixth entry

  // Another key: the archive's checkpoints do not verify.
  std::istringstream in3(text);
  auto r3 = VerifyJsonl(in3, SigningKey::Generate().public_key, Options(0));
  EXPECT_EQ(r3->problem, Problem::kCheckpointForged);
  EXPECT_NE(r3->detail.find("another public key"), std::string::npos);

  // Garbage is reported as malformed with its line.
  std::istringstream in4(text + "not json\n");
  auto r4 = VerifyJsonl(in4, signing_.public_key, Options(0));
  EXPECT_EQ(r4->problem, Problem::kMalformed);
  EXPECT_NE(r4->detail.find("line 29"), std::string::npos) << r4->detail;
}

TEST_F(AuditTest, CsvArchiveRoundTripsAndDetectsDeletion) {
  AppendN(12);
  {
    auto txn = Transaction::Begin(db_);
    Entry e = MakeEntry(99);
    e.reason = "quotes \" commas , CRLF \r\n and 한글";
    ASSERT_TRUE(log_.Append(db_, e).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  std::stringstream archive;
  ASSERT_TRUE(ExportCsv(db_, log_, archive).ok());
  std::string text = archive.str();
  EXPECT_TRUE(text.starts_with("record_type,seq,time,actor,action,object,outcome,reason,"));
  EXPECT_NE(text.find("\"quotes \"\" commas , CRLF \r\n and 한글\""), std::string::npos);
  std::istringstream in(text);
  auto r = VerifyCsv(in, signing_.public_key, Options(0));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok()) << r->detail;
  EXPECT_EQ(r->entries, 13);
  EXPECT_EQ(r->checkpoints, 1);

  // Drop the record of entry 4.
  size_t start = text.find("\r\nentry,4,");
  ASSERT_NE(start, std::string::npos);
  size_t end = text.find("\r\n", start + 2);
  std::string cut = text.substr(0, start) + text.substr(end);
  std::istringstream in2(cut);
  auto r2 = VerifyCsv(in2, signing_.public_key, Options(0));
  EXPECT_EQ(r2->problem, Problem::kDeleted);
  EXPECT_EQ(r2->first_bad_seq, 4);
}

TEST(Csv, Rfc4180Fields) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  std::istringstream in("a,\"b,1\",\"c \"\"q\"\"\r\nd\"\r\n,,\r\nlast");
  std::vector<std::string> f;
  ASSERT_TRUE(*ReadCsvRecord(in, f));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,1", "c \"q\"\r\nd"}));
  ASSERT_TRUE(*ReadCsvRecord(in, f));
  EXPECT_EQ(f, (std::vector<std::string>{"", "", ""}));
  ASSERT_TRUE(*ReadCsvRecord(in, f));
  EXPECT_EQ(f, (std::vector<std::string>{"last"}));
  EXPECT_FALSE(*ReadCsvRecord(in, f));
  std::istringstream bad("\"open");
  EXPECT_FALSE(ReadCsvRecord(bad, f).ok());
  std::istringstream bad2("\"x\"y,z");
  EXPECT_FALSE(ReadCsvRecord(bad2, f).ok());
}

}  // namespace
}  // namespace sz::audit
