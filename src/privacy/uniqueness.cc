#include "privacy/uniqueness.h"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace sz::privacy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double LogChoose(double a, double b) {
  return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
}

int64_t ClassesOfSize(std::span<const ClassSizeCount> h, int64_t k) {
  for (const auto& e : h)
    if (e.size == k) return e.classes;
  return 0;
}

int64_t ClassCount(std::span<const ClassSizeCount> h) {
  int64_t u = 0;
  for (const auto& e : h) u += e.classes;
  return u;
}

bool Valid(double v, int64_t population) {
  return std::isfinite(v) && v >= 0 && v <= static_cast<double>(population);
}

// Solves F(x) = 0 for two unknowns by Newton's method with the given Jacobian.
template <typename F, typename J>
bool Newton2(F f, J jac, std::array<double, 2>& x, double tolerance, int iterations) {
  for (int it = 0; it < iterations; ++it) {
    std::array<double, 2> r = f(x);
    if (!std::isfinite(r[0]) || !std::isfinite(r[1])) return false;
    if (std::fabs(r[0]) < tolerance && std::fabs(r[1]) < tolerance) return true;
    std::array<double, 4> m = jac(x);  // row-major [dF0/dx0, dF0/dx1, dF1/dx0, dF1/dx1]
    double det = m[0] * m[3] - m[1] * m[2];
    if (!std::isfinite(det) || det == 0) return false;
    double dx0 = (r[0] * m[3] - r[1] * m[1]) / det;
    double dx1 = (m[0] * r[1] - m[2] * r[0]) / det;
    x[0] -= dx0;
    x[1] -= dx1;
    if (!std::isfinite(x[0]) || !std::isfinite(x[1])) return false;
  }
  std::array<double, 2> r = f(x);
  return std::fabs(r[0]) < tolerance && std::fabs(r[1]) < tolerance;
}

}  // namespace

const char* UniquenessModelName(UniquenessModel model) {
  switch (model) {
    case UniquenessModel::kNone: return "none";
    case UniquenessModel::kPitman: return "Pitman";
    case UniquenessModel::kZayatz: return "Zayatz";
    case UniquenessModel::kSnb: return "SNB";
  }
  return "unknown";
}

double Digamma(double x) {
  if (x <= 0 && x == std::floor(x)) return kNaN;
  if (x < 0) return Digamma(1 - x) - std::numbers::pi / std::tan(std::numbers::pi * x);
  double r = 0;
  while (x < 12) {
    r -= 1 / x;
    x += 1;
  }
  double f = 1 / (x * x);
  return r + std::log(x) - 0.5 / x -
         f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

double Trigamma(double x) {
  if (x <= 0 && x == std::floor(x)) return kNaN;
  if (x < 0) {
    double s = std::sin(std::numbers::pi * x);
    return -Trigamma(1 - x) + std::numbers::pi * std::numbers::pi / (s * s);
  }
  double r = 0;
  while (x < 12) {
    r += 1 / (x * x);
    x += 1;
  }
  double f = 1 / (x * x);
  return r + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30))));
}

double ZayatzUniques(std::span<const ClassSizeCount> histogram, int64_t sample,
                     int64_t population) {
  const int64_t c1 = ClassesOfSize(histogram, 1);
  if (c1 == 0) return 0;
  const auto n = static_cast<double>(sample), N = static_cast<double>(population);
  // P(a population class of size k shows exactly one record in a sample of n):
  // k C(N-k, n-1) / C(N, n) (hypergeometric).
  double weighted = 0;
  for (const auto& e : histogram) {
    const auto k = static_cast<double>(e.size);
    if (N - k < n - 1) continue;
    double p = std::exp(std::log(k) + LogChoose(N - k, n - 1) - LogChoose(N, n));
    weighted += static_cast<double>(e.classes) * p;
  }
  if (weighted <= 0) return kNaN;
  const double pi = n / N;
  // P(population unique | sample unique) = c_1 P1(1) / sum_k c_k P1(k), P1(1) = pi.
  double conditional = static_cast<double>(c1) * pi / weighted;
  double v = static_cast<double>(c1) * conditional / pi;
  return Valid(v, population) ? v : kNaN;
}

double PitmanUniques(std::span<const ClassSizeCount> histogram, int64_t sample,
                     int64_t population) {
  double c1 = static_cast<double>(ClassesOfSize(histogram, 1));
  if (c1 == 0) return 0;
  double c2 = static_cast<double>(ClassesOfSize(histogram, 2));
  const auto u = static_cast<double>(ClassCount(histogram));
  const auto n = static_cast<double>(sample), N = static_cast<double>(population);
  // Initial guess by moments (as in ARX).
  if (c2 == 0) c2 = 1;
  double c = c1 * (c1 - 1) / c2;
  double t0 = (n * u * c - c1 * (n - 1) * (2 * u + c)) / (2 * c1 * u + c1 * c - n * c);
  double a0 = (t0 * (c1 - n) + (n - 1) * c1) / (n * u);
  // Likelihood equations of Pitman's sampling formula in theta (t) and alpha (a):
  //   F0 = sum_{i<u} 1/(t+ia) - sum_{i<n} 1/(t+i)
  //   F1 = sum_{i<u} i/(t+ia) - sum_{k>=2} c_k sum_{j<k} 1/(j-a)
  // The sums over classes run directly (O(u) per step): closed forms via digamma(t/a)
  // lose all precision when alpha is near 0. The sums over records and over class sizes
  // use digamma/trigamma, whose arguments stay moderate.
  auto sums = [&](double t, double a) {
    double o1 = 0, o3 = 0, d1 = 0, d3 = 0, d5 = 0;
    const auto classes = static_cast<int64_t>(u);
    for (int64_t i = 1; i < classes; ++i) {
      const auto fi = static_cast<double>(i);
      double inv = 1 / (t + fi * a);
      o1 += inv;
      o3 += fi * inv;
      d1 += inv * inv;
      d5 += fi * inv * inv;
      d3 += fi * fi * inv * inv;
    }
    double o2 = Digamma(t + n) - Digamma(t + 1);
    double d2 = Trigamma(t + 1) - Trigamma(t + n);
    double o4 = 0, d4 = 0;
    double psi1 = Digamma(1 - a), tri1 = Trigamma(1 - a);
    for (const auto& e : histogram) {
      if (e.size < 2) continue;
      auto k = static_cast<double>(e.size);
      auto ck = static_cast<double>(e.classes);
      o4 += ck * (Digamma(k - a) - psi1);
      d4 += ck * (tri1 - Trigamma(k - a));
    }
    // Residuals F0, F1 and the symmetric Jacobian dF0/dt, dF0/da = dF1/dt, dF1/da.
    return std::array<double, 5>{o1 - o2, o3 - o4, d2 - d1, -d5, -d3 - d4};
  };
  std::array<double, 2> x{t0, a0};
  bool ok = Newton2(
      [&](const std::array<double, 2>& v) {
        auto s = sums(v[0], v[1]);
        return std::array<double, 2>{s[0], s[1]};
      },
      [&](const std::array<double, 2>& v) {
        auto s = sums(v[0], v[1]);
        return std::array<double, 4>{s[2], s[3], s[3], s[4]};
      },
      x, 1e-9, 300);
  double t = x[0], a = x[1];
  // Pitman's formula needs alpha < 1 and theta > -alpha (alpha may be negative, as in ARX).
  if (!ok || a == 0 || a >= 1 || t <= -1 || t + a <= 0) return kNaN;
  double v = std::exp(std::lgamma(t + 1) - std::lgamma(t + a) + a * std::log(N));
  return Valid(v, population) ? v : kNaN;
}

double SnbUniques(std::span<const ClassSizeCount> histogram, int64_t sample, int64_t population) {
  const double c1 = static_cast<double>(ClassesOfSize(histogram, 1));
  if (c1 == 0) return 0;
  const double c2 = static_cast<double>(ClassesOfSize(histogram, 2));
  const auto u = static_cast<double>(ClassCount(histogram));
  const double pi = static_cast<double>(sample) / static_cast<double>(population);
  if (pi >= 1) return c1;  // the sample is the population
  // Shlosser's estimator of the number of non-empty population classes.
  double num = 0, den = 0;
  for (const auto& e : histogram) {
    auto k = static_cast<double>(e.size);
    auto ck = static_cast<double>(e.classes);
    num += std::pow(1 - pi, k) * ck;
    den += k * pi * std::pow(1 - pi, k - 1) * ck;
  }
  const double K = u + c1 * num / den;
  // Unknowns in unconstrained form: alpha = e^p, beta = 1/(1+e^-q).
  auto residual = [&](const std::array<double, 2>& v) {
    double a = std::exp(v[0]);
    double b = 1 / (1 + std::exp(-v[1]));
    double d = (1 - pi) * (1 - b);
    double e1 = K * pi * std::pow(b / (1 - d), a) * (1 + a * d / (1 - d));
    double e2 = K * a * pi * pi * (1 - b) * std::pow(b, a) * (2 - (1 - a) * d) /
                (2 * std::pow(1 - d, a + 2));
    // Relative residuals, so both equations weigh alike.
    return std::array<double, 2>{(e1 - c1) / std::max(c1, 1.0), (e2 - c2) / std::max(c2, 1.0)};
  };
  auto jacobian = [&](const std::array<double, 2>& v) {
    std::array<double, 4> m{};
    for (int j = 0; j < 2; ++j) {
      double h = 1e-6 * std::max(1.0, std::fabs(v[j]));
      auto hi = v, lo = v;
      hi[j] += h;
      lo[j] -= h;
      auto rh = residual(hi), rl = residual(lo);
      m[j] = (rh[0] - rl[0]) / (2 * h);
      m[2 + j] = (rh[1] - rl[1]) / (2 * h);
    }
    return m;
  };
  for (double p0 : {0.0, -2.0, 2.0, -4.0}) {
    for (double q0 : {0.0, -2.0, 2.0, 4.0}) {
      std::array<double, 2> x{p0, q0};
      if (!Newton2(residual, jacobian, x, 1e-9, 200)) continue;
      double a = std::exp(x[0]);
      double b = 1 / (1 + std::exp(-x[1]));
      double v = K * std::pow(b, a);
      if (Valid(v, population)) return v;
    }
  }
  return kNaN;
}

PopulationUniqueness EstimatePopulationUniqueness(std::span<const ClassSizeCount> histogram,
                                                  int64_t sample, int64_t population) {
  PopulationUniqueness r;
  r.sampling_fraction = static_cast<double>(sample) / static_cast<double>(population);
  if (ClassesOfSize(histogram, 1) == 0) return r;  // no sample uniques: all estimates 0
  r.zayatz = ZayatzUniques(histogram, sample, population);
  r.pitman = PitmanUniques(histogram, sample, population);
  r.snb = SnbUniques(histogram, sample, population);
  auto valid = [](double v) { return std::isfinite(v) && v != 0; };
  if (r.sampling_fraction <= 0.1) {
    if (valid(r.pitman)) {
      r.selected = UniquenessModel::kPitman;
      r.uniques = r.pitman;
    } else {
      r.selected = UniquenessModel::kZayatz;
      r.uniques = r.zayatz;
    }
  } else if (valid(r.snb) && !(r.zayatz < r.snb)) {
    r.selected = UniquenessModel::kSnb;
    r.uniques = r.snb;
  } else {
    r.selected = UniquenessModel::kZayatz;
    r.uniques = r.zayatz;
  }
  if (!std::isfinite(r.uniques)) r.uniques = 0;
  r.share = r.uniques / static_cast<double>(population);
  return r;
}

}  // namespace sz::privacy
