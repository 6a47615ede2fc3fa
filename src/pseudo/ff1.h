// FF1 format-preserving encryption (NIST SP 800-38G Rev. 1, §5.1), over AES.
//
// FF1 maps a string of n numerals in radix r to another string of n numerals in radix
// r, reversibly under a key and a tweak: a 13-digit RRN stays 13 digits, a 16-digit card
// number 16 digits. It is a 10-round Feistel network whose round function is AES-CBC-MAC
// over a fixed block P (radix, lengths, tweak length) and a block Q (tweak, round number,
// the numeric value of one half).
//
// Domain limits enforced here:
//   - radix^n >= 1,000,000 (SP 800-38G Rev. 1 minimum domain size), n >= 2;
//   - radix^ceil(n/2) < 2^64, so both halves are machine integers (radix 10: n <= 38,
//     radix 36: n <= 24, radix 62: n <= 20). Longer values belong in AES-SIV tokens.
//
// Speed: within one batch, the AES block for round i of every string is computed in one
// ECB call (AES-NI pipelines independent blocks), and the CBC-MAC prefix (P and the
// tweak-only blocks of Q) is computed once per string length, so each round costs one
// AES block per string.
//
// Thread-safety: an Ff1 is immutable and may be shared; a Session (which owns an AES
// context) is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"

namespace sz::pseudo {

class Ff1 {
 public:
  // key: 16, 24 or 32 bytes (AES-128/192/256); 2 <= radix <= 65536; tweak: any bytes.
  static Result<Ff1> Create(std::string_view key, uint32_t radix, std::string_view tweak = {});

  uint32_t radix() const { return radix_; }
  // Shortest and longest numeral strings this key/radix accepts.
  size_t min_length() const { return min_len_; }
  size_t max_length() const { return max_len_; }

  // One-shot, in place. Every numeral must be < radix and the length within limits
  // (InvalidArgument otherwise).
  Status Encrypt(std::span<uint16_t> numerals) const;
  Status Decrypt(std::span<uint16_t> numerals) const;

  class Session {
   public:
    explicit Session(const Ff1& ff1);
    Session(Session&&) noexcept;
    ~Session();
    // Encrypts (or decrypts) every string in place; strings may differ in length.
    // Validates all of them first; on error nothing is changed.
    Status Run(std::span<const std::span<uint16_t>> items, bool decrypt);

   private:
    struct State;
    std::unique_ptr<State> state_;
  };

 private:
  Ff1(crypto::SecretBytes key, uint32_t radix, std::string tweak, size_t min_len, size_t max_len)
      : key_(std::move(key)),
        radix_(radix),
        tweak_(std::move(tweak)),
        min_len_(min_len),
        max_len_(max_len) {}
  Status Check(std::span<const uint16_t> numerals) const;

  crypto::SecretBytes key_;
  uint32_t radix_;
  std::string tweak_;
  size_t min_len_;
  size_t max_len_;
};

}  // namespace sz::pseudo
