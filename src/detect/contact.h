// Validators for contact data, one value at a time: Korean phone numbers, e-mail
// addresses and IP addresses.
//
// Phone numbers follow the Korean numbering plan (전기통신번호관리세칙): mobile 010 and
// the legacy 011/016/017/018/019 prefixes; landlines 02 (Seoul) and the area codes
// 031-033, 041-044, 051-055, 061-064; 070 internet phones; and 8-digit representative
// numbers (15xx/16xx/18xx-xxxx). International forms "+82 10-1234-5678" and
// "+82-2-123-4567" drop the trunk 0. Separators may be '-', '.', ' ' or parentheses
// around the area code, but the groups must sit where the plan puts them.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sz::detect {

enum class PhoneKind { kNone, kMobile, kLandline };
PhoneKind ClassifyPhone(std::string_view text);

// local@domain.tld with the characters RFC 5322 dot-atoms allow in practice (letters,
// digits, ._%+- in the local part; letters, digits and '-' in domain labels; an
// alphabetic TLD of 2+ letters). Quoted local parts and IP-literal domains are not
// accepted: they do not occur in provider data.
bool IsEmail(std::string_view text);

// Dotted-quad IPv4 (no leading zeros) or any IPv6 text form inet_pton accepts (RFC 4291).
bool IsIpAddress(std::string_view text);

}  // namespace sz::detect
