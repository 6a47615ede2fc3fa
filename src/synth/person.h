// The synthetic population: a universe of N persons that every dataset draws from.
//
// A person is a pure function of (seed, person id): nothing is stored, so the universe
// scales to tens of millions without memory and any thread can regenerate any person.
// Persons live in households; ids are grouped in blocks of four consecutive ids that are
// split into 1–4 households (37% of them one-person, as in Korea), whose
// members share an address, and whose children share the father's surname.
//
// Attributes follow published Korean distributions where it matters for realism:
// surnames (census 2015), given-name syllables by birth cohort, the 시도 of residence by
// registered population (2024), 읍면동 within a 시도 weighted by kind (a 동 houses far
// more people than a 면), occupation and income by age.
//
// Invariants: the RRN is consistent with birth date and sex and has a valid check digit
// (korea/rrn.h); the 010 mobile number is unique per person (a keyed permutation of the
// id) for up to 80 million persons; persons under 8 have no phone and no e-mail. RRNs
// draw their 5 free digits at random, so with millions of persons a few collide, as
// they cannot in reality.
//
// Thread-safety: a Universe is immutable after construction; Get() may be called from
// any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "korea/admin_regions.h"
#include "synth/date.h"
#include "synth/random.h"

namespace sz::synth {

struct Address {
  const korea::Eupmyeondong* emd = nullptr;
  std::string road;  // "청운효자로3길 17, 103동 1204호"
};

struct Person {
  int64_t id = 0;
  std::string surname;     // "김"
  std::string given_name;  // "민준"
  bool male = false;
  Date birth;
  std::string rrn;    // "900101-1234568"
  std::string phone;  // "010-1234-5678", empty under 8
  std::string email;  // empty for about 40%
  Address home;
  std::string household_id;   // "H0001234-2"
  std::string_view relation;  // 세대주 / 배우자 / 자녀
  Date move_in;               // when the household registered at `home`
  std::string_view occupation;
  int64_t annual_income_manwon = 0;  // 만원 per year
  int credit_score = 0;              // NICE-style 1–1000; 0 for minors

  std::string Name() const { return surname + given_name; }
  std::string PersonId() const;  // "P00000042": ground truth only, never in a dataset
  int AgeOn(const Date& on) const { return synth::AgeOn(birth, on); }
};

std::string PersonIdOf(int64_t id);
// The stem of a 읍면동 name for place names: "청운효자동" → "청운효자", "종로1·2·3·4가동" →
// "종로", "상계3·4동" → "상계", "조치원읍" → "조치원".
std::string EmdStem(std::string_view emd_name);
std::string_view IncomeBand(int64_t annual_income_manwon);

class Universe {
 public:
  // `reference_date` is the "as of" date of every dataset (ages, move-in dates).
  Universe(uint64_t seed, int64_t size, Date reference_date);

  int64_t size() const { return size_; }
  const Date& reference_date() const { return reference_date_; }
  uint64_t seed() const { return seed_; }
  Person Get(int64_t id) const;

  // Draws an address (another home, a property, a merchant's location) with the same
  // population weighting as homes.
  Address RandomAddress(Rng& rng) const;
  // A different 읍면동 for someone who moved: in the same 시군구 60% of the time (if it
  // has another), else elsewhere in the 시도; always in another 시군구 if
  // `other_sigungu` (for records that only keep 시도/시군구).
  const korea::Eupmyeondong* NearbyEmd(Rng& rng, const korea::Eupmyeondong* emd,
                                       bool other_sigungu = false) const;
  std::string RandomPhone(Rng& rng) const;
  std::string RoadAddress(Rng& rng, const korea::Eupmyeondong& emd, bool urban) const;

 private:
  struct Member {
    int age = 0;
    bool male = false;
    std::string_view relation;
    int surname_slot = 0;  // 0: own, 1: the household's father's surname
  };
  struct Household {
    int first = 0;  // first slot of the block
    int size = 1;
    std::vector<Member> members;
  };
  std::vector<Household> Block(int64_t block) const;
  const korea::Sido& RandomSido(Rng& rng) const;
  const korea::Eupmyeondong* RandomEmd(Rng& rng, const korea::Sido& sido) const;
  std::string RandomSurname(Rng& rng) const;

  uint64_t seed_;
  int64_t size_;
  Date reference_date_;
  Permutation phone_perm_;
  WeightedIndex surname_index_;
  WeightedIndex sido_index_;
  std::vector<std::vector<const korea::Eupmyeondong*>> emds_by_sido_;
  std::vector<WeightedIndex> emd_index_by_sido_;
};

}  // namespace sz::synth
