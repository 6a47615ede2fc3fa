#include "detect/contact.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace sz::detect {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A phone number split into its digit groups, with the +82 prefix replaced by the
// trunk 0 ("+82 10 1234 5678" -> {"010", "1234", "5678"}).
struct PhoneGroups {
  std::array<std::string, 4> group;
  int count = 0;
  std::string digits;
};

bool SplitPhone(std::string_view text, PhoneGroups& out) {
  bool international = false;
  if (text.starts_with("+82")) {
    international = true;
    text.remove_prefix(3);
  }
  std::string current;
  auto flush = [&]() {
    if (current.empty()) return true;
    if (out.count == 4) return false;
    out.group[out.count++] = std::move(current);
    current.clear();
    return true;
  };
  for (char c : text) {
    if (IsDigit(c)) {
      current += c;
    } else if (c == '-' || c == ' ' || c == '.' || c == '(' || c == ')') {
      if (!flush()) return false;
    } else {
      return false;
    }
  }
  if (!flush() || out.count == 0) return false;
  if (international) {
    // "+82 (0)10-..." writes the trunk 0 anyway; otherwise restore it.
    if (out.group[0] == "0" && out.count > 1) {
      for (int i = 1; i < out.count; ++i) out.group[i - 1] = std::move(out.group[i]);
      --out.count;
    }
    if (out.group[0][0] != '0') out.group[0] = "0" + out.group[0];
  }
  for (int i = 0; i < out.count; ++i) out.digits += out.group[i];
  return true;
}

bool IsMobilePrefix(std::string_view d) {
  return d.size() >= 3 && d[0] == '0' && d[1] == '1' &&
         (d[2] == '0' || d[2] == '1' || d[2] == '6' || d[2] == '7' || d[2] == '8' || d[2] == '9');
}

// Length of the area code that starts `d`, or 0.
size_t AreaCodeLength(std::string_view d) {
  if (d.starts_with("02")) return 2;
  if (d.size() < 3 || d[0] != '0') return 0;
  static constexpr std::string_view kAreas[] = {"031", "032", "033", "041", "042", "043", "044",
                                                "051", "052", "053", "054", "055", "061", "062",
                                                "063", "064", "070"};
  for (auto a : kAreas)
    if (d.starts_with(a)) return 3;
  return 0;
}

// Groups, if any, must be: prefix, 3-4 digit exchange, 4 digit line.
bool GroupsFit(const PhoneGroups& g, size_t prefix_len) {
  if (g.count == 1) return true;
  if (g.count == 2) {  // "0101234-5678"
    size_t n = g.group[0].size();
    return (n == prefix_len + 3 || n == prefix_len + 4) && g.group[1].size() == 4;
  }
  if (g.count != 3) return false;
  return g.group[0].size() == prefix_len && (g.group[1].size() == 3 || g.group[1].size() == 4) &&
         g.group[2].size() == 4;
}

bool IsRepresentativeNumber(const PhoneGroups& g) {
  // 1588-1234: two groups of four, 15xx/16xx/18xx. Plain 8-digit runs are too often
  // other numbers (dates, codes) to count.
  if (g.count != 2 || g.group[0].size() != 4 || g.group[1].size() != 4) return false;
  char a = g.group[0][0], b = g.group[0][1];
  return a == '1' && (b == '5' || b == '6' || b == '8');
}

}  // namespace

PhoneKind ClassifyPhone(std::string_view text) {
  if (text.size() < 9 || text.size() > 20) return PhoneKind::kNone;
  PhoneGroups g;
  if (!SplitPhone(text, g)) return PhoneKind::kNone;
  const std::string& d = g.digits;
  if (IsRepresentativeNumber(g)) return PhoneKind::kLandline;
  if (IsMobilePrefix(d)) {
    bool length_ok = d.starts_with("010") ? d.size() == 11 : (d.size() == 10 || d.size() == 11);
    return length_ok && GroupsFit(g, 3) ? PhoneKind::kMobile : PhoneKind::kNone;
  }
  size_t area = AreaCodeLength(d);
  if (area == 0) return PhoneKind::kNone;
  size_t local = d.size() - area;
  bool is070 = d.starts_with("070");
  bool length_ok = is070 ? local == 8 : (local == 7 || local == 8);
  // Local numbers never start with 0 or 1 (those are trunk and service prefixes).
  bool exchange_ok = d[area] >= '2';
  return length_ok && exchange_ok && GroupsFit(g, area) ? PhoneKind::kLandline : PhoneKind::kNone;
}

bool IsEmail(std::string_view text) {
  if (text.size() < 6 || text.size() > 254) return false;
  size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
  if (local.front() == '.' || local.back() == '.') return false;
  char prev = 0;
  for (char c : local) {
    bool ok = IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  // Domain: labels of [A-Za-z0-9-], not starting or ending with '-', alphabetic TLD.
  size_t labels = 0, start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label)
      if (!(IsAlpha(c) || IsDigit(c) || c == '-')) return false;
    ++labels;
    if (dot == std::string_view::npos) {
      if (label.size() < 2) return false;
      for (char c : label)
        if (!IsAlpha(c)) return false;
      break;
    }
    start = dot + 1;
  }
  return labels >= 2;
}

bool IsIpAddress(std::string_view text) {
  if (text.size() < 2 || text.size() > 45) return false;
  if (text.find(':') != std::string_view::npos) {
    char buf[46];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    unsigned char out[16];
    return inet_pton(AF_INET6, buf, out) == 1;
  }
  // IPv4, strictly: four decimal octets 0-255, no leading zeros (inet_pton would accept
  // them on some libcs, and "010.001.002.003" is more often a code than an address).
  int parts = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = i;
    while (j < text.size() && IsDigit(text[j])) ++j;
    size_t len = j - i;
    if (len == 0 || len > 3 || (len > 1 && text[i] == '0')) return false;
    int v = 0;
    for (size_t k = i; k < j; ++k) v = v * 10 + (text[k] - '0');
    if (v > 255) return false;
    ++parts;
    if (j == text.size()) break;
    if (text[j] != '.' || parts == 4) return false;
    i = j + 1;
  }
  return parts == 4;
}

}  // namespace sz::detect
