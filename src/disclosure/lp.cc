#include "disclosure/lp.h"

#include <glpk.h>

#include <cmath>
#include <utility>

namespace sz::disclosure {

LinearProgram::LinearProgram() {
  glp_term_out(GLP_OFF);
  lp_ = glp_create_prob();
}

LinearProgram::~LinearProgram() {
  if (lp_ != nullptr) glp_delete_prob(lp_);
}

LinearProgram::LinearProgram(LinearProgram&& other) noexcept
    : lp_(std::exchange(other.lp_, nullptr)),
      variables_(std::exchange(other.variables_, 0)),
      objective_var_(std::exchange(other.objective_var_, -1)),
      solves_(std::exchange(other.solves_, 0)),
      scaled_(std::exchange(other.scaled_, false)) {}

LinearProgram& LinearProgram::operator=(LinearProgram&& other) noexcept {
  if (this != &other) {
    if (lp_ != nullptr) glp_delete_prob(lp_);
    lp_ = std::exchange(other.lp_, nullptr);
    variables_ = std::exchange(other.variables_, 0);
    objective_var_ = std::exchange(other.objective_var_, -1);
    solves_ = std::exchange(other.solves_, 0);
    scaled_ = std::exchange(other.scaled_, false);
  }
  return *this;
}

namespace {

void SetColumnBounds(glp_prob* lp, int j, double lower, double upper) {
  bool has_lower = std::isfinite(lower);
  bool has_upper = std::isfinite(upper);
  int type = has_lower ? (has_upper ? (lower == upper ? GLP_FX : GLP_DB) : GLP_LO)
                       : (has_upper ? GLP_UP : GLP_FR);
  glp_set_col_bnds(lp, j, type, has_lower ? lower : 0.0, has_upper ? upper : 0.0);
}

}  // namespace

int LinearProgram::AddVariable(double lower, double upper) {
  int j = glp_add_cols(lp_, 1);
  SetColumnBounds(lp_, j, lower, upper);
  scaled_ = false;
  return variables_++;
}

Status LinearProgram::SetBounds(int var, double lower, double upper) {
  if (var < 0 || var >= variables_) return InvalidArgument("LP bounds name an unknown variable");
  if (lower > upper) return InvalidArgument("LP bounds are empty");
  SetColumnBounds(lp_, var + 1, lower, upper);
  return OkStatus();
}

Status LinearProgram::AddEquality(std::span<const int> vars, std::span<const double> coefs,
                                  double rhs) {
  if (vars.size() != coefs.size() || vars.empty()) {
    return InvalidArgument("an LP row needs one coefficient per variable");
  }
  // GLPK arrays are 1-based; index 0 is unused.
  std::vector<int> index(vars.size() + 1);
  std::vector<double> value(vars.size() + 1);
  for (size_t k = 0; k < vars.size(); ++k) {
    if (vars[k] < 0 || vars[k] >= variables_) {
      return InvalidArgument("an LP row names an unknown variable");
    }
    index[k + 1] = vars[k] + 1;
    value[k + 1] = coefs[k];
  }
  int i = glp_add_rows(lp_, 1);
  glp_set_mat_row(lp_, i, static_cast<int>(vars.size()), index.data(), value.data());
  glp_set_row_bnds(lp_, i, GLP_FX, rhs, rhs);
  scaled_ = false;
  return OkStatus();
}

Result<double> LinearProgram::Optimize(int var, bool maximize) {
  if (var < 0 || var >= variables_) return InvalidArgument("LP objective names an unknown variable");
  if (!scaled_) {
    glp_scale_prob(lp_, GLP_SF_AUTO);
    scaled_ = true;
  }
  if (objective_var_ >= 0) glp_set_obj_coef(lp_, objective_var_ + 1, 0.0);
  glp_set_obj_coef(lp_, var + 1, 1.0);
  objective_var_ = var;
  glp_set_obj_dir(lp_, maximize ? GLP_MAX : GLP_MIN);

  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_OFF;  // keeps the previous basis: a warm start
  ++solves_;
  int rc = glp_simplex(lp_, &parm);
  if (rc != 0) {
    // A basis gone singular or ill-conditioned: restart from a fresh basis once.
    glp_adv_basis(lp_, 0);
    ++solves_;
    rc = glp_simplex(lp_, &parm);
  }
  if (rc != 0) return Internal("LP solver failed (GLPK code " + std::to_string(rc) + ")");
  switch (glp_get_status(lp_)) {
    case GLP_OPT: return glp_get_obj_val(lp_);
    case GLP_UNBND: return maximize ? kInfinity : -kInfinity;
    case GLP_NOFEAS: return FailedPrecondition("the LP constraints are infeasible");
    default: return Internal("LP solver ended without an optimum");
  }
}

}  // namespace sz::disclosure
