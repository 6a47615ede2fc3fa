#include "synth/generator.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/text.h"
#include "korea/admin_regions.h"
#include "korea/rrn.h"
#include "nlohmann/json.hpp"
#include "test_util.h"

namespace sz::synth {
namespace {

using Row = std::vector<std::string>;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// RFC 4180 reader, enough for the generator's output.
std::vector<Row> ParseCsv(const std::string& text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  return rows;
}

// A table with a header: rows addressed by column name.
struct Table {
  std::map<std::string, size_t> col;
  std::vector<Row> rows;
  const std::string& At(const Row& r, const std::string& name) const { return r.at(col.at(name)); }
};

Table Load(const std::string& path) {
  std::vector<Row> all = ParseCsv(ReadFile(path));
  Table t;
  for (size_t i = 0; i < all.at(0).size(); ++i) t.col[all[0][i]] = i;
  t.rows.assign(all.begin() + 1, all.end());
  return t;
}

Options Small(const std::string& dir) {
  Options o;
  o.output_dir = dir;
  o.seed = 7;
  o.scale = 0.2;  // 2,000 persons
  o.threads = 1;
  return o;
}

std::map<std::string, std::string> AllFiles(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      files[std::filesystem::relative(e.path(), dir).string()] = ReadFile(e.path().string());
  return files;
}

TEST(SynthGenerate, SameSeedGivesIdenticalBytesRegardlessOfThreadsPartitionsAndCache) {
  testing::TempDir tmp;
  Options a = Small(tmp / "a");
  Options b = Small(tmp / "b");
  b.threads = 3;
  b.partition_rows = 777;
  b.max_cached_persons = 0;  // regenerate persons instead of caching them
  ASSERT_TRUE(Generate(a).ok());
  ASSERT_TRUE(Generate(b).ok());
  auto fa = AllFiles(a.output_dir), fb = AllFiles(b.output_dir);
  ASSERT_EQ(fa.size(), 16u);  // 7 datasets, manifest, index, persons, 6 record truths
  for (const auto& [name, bytes] : fa) {
    ASSERT_TRUE(fb.count(name)) << name;
    EXPECT_TRUE(bytes == fb[name]) << name << " differs";
  }

  Options c = Small(tmp / "c");
  c.seed = 8;
  ASSERT_TRUE(Generate(c).ok());
  EXPECT_NE(ReadFile(tmp / "a/consumption.csv"), ReadFile(tmp / "c/consumption.csv"));
}

TEST(SynthGenerate, ManifestDescribesEveryDataset) {
  testing::TempDir tmp;
  Options o = Options::Demo(tmp / "out");
  o.scale = 0.1;
  o.threads = 2;
  auto m = Generate(o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto j = nlohmann::json::parse(ReadFile(tmp / "out/manifest.json"));
  EXPECT_EQ(j["synthetic"], true);
  EXPECT_EQ(j["persons"], 1000);
  EXPECT_EQ(j["reference_date"], "2024-12-31");
  ASSERT_EQ(j["datasets"].size(), 7u);
  std::set<std::string> sectors, tiers;
  for (const auto& d : j["datasets"]) {
    for (const char* key : {"name", "title_ko", "title_en", "sector", "tier", "provider",
                            "description", "file", "encoding"})
      EXPECT_FALSE(d[key].get<std::string>().empty()) << key;
    sectors.insert(d["sector"].get<std::string>());
    tiers.insert(d["tier"].get<std::string>());
    // The row count in the manifest is the number of data lines in the file.
    std::string bytes = ReadFile(tmp / "out/" + d["file"].get<std::string>());
    int64_t lines = std::count(bytes.begin(), bytes.end(), '\n');
    EXPECT_EQ(d["rows"].get<int64_t>(), lines - 1) << d["name"];
    EXPECT_EQ(d["bytes"].get<int64_t>(), static_cast<int64_t>(bytes.size()));
    EXPECT_FALSE(d["columns"].empty());
  }
  EXPECT_EQ(sectors, (std::set<std::string>{"transportation", "population", "real_estate",
                                            "tourism", "consumption", "finance"}));
  EXPECT_EQ(tiers, (std::set<std::string>{"open", "pseudonymized", "non_open"}));
  EXPECT_EQ(m->Find(DatasetId::kPopulation)->rows, 1000);
  EXPECT_EQ(m->Find(DatasetId::kConsumption)->rows, 10'000);
  EXPECT_EQ(m->Find(DatasetId::kRealEstate)->encoding, text::Encoding::kCp949);
  EXPECT_EQ(j["datasets"][2]["encoding"], "cp949");
}

TEST(SynthGenerate, NoiseShareMatchesTheRateAndTheGroundTruth) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  o.noise_rate = 0.2;
  o.rows[DatasetId::kConsumption] = 20'000;
  auto m = Generate(o);
  ASSERT_TRUE(m.ok());
  for (const DatasetResult& d : m->datasets) {
    if (d.truth_file.empty()) continue;
    Table truth = Load(tmp / "out/" + d.truth_file);
    ASSERT_EQ(static_cast<int64_t>(truth.rows.size()), d.rows);
    int64_t noisy = 0;
    for (const Row& r : truth.rows) noisy += !truth.At(r, "noise").empty();
    EXPECT_EQ(noisy, d.noisy_rows) << d.file;
    double share = static_cast<double>(noisy) / static_cast<double>(d.rows);
    // 5 standard deviations of a binomial share, and a little below the rate because a
    // transposition that would not change the date is skipped.
    double sd = std::sqrt(0.2 * 0.8 / static_cast<double>(d.rows));
    double expected = d.id == DatasetId::kTourism ? 0.2 * 0.95 : 0.2;  // foreign guests
    EXPECT_NEAR(share, expected, 5 * sd + 0.005) << d.file;
  }
  // Zero noise: no record is marked.
  Options clean = Small(tmp / "clean");
  clean.noise_rate = 0;
  auto mc = Generate(clean);
  ASSERT_TRUE(mc.ok());
  for (const DatasetResult& d : mc->datasets) EXPECT_EQ(d.noisy_rows, 0) << d.file;
}

// The same person's records agree with the person's canonical attributes in every
// dataset, except exactly where the ground truth says noise was applied.
TEST(SynthGenerate, RecordsAgreeWithPersonsExceptWhereNoiseWasApplied) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  o.noise_rate = 0.3;
  ASSERT_TRUE(Generate(o).ok());
  Table persons = Load(tmp / "out/ground_truth/persons.csv");
  std::map<std::string, Row> by_id;
  for (const Row& r : persons.rows) by_id[persons.At(r, "person_id")] = r;

  struct Check {
    std::string dataset;
    std::string name, phone, birth, rrn, sido, sigungu, emd_code;
  };
  std::vector<Check> checks = {
      {"transportation", "holder_name", "holder_phone", "holder_birth_date", "", "", "", ""},
      {"population", "name", "", "birth_date", "rrn", "", "", "emd_code"},
      {"real_estate", "buyer_name", "", "", "buyer_rrn", "", "", ""},
      {"tourism", "guest_name", "guest_phone", "guest_birth_date", "", "", "", ""},
      {"consumption", "customer_name", "customer_phone", "", "customer_rrn", "", "", ""},
      {"finance", "customer_name", "customer_phone", "", "customer_rrn", "customer_sido",
       "customer_sigungu", ""},
  };
  std::map<std::string, int> noise_seen;
  std::set<std::string> linked_persons;
  for (const Check& c : checks) {
    Table data = Load(tmp / "out/" + c.dataset + ".csv");
    Table truth = Load(tmp / "out/ground_truth/" + c.dataset + ".csv");
    ASSERT_EQ(data.rows.size(), truth.rows.size());
    for (size_t i = 0; i < data.rows.size(); ++i) {
      const Row& d = data.rows[i];
      const Row& t = truth.rows[i];
      ASSERT_EQ(t[0], d[0]) << "ground truth is in record order";
      const std::string& pid = truth.At(t, "person_id");
      if (pid.empty()) {
        EXPECT_EQ(c.dataset, "tourism") << "only foreign guests are outside the universe";
        EXPECT_NE(data.At(d, "nationality"), "KOR");
        continue;
      }
      linked_persons.insert(pid);
      const Row& p = by_id.at(pid);
      std::string noise = truth.At(t, "noise");
      auto has = [&noise](std::string_view kind) { return noise.find(kind) != std::string::npos; };
      for (std::string_view k : {"name_typo", "phone_changed", "dob_transposed", "address_moved"})
        noise_seen[std::string(k)] += has(k);
      std::string ctx = c.dataset + " " + d[0] + " [" + noise + "]";
      if (!c.name.empty()) {
        EXPECT_EQ(data.At(d, c.name) != persons.At(p, "name"), has("name_typo")) << ctx;
      }
      if (!c.phone.empty()) {
        EXPECT_EQ(data.At(d, c.phone) != persons.At(p, "phone"), has("phone_changed")) << ctx;
      }
      if (!c.birth.empty()) {
        EXPECT_EQ(data.At(d, c.birth) != persons.At(p, "birth_date"), has("dob_transposed")) << ctx;
      }
      if (!c.rrn.empty()) {
        EXPECT_EQ(data.At(d, c.rrn), persons.At(p, "rrn")) << ctx;
      }
      if (!c.emd_code.empty()) {
        EXPECT_EQ(data.At(d, c.emd_code) != persons.At(p, "emd_code"), has("address_moved")) << ctx;
      }
      if (!c.sigungu.empty()) {
        const korea::Eupmyeondong* home = korea::FindEupmyeondong(persons.At(p, "emd_code"));
        const korea::Sigungu* sgg = korea::FindSigungu(home->sigungu_code);
        bool same = data.At(d, c.sigungu) == sgg->name &&
                    data.At(d, c.sido) == korea::FindSido(sgg->sido_code)->name;
        // A move changes the 시군구 in records that keep only 시도/시군구.
        EXPECT_EQ(!same, has("address_moved")) << ctx;
      }
    }
  }
  for (const auto& [kind, count] : noise_seen) EXPECT_GT(count, 50) << kind;
  EXPECT_GT(linked_persons.size(), 1500u) << "most persons appear in some dataset";
}

TEST(SynthGenerate, PopulationListsEveryPersonOnce) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  o.datasets = {DatasetId::kPopulation};
  o.write_persons = false;
  auto m = Generate(o);
  ASSERT_TRUE(m.ok());
  Table truth = Load(tmp / "out/ground_truth/population.csv");
  std::set<std::string> ids;
  for (const Row& r : truth.rows) ids.insert(truth.At(r, "person_id"));
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_NE(truth.rows[0][1], "P00000000") << "extract order is not the person order";
  EXPECT_FALSE(std::filesystem::exists(tmp / "out/ground_truth/persons.csv"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "out/consumption.csv"));
}

TEST(SynthGenerate, IdentifiersAreValidAndRegionsResolve) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  ASSERT_TRUE(Generate(o).ok());
  auto luhn = [](std::string digits) {
    digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
    int sum = 0;
    for (int i = static_cast<int>(digits.size()) - 1, k = 0; i >= 0; --i, ++k) {
      int d = digits[i] - '0';
      if (k % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return digits.size() == 16 && sum % 10 == 0;
  };
  Table pay = Load(tmp / "out/consumption.csv");
  for (const Row& r : pay.rows) {
    EXPECT_TRUE(luhn(pay.At(r, "card_no"))) << pay.At(r, "card_no");
    EXPECT_TRUE(korea::HasValidBusinessNumberChecksum(pay.At(r, "merchant_business_no")));
    EXPECT_TRUE(korea::HasValidRrnChecksum(pay.At(r, "customer_rrn")));
    auto region =
        korea::ResolveRegion(pay.At(r, "merchant_sido") + " " + pay.At(r, "merchant_sigungu"));
    ASSERT_TRUE(region && region->sigungu) << pay.At(r, "merchant_sigungu");
  }
  Table pop = Load(tmp / "out/population.csv");
  for (const Row& r : pop.rows) {
    auto region = korea::ResolveRegion(pop.At(r, "sido") + " " + pop.At(r, "sigungu") + " " +
                                       pop.At(r, "eupmyeondong") + " " + pop.At(r, "road_address"));
    ASSERT_TRUE(region && region->emd) << pop.At(r, "eupmyeondong");
    EXPECT_EQ(region->emd->code, pop.At(r, "emd_code"));
  }
  Table stays = Load(tmp / "out/tourism.csv");
  for (const Row& r : stays.rows)
    ASSERT_TRUE(
        korea::ResolveRegion(stays.At(r, "region_sido") + " " + stays.At(r, "region_sigungu")));
  Table fin = Load(tmp / "out/finance.csv");
  for (const Row& r : fin.rows) {
    ASSERT_TRUE(
        korea::ResolveRegion(fin.At(r, "customer_sido") + " " + fin.At(r, "customer_sigungu")));
    double rate = std::stod(fin.At(r, "interest_rate_pct"));
    EXPECT_GE(rate, 2.5);
    EXPECT_LE(rate, 19.9);
  }
}

TEST(SynthGenerate, GroundTruthNeverLeaksIntoDatasets) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  ASSERT_TRUE(Generate(o).ok());
  auto is_person_id = [](const std::string& f) {
    return f.size() == 9 && f[0] == 'P' &&
           std::all_of(f.begin() + 1, f.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (const DatasetSpec& d : AllDatasets()) {
    std::string bytes = ReadFile(tmp / "out/" + std::string(d.name) + ".csv");
    EXPECT_EQ(bytes.find("name_typo"), std::string::npos) << d.name;
    for (const Row& r : ParseCsv(bytes))
      for (const std::string& f : r) ASSERT_FALSE(is_person_id(f)) << d.name << ": " << f;
  }
  // …while the ground truth does use them.
  Table truth = Load(tmp / "out/ground_truth/finance.csv");
  EXPECT_TRUE(is_person_id(truth.At(truth.rows.at(0), "person_id")));
}

TEST(SynthGenerate, TourismStatsAggregateTheStaysAndSuppressSmallCells) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  ASSERT_TRUE(Generate(o).ok());
  Table stays = Load(tmp / "out/tourism.csv");
  std::map<std::string, int64_t> count;
  for (const Row& r : stays.rows)
    ++count[stays.At(r, "check_in_date").substr(0, 7) + "|" + stays.At(r, "region_sido") + "|" +
            stays.At(r, "region_sigungu")];
  Table stats = Load(tmp / "out/tourism_stats.csv");
  ASSERT_FALSE(stats.rows.empty());
  int64_t published = 0;
  for (const Row& r : stats.rows) {
    std::string key = stats.At(r, "year_month") + "|" + stats.At(r, "region_sido") + "|" +
                      stats.At(r, "region_sigungu");
    EXPECT_EQ(std::stoll(stats.At(r, "stays")), count.at(key)) << key;
    EXPECT_GE(std::stoll(stats.At(r, "stays")), 5);
    ++published;
  }
  int64_t large = 0;
  for (const auto& [key, n] : count) large += n >= 5;
  EXPECT_EQ(published, large);
}

TEST(SynthGenerate, Cp949FileRoundTripsToTheUtf8File) {
  testing::TempDir tmp;
  Options utf8 = Small(tmp / "utf8");
  Options cp949 = Small(tmp / "cp949");
  for (const DatasetSpec& d : AllDatasets()) cp949.encodings[d.id] = text::Encoding::kCp949;
  ASSERT_TRUE(Generate(utf8).ok());
  ASSERT_TRUE(Generate(cp949).ok());
  for (const DatasetSpec& d : AllDatasets()) {
    std::string expected = ReadFile(tmp / "utf8/" + std::string(d.name) + ".csv");
    std::string encoded = ReadFile(tmp / "cp949/" + std::string(d.name) + ".csv");
    EXPECT_NE(encoded, expected) << "file is really CP949: " << d.name;
    EXPECT_FALSE(text::IsValidUtf8(encoded)) << d.name;
    auto conv = text::Cp949ToUtf8::Create();
    ASSERT_TRUE(conv.ok());
    std::string decoded;
    ASSERT_TRUE(conv->Convert(encoded, true, decoded).ok()) << d.name;
    EXPECT_TRUE(decoded == expected) << d.name;
  }
  // Ground truth and manifest stay UTF-8.
  EXPECT_TRUE(text::IsValidUtf8(ReadFile(tmp / "cp949/ground_truth/persons.csv")));
  EXPECT_TRUE(text::IsValidUtf8(ReadFile(tmp / "cp949/manifest.json")));
}

TEST(SynthGenerate, RejectsBadOptions) {
  testing::TempDir tmp;
  auto expect_invalid = [&](Options o) {
    auto m = Generate(o);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), Code::kInvalidArgument) << m.status().ToString();
  };
  Options o = Small(tmp / "x");
  o.output_dir.clear();
  expect_invalid(o);
  o = Small(tmp / "x");
  o.scale = 0;
  expect_invalid(o);
  o = Small(tmp / "x");
  o.noise_rate = 1.5;
  expect_invalid(o);
  o = Small(tmp / "x");
  o.rows[DatasetId::kPopulation] = 2001;
  expect_invalid(o);
  o = Small(tmp / "x");
  o.rows[DatasetId::kFinance] = -1;
  expect_invalid(o);
  o = Small(tmp / "x");
  o.datasets = {DatasetId::kTourismStats};
  expect_invalid(o);
  o = Small(tmp / "x");
  o.encodings[DatasetId::kFinance] = text::Encoding::kAuto;
  expect_invalid(o);
  EXPECT_FALSE(std::filesystem::exists(tmp / "x")) << "nothing is created for bad options";
}

TEST(SynthGenerate, RefusesANonEmptyDirectory) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp / "busy");
  std::ofstream(tmp / "busy/keep.txt") << "x";
  auto m = Generate(Small(tmp / "busy"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kAlreadyExists);
  std::filesystem::create_directories(tmp / "empty");
  EXPECT_TRUE(Generate(Small(tmp / "empty")).ok()) << "an empty directory is fine";
}

TEST(SynthGenerate, DiskFullIsResourceExhausted) {
  testing::TempDir tmp;
  for (int threads : {1, 3}) {
    testing::FaultyEnv env(200'000, ENOSPC);
    Options o = Small(tmp / ("full" + std::to_string(threads)));
    o.threads = threads;
    o.partition_rows = 500;
    o.env = &env;
    auto m = Generate(o);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), Code::kResourceExhausted) << m.status().ToString();
    EXPECT_FALSE(
        std::filesystem::exists(tmp / ("full" + std::to_string(threads)) + "/manifest.json"));
  }
}

TEST(SynthGenerate, ReportsProgressInOrder) {
  testing::TempDir tmp;
  Options o = Small(tmp / "out");
  o.datasets = {DatasetId::kConsumption};
  o.partition_rows = 4000;
  o.threads = 2;
  std::vector<int64_t> seen;
  o.on_progress = [&](std::string_view name, int64_t done, int64_t total) {
    EXPECT_EQ(name, "consumption");
    EXPECT_EQ(total, 20'000);
    seen.push_back(done);
  };
  ASSERT_TRUE(Generate(o).ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{4000, 8000, 12000, 16000, 20000}));
}

}  // namespace
}  // namespace sz::synth
