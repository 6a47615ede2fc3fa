// Small hand-checkable tables shared by the privacy engine's unit tests (test-only).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "privacy/dataset.h"

namespace sz::privacy::testing {

// Builds a quasi-identifier from values and an ARX-format hierarchy text; aborts the
// test binary on a malformed fixture (fixtures are constants).
inline QuasiIdentifier MakeQi(const std::string& name, const std::vector<std::string>& values,
                              const std::string& hierarchy) {
  auto h = Hierarchy::ParseArxCsv(hierarchy);
  auto qi = QuasiIdentifier::Bind(EncodedColumn::FromStrings(name, values), std::move(h).value());
  return std::move(qi).value();
}

inline SensitiveAttribute MakeSensitive(const std::string& name,
                                        const std::vector<std::string>& values,
                                        ValueOrder order = ValueOrder::kLexicographic) {
  return SensitiveAttribute::Bind(EncodedColumn::FromStrings(name, values), order).value();
}

// One quasi-identifier "zip" (classes z1: 5 records, z2: 4, z3: 2) with flat hierarchy,
// sensitive "s" numeric 1 < 2 < 3 < 4:
//   z1: 1,1,1,2,3   z2: 1,1,2,2   z3: 1,4
inline Dataset DiversityTable() {
  std::vector<std::string> zip = {"z1", "z1", "z1", "z1", "z1", "z2", "z2", "z2", "z2", "z3", "z3"};
  std::vector<std::string> s = {"1", "1", "1", "2", "3", "1", "1", "2", "2", "1", "4"};
  std::vector<QuasiIdentifier> qis;
  qis.push_back(MakeQi("zip", zip, "z1;*\nz2;*\nz3;*\n"));
  return Dataset::Make(std::move(qis), MakeSensitive("s", s, ValueOrder::kNumeric)).value();
}

// Li, Li & Venkatasubramanian (2007), Table 3: ZIP, age, salary (K, numeric), disease.
// At levels {2, 1} the classes are their Table 4's: records 1-3, 4-6, 7-9.
inline Dataset LiTable(bool salary_sensitive) {
  std::vector<std::string> zip = {"47677", "47602", "47678", "47905", "47909",
                                  "47906", "47605", "47673", "47607"};
  std::vector<std::string> age = {"29", "22", "27", "43", "52", "47", "30", "36", "32"};
  std::vector<std::string> salary = {"3", "4", "5", "6", "11", "8", "7", "9", "10"};
  std::vector<std::string> disease = {"gastric ulcer", "gastritis", "stomach cancer",
                                      "gastritis",     "flu",       "bronchitis",
                                      "bronchitis",    "pneumonia", "stomach cancer"};
  std::vector<QuasiIdentifier> qis;
  qis.push_back(MakeQi("zip", zip,
                       "47677;4767*;476**;*\n47602;4760*;476**;*\n47678;4767*;476**;*\n"
                       "47905;4790*;479**;*\n47909;4790*;479**;*\n47906;4790*;479**;*\n"
                       "47605;4760*;476**;*\n47673;4767*;476**;*\n47607;4760*;476**;*\n"));
  qis.push_back(MakeQi("age", age,
                       "29;2*;<40;*\n22;2*;<40;*\n27;2*;<40;*\n43;>=40;>=40;*\n52;>=40;>=40;*\n"
                       "47;>=40;>=40;*\n30;3*;<40;*\n36;3*;<40;*\n32;3*;<40;*\n"));
  auto s = salary_sensitive ? MakeSensitive("salary", salary, ValueOrder::kNumeric)
                            : MakeSensitive("disease", disease);
  return Dataset::Make(std::move(qis), std::move(s)).value();
}

// Two quasi-identifiers for the utility figures:
//   a: a1,a2 -> A, a3 -> B, then '*'  (D = 3, height 2)
//   b: b1,b2 -> '*'                    (D = 2, height 1)
// rows: (a1,b1) (a1,b1) (a2,b1) (a3,b2) (a3,b2) (a2,b2)
inline Dataset UtilityTable() {
  std::vector<QuasiIdentifier> qis;
  qis.push_back(MakeQi("a", {"a1", "a1", "a2", "a3", "a3", "a2"}, "a1;A;*\na2;A;*\na3;B;*\n"));
  qis.push_back(MakeQi("b", {"b1", "b1", "b1", "b2", "b2", "b2"}, "b1;*\nb2;*\n"));
  return Dataset::Make(std::move(qis)).value();
}

// Random dataset (seeded): `qis` columns of values 0..domain-1 (domain a power of two)
// with hierarchies that halve the domain per level, and a sensitive column with
// `sensitive_values` values (0 = none).
inline Dataset RandomDataset(int qis, int domain, int64_t rows, uint64_t seed,
                             int sensitive_values = 5) {
  std::mt19937_64 rng(seed);
  std::vector<QuasiIdentifier> columns;
  for (int q = 0; q < qis; ++q) {
    std::string hierarchy;
    for (int v = 0; v < domain; ++v) {
      hierarchy += std::to_string(v);
      for (int g = v / 2, width = 2; width < domain; g /= 2, width *= 2) {
        hierarchy += ";g" + std::to_string(width) + "_" + std::to_string(g);
      }
      hierarchy += ";*\n";
    }
    std::vector<std::string> values(static_cast<size_t>(rows));
    // Skewed values (min of two draws), so that some classes are small and some large.
    for (auto& v : values) v = std::to_string(std::min(rng() % domain, rng() % domain));
    columns.push_back(MakeQi("q" + std::to_string(q), values, hierarchy));
  }
  if (sensitive_values == 0) return Dataset::Make(std::move(columns)).value();
  std::vector<std::string> s(static_cast<size_t>(rows));
  for (auto& v : s) v = std::to_string(rng() % sensitive_values);
  return Dataset::Make(std::move(columns), MakeSensitive("s", s, ValueOrder::kNumeric)).value();
}

}  // namespace sz::privacy::testing
