// Internal to synth: renders one synthetic record of a dataset as a CSV line, with its
// ground-truth line (record id → person id, noise applied) kept separately.
//
// Record `index` of a dataset draws only from its own random stream MixSeed(seed,
// dataset, index), so any partition of the records can be produced by any thread in any
// order and the bytes are the same.
//
// Thread-safety: a RowGenerator is immutable after construction; Append may be called
// concurrently with distinct output buffers.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "synth/datasets.h"
#include "synth/noise.h"
#include "synth/person.h"
#include "synth/random.h"

namespace sz::synth::internal {

// tourism_stats cells: (year-month, 시도, 시군구) → sums. Sums commute, so merging
// partition aggregates in any order gives the same result.
struct TourismCell {
  int64_t stays = 0;
  int64_t guests = 0;
  int64_t guest_nights = 0;
  int64_t amount_won = 0;
};
using TourismKey = std::tuple<std::string, std::string, std::string>;
using TourismAggregate = std::map<TourismKey, TourismCell>;

class RowGenerator {
 public:
  // `cache`, if given, holds universe.Get(i) at index i for every person (the output is
  // the same; it only saves regenerating persons who appear in many records).
  RowGenerator(const Universe& universe, double noise_rate,
               const std::vector<Person>* cache = nullptr);

  // The CSV header line of `id` (with "\n").
  static std::string Header(DatasetId id);
  static constexpr std::string_view kTruthHeader = "record_id,person_id,noise\n";

  // Appends record `index` of `id` to `csv` and its ground truth to `truth`; tourism
  // records are also added to `agg`. Returns true if noise was applied.
  bool Append(DatasetId id, int64_t index, std::string& csv, std::string& truth,
              TourismAggregate* agg) const;

  // The tourism_stats table from the merged aggregate (cells with < 5 stays dropped).
  static void AppendTourismStats(const TourismAggregate& agg, std::string& csv, int64_t& rows);

 private:
  struct Recorded;  // a person's attributes as a provider recorded them (maybe noisy)
  Person Get(int64_t id) const;
  Person PickPerson(Rng& rng, int min_age) const;
  // `district_address`: the record keeps only 시도/시군구, so a move must change them.
  Recorded Record(Rng& rng, const Person& p, std::span<const NoiseKind> applicable,
                  std::string& noise, bool district_address = false) const;

  bool Transportation(int64_t index, std::string& csv, std::string& truth) const;
  bool Population(int64_t index, std::string& csv, std::string& truth) const;
  bool RealEstate(int64_t index, std::string& csv, std::string& truth) const;
  bool Tourism(int64_t index, std::string& csv, std::string& truth, TourismAggregate* agg) const;
  bool Consumption(int64_t index, std::string& csv, std::string& truth) const;
  bool Finance(int64_t index, std::string& csv, std::string& truth) const;

  const Universe& universe_;
  double noise_rate_;
  const std::vector<Person>* cache_;
  Permutation population_order_;
};

}  // namespace sz::synth::internal
