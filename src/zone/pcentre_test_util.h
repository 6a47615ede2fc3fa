// Shared by the pseudonymization-centre tests: a zone with a small generated customer
// dataset (direct identifiers, quasi-identifiers, a sensitive amount) whose roles are
// confirmed, officer actors, and counters of everything a failed run must not write.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "korea/rrn.h"
#include "storage/duck.h"
#include "test_util.h"
#include "zone/catalog.h"
#include "zone/catalog_service.h"
#include "zone/dataset_files.h"
#include "zone/ingest.h"

namespace sz::zone::testing {

// Row i of the customer dataset. Birth years are 1960, 1970, 1980, 1990 (i % 4), so a
// 10-year age band on 2024-12-31 keeps one band per decade; sex follows i % 2; the
// 시군구 cycles over two per 시도 with (i / 3) % 4, so 시도 x band x sex gives 8 classes
// of n/8 rows.
struct Customer {
  std::string name, rrn, phone, birth_date, sex, sigungu;
  int64_t amount = 0;
};

inline Customer CustomerRow(int i) {
  static const char* kSurnames[] = {"김", "이", "박", "최", "정", "강", "조", "윤"};
  static const char* kGiven[] = {"민준", "서연", "도윤", "하은", "시우", "지우", "예준", "수아", "지호"};
  static const char* kRegions[] = {"서울특별시 종로구", "서울특별시 마포구", "부산광역시 해운대구",
                                   "부산광역시 수영구"};
  Customer c;
  const int year = 1960 + 10 * (i % 4);
  const int month = 1 + (i / 28) % 12;  // (month, day) unique for the first 336 rows
  const int day = 1 + i % 28;
  const bool male = i % 2 == 0;
  c.name = fmt::format("{}{}{}", kSurnames[i % 8], kGiven[(i / 8) % 9], i / 72 == 0 ? "" : std::to_string(i / 72));
  std::string first12 = fmt::format("{:02d}{:02d}{:02d}{}{:05d}", year % 100, month, day, male ? 1 : 2, 10000 + i);
  int check = korea::RrnCheckDigit(first12, korea::RrnKind::kCitizen);
  c.rrn = fmt::format("{}-{}{}", first12.substr(0, 6), first12.substr(6), check);
  c.phone = fmt::format("010-{:04d}-{:04d}", 1000 + (i * 37) % 9000, 1000 + (i * 91) % 9000);
  c.birth_date = fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
  c.sex = male ? "M" : "F";
  c.sigungu = kRegions[(i / 3) % 4];
  c.amount = 1000 + (i * 7919) % 50000;
  return c;
}

inline authz::Actor Officer(int64_t id, std::string name) {
  authz::Actor a;
  a.user_id = id;
  a.username = std::move(name);
  a.roles = {{authz::Role::kPseudonymizationOfficer, 0}};
  a.today = SeoulDate(SystemClock::Get().Now());
  a.accreditation_expires = std::chrono::year_month_day(std::chrono::year(2100), std::chrono::month(1),
                                                        std::chrono::day(1));
  a.method = authz::AuthMethod::kSession;
  a.credential_id = id;
  return a;
}

inline Caller OfficerCaller(int64_t id, std::string name) { return Caller::Person(Officer(id, std::move(name)), "test"); }

class PcentreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ZoneOptions o;
    o.dir = tmp_ / "zone";
    o.key.file = tmp_ / "master.key";
    o.key.env_var = "";
    auto z = Zone::Init(o, {});
    ASSERT_TRUE(z.ok()) << z.status().ToString();
    zone_ = std::move(*z);
  }

  // Imports `rows` customers as dataset `name` and confirms their roles.
  void ImportCustomers(int rows, const std::string& name = "customers") {
    std::string path = tmp_ / (name + ".csv");
    std::ofstream out(path);
    out << "customer_name,customer_rrn,phone,birth_date,sex,sigungu,amount\n";
    for (int i = 0; i < rows; ++i) {
      Customer c = CustomerRow(i);
      out << fmt::format("{},{},{},{},{},{},{}\n", c.name, c.rrn, c.phone, c.birth_date, c.sex, c.sigungu, c.amount);
    }
    out.close();
    ImportRequest r;
    r.path = path;
    r.name = name;
    r.sector = "finance";
    r.tier = "non_open";
    r.provider = "테스트은행";
    r.threads = 1;
    auto imported = ImportDataset(*zone_, Caller::Operator(), r);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    std::map<std::string, std::string> roles = {
        {"customer_name", "direct_identifier"}, {"customer_rrn", "direct_identifier"},
        {"phone", "direct_identifier"},         {"birth_date", "quasi_identifier"},
        {"sex", "quasi_identifier"},            {"sigungu", "quasi_identifier"},
        {"amount", "sensitive"}};
    auto confirmed = UpdateColumnRoles(*zone_, Caller::Operator(), name, 0, roles, true);
    ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  }

  int64_t Count(const std::string& sql) {
    auto st = zone_->db().Query(sql);
    EXPECT_TRUE(st.ok());
    auto row = st->Step();
    EXPECT_TRUE(row.ok() && *row);
    return st->Int64(0);
  }
  size_t Files() {
    size_t n = 0;
    for (const char* d : {"data", "uploads", "tmp"})
      for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(zone_->dir() + "/" + d)) ++n;
    return n;
  }
  // Everything a run writes: versions, jobs, sign-offs, keys, files.
  std::vector<int64_t> Footprint() {
    return {Count("SELECT COUNT(*) FROM dataset_versions"), Count("SELECT COUNT(*) FROM pseudo_jobs"),
            Count("SELECT COUNT(*) FROM pseudo_signoffs"), Count("SELECT COUNT(*) FROM zone_keys"),
            static_cast<int64_t>(Files())};
  }

  // Rows of `select` over a stored version (0: latest), read through DuckDB.
  std::vector<std::vector<duck::Value>> Read(const std::string& name, int version, const std::string& select) {
    auto v = Catalog(*zone_).Version(name, version);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    auto mem = OpenVersion(*zone_, name, *v);
    EXPECT_TRUE(mem.ok()) << mem.status().ToString();
    auto db = duck::Database::Open({});
    auto conn = duck::Connection::Open(*db);
    std::string sql = fmt::format(fmt::runtime(select), fmt::format("read_parquet('{}')", mem->path()));
    auto r = conn->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << " in " << sql;
    if (!r.ok()) return {};
    return *r->Rows();
  }

  sz::testing::TempDir tmp_;
  std::unique_ptr<Zone> zone_;
};

}  // namespace sz::zone::testing
