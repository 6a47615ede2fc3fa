// Ordinary least squares inside the workspace, with the evidence the output checks need
// (N, number of parameters, residual degrees of freedom).
//
// One DuckDB pass computes the sufficient statistics over the complete cases (rows where
// the outcome and every predictor are non-NULL): N, the distinct persons, X'X, X'y, y'y;
// the normal equations X'X b = X'y are then solved here (Gaussian elimination with partial
// pivoting; k is small). Standard errors are sqrt(diag(s^2 (X'X)^-1)) with
// s^2 = RSS / (N - k), RSS = y'y - b'X'y (Greene, Econometric Analysis, ch. 4).
// Predictors are centred by their means in the same pass (X'X of centred columns from the
// raw sums), which keeps the normal equations well conditioned for data far from zero.
//
// Thread-safety: uses the sandbox's connection; one thread.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "common/status.h"
#include "workspace/sandbox.h"
#include "workspace/tabulate.h"

namespace sz::workspace {

struct RegressionSpec {
  TableSpec source;                     // from, joins, filters, where (dimensions ignored)
  std::string outcome;                  // expression
  std::vector<std::string> predictors;  // expressions, at least one
  bool intercept = true;
};

struct Coefficient {
  std::string term;  // "(intercept)" or the predictor expression
  double estimate = 0;
  double std_error = 0;
};

struct RegressionFit {
  std::vector<Coefficient> coefficients;
  int64_t observations = 0;  // N: complete cases
  int64_t persons = 0;       // distinct persons among them
  int64_t parameters = 0;    // k, intercept included
  int64_t residual_df = 0;   // N - k
  double r_squared = 0;
  std::string sql;
  std::vector<std::string> touched;
};

// InvalidArgument for a bad spec, fewer observations than parameters, or collinear
// predictors.
Result<RegressionFit> FitOls(Sandbox& sandbox, const RegressionSpec& spec,
                             const std::atomic<bool>* cancel = nullptr);

}  // namespace sz::workspace
