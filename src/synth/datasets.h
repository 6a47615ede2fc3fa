// The synthetic datasets: six provider files over one population, plus an open
// statistics table derived from one of them.
//
// Each dataset comes from a different (fictional) provider institution, as the files a
// Data Safe Zone receives do, and has a manifest entry: name, Korean and English title,
// sector, tier, provider, description and column list. Column roles tell downstream
// engines (identifier detection, pseudonymization policy, linkage) what each column is:
// a direct identifier (name, RRN, phone), a quasi-identifier (birth date, region, …), a
// sensitive attribute (income, debt, …), the record key, or a plain attribute.
//
// Default tiers and why:
//   population     non_open       a resident-registration extract: direct identifiers of
//                                 everyone; only ever analysed inside the zone.
//   finance        non_open       loans and credit scores: sensitive financial data.
//   consumption    pseudonymized  card payments: personal, valuable for combination once
//                                 names/RRNs are replaced by combination keys.
//   transportation pseudonymized  registered transit-card taps: movement traces.
//   real_estate    pseudonymized  deals are published without the buyer; with the buyer's
//                                 RRN they are personal data.
//   tourism        pseudonymized  accommodation guests: personal; its aggregate is open.
//   tourism_stats  open           stays per 시군구 and month, derived from `tourism`,
//                                 cells with fewer than 5 stays suppressed.
//
// Thread-safety: immutable static data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace sz::synth {

enum class DatasetId {
  kTransportation,
  kPopulation,
  kRealEstate,
  kTourism,
  kConsumption,
  kFinance,
  kTourismStats,  // derived from kTourism
};
constexpr int kDatasetCount = 7;

enum class Tier { kOpen, kPseudonymized, kNonOpen };
std::string_view TierName(Tier tier);  // "open", "pseudonymized", "non_open"

enum class ColumnRole { kRecordKey, kIdentifier, kQuasiIdentifier, kSensitive, kAttribute };
std::string_view ColumnRoleName(ColumnRole role);  // "record_key", "identifier", …

struct ColumnSpec {
  std::string_view name;    // "customer_rrn"
  std::string_view type;    // DuckDB type for import: VARCHAR, BIGINT, DOUBLE, DATE, TIMESTAMP
  ColumnRole role;
  std::string_view title_ko;  // "고객 주민등록번호"
};

struct DatasetSpec {
  DatasetId id;
  std::string_view name;      // file stem and manifest key: "consumption"
  std::string_view title_ko;  // "카드 결제 내역"
  std::string_view title_en;  // "Card payments"
  // transportation, population, real_estate, tourism, consumption or finance
  std::string_view sector;
  Tier tier;
  std::string_view provider;  // a fictional institution
  std::string_view description;
  std::span<const ColumnSpec> columns;
  int64_t rows_per_10k_persons;  // default size at scale 1 (persons = 10,000)
  bool derived;                  // computed from another dataset, no person records
};

std::span<const DatasetSpec> AllDatasets();
const DatasetSpec& SpecOf(DatasetId id);
std::optional<DatasetId> DatasetByName(std::string_view name);

}  // namespace sz::synth
