// Population uniqueness: how many people in the population are unique on the
// quasi-identifiers, estimated from a sample's class-size frequencies c_k (number of
// sample classes of size k), sample size n and population size N (sampling fraction
// pi = n / N).
//
// Estimators:
//  - Zayatz (1991), "Estimation of the number of unique population elements using a
//    sample": the share of sample uniques that are population uniques, from
//    hypergeometric probabilities with the sample's class sizes standing in for the
//    population's; estimate = c_1 * P(unique | sample unique) / pi.
//  - Pitman, as used by Hoshino (2001), "Applying Pitman's sampling formula to microdata
//    disclosure risk assessment": maximum-likelihood (theta, alpha) by Newton's method
//    (closed forms with digamma/trigamma), estimate = Gamma(theta+1)/Gamma(theta+alpha) *
//    N^alpha.
//  - SNB, Chen & Keller-McNulty (1998), "Estimation of identification disclosure risk in
//    microdata": population class size 1 + NegBin(alpha, beta), binomially sampled;
//    (alpha, beta) solve E[c_1] = c_1 and E[c_2] = c_2 with K (the number of non-empty
//    population classes) from Shlosser's estimator; estimate = K beta^alpha.
//    E[c_2] = K alpha pi^2 (1-beta) beta^alpha (2 - (1-alpha) d) / (2 (1-d)^(alpha+2)),
//    d = (1-pi)(1-beta), derived from the model (ARX 3.9's code multiplies by
//    (1-d)^(alpha+2) where the model divides; this follows the model).
//  - Selection rule of Dankar, El Emam, Neisa, Roffey (2012), "Estimating the
//    re-identification risk of clinical data sets" (as ARX applies it): pi <= 0.1 ->
//    Pitman (Zayatz if Pitman fails); pi > 0.1 -> the smaller of Zayatz and SNB (Zayatz if
//    SNB fails). No sample uniques -> 0.
// A failed estimate (no convergence, out of [0, N]) is NaN.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace sz::privacy {

struct ClassSizeCount {
  int64_t size = 0;     // k
  int64_t classes = 0;  // c_k
};

enum class UniquenessModel { kNone, kPitman, kZayatz, kSnb };
const char* UniquenessModelName(UniquenessModel model);

struct PopulationUniqueness {
  double sampling_fraction = 0;
  double zayatz = 0;  // estimated population uniques (NaN if the model failed)
  double pitman = 0;
  double snb = 0;
  UniquenessModel selected = UniquenessModel::kNone;
  double uniques = 0;  // the selected estimate (0 if every model failed)
  double share = 0;    // uniques / N
};

// `histogram`: class sizes k ascending, each with c_k > 0. `sample` = sum k c_k.
// REQUIRES: 0 < sample <= population.
PopulationUniqueness EstimatePopulationUniqueness(std::span<const ClassSizeCount> histogram,
                                                  int64_t sample, int64_t population);

double ZayatzUniques(std::span<const ClassSizeCount> histogram, int64_t sample, int64_t population);
double PitmanUniques(std::span<const ClassSizeCount> histogram, int64_t sample, int64_t population);
double SnbUniques(std::span<const ClassSizeCount> histogram, int64_t sample, int64_t population);

// Special functions used above (exposed for tests).
double Digamma(double x);
double Trigamma(double x);

}  // namespace sz::privacy
