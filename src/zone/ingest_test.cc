#include "zone/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit/verify.h"
#include "storage/duck.h"
#include "test_util.h"
#include "zone/dataset_files.h"

namespace sz::zone {
namespace {

namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ZoneOptions o;
    o.dir = tmp_ / "zone";
    o.key.file = tmp_ / "master.key";
    auto z = Zone::Init(o, {});
    ASSERT_TRUE(z.ok()) << z.status().ToString();
    zone_ = std::move(*z);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = tmp_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  ImportRequest Request(const std::string& path, const std::string& name = "people") {
    ImportRequest r;
    r.path = path;
    r.name = name;
    r.sector = "population";
    r.tier = "non_open";
    r.provider = "부산광역시";
    r.title_ko = "주민 인구";
    r.threads = 1;
    return r;
  }

  // Every file under the zone's data, upload and tmp directories.
  size_t StoredFiles() {
    size_t n = 0;
    for (const char* d : {"data", "uploads", "tmp"})
      for ([[maybe_unused]] const auto& e : fs::directory_iterator(zone_->dir() + "/" + d)) ++n;
    return n;
  }
  size_t DatasetCount() {
    auto list = Catalog(*zone_).List();
    return list.ok() ? list->size() : 999;
  }
  void ExpectNothingStored() {
    EXPECT_EQ(StoredFiles(), 0u);
    EXPECT_EQ(DatasetCount(), 0u);
  }
  // Reads the stored version back through DuckDB.
  std::vector<std::vector<duck::Value>> ReadBack(const std::string& name, const std::string& select,
                                                 const std::string& order = "1") {
    auto v = Catalog(*zone_).Version(name, 0);
    EXPECT_TRUE(v.ok());
    auto mem = OpenVersion(*zone_, name, *v);
    EXPECT_TRUE(mem.ok()) << mem.status().ToString();
    auto db = duck::Database::Open({});
    auto conn = duck::Connection::Open(*db);
    auto r = conn->Query("SELECT " + select + " FROM read_parquet('" + mem->path() + "') ORDER BY " + order);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r->Rows();
  }

  sz::testing::TempDir tmp_;
  std::unique_ptr<Zone> zone_;
};

const char kPeople[] =
    "name,rrn,zip,amount\n홍길동,900101-1234568,06236,15000\n김철수,880101-1234568,12345,3000\n";

TEST_F(IngestTest, ImportsUtf8CsvAndReadsItBackFromTheSealedFile) {
  auto r = ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("a.csv", kPeople)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version.row_count, 2);
  EXPECT_EQ(r->encoding, "utf-8");
  EXPECT_EQ(r->delimiter, ',');
  EXPECT_TRUE(r->header);
  ASSERT_EQ(r->version.columns.size(), 4u);
  EXPECT_EQ(r->version.columns[2].type, "VARCHAR");  // leading zeros kept
  auto rows = ReadBack("people", "name, zip, amount", "amount");
  EXPECT_EQ(duck::ValueToString(rows[0][0]), "김철수");
  EXPECT_EQ(duck::ValueToString(rows[1][1]), "06236");
  EXPECT_EQ(StoredFiles(), 2u);  // the sealed Parquet and the sealed raw upload
}

TEST_F(IngestTest, DetectsCp949AndSemicolonsAndRejectsUndeclaredEncodings) {
  // "이름;지역\n홍길동;부산\n" in CP949.
  std::string cp949 = "\xc0\xcc\xb8\xa7;\xc1\xf6\xbf\xaa\n\xc8\xab\xb1\xe6\xb5\xbf;\xba\xce\xbb\xea\n";
  auto r = ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("cp.csv", cp949), "cp"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, "cp949");
  EXPECT_EQ(r->delimiter, ';');
  EXPECT_EQ(r->version.columns[0].name, "이름");
  EXPECT_EQ(duck::ValueToString(ReadBack("cp", "지역")[0][0]), "부산");

  // UTF-16 is neither UTF-8 nor CP949.
  std::string utf16("\xff\xfe" "a\0,\0b\0\n\0" "1\0,\0\x00\xd8\n\0", 18);
  Status s = ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("u16.csv", utf16), "u16")).status();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("declare --encoding"), std::string::npos) << s.message();

  // Declared CP949 but really UTF-8 Hangul.
  ImportRequest req = Request(Write("u8.csv", kPeople), "u8");
  req.encoding = text::Encoding::kCp949;
  EXPECT_NE(ImportDataset(*zone_, sz::zone::Caller::Operator(), req).status().message().find("declared CP949"), std::string::npos);
  // Declared UTF-8 but CP949.
  req = Request(tmp_ / "cp.csv", "cp2");
  req.encoding = text::Encoding::kUtf8;
  EXPECT_NE(ImportDataset(*zone_, sz::zone::Caller::Operator(), req).status().message().find("not valid UTF-8"), std::string::npos);
}

TEST_F(IngestTest, MalformedFilesFailClearlyAndStoreNothing) {
  struct Case {
    const char* bytes;
    const char* expect;
  } cases[] = {
      {"", "is empty"},
      {"a,b\n", "no data rows"},
      {"a,b\n1,2\n3\n4,5\n", "line 3 has 1 fields"},
      {"a,b\n1,\"x\n2,3\n", "never closed"},
  };
  for (const auto& c : cases) {
    Status s = ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("bad.csv", c.bytes))).status();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.expect;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << s.message();
    ExpectNothingStored();
  }
}

TEST_F(IngestTest, KeepsAStrayQuoteInsideAnUnquotedFieldAsText) {
  // Real files carry heights like 5'10" unquoted; DuckDB reads them literally, and so do we.
  ASSERT_TRUE(ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("q.csv", "a,b\n1,x\"y\n"), "q")).ok());
  EXPECT_EQ(duck::ValueToString(ReadBack("q", "b")[0][0]), "x\"y");
}

TEST_F(IngestTest, RefusesDuplicatesAndBadNamesAndAddsVersions) {
  std::string path = Write("a.csv", kPeople);
  ASSERT_TRUE(ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(path)).ok());
  EXPECT_EQ(ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(path)).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(path, "../etc")).status().code(), Code::kInvalidArgument);
  ImportRequest v2 = Request(path);
  v2.new_version = true;
  auto r = ImportDataset(*zone_, sz::zone::Caller::Operator(), v2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version.version, 2);
  auto versions = Catalog(*zone_).Versions("people");
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].content_sha256, (*versions)[1].content_sha256);
  EXPECT_NE((*versions)[0].file, (*versions)[1].file);
}

TEST_F(IngestTest, DiskFullOrPermissionErrorsAtAnyPointLoseNothing) {
  std::string big = "id,name,amount\n";
  for (int i = 0; i < 60000; ++i) big += std::to_string(i) + ",이름" + std::to_string(i % 97) + "," + std::to_string(i * 7) + "\n";
  std::string path = Write("big.csv", big);
  for (size_t budget : {size_t{0}, size_t{100}, size_t{300000}, size_t{1200000}}) {
    for (int err : {ENOSPC, EACCES}) {
      sz::testing::FaultyEnv env(budget, err);
      ZoneOptions o;
      o.dir = zone_->dir();
      o.key.file = tmp_ / "master.key";
      o.env = &env;
      auto z = Zone::Open(o);
      ASSERT_TRUE(z.ok());
      Status s = ImportDataset(**z, sz::zone::Caller::Operator(), Request(path)).status();
      EXPECT_EQ(s.code(), err == ENOSPC ? Code::kResourceExhausted : Code::kPermissionDenied)
          << budget << ": " << s.ToString();
      ExpectNothingStored();
    }
  }
}

TEST_F(IngestTest, CancelStopsCleanly) {
  std::atomic<bool> cancel{true};
  ImportHooks hooks;
  hooks.cancel = &cancel;
  Status s = ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("a.csv", kPeople)), hooks).status();
  EXPECT_EQ(s.code(), Code::kCancelled);
  ExpectNothingStored();
}

TEST_F(IngestTest, ImportsParquetAndRefusesFakeParquet) {
  auto db = duck::Database::Open({});
  auto conn = duck::Connection::Open(*db);
  std::string pq = tmp_ / "in.parquet";
  ASSERT_TRUE(conn->Execute("COPY (SELECT range AS id, 'x' || range AS s FROM range(1000)) TO '" + pq + "' (FORMAT parquet)").ok());
  auto r = ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(pq, "pq"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version.row_count, 1000);
  EXPECT_EQ(r->version.source_format, "parquet");
  EXPECT_EQ(ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("fake.parquet", "not parquet"), "fake")).status().code(),
            Code::kInvalidArgument);
}

TEST_F(IngestTest, TamperedTruncatedOrSwappedFilesAreDetected) {
  ASSERT_TRUE(ImportDataset(*zone_, sz::zone::Caller::Operator(), Request(Write("a.csv", kPeople))).ok());
  ImportRequest v2 = Request(Write("b.csv", "name,rrn,zip,amount\n이영희,000101-3234560,00001,1\n"));
  v2.new_version = true;
  ASSERT_TRUE(ImportDataset(*zone_, sz::zone::Caller::Operator(), v2).ok());
  Catalog catalog(*zone_);
  auto v1 = *catalog.Version("people", 1);
  auto v2info = *catalog.Version("people", 2);
  std::string p1 = zone_->dir() + "/" + v1.file, p2 = zone_->dir() + "/" + v2info.file;
  // Swap: version 1's catalog row now points at a file holding version 2.
  fs::copy_file(p1, tmp_ / "v1.bak");
  fs::copy_file(p2, p1, fs::copy_options::overwrite_existing);
  EXPECT_EQ(OpenVersion(*zone_, "people", v1).status().code(), Code::kDataLoss);
  fs::copy_file(tmp_ / "v1.bak", p1, fs::copy_options::overwrite_existing);
  ASSERT_TRUE(OpenVersion(*zone_, "people", v1).ok());
  // Flip one byte in the middle.
  {
    std::fstream f(p1, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(p1) / 2));
    f.put('\x5a');
  }
  EXPECT_EQ(OpenVersion(*zone_, "people", v1).status().code(), Code::kDataLoss);
  fs::resize_file(p2, fs::file_size(p2) - 1);
  EXPECT_EQ(OpenVersion(*zone_, "people", v2info).status().code(), Code::kDataLoss);
  fs::remove(p2);
  EXPECT_EQ(OpenVersion(*zone_, "people", v2info).status().code(), Code::kDataLoss);
}

authz::Actor Provider(std::string institution) {
  authz::Actor a;
  a.user_id = 7;
  a.username = "prov";
  a.institution = std::move(institution);
  a.roles = {{authz::Role::kDataProvider, 0}};
  a.today = SeoulDate(SystemClock::Get().Now());
  a.accreditation_expires = Date{a.today.year() + std::chrono::years(1), a.today.month(), std::chrono::day(1)};
  a.method = authz::AuthMethod::kSession;
  return a;
}

TEST_F(IngestTest, ProvidersImportOnlyForTheirInstitutionAndEveryAttemptIsAudited) {
  std::string path = Write("a.csv", kPeople);
  Status denied = ImportDataset(*zone_, Caller::Person(Provider("대구광역시"), "r1"), Request(path)).status();
  EXPECT_EQ(denied.code(), Code::kPermissionDenied) << denied.ToString();
  ExpectNothingStored();
  auto ok = ImportDataset(*zone_, Caller::Person(Provider("부산광역시"), "r2"), Request(path));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->dataset.created_by, "user:7/prov");

  auto st = zone_->db().Query("SELECT outcome, action, datasets FROM audit_entries ORDER BY seq");
  ASSERT_TRUE(st.ok());
  std::vector<std::string> rows;
  while (*st->Step()) rows.push_back(st->Text(0) + " " + st->Text(1) + " " + st->Text(2));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "deny dataset.import ");
  EXPECT_EQ(rows[1], "allow dataset.import dataset:1@1");
  auto report = audit::Verify(zone_->db(), zone_->audit_public_key(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->problem, audit::Problem::kNone) << report->detail;
}

TEST_F(IngestTest, AFailedImportIsAuditedAsAnError) {
  ASSERT_FALSE(ImportDataset(*zone_, Caller::Operator(), Request(Write("bad.csv", "a,b\n1\n"))).ok());
  auto st = zone_->db().Query("SELECT outcome, actor FROM audit_entries");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Text(0), "error");
  EXPECT_EQ(st->Text(1), "operator");
}

}  // namespace
}  // namespace sz::zone
