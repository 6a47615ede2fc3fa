#include "pseudo/suggest.h"

#include <chrono>

namespace sz::pseudo {

namespace {

std::string Today() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
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

RuleParams Sigungu() {
  GeneralizeRule g = Generalize(GeneralizeMethod::kAdminRegion);
  g.region_level = RegionLevel::kSigungu;
  return g;
}

RuleParams DirectIdentifier(const ColumnRoleInfo& c, const SuggestOptions& o) {
  const TypeClass type = ClassifyType(c.type);
  const bool textish = type == TypeClass::kText || type == TypeClass::kInteger;
  switch (c.kind) {
    case ValueKind::kName: return DeleteRule{};
    case ValueKind::kRrn: {
      if (o.reversible_rrn && textish) return Ff1Token(o);
      if (type != TypeClass::kText) return DeleteRule{};
      MaskRule m;
      m.patterns = {"######-*******", "######*******"};  // with or without the hyphen
      return m;
    }
    case ValueKind::kCardNumber:
    case ValueKind::kAccountNumber: return textish ? Ff1Token(o) : RuleParams{DeleteRule{}};
    case ValueKind::kAddress: return type == TypeClass::kText ? Sigungu() : RuleParams{DeleteRule{}};
    default: return textish ? Pseudonym(o) : RuleParams{DeleteRule{}};
  }
}

RuleParams QuasiIdentifier(const ColumnRoleInfo& c, const SuggestOptions& o) {
  const TypeClass type = ClassifyType(c.type);
  const bool dateish = type == TypeClass::kDate || type == TypeClass::kTimestamp || type == TypeClass::kText;
  switch (c.kind) {
    case ValueKind::kDateOfBirth:
      if (dateish) return AgeBand(o);
      break;
    case ValueKind::kDate:
      if (dateish) {
        GeneralizeRule g = Generalize(GeneralizeMethod::kDate);
        g.unit = DateUnit::kMonth;
        return g;
      }
      break;
    case ValueKind::kRegion:
    case ValueKind::kAddress:
      if (type == TypeClass::kText) return Sigungu();
      break;
    case ValueKind::kPostalCode:
      if (type == TypeClass::kText) {
        GeneralizeRule g = Generalize(GeneralizeMethod::kPrefix);
        g.length = 3;
        return g;
      }
      break;
    case ValueKind::kAge:
      if (IsNumeric(type)) {
        GeneralizeRule g = Generalize(GeneralizeMethod::kInterval);
        g.width = 5;
        g.top = 85;
        return g;
      }
      break;
    default: break;
  }
  if (type == TypeClass::kDate || type == TypeClass::kTimestamp) {
    GeneralizeRule g = Generalize(GeneralizeMethod::kDate);
    g.unit = DateUnit::kMonth;
    return g;
  }
  if (IsNumeric(type)) {
    GeneralizeRule g = Generalize(GeneralizeMethod::kInterval);
    g.width = 10;
    return g;
  }
  return KeepRule{};  // text quasi-identifiers need a hierarchy the officer supplies
}

}  // namespace

Policy SuggestPolicy(const std::vector<ColumnRoleInfo>& columns, const SuggestOptions& options) {
  Policy policy;
  policy.name = "suggested";
  for (const auto& c : columns) {
    RuleParams params = KeepRule{};  // sensitive and other columns
    if (c.role == ColumnRole::kDirectIdentifier) params = DirectIdentifier(c, options);
    else if (c.role == ColumnRole::kQuasiIdentifier) params = QuasiIdentifier(c, options);
    policy.columns.push_back(ColumnRule{c.name, std::move(params)});
  }
  return policy;
}

}  // namespace sz::pseudo
