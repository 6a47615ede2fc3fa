// The transforms of single values, one class or function per rule, independent of
// DuckDB: the execution layer (udf.cc) calls these for every row of a chunk, and the
// detokenize functions call the token inverses directly.
//
// Missing values never reach these functions (the execution layer maps NULL and "" to
// NULL before calling them).
//
// Thread-safety: every class here is immutable after Create() and safe to call from
// many threads at once, except the *::Session types (one thread each).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"
#include "pseudo/aes_siv.h"
#include "pseudo/ff1.h"
#include "pseudo/keyed_hash.h"
#include "pseudo/policy.h"

namespace sz::pseudo {

// --- mask ---------------------------------------------------------------------------
class Masker {
 public:
  explicit Masker(const MaskRule& rule);
  // Appends the masked form of `in` to `out`. False (nothing appended) if the rule has
  // patterns and none matches `in`.
  bool Mask(std::string_view in, std::string& out) const;

 private:
  enum class Op : uint8_t { kKeep, kMask, kLiteral };
  struct Step {
    Op op;
    char32_t literal;
  };
  bool MaskByPattern(const std::vector<Step>& pattern, std::string_view in, std::string& out) const;
  bool Maskable(char32_t c) const;

  MaskRule rule_;
  std::vector<std::vector<Step>> patterns_;
};

// --- pseudonym ----------------------------------------------------------------------
class Pseudonymizer {
 public:
  // InvalidArgument if the key is too short: HMAC needs >= 16 bytes, BLAKE2b 16..64.
  static Result<Pseudonymizer> Create(const PseudonymRule& rule, const crypto::SecretBytes& key);
  size_t length() const { return length_; }
  // Writes exactly length() characters to `out`.
  void Pseudonym(std::string_view in, char* out) const;
  std::string Pseudonym(std::string_view in) const;

 private:
  Pseudonymizer() = default;
  std::unique_ptr<HmacSha256Key> hmac_;
  std::unique_ptr<Blake2bKey> blake_;
  DigestEncoding encoding_ = DigestEncoding::kHex;
  size_t length_ = 0;
};

// --- token: FF1 with an alphabet and separators --------------------------------------
class FormatTokenizer {
 public:
  static Result<FormatTokenizer> Create(const TokenRule& rule, const crypto::SecretBytes& key);
  FormatTokenizer(FormatTokenizer&&) noexcept;
  ~FormatTokenizer();
  const Ff1& ff1() const { return *ff1_; }

  // Encrypts (or decrypts) each value. Reuse one Session per thread.
  class Session {
   public:
    explicit Session(const FormatTokenizer& t) : t_(&t), ff1_(*t.ff1_) {}
    // Writes the results back to back into `out` (FF1 keeps the format, so result i is
    // as long as in[i]); valid[i] is 0 where in[i] is invalid (a character neither in
    // the alphabet nor a separator, or too few/many alphabet characters) and its bytes
    // in `out` are then a copy of the input.
    Status Run(std::span<const std::string_view> in, bool decrypt, std::string& out,
               std::vector<uint8_t>& valid);
    // The same, one optional string per value (nullopt where invalid).
    Status Run(std::span<const std::string_view> in, bool decrypt,
               std::vector<std::optional<std::string>>& out);

   private:
    const FormatTokenizer* t_;
    Ff1::Session ff1_;
    std::vector<uint16_t> numerals_;
    std::vector<size_t> starts_;
    std::vector<std::span<uint16_t>> items_;
    std::vector<size_t> which_;
  };

 private:
  FormatTokenizer() = default;
  int Numeral(unsigned char c) const { return to_numeral_[c]; }
  std::unique_ptr<Ff1> ff1_;
  std::string alphabet_;
  int16_t to_numeral_[256];  // -1: not in alphabet
  bool separator_[256];
};

// --- token: AES-SIV, base64url -------------------------------------------------------
class SivTokenizer {
 public:
  static Result<SivTokenizer> Create(const TokenRule& rule, const crypto::SecretBytes& key);
  // base64url(V || C); each thread uses its own session.
  Status Tokenize(AesSiv::Session& session, std::string_view in, std::string& out) const;
  // InvalidArgument if the token is not base64url or fails authentication.
  Result<std::string> Detokenize(std::string_view token) const;
  const AesSiv& siv() const { return siv_; }

 private:
  SivTokenizer(AesSiv siv, std::string context)
      : siv_(std::move(siv)), context_(std::move(context)) {}
  AesSiv siv_;
  std::string context_;  // one S2V associated-data component when non-empty
};

// --- generalize ----------------------------------------------------------------------
// Label of `x` for method interval. Integer columns with whole width/offset get
// inclusive labels ("20-29"); others half-open ones ("[2.5,5)"). Beyond top/bottom:
// "85+" and "<20".
std::string IntervalLabel(const GeneralizeRule& rule, double x, bool integer_column);
// Nearest multiple of base (halves away from zero).
double RoundToBase(double x, double base);
// Clamped into [bottom, top].
double TopBottom(const GeneralizeRule& rule, double x);
// Age band label for an age in full years: "30-34"; width 1: "34"; at or above top:
// "85+" (the band just below top is cut at top - 1). nullopt for a negative age
// (birth after the reference date).
std::optional<std::string> AgeBandLabel(const GeneralizeRule& rule, int age);
// The first `length` characters of `in`; with a fill character, the remaining
// characters are replaced by it ("06236" -> "062**").
std::string PrefixOf(std::string_view in, int length, std::string_view fill);

// --- noise ---------------------------------------------------------------------------
// Draws additive noise for a rule. Production uses SecureNoise; tests may inject
// ZeroNoise, which is NOT private and says so. Implementations must be thread-safe:
// DuckDB calls Sample() from several threads at once.
class NoiseGenerator {
 public:
  virtual ~NoiseGenerator() = default;
  // Fills `out` with draws, each already clamped to [-rule.bound, rule.bound].
  virtual void Sample(const NoiseRule& rule, std::span<double> out) = 0;
  virtual bool is_private() const = 0;
};

// Uniform(-bound, bound) or Laplace(0, scale) clamped to +-bound, from 53-bit uniforms
// drawn from the OS CSPRNG (libsodium), one system call per batch. Laplace by inversion
// (u uniform in (-1/2, 1/2), x = -scale sgn(u) ln(1 - 2|u|)). This is bounded masking
// noise for statistical disclosure control, not a differential-privacy mechanism: for DP
// use src/dp (floating-point Laplace leaks through its low bits, Mironov 2012).
// Thread-safe.
class SecureNoise final : public NoiseGenerator {
 public:
  void Sample(const NoiseRule& rule, std::span<double> out) override;
  bool is_private() const override { return true; }
};

// Always zero. NOT PRIVATE: for tests that need exact expected values.
class ZeroNoise final : public NoiseGenerator {
 public:
  void Sample(const NoiseRule&, std::span<double> out) override;
  bool is_private() const override { return false; }
};

// --- date_shift ----------------------------------------------------------------------
// Offset in days in [-max_days, max_days] for a person: the first 8 bytes of
// HMAC-SHA-256(key, person) as an unsigned integer, modulo 2*max_days + 1, minus
// max_days (modulo bias < 2^-50). The same person always gets the same offset under one
// key; without the key the offset is unpredictable.
class DateShifter {
 public:
  // InvalidArgument if the key is shorter than 16 bytes.
  static Result<DateShifter> Create(const DateShiftRule& rule, const crypto::SecretBytes& key);
  int32_t Offset(std::string_view person) const;

 private:
  DateShifter(std::string_view key, int max_days)
      : hmac_(std::make_unique<HmacSha256Key>(key)), max_days_(max_days) {}
  std::unique_ptr<HmacSha256Key> hmac_;
  int max_days_;
};

// --- local_suppress ------------------------------------------------------------------
class LocalSuppressor {
 public:
  explicit LocalSuppressor(const LocalSuppressRule& rule)
      : values_(rule.values.begin(), rule.values.end()),
        rows_(rule.rows.begin(), rule.rows.end()) {}
  bool by_rows() const { return !rows_.empty(); }
  bool SuppressValue(std::string_view text) const { return values_.count(std::string(text)) > 0; }
  bool SuppressRow(int64_t row) const { return rows_.count(row) > 0; }

 private:
  std::unordered_set<std::string> values_;
  std::unordered_set<int64_t> rows_;
};

}  // namespace sz::pseudo
