#include "pseudo/aes_siv.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>

namespace sz::pseudo {

namespace {

struct CipherDeleter {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

struct AesSiv::Session::Ctx {
  std::unique_ptr<EVP_CIPHER, CipherDeleter> cipher;
  std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ctx;
};

Result<AesSiv> AesSiv::Create(std::string_view key) {
  const char* name = nullptr;
  switch (key.size()) {
    case 32:
      name = "AES-128-SIV";
      break;
    case 48:
      name = "AES-192-SIV";
      break;
    case 64:
      name = "AES-256-SIV";
      break;
    default:
      return InvalidArgument("AES-SIV key must be 32, 48 or 64 bytes (two AES keys); got " +
                             std::to_string(key.size()));
  }
  std::unique_ptr<EVP_CIPHER, CipherDeleter> probe(EVP_CIPHER_fetch(nullptr, name, nullptr));
  if (!probe) return Unavailable(std::string("OpenSSL does not provide ") + name);
  return AesSiv(crypto::SecretBytes::Copy(key), name);
}

AesSiv::Session::Session(const AesSiv& siv) : siv_(&siv), ctx_(std::make_unique<Ctx>()) {
  ctx_->cipher.reset(EVP_CIPHER_fetch(nullptr, siv.cipher_name_, nullptr));
  ctx_->ctx.reset(EVP_CIPHER_CTX_new());
}
AesSiv::Session::Session(Session&&) noexcept = default;
AesSiv::Session::~Session() = default;

// OpenSSL's SIV context allows one operation per key setup (RFC 5297 forbids reusing the
// S2V state), so every value re-initializes with the key.
Status AesSiv::Session::Seal(std::string_view plaintext,
                             std::span<const std::string_view> associated, std::string& out) {
  // OpenSSL's SIV skips an empty update, so an empty plaintext cannot be sealed; empty
  // values are missing values in this engine and never reach a token anyway.
  if (plaintext.empty()) return InvalidArgument("AES-SIV: an empty value cannot be tokenized");
  EVP_CIPHER_CTX* c = ctx_->ctx.get();
  if (!ctx_->cipher || !c ||
      EVP_EncryptInit_ex2(c, ctx_->cipher.get(), siv_->key_.data(), nullptr, nullptr) != 1) {
    return Internal("AES-SIV: cannot initialize the cipher");
  }
  int len = 0;
  for (std::string_view ad : associated) {
    if (EVP_EncryptUpdate(c, nullptr, &len, Bytes(ad), static_cast<int>(ad.size())) != 1) {
      return Internal("AES-SIV: associated data rejected");
    }
  }
  size_t base = out.size();
  out.resize(base + kTagSize + plaintext.size());
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + base;
  if (EVP_EncryptUpdate(c, dst + kTagSize, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(c, dst + kTagSize, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, kTagSize, dst) != 1) {
    out.resize(base);
    return Internal("AES-SIV: encryption failed");
  }
  return OkStatus();
}

Status AesSiv::Session::Open(std::string_view sealed, std::span<const std::string_view> associated,
                             std::string& out) {
  if (sealed.size() < kTagSize) return InvalidArgument("AES-SIV token is too short to be valid");
  EVP_CIPHER_CTX* c = ctx_->ctx.get();
  if (!ctx_->cipher || !c ||
      EVP_DecryptInit_ex2(c, ctx_->cipher.get(), siv_->key_.data(), nullptr, nullptr) != 1) {
    return Internal("AES-SIV: cannot initialize the cipher");
  }
  // The tag is the synthetic IV; OpenSSL needs it before decrypting.
  std::string tag(sealed.substr(0, kTagSize));
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, kTagSize, tag.data()) != 1) {
    return Internal("AES-SIV: cannot set the tag");
  }
  int len = 0;
  for (std::string_view ad : associated) {
    if (EVP_DecryptUpdate(c, nullptr, &len, Bytes(ad), static_cast<int>(ad.size())) != 1) {
      return Internal("AES-SIV: associated data rejected");
    }
  }
  std::string_view ct = sealed.substr(kTagSize);
  if (ct.empty()) return InvalidArgument("AES-SIV token is too short to be valid");
  size_t base = out.size();
  out.resize(base + ct.size());
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + base;
  if (EVP_DecryptUpdate(c, dst, &len, Bytes(ct), static_cast<int>(ct.size())) != 1 ||
      EVP_DecryptFinal_ex(c, dst, &len) != 1) {
    out.resize(base);
    return InvalidArgument(
        "AES-SIV token failed authentication: wrong key, wrong context or altered token");
  }
  return OkStatus();
}

Result<std::string> AesSiv::Seal(std::string_view plaintext,
                                 std::span<const std::string_view> associated) const {
  Session s(*this);
  std::string out;
  SZ_RETURN_IF_ERROR(s.Seal(plaintext, associated, out));
  return out;
}

Result<std::string> AesSiv::Open(std::string_view sealed,
                                 std::span<const std::string_view> associated) const {
  Session s(*this);
  std::string out;
  SZ_RETURN_IF_ERROR(s.Open(sealed, associated, out));
  return out;
}

}  // namespace sz::pseudo
