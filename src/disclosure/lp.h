// LinearProgram: a small RAII wrapper over GLPK's simplex solver (libglpk, Debian
// libglpk-dev), enough for the interval audit: bounded variables, equality rows, and
// "minimize or maximize one variable" solved repeatedly with warm starts.
//
// The GLPK problem object is owned and freed by this class; it is move-only. GLPK reports
// programming errors by aborting, so every index is checked here before it reaches GLPK;
// solver outcomes (infeasible, unbounded, numerical failure) come back as values or
// Status. Terminal output is switched off.
//
// Thread-safety: GLPK keeps per-thread environment state; use a LinearProgram from one
// thread at a time. Different threads may each use their own.
#pragma once

#include <limits>
#include <span>
#include <vector>

#include "common/status.h"

struct glp_prob;  // GLPK's problem object

namespace sz::disclosure {

class LinearProgram {
 public:
  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

  LinearProgram();
  ~LinearProgram();
  LinearProgram(LinearProgram&& other) noexcept;
  LinearProgram& operator=(LinearProgram&& other) noexcept;
  LinearProgram(const LinearProgram&) = delete;
  LinearProgram& operator=(const LinearProgram&) = delete;

  // Adds a variable with bounds [lower, upper] (either may be infinite); returns its index.
  int AddVariable(double lower, double upper);
  // Adds the row sum(coefs[i] * x[vars[i]]) == rhs. InvalidArgument on a bad index or
  // mismatched spans.
  Status AddEquality(std::span<const int> vars, std::span<const double> coefs, double rhs);

  // Changes the bounds of an existing variable (e.g. fixing it: lower == upper).
  Status SetBounds(int var, double lower, double upper);

  int variable_count() const { return variables_; }

  // The minimum (or maximum) of variable `var` subject to all rows and bounds:
  // -kInfinity / +kInfinity when unbounded; FailedPrecondition when the rows are
  // infeasible; Internal when the solver fails numerically.
  Result<double> Minimize(int var) { return Optimize(var, /*maximize=*/false); }
  Result<double> Maximize(int var) { return Optimize(var, /*maximize=*/true); }

  // Number of simplex calls so far (for reports and benchmarks).
  int solves() const { return solves_; }

 private:
  Result<double> Optimize(int var, bool maximize);

  glp_prob* lp_ = nullptr;
  int variables_ = 0;
  int objective_var_ = -1;
  int solves_ = 0;
  bool scaled_ = false;
};

}  // namespace sz::disclosure
