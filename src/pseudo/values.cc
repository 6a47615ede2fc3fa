#include "pseudo/values.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/text.h"
#include "fmt/format.h"

namespace sz::pseudo {

namespace {

// Lenient UTF-8 decoding: a malformed byte is one "character" (its byte value), so
// masking never fails on bad input and never splits a valid sequence.
char32_t NextChar(std::string_view s, size_t& pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return c;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t i = 1; i < len; ++i) {
    unsigned char cc = static_cast<unsigned char>(s[pos + i]);
    if ((cc & 0xC0) != 0x80) {
      ++pos;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  pos += len;
  return cp;
}

size_t CharCount(std::string_view s) {
  size_t n = 0, pos = 0;
  while (pos < s.size()) {
    NextChar(s, pos);
    ++n;
  }
  return n;
}

bool IsHangul(char32_t c) {
  return (c >= 0xAC00 && c <= 0xD7A3) ||  // syllables
         (c >= 0x1100 && c <= 0x11FF) ||  // jamo
         (c >= 0x3130 && c <= 0x318F);    // compatibility jamo
}
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsHangul(c);
}

}  // namespace

// --- mask ---------------------------------------------------------------------------

Masker::Masker(const MaskRule& rule) : rule_(rule) {
  for (const auto& p : rule.patterns) {
    std::vector<Step> steps;
    size_t pos = 0;
    while (pos < p.size()) {
      char32_t c = NextChar(p, pos);
      if (c == '\\' && pos < p.size()) {
        steps.push_back({Op::kLiteral, NextChar(p, pos)});
      } else if (c == '#') {
        steps.push_back({Op::kKeep, 0});
      } else if (c == '*') {
        steps.push_back({Op::kMask, 0});
      } else {
        steps.push_back({Op::kLiteral, c});
      }
    }
    patterns_.push_back(std::move(steps));
  }
}

bool Masker::Maskable(char32_t c) const {
  switch (rule_.only) {
    case MaskClass::kAny:
      return true;
    case MaskClass::kDigits:
      return IsDigit(c);
    case MaskClass::kHangul:
      return IsHangul(c);
    case MaskClass::kLetters:
      return IsLetter(c);
    case MaskClass::kAlnum:
      return IsLetter(c) || IsDigit(c);
  }
  return true;
}

bool Masker::MaskByPattern(const std::vector<Step>& pattern, std::string_view in,
                           std::string& out) const {
  const size_t base = out.size();
  size_t pos = 0;
  for (const Step& step : pattern) {
    if (pos >= in.size()) break;
    size_t start = pos;
    char32_t c = NextChar(in, pos);
    switch (step.op) {
      case Op::kKeep:
        out.append(in.substr(start, pos - start));
        break;
      case Op::kMask:
        out.append(rule_.mask_char);
        break;
      case Op::kLiteral:
        if (c != step.literal) {
          out.resize(base);
          return false;
        }
        out.append(in.substr(start, pos - start));
        break;
    }
    if (&step == &pattern.back()) {
      if (pos == in.size()) return true;
      break;
    }
  }
  out.resize(base);  // length differs from the pattern's
  return false;
}

bool Masker::Mask(std::string_view in, std::string& out) const {
  if (!patterns_.empty()) {
    for (const auto& p : patterns_) {
      if (MaskByPattern(p, in, out)) return true;
    }
    return false;
  }
  const size_t keep_first = static_cast<size_t>(rule_.keep_first);
  const size_t keep_last = static_cast<size_t>(rule_.keep_last);
  // ASCII values (phone numbers, account numbers) need no decoding: one byte, one character.
  bool ascii = true;
  for (char c : in) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    const size_t n = in.size();
    for (size_t i = 0; i < n; ++i) {
      const char32_t c = static_cast<unsigned char>(in[i]);
      if (i < keep_first || i + keep_last >= n || !Maskable(c))
        out.push_back(in[i]);
      else
        out.append(rule_.mask_char);
    }
    return true;
  }
  const size_t n = CharCount(in);
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t start = pos;
    char32_t c = NextChar(in, pos);
    bool keep = i < keep_first || i + keep_last >= n || !Maskable(c);
    if (keep)
      out.append(in.substr(start, pos - start));
    else
      out.append(rule_.mask_char);
  }
  return true;
}

// --- pseudonym ----------------------------------------------------------------------

Result<Pseudonymizer> Pseudonymizer::Create(const PseudonymRule& rule,
                                            const crypto::SecretBytes& key) {
  Pseudonymizer p;
  p.encoding_ = rule.encoding;
  p.length_ = static_cast<size_t>(rule.length);
  if (rule.algorithm == HashAlgorithm::kHmacSha256) {
    if (key.size() < 16)
      return InvalidArgument("HMAC-SHA-256 pseudonym key must be at least 16 bytes");
    p.hmac_ = std::make_unique<HmacSha256Key>(key.view());
  } else {
    if (key.size() < 16 || key.size() > 64)
      return InvalidArgument("BLAKE2b pseudonym key must be 16 to 64 bytes");
    p.blake_ = std::make_unique<Blake2bKey>(key.view());
  }
  return p;
}

void Pseudonymizer::Pseudonym(std::string_view in, char* out) const {
  Digest32 d = hmac_ ? hmac_->Mac(in) : blake_->Mac(in);
  if (encoding_ == DigestEncoding::kHex)
    HexPrefixTo(d, length_, out);
  else
    Base32PrefixTo(d, length_, out);
}

std::string Pseudonymizer::Pseudonym(std::string_view in) const {
  std::string out(length_, '\0');
  Pseudonym(in, out.data());
  return out;
}

// --- FF1 tokens ---------------------------------------------------------------------

FormatTokenizer::FormatTokenizer(FormatTokenizer&&) noexcept = default;
FormatTokenizer::~FormatTokenizer() = default;

Result<FormatTokenizer> FormatTokenizer::Create(const TokenRule& rule,
                                                const crypto::SecretBytes& key) {
  FormatTokenizer t;
  const std::string digits = "0123456789", lower = "abcdefghijklmnopqrstuvwxyz",
                    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  switch (rule.alphabet) {
    case Ff1Alphabet::kDigits:
      t.alphabet_ = digits;
      break;
    case Ff1Alphabet::kAlnumLower:
      t.alphabet_ = digits + lower;
      break;
    case Ff1Alphabet::kAlnumUpper:
      t.alphabet_ = digits + upper;
      break;
    case Ff1Alphabet::kAlnum:
      t.alphabet_ = digits + lower + upper;
      break;
  }
  SZ_ASSIGN_OR_RETURN(
      Ff1 ff1, Ff1::Create(key.view(), static_cast<uint32_t>(t.alphabet_.size()), rule.tweak));
  t.ff1_ = std::make_unique<Ff1>(std::move(ff1));
  std::fill(std::begin(t.to_numeral_), std::end(t.to_numeral_), int16_t{-1});
  for (size_t i = 0; i < t.alphabet_.size(); ++i) {
    t.to_numeral_[static_cast<unsigned char>(t.alphabet_[i])] = static_cast<int16_t>(i);
  }
  std::fill(std::begin(t.separator_), std::end(t.separator_), false);
  for (char c : rule.separators) t.separator_[static_cast<unsigned char>(c)] = true;
  return t;
}

Status FormatTokenizer::Session::Run(std::span<const std::string_view> in, bool decrypt,
                                     std::string& out, std::vector<uint8_t>& valid) {
  const Ff1& ff1 = *t_->ff1_;
  size_t total = 0;
  for (std::string_view v : in) total += v.size();
  numerals_.resize(total);
  starts_.resize(in.size());
  valid.assign(in.size(), 0);
  items_.clear();
  which_.clear();
  // Numerals of every value in one flat buffer; separators are skipped here and put
  // back in place when the output is written.
  size_t next = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const size_t start = next;
    bool ok = true;
    for (char ch : in[i]) {
      const unsigned char c = static_cast<unsigned char>(ch);
      const int n = t_->Numeral(c);
      if (n >= 0)
        numerals_[next++] = static_cast<uint16_t>(n);
      else
        ok &= t_->separator_[c];
    }
    const size_t count = next - start;
    if (!ok || count < ff1.min_length() || count > ff1.max_length()) {
      next = start;
      continue;
    }
    starts_[i] = start;
    valid[i] = 1;
    items_.emplace_back(numerals_.data() + start, count);
    which_.push_back(i);
  }
  SZ_RETURN_IF_ERROR(ff1_.Run(items_, decrypt));
  out.clear();
  out.reserve(total);
  for (size_t i = 0; i < in.size(); ++i) {
    const size_t base = out.size();
    out.append(in[i]);
    if (!valid[i]) continue;
    const uint16_t* x = numerals_.data() + starts_[i];
    for (size_t j = base; j < out.size(); ++j) {
      if (t_->Numeral(static_cast<unsigned char>(out[j])) >= 0) out[j] = t_->alphabet_[*x++];
    }
  }
  return OkStatus();
}

Status FormatTokenizer::Session::Run(std::span<const std::string_view> in, bool decrypt,
                                     std::vector<std::optional<std::string>>& out) {
  std::string flat;
  std::vector<uint8_t> valid;
  SZ_RETURN_IF_ERROR(Run(in, decrypt, flat, valid));
  out.assign(in.size(), std::nullopt);
  size_t pos = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (valid[i]) out[i] = flat.substr(pos, in[i].size());
    pos += in[i].size();
  }
  return OkStatus();
}

// --- AES-SIV tokens -----------------------------------------------------------------

Result<SivTokenizer> SivTokenizer::Create(const TokenRule& rule, const crypto::SecretBytes& key) {
  SZ_ASSIGN_OR_RETURN(AesSiv siv, AesSiv::Create(key.view()));
  return SivTokenizer(std::move(siv), rule.context);
}

Status SivTokenizer::Tokenize(AesSiv::Session& session, std::string_view in,
                              std::string& out) const {
  std::string_view ad[1] = {context_};
  std::string sealed;
  SZ_RETURN_IF_ERROR(
      session.Seal(in, std::span<const std::string_view>(ad, context_.empty() ? 0 : 1), sealed));
  out = crypto::ToBase64Url(sealed);
  return OkStatus();
}

Result<std::string> SivTokenizer::Detokenize(std::string_view token) const {
  std::string raw(token.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), token.data(),
                        token.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != token.data() + token.size()) {
    return InvalidArgument("token is not base64url");
  }
  raw.resize(len);
  std::string_view ad[1] = {context_};
  return siv_.Open(raw, std::span<const std::string_view>(ad, context_.empty() ? 0 : 1));
}

// --- generalize ---------------------------------------------------------------------

namespace {

std::string Num(double x) { return fmt::format("{}", x); }

bool Whole(double x) { return std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9e15; }

}  // namespace

std::string IntervalLabel(const GeneralizeRule& rule, double x, bool integer_column) {
  if (rule.top && x >= *rule.top) return Num(*rule.top) + "+";
  if (rule.bottom && x < *rule.bottom) return "<" + Num(*rule.bottom);
  double i = std::floor((x - rule.offset) / rule.width);
  double lo = rule.offset + i * rule.width;
  double hi = lo + rule.width;
  if (rule.top && hi > *rule.top) hi = *rule.top;
  if (rule.bottom && lo < *rule.bottom) lo = *rule.bottom;
  if (integer_column && Whole(rule.width) && Whole(rule.offset) && Whole(lo) && Whole(hi)) {
    if (hi - 1 == lo) return Num(lo);
    return Num(lo) + "-" + Num(hi - 1);
  }
  return "[" + Num(lo) + "," + Num(hi) + ")";
}

double RoundToBase(double x, double base) { return std::round(x / base) * base; }

double TopBottom(const GeneralizeRule& rule, double x) {
  if (rule.top && x > *rule.top) return *rule.top;
  if (rule.bottom && x < *rule.bottom) return *rule.bottom;
  return x;
}

std::optional<std::string> AgeBandLabel(const GeneralizeRule& rule, int age) {
  if (age < 0) return std::nullopt;
  const int width = static_cast<int>(rule.width);
  if (rule.top && age >= static_cast<int>(*rule.top))
    return fmt::format("{}+", static_cast<int>(*rule.top));
  int lo = age / width * width;
  int hi = lo + width - 1;
  if (rule.top) hi = std::min(hi, static_cast<int>(*rule.top) - 1);
  if (hi == lo) return fmt::format("{}", lo);
  return fmt::format("{}-{}", lo, hi);
}

std::string PrefixOf(std::string_view in, int length, std::string_view fill) {
  size_t pos = 0;
  for (int i = 0; i < length && pos < in.size(); ++i) NextChar(in, pos);
  std::string out(in.substr(0, pos));
  if (!fill.empty()) {
    while (pos < in.size()) {
      NextChar(in, pos);
      out.append(fill);
    }
  }
  return out;
}

// --- noise --------------------------------------------------------------------------

void SecureNoise::Sample(const NoiseRule& rule, std::span<double> out) {
  std::vector<uint64_t> bits(out.size());
  crypto::Init();
  randombytes_buf(bits.data(), bits.size() * sizeof(uint64_t));
  for (size_t i = 0; i < out.size(); ++i) {
    // A uniform in [0, 1) with 53 random bits.
    double u = static_cast<double>(bits[i] >> 11) * 0x1.0p-53;
    double x = 0;
    if (rule.distribution == NoiseDistribution::kUniform) {
      x = (2 * u - 1) * rule.bound;
    } else {
      double c = u - 0.5;  // (-1/2, 1/2); c = -1/2 exactly gives log(0): clamp below
      double mag = 1 - 2 * std::fabs(c);
      x = mag <= 0 ? rule.bound : -rule.scale * std::log(mag);
      if (c < 0) x = -x;
    }
    out[i] = std::clamp(x, -rule.bound, rule.bound);
  }
  sodium_memzero(bits.data(), bits.size() * sizeof(uint64_t));
}

void ZeroNoise::Sample(const NoiseRule&, std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
}

// --- date_shift ---------------------------------------------------------------------

Result<DateShifter> DateShifter::Create(const DateShiftRule& rule, const crypto::SecretBytes& key) {
  if (key.size() < 16) return InvalidArgument("date_shift key must be at least 16 bytes");
  return DateShifter(key.view(), rule.max_days);
}

int32_t DateShifter::Offset(std::string_view person) const {
  Digest32 d = hmac_->Mac(person);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | d[i];
  const uint64_t span = 2 * static_cast<uint64_t>(max_days_) + 1;
  return static_cast<int32_t>(v % span) - max_days_;
}

}  // namespace sz::pseudo
