// Secret material and the small primitives everything else builds on.
//
// SecretBytes keeps key material in libsodium's guarded heap (sodium_malloc: guard
// pages, mlock'd so it is not swapped, zeroed on free). It is move-only and never
// printed. All randomness comes from the operating system's CSPRNG (randombytes_buf).
//
// Thread-safety: Init() may be called from any thread, any number of times. A
// SecretBytes is a value; share it read-only or move it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace sz::crypto {

// Initializes libsodium; every function here calls it, so callers need not.
void Init();

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size);  // zero-filled
  static SecretBytes Random(size_t size);
  static SecretBytes Copy(std::string_view bytes);
  SecretBytes(SecretBytes&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  SecretBytes& operator=(SecretBytes&& o) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  SecretBytes Clone() const { return Copy(view()); }
  const unsigned char* data() const { return data_; }
  unsigned char* mutable_data() { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Only for passing to a primitive; never store or log the view.
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data_), size_};
  }

 private:
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

std::string RandomBytes(size_t n);
// Uniform in [0, upper) from the CSPRNG.
uint32_t RandomUniform(uint32_t upper);

std::string ToHex(std::string_view bytes);
Result<std::string> FromHex(std::string_view hex);
std::string ToBase64(std::string_view bytes);  // standard alphabet, padded
Result<std::string> FromBase64(std::string_view text);
std::string ToBase64Url(std::string_view bytes);  // URL-safe, no padding

bool ConstantTimeEquals(std::string_view a, std::string_view b);

// SHA-256 (OpenSSL; uses the CPU's SHA extensions where present).
std::string Sha256(std::string_view data);  // 32 raw bytes
std::string Sha256Hex(std::string_view data);
class Sha256Hasher {
 public:
  Sha256Hasher();
  Sha256Hasher(Sha256Hasher&& o) noexcept : ctx_(std::exchange(o.ctx_, nullptr)) {}
  Sha256Hasher& operator=(Sha256Hasher&&) = delete;
  Sha256Hasher(const Sha256Hasher&) = delete;
  ~Sha256Hasher();
  void Update(std::string_view data);
  std::string FinishHex();

 private:
  void* ctx_;
};

}  // namespace sz::crypto
