#include "ops/plaintext_scan.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "detect/contact.h"
#include "detect/id_numbers.h"
#include "fmt/format.h"
#include "storage/env.h"

namespace sz::ops {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

enum class Kind { kNone, kRrn, kPhone, kCard };

Kind Classify(std::string_view token) {
  detect::RrnCheck rrn = detect::CheckRrn(token);
  bool rrn_shape = rrn.shape == detect::RrnShape::kCitizen ||
                   rrn.shape == detect::RrnShape::kForeigner;
  if (rrn_shape && (rrn.checksum_valid || token.find('-') != std::string_view::npos)) {
    return Kind::kRrn;
  }
  if (detect::ClassifyPhone(token) == detect::PhoneKind::kMobile) return Kind::kPhone;
  detect::CardCheck card = detect::CheckCard(token);
  if (card.shape && card.luhn) return Kind::kCard;
  return Kind::kNone;
}

std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string IdentifierCounts::Describe() const {
  std::string out;
  auto add = [&](int64_t n, std::string_view one, std::string_view many) {
    if (n == 0) return;
    out += (out.empty() ? "" : ", ") + Plural(n, one, many);
  };
  add(rrn, "resident registration number", "resident registration numbers");
  add(phone, "mobile phone number", "mobile phone numbers");
  add(card, "card number", "card numbers");
  return out.empty() ? "none" : out;
}

void IdentifierScanner::EndToken(bool boundary_after) {
  if (in_token_ && boundary_before_ && boundary_after && !overflow_) {
    while (!token_.empty() && token_.back() == '-') token_.pop_back();
    switch (Classify(token_)) {
      case Kind::kRrn: ++counts_.rrn; break;
      case Kind::kPhone: ++counts_.phone; break;
      case Kind::kCard: ++counts_.card; break;
      case Kind::kNone: break;
    }
  }
  token_.clear();
  in_token_ = false;
  overflow_ = false;
}

void IdentifierScanner::Feed(std::string_view bytes) {
  for (char c : bytes) {
    if (in_token_ && (IsDigit(c) || c == '-')) {
      if (token_.size() < kMaxToken) token_ += c;
      else overflow_ = true;
      continue;
    }
    if (in_token_) EndToken(!IsAlnum(c));
    if (IsDigit(c)) {
      // A token starts here; the byte before it decided boundary_before_.
      in_token_ = true;
      token_ += c;
      continue;
    }
    boundary_before_ = !IsAlnum(c);
  }
}

IdentifierCounts IdentifierScanner::Finish() {
  EndToken(true);
  IdentifierCounts out = counts_;
  counts_ = {};
  boundary_before_ = true;
  return out;
}

IdentifierCounts ScanText(std::string_view text) {
  IdentifierScanner s;
  s.Feed(text);
  return s.Finish();
}

Result<FileScan> ScanFile(const std::string& path, uint64_t max_bytes) {
  storage::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) return storage::ErrnoStatus(errno, "opening", path);
  FileScan out;
  IdentifierScanner scanner;
  std::string buf(1 << 20, '\0');
  while (out.bytes_scanned < max_bytes) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), max_bytes - out.bytes_scanned));
    ssize_t n = ::read(fd.get(), buf.data(), want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return storage::ErrnoStatus(errno, "reading", path);
    if (n == 0) break;
    scanner.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
    out.bytes_scanned += static_cast<uint64_t>(n);
  }
  if (out.bytes_scanned == max_bytes) {
    char extra;
    out.truncated = ::read(fd.get(), &extra, 1) == 1;
  }
  out.counts = scanner.Finish();
  return out;
}

}  // namespace sz::ops
