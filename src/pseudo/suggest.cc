#include "pseudo/suggest.h"

#include <chrono>

namespace sz::pseudo {

using detect::HintKind;
using detect::Pattern;
using detect::Role;

ColumnRoleInfo RoleInfoFromProfile(const detect::ColumnProfile& profile) {
  return {profile.column, profile.type, profile.proposed_role, profile.pattern, profile.hint};
}

namespace {

std::string Today() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())
                  .time_since_epoch()
                  .count();
  return FormatDate(static_cast<int32_t>(days));
}

GeneralizeRule Generalize(GeneralizeMethod method) {
  GeneralizeRule g;
  g.method = method;
  return g;
}

RuleParams Pseudonym(const SuggestOptions& o) {
  PseudonymRule p;
  p.key = o.pseudonym_key;
  return p;
}

RuleParams Ff1Token(const SuggestOptions& o) {
  TokenRule t;
  t.method = TokenMethod::kFf1;
  t.key = o.token_key;
  return t;
}

RuleParams AgeBand(const SuggestOptions& o) {
  GeneralizeRule g = Generalize(GeneralizeMethod::kAgeBand);
  g.width = 5;
  g.top = 85;
  g.as_of = o.as_of.empty() ? Today() : o.as_of;
  g.as_of_days = ParseDate(g.as_of).value_or(0);
  return g;
}

RuleParams Month() {
  GeneralizeRule g = Generalize(GeneralizeMethod::kDate);
  g.unit = DateUnit::kMonth;
  return g;
}

RuleParams Sigungu() {
  GeneralizeRule g = Generalize(GeneralizeMethod::kAdminRegion);
  g.region_level = RegionLevel::kSigungu;
  return g;
}

RuleParams Interval(double width, std::optional<double> top) {
  GeneralizeRule g = Generalize(GeneralizeMethod::kInterval);
  g.width = width;
  g.top = top;
  return g;
}

bool IsRrn(const ColumnRoleInfo& c) {
  return c.pattern == Pattern::kRrn || c.pattern == Pattern::kForeignRrn ||
         (c.pattern == Pattern::kNone &&
          (c.hint == HintKind::kRrn || c.hint == HintKind::kForeignRrn));
}

RuleParams DirectIdentifier(const ColumnRoleInfo& c, const SuggestOptions& o) {
  const TypeClass type = ClassifyType(c.type);
  const bool text = type == TypeClass::kText;
  const bool textish = text || type == TypeClass::kInteger;
  if (IsRrn(c)) {
    if (o.reversible_rrn && textish) return Ff1Token(o);
    if (!text) return DeleteRule{};
    MaskRule m;
    m.patterns = {"######-*******", "######*******"};  // with or without the hyphen
    return m;
  }
  switch (c.pattern) {
    case Pattern::kPersonName:
    case Pattern::kRomanizedName:
    case Pattern::kEmbeddedIdentifier:
    case Pattern::kRrnMasked:
      return DeleteRule{};
    case Pattern::kCardNumber:
    case Pattern::kBankAccount:
      return textish ? Ff1Token(o) : RuleParams{DeleteRule{}};
    case Pattern::kAddress:
    case Pattern::kRegionName:
      return text ? Sigungu() : RuleParams{DeleteRule{}};
    default:
      break;
  }
  switch (c.hint) {
    case HintKind::kPersonName:
      return DeleteRule{};
    case HintKind::kCardNumber:
    case HintKind::kBankAccount:
      return textish ? Ff1Token(o) : RuleParams{DeleteRule{}};
    case HintKind::kAddress:
      return text ? Sigungu() : RuleParams{DeleteRule{}};
    default:
      break;
  }
  return textish ? Pseudonym(o) : RuleParams{DeleteRule{}};
}

RuleParams QuasiIdentifier(const ColumnRoleInfo& c, const SuggestOptions& o) {
  const TypeClass type = ClassifyType(c.type);
  const bool text = type == TypeClass::kText;
  const bool dateish = type == TypeClass::kDate || type == TypeClass::kTimestamp || text;
  if (dateish && (c.pattern == Pattern::kDateOfBirth || c.hint == HintKind::kDateOfBirth))
    return AgeBand(o);
  if (dateish && (c.pattern == Pattern::kDate || c.hint == HintKind::kEventDate)) return Month();
  if (text && (c.pattern == Pattern::kRegionName || c.pattern == Pattern::kAddress ||
               c.hint == HintKind::kRegion || c.hint == HintKind::kAddress)) {
    return Sigungu();
  }
  if (text && c.hint == HintKind::kPostalCode) {
    GeneralizeRule g = Generalize(GeneralizeMethod::kPrefix);
    g.length = 3;
    return g;
  }
  if (IsNumeric(type))
    return c.hint == HintKind::kAge ? Interval(5, 85) : Interval(10, std::nullopt);
  if (type == TypeClass::kDate || type == TypeClass::kTimestamp) return Month();
  return KeepRule{};
}

}  // namespace

Policy SuggestPolicy(const std::vector<ColumnRoleInfo>& columns, const SuggestOptions& options) {
  Policy policy;
  policy.name = "suggested";
  for (const auto& c : columns) {
    RuleParams params = KeepRule{};  // sensitive and other columns
    if (c.role == Role::kDirectIdentifier)
      params = DirectIdentifier(c, options);
    else if (c.role == Role::kQuasiIdentifier)
      params = QuasiIdentifier(c, options);
    policy.columns.push_back(ColumnRule{c.name, std::move(params)});
  }
  return policy;
}

}  // namespace sz::pseudo
