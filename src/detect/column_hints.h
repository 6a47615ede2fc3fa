// What a column's name says about its content, in Korean and English.
//
// Providers name columns for people, not machines: "고객_성명", "HP_NO", "birthDate",
// "월소득(만원)". The name is read twice: Korean keywords as substrings of the NFC form
// (Korean has no word boundaries inside compounds: 휴대폰번호, 주민등록번호), English
// keywords against the lower-cased tokens (split at non-alphanumerics and camelCase
// boundaries), either as a whole token sequence ("date_of_birth") or, for keywords
// written with a trailing '*', as a prefix ("phone*" matches "phonenumber").
//
// Rules are checked in order and the first match wins, so specific identifiers come
// before broad words ("credit_card" is a card number, not a credit score; "email_id"
// an e-mail, not an identifier).
//
// Thread-safety: pure function over immutable tables.
#pragma once

#include <string_view>

#include "detect/role.h"

namespace sz::detect {

enum class HintKind {
  kNone,
  kRrn,
  kForeignRrn,
  kPhone,
  kEmail,
  kCardNumber,
  kBankAccount,
  kBusinessNumber,
  kIpAddress,
  kDateOfBirth,
  kPersonName,
  kAddress,
  kRegion,
  kPostalCode,
  kSex,
  kAge,
  kDemographic,  // occupation, nationality, marital status, education, race
  kEventDate,
  kSensitive,    // income, amounts, credit, health, beliefs
  kIdentifier,   // other personal identifiers: ids, passport, licence, social security
};

struct ColumnHint {
  HintKind kind = HintKind::kNone;
  Role role = Role::kOther;  // the role the name alone suggests
  std::string_view label;    // "RRN", "income", ... for evidence lines; "" for kNone
};

ColumnHint HintFromColumnName(std::string_view name);

}  // namespace sz::detect
