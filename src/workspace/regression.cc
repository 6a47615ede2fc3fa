#include "workspace/regression.h"

#include <cmath>

#include "fmt/format.h"
#include "workspace/sql_text.h"

namespace sz::workspace {

namespace {

using Matrix = std::vector<std::vector<double>>;

double AsDouble(const duck::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::nan("");
}

// Inverse of a small symmetric positive definite matrix by Gauss-Jordan elimination with
// partial pivoting. InvalidArgument when it is (numerically) singular.
Result<Matrix> Invert(Matrix a) {
  size_t k = a.size();
  Matrix inv(k, std::vector<double>(k, 0));
  for (size_t i = 0; i < k; ++i) inv[i][i] = 1;
  double scale = 0;
  for (size_t i = 0; i < k; ++i) scale = std::max(scale, std::abs(a[i][i]));
  for (size_t col = 0; col < k; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < k; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    if (!(std::abs(a[pivot][col]) > 1e-12 * std::max(scale, 1e-300))) {
      return InvalidArgument("the predictors are collinear (or constant); drop one of them");
    }
    std::swap(a[col], a[pivot]);
    std::swap(inv[col], inv[pivot]);
    double d = a[col][col];
    for (size_t c = 0; c < k; ++c) {
      a[col][c] /= d;
      inv[col][c] /= d;
    }
    for (size_t r = 0; r < k; ++r) {
      if (r == col || a[r][col] == 0) continue;
      double f = a[r][col];
      for (size_t c = 0; c < k; ++c) {
        a[r][c] -= f * a[col][c];
        inv[r][c] -= f * inv[col][c];
      }
    }
  }
  return inv;
}

}  // namespace

Result<RegressionFit> FitOls(Sandbox& sandbox, const RegressionSpec& spec,
                             const std::atomic<bool>* cancel) {
  if (spec.predictors.empty()) return InvalidArgument("a regression needs at least one predictor");
  SZ_RETURN_IF_ERROR(CheckExpressionFragment("outcome", spec.outcome));
  for (size_t i = 0; i < spec.predictors.size(); ++i) {
    SZ_RETURN_IF_ERROR(
        CheckExpressionFragment(fmt::format("predictor {}", i + 1), spec.predictors[i]));
  }
  SZ_ASSIGN_OR_RETURN(SourceClause source, CompileSource(sandbox, spec.source));
  size_t p = spec.predictors.size();
  std::string cols =
      fmt::format("{} AS p0, CAST(({}) AS DOUBLE) AS y", source.person_exprs[0], spec.outcome);
  std::string complete = "y IS NOT NULL";
  for (size_t i = 0; i < p; ++i) {
    cols += fmt::format(", CAST(({}) AS DOUBLE) AS x{}", spec.predictors[i], i);
    complete += fmt::format(" AND x{} IS NOT NULL", i);
  }
  // With an intercept: centred moments (DuckDB's covar_pop is computed stably); without:
  // raw moments about zero.
  std::string moments = "count(*), count(DISTINCT p0), avg(y), ";
  moments += spec.intercept ? "var_pop(y)" : "avg(y * y)";
  for (size_t i = 0; i < p; ++i) moments += fmt::format(", avg(x{})", i);
  for (size_t i = 0; i < p; ++i) {
    moments +=
        spec.intercept ? fmt::format(", covar_pop(x{}, y)", i) : fmt::format(", avg(x{} * y)", i);
    for (size_t j = i; j < p; ++j) {
      moments += spec.intercept ? fmt::format(", covar_pop(x{}, x{})", i, j)
                                : fmt::format(", avg(x{} * x{})", i, j);
    }
  }
  std::string sql = fmt::format("WITH src AS (SELECT {} {}) SELECT {} FROM src WHERE {}", cols,
                                source.from_sql, moments, complete);
  SZ_ASSIGN_OR_RETURN(duck::QueryResult result, sandbox.RunComposed(sql, cancel));
  SZ_ASSIGN_OR_RETURN(auto rows, result.Rows());
  if (rows.size() != 1) return Internal("regression moments returned no row");
  const auto& r = rows[0];

  RegressionFit fit;
  fit.sql = sql;
  fit.touched = source.touched;
  fit.observations = static_cast<int64_t>(AsDouble(r[0]));
  fit.persons = static_cast<int64_t>(AsDouble(r[1]));
  fit.parameters = static_cast<int64_t>(p) + (spec.intercept ? 1 : 0);
  fit.residual_df = fit.observations - fit.parameters;
  if (fit.residual_df <= 0) {
    return InvalidArgument(fmt::format("{} complete observations cannot estimate {} parameters",
                                       fit.observations, fit.parameters));
  }
  double n = static_cast<double>(fit.observations);
  double y_mean = AsDouble(r[2]);
  double y_moment = AsDouble(r[3]);
  std::vector<double> x_mean(p), sxy(p);
  Matrix sxx(p, std::vector<double>(p));
  size_t c = 4;
  for (size_t i = 0; i < p; ++i) x_mean[i] = AsDouble(r[c++]);
  for (size_t i = 0; i < p; ++i) {
    sxy[i] = AsDouble(r[c++]) * n;
    for (size_t j = i; j < p; ++j) sxx[i][j] = sxx[j][i] = AsDouble(r[c++]) * n;
  }
  SZ_ASSIGN_OR_RETURN(Matrix inv, Invert(sxx));
  std::vector<double> b(p, 0);
  for (size_t i = 0; i < p; ++i)
    for (size_t j = 0; j < p; ++j) b[i] += inv[i][j] * sxy[j];
  double syy = y_moment * n;  // centred (or raw) total sum of squares
  double explained = 0;
  for (size_t i = 0; i < p; ++i) explained += b[i] * sxy[i];
  double rss = std::max(syy - explained, 0.0);
  double s2 = rss / static_cast<double>(fit.residual_df);
  fit.r_squared = syy > 0 ? explained / syy : 0;

  if (spec.intercept) {
    double b0 = y_mean;
    for (size_t i = 0; i < p; ++i) b0 -= b[i] * x_mean[i];
    double quad = 0;  // x_mean' Sxx^-1 x_mean
    for (size_t i = 0; i < p; ++i)
      for (size_t j = 0; j < p; ++j) quad += x_mean[i] * inv[i][j] * x_mean[j];
    fit.coefficients.push_back({"(intercept)", b0, std::sqrt(s2 * (1.0 / n + quad))});
  }
  for (size_t i = 0; i < p; ++i) {
    fit.coefficients.push_back({spec.predictors[i], b[i], std::sqrt(s2 * inv[i][i])});
  }
  return fit;
}

}  // namespace sz::workspace
