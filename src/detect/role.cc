#include "detect/role.h"

#include <array>
#include <string>

namespace sz::detect {

namespace {

struct PatternInfo {
  Pattern pattern;
  std::string_view name;
  std::string_view description;
  Role role;
};

// One row per Pattern, in enum order (checked at compile time below).
constexpr std::array<PatternInfo, 20> kPatterns = {{
    {Pattern::kNone, "none", "values of no known pattern", Role::kOther},
    {Pattern::kRrn, "rrn", "resident registration numbers", Role::kDirectIdentifier},
    // A masked RRN still shows the birth date and sex (or the serial part): it no
    // longer names a person alone but narrows the crowd.
    {Pattern::kRrnMasked, "rrn_masked", "masked resident registration numbers",
     Role::kQuasiIdentifier},
    {Pattern::kForeignRrn, "foreign_rrn", "foreign registration numbers",
     Role::kDirectIdentifier},
    {Pattern::kMobilePhone, "mobile_phone", "mobile phone numbers", Role::kDirectIdentifier},
    {Pattern::kLandlinePhone, "landline_phone", "landline phone numbers",
     Role::kDirectIdentifier},
    {Pattern::kEmail, "email", "e-mail addresses", Role::kDirectIdentifier},
    {Pattern::kCardNumber, "card_number", "payment card numbers", Role::kDirectIdentifier},
    {Pattern::kBankAccount, "bank_account", "bank account numbers", Role::kDirectIdentifier},
    // Sole proprietors' registration numbers identify a person.
    {Pattern::kBusinessNumber, "business_number", "business registration numbers",
     Role::kDirectIdentifier},
    {Pattern::kPersonName, "person_name", "Korean personal names", Role::kDirectIdentifier},
    {Pattern::kRomanizedName, "romanized_name", "Latin-script words shaped like personal names",
     Role::kDirectIdentifier},
    {Pattern::kAddress, "address", "street or lot-number addresses", Role::kDirectIdentifier},
    {Pattern::kRegionName, "region_name", "region names", Role::kQuasiIdentifier},
    {Pattern::kDateOfBirth, "date_of_birth", "birth dates", Role::kQuasiIdentifier},
    {Pattern::kDate, "date", "calendar dates", Role::kOther},
    {Pattern::kSex, "sex", "sex codes", Role::kQuasiIdentifier},
    {Pattern::kIpAddress, "ip_address", "IP addresses", Role::kDirectIdentifier},
    {Pattern::kIdentifierNumber, "identifier_number", "fixed-length identifier-like numbers",
     Role::kDirectIdentifier},
    {Pattern::kEmbeddedIdentifier, "embedded_identifier",
     "free-text values carrying an RRN, phone number, e-mail or card number",
     Role::kDirectIdentifier},
}};

constexpr bool InEnumOrder() {
  for (size_t i = 0; i < kPatterns.size(); ++i)
    if (static_cast<size_t>(kPatterns[i].pattern) != i) return false;
  return kPatterns.size() == static_cast<size_t>(Pattern::kEmbeddedIdentifier) + 1;
}
static_assert(InEnumOrder(), "kPatterns must list every Pattern in enum order");

const PatternInfo& Info(Pattern pattern) { return kPatterns[static_cast<size_t>(pattern)]; }

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kDirectIdentifier: return "direct_identifier";
    case Role::kQuasiIdentifier: return "quasi_identifier";
    case Role::kSensitive: return "sensitive";
    case Role::kOther: return "other";
  }
  return "other";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kDirectIdentifier, Role::kQuasiIdentifier, Role::kSensitive, Role::kOther}) {
    if (RoleName(r) == name) return r;
  }
  return InvalidArgument("unknown column role '" + std::string(name) +
                         "' (use direct_identifier, quasi_identifier, sensitive or other)");
}

std::string_view PatternName(Pattern pattern) { return Info(pattern).name; }

Result<Pattern> ParsePattern(std::string_view name) {
  for (const auto& info : kPatterns) {
    if (info.name == name) return info.pattern;
  }
  return InvalidArgument("unknown value pattern '" + std::string(name) +
                         "' (use a name such as rrn, mobile_phone or email)");
}

std::string_view PatternDescription(Pattern pattern) { return Info(pattern).description; }

Role RoleOfPattern(Pattern pattern) { return Info(pattern).role; }

}  // namespace sz::detect
