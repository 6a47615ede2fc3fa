#include "pseudo/ff1.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>
#include <optional>

#include "fmt/format.h"

namespace sz::pseudo {

namespace {

__extension__ typedef unsigned __int128 U128;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// radix^e if it stays below 2^64, else nullopt.
std::optional<uint64_t> Power(uint64_t radix, size_t e) {
  U128 p = 1;
  for (size_t i = 0; i < e; ++i) {
    p *= radix;
    if (p >> 64) return std::nullopt;
  }
  return static_cast<uint64_t>(p);
}

// y mod m without a hardware divide (Barrett reduction with inv = floor(2^64 / m), m >= 2):
// the quotient estimate floor(y * inv / 2^64) is q or q - 1, so one subtraction fixes r.
uint64_t FastMod(uint64_t y, uint64_t m, uint64_t inv) {
  uint64_t q = static_cast<uint64_t>((static_cast<U128>(y) * inv) >> 64);
  uint64_t r = y - q * m;
  return r >= m ? r - m : r;
}

// A big-endian 64-bit value as it must appear in memory, for XOR into a loaded word.
uint64_t ToMemoryOrder(uint64_t big_endian_value) {
  if constexpr (std::endian::native == std::endian::little)
    return __builtin_bswap64(big_endian_value);
  return big_endian_value;
}

// STR^m_radix(x) into out[0..m): the numerals of x, most significant first. A template
// so that radix 10 divides by a constant (a multiply) instead of a hardware divide.
template <uint64_t kRadix>
void Unpack(uint64_t x, uint16_t* out, uint32_t m, uint64_t radix) {
  const uint64_t r = kRadix ? kRadix : radix;
  for (uint32_t j = m; j-- > 0;) {
    out[j] = static_cast<uint16_t>(x % r);
    x /= r;
  }
}

const EVP_CIPHER* EcbFor(size_t key_size) {
  switch (key_size) {
    case 16:
      return EVP_aes_128_ecb();
    case 24:
      return EVP_aes_192_ecb();
    default:
      return EVP_aes_256_ecb();
  }
}

}  // namespace

// Per-length constants (SP 800-38G Algorithm 7, steps 1-5) and the CBC-MAC state after
// P and the tweak-only blocks of Q.
struct LengthParams {
  bool ready = false;
  uint32_t u = 0, v = 0, b = 0, d = 0;
  uint64_t pow_u = 0, pow_v = 0;
  uint64_t inv_u = 0, inv_v = 0;  // floor(2^64 / pow), for FastMod
  uint8_t y_prefix[16]{};         // CBC-MAC chaining value before Q's last block
  uint8_t last_prefix[16]{};      // Q's last block, bytes [0, 15-b): tweak tail and zero pad
};

struct Ff1::Session::State {
  const Ff1* ff1;
  std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ecb;
  std::vector<LengthParams> params;  // by n
  std::vector<uint8_t> in, out;      // AES batch buffers
  std::vector<uint64_t> a, b;        // halves, as integers
  ~State() {
    if (!params.empty()) sodium_memzero(params.data(), params.size() * sizeof(LengthParams));
  }
  bool Aes(size_t blocks);
  const LengthParams* Params(size_t n);
  void RunGroup(std::span<const std::span<uint16_t>> items, std::span<const size_t> group,
                bool decrypt);
};

bool Ff1::Session::State::Aes(size_t blocks) {
  int len = 0;
  return EVP_EncryptUpdate(ecb.get(), out.data(), &len, in.data(), static_cast<int>(16 * blocks)) ==
         1;
}

const LengthParams* Ff1::Session::State::Params(size_t n) {
  LengthParams& p = params[n];
  if (p.ready) return &p;
  const uint32_t radix = ff1->radix_;
  const size_t t = ff1->tweak_.size();
  p.u = static_cast<uint32_t>(n / 2);
  p.v = static_cast<uint32_t>(n - p.u);
  p.pow_u = *Power(radix, p.u);
  p.pow_v = *Power(radix, p.v);
  p.inv_u = static_cast<uint64_t>((U128{1} << 64) / p.pow_u);
  p.inv_v = static_cast<uint64_t>((U128{1} << 64) / p.pow_v);
  // b = ceil(ceil(v * log2(radix)) / 8); ceil(log2(radix^v)) = bit width of radix^v - 1.
  uint32_t bits = static_cast<uint32_t>(std::bit_width(p.pow_v - 1));
  p.b = (bits + 7) / 8;
  p.d = 4 * ((p.b + 3) / 4) + 4;
  uint8_t block[16] = {1,
                       2,
                       1,
                       static_cast<uint8_t>(radix >> 16),
                       static_cast<uint8_t>(radix >> 8),
                       static_cast<uint8_t>(radix),
                       10,
                       static_cast<uint8_t>(p.u % 256),
                       static_cast<uint8_t>(n >> 24),
                       static_cast<uint8_t>(n >> 16),
                       static_cast<uint8_t>(n >> 8),
                       static_cast<uint8_t>(n),
                       static_cast<uint8_t>(t >> 24),
                       static_cast<uint8_t>(t >> 16),
                       static_cast<uint8_t>(t >> 8),
                       static_cast<uint8_t>(t)};
  // Q = T || 0^pad || [i] || [NUM(B)]^b, a multiple of 16 bytes; everything before the
  // last b + 1 bytes is fixed for this length.
  size_t pad = (16 - (t + p.b + 1) % 16) % 16;
  std::string fixed = ff1->tweak_ + std::string(pad, '\0');
  size_t q_blocks = (fixed.size() + p.b + 1) / 16;
  std::memcpy(in.data(), block, 16);
  if (!Aes(1)) return nullptr;
  std::memcpy(p.y_prefix, out.data(), 16);
  for (size_t j = 0; j + 1 < q_blocks; ++j) {
    for (int k = 0; k < 16; ++k) in[k] = p.y_prefix[k] ^ static_cast<uint8_t>(fixed[16 * j + k]);
    if (!Aes(1)) return nullptr;
    std::memcpy(p.y_prefix, out.data(), 16);
  }
  std::memcpy(p.last_prefix, fixed.data() + 16 * (q_blocks - 1), 15 - p.b);
  sodium_memzero(block, sizeof(block));
  p.ready = true;
  return &p;
}

// Algorithm 7 (FF1.Encrypt) / Algorithm 8 (FF1.Decrypt) for strings of one length,
// in lockstep so that each round's AES calls form one batch.
void Ff1::Session::State::RunGroup(std::span<const std::span<uint16_t>> items,
                                   std::span<const size_t> group, bool decrypt) {
  const uint64_t radix = ff1->radix_;
  const size_t count = group.size();
  const LengthParams& p = *Params(items[group[0]].size());
  a.resize(count);
  b.resize(count);
  for (size_t k = 0; k < count; ++k) {
    std::span<uint16_t> x = items[group[k]];
    uint64_t na = 0, nb = 0;
    for (uint32_t j = 0; j < p.u; ++j) na = na * radix + x[j];
    for (uint32_t j = p.u; j < p.u + p.v; ++j) nb = nb * radix + x[j];
    a[k] = na;
    b[k] = nb;
  }
  in.resize(16 * count);
  out.resize(16 * count);
  // The block fed to AES for one value in round i is y_prefix XOR (last_prefix || [i] ||
  // [NUM]^b); everything but [i] and NUM is fixed, so it is prepared once as two
  // machine words (native byte order, as loaded from memory).
  uint8_t fixed[16];
  std::memcpy(fixed, p.last_prefix, 15 - p.b);
  std::memset(fixed + 15 - p.b, 0, p.b + 1);
  for (int j = 0; j < 16; ++j) fixed[j] ^= p.y_prefix[j];
  uint64_t fixed_hi, fixed_lo;
  std::memcpy(&fixed_hi, fixed, 8);
  std::memcpy(&fixed_lo, fixed + 8, 8);
  for (int round = 0; round < 10; ++round) {
    const int i = decrypt ? 9 - round : round;
    // [i] sits just before the b bytes of NUM: in the low word when b < 8, else in the
    // last byte of the high word.
    const uint64_t i_lo = p.b < 8 ? static_cast<uint64_t>(i) << (8 * p.b) : 0;
    const uint64_t hi = fixed_hi ^ (p.b < 8 ? 0 : ToMemoryOrder(static_cast<uint64_t>(i)));
    for (size_t k = 0; k < count; ++k) {
      const uint64_t num = decrypt ? a[k] : b[k];
      const uint64_t lo = fixed_lo ^ ToMemoryOrder(num | i_lo);
      std::memcpy(in.data() + 16 * k, &hi, 8);
      std::memcpy(in.data() + 16 * k + 8, &lo, 8);
    }
    Aes(count);  // cannot fail for a well-formed ECB context and block-multiple input
    const uint64_t mod = (i % 2 == 0) ? p.pow_u : p.pow_v;
    const uint64_t inv = (i % 2 == 0) ? p.inv_u : p.inv_v;
    for (size_t k = 0; k < count; ++k) {
      const uint8_t* r = out.data() + 16 * k;
      // y = NUM(S) for the first d bytes of R, reduced mod radix^m. d is 8 whenever
      // b <= 4 (radix 10: up to 18 digits), so 64-bit arithmetic is the common path.
      uint64_t ym;
      if (p.d == 8) {
        uint64_t y;
        std::memcpy(&y, r, 8);
        ym = FastMod(ToMemoryOrder(y), mod, inv);  // the same byte swap reads big-endian
      } else {
        U128 y = 0;
        for (uint32_t j = 0; j < p.d; ++j) y = (y << 8) | r[j];
        ym = static_cast<uint64_t>(y % mod);
      }
      if (!decrypt) {
        // (A + y) mod radix^m with A, ym < mod: one conditional subtraction (the sum
        // may wrap past 2^64 when mod > 2^63; wrapping arithmetic still gives A + ym - mod).
        uint64_t c = a[k] + ym;
        if (c < a[k] || c >= mod) c -= mod;
        a[k] = b[k];
        b[k] = c;
      } else {
        uint64_t c = b[k] >= ym ? b[k] - ym : b[k] + (mod - ym);
        b[k] = a[k];
        a[k] = c;
      }
    }
  }
  for (size_t k = 0; k < count; ++k) {
    uint16_t* x = items[group[k]].data();
    if (radix == 10) {
      Unpack<10>(a[k], x, p.u, radix);
      Unpack<10>(b[k], x + p.u, p.v, radix);
    } else {
      Unpack<0>(a[k], x, p.u, radix);
      Unpack<0>(b[k], x + p.u, p.v, radix);
    }
  }
  sodium_memzero(in.data(), in.size());
  sodium_memzero(out.data(), out.size());
}

Result<Ff1> Ff1::Create(std::string_view key, uint32_t radix, std::string_view tweak) {
  if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
    return InvalidArgument(
        fmt::format("FF1 key must be 16, 24 or 32 bytes (AES); got {}", key.size()));
  }
  if (radix < 2 || radix > 65536) {
    return InvalidArgument(fmt::format("FF1 radix must be in [2, 65536]; got {}", radix));
  }
  size_t min_len = 2;
  while (true) {
    auto pw = Power(radix, min_len);
    if (!pw || *pw >= 1000000) break;
    ++min_len;
  }
  size_t max_v = 0;
  while (Power(radix, max_v + 1)) ++max_v;
  size_t max_len = 2 * max_v;
  return Ff1(crypto::SecretBytes::Copy(key), radix, std::string(tweak), min_len, max_len);
}

Status Ff1::Check(std::span<const uint16_t> numerals) const {
  if (numerals.size() < min_len_ || numerals.size() > max_len_) {
    return InvalidArgument(fmt::format("FF1 radix {} needs {} to {} characters; got {}", radix_,
                                       min_len_, max_len_, numerals.size()));
  }
  for (uint16_t x : numerals) {
    if (x >= radix_)
      return InvalidArgument(fmt::format("FF1 numeral out of range for radix {}", radix_));
  }
  return OkStatus();
}

Ff1::Session::Session(const Ff1& ff1) : state_(std::make_unique<State>()) {
  state_->ff1 = &ff1;
  state_->ecb.reset(EVP_CIPHER_CTX_new());
  if (state_->ecb && EVP_EncryptInit_ex(state_->ecb.get(), EcbFor(ff1.key_.size()), nullptr,
                                        ff1.key_.data(), nullptr) == 1) {
    EVP_CIPHER_CTX_set_padding(state_->ecb.get(), 0);
  } else {
    state_->ecb.reset();
  }
  state_->params.resize(ff1.max_len_ + 1);
  state_->in.resize(16);
  state_->out.resize(16);
}
Ff1::Session::Session(Session&&) noexcept = default;
Ff1::Session::~Session() = default;

Status Ff1::Session::Run(std::span<const std::span<uint16_t>> items, bool decrypt) {
  if (!state_->ecb) return Internal("FF1: cannot initialize AES");
  for (const auto& x : items) SZ_RETURN_IF_ERROR(state_->ff1->Check(x));
  // Group by length so each group shares its per-length constants and batches its AES
  // (columns usually hold one format, so the sort is usually skipped).
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), size_t{0});
  bool uniform = std::all_of(items.begin(), items.end(),
                             [&](const auto& x) { return x.size() == items[0].size(); });
  if (!uniform) {
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t l, size_t r) { return items[l].size() < items[r].size(); });
  }
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start;
    while (end < order.size() && items[order[end]].size() == items[order[start]].size()) ++end;
    if (!state_->Params(items[order[start]].size())) return Internal("FF1: AES failed");
    state_->RunGroup(items, std::span<const size_t>(order).subspan(start, end - start), decrypt);
    start = end;
  }
  return OkStatus();
}

Status Ff1::Encrypt(std::span<uint16_t> numerals) const {
  Session s(*this);
  std::span<uint16_t> one[] = {numerals};
  return s.Run(one, false);
}

Status Ff1::Decrypt(std::span<uint16_t> numerals) const {
  Session s(*this);
  std::span<uint16_t> one[] = {numerals};
  return s.Run(one, true);
}

}  // namespace sz::pseudo
