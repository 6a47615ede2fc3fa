#include "crypto/keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/text.h"
#include "fmt/format.h"
#include "storage/env.h"

namespace sz::crypto {

namespace {
constexpr std::string_view kWrapLabel = "safezone/keywrap/v1:";
constexpr std::string_view kKeyFileHeader = "safezone-master-key-v1";
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
}  // namespace

std::string WrapKey(const SecretBytes& kek, const SecretBytes& key, std::string_view purpose) {
  Init();
  std::string ad = std::string(kWrapLabel) + std::string(purpose);
  std::string out = RandomBytes(kNonceBytes);
  out.resize(kNonceBytes + key.size() + kTagBytes);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes, &clen, key.data(), key.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
      reinterpret_cast<const unsigned char*>(out.data()), kek.data());
  return out;
}

Result<SecretBytes> UnwrapKey(const SecretBytes& kek, std::string_view wrapped,
                              std::string_view purpose) {
  Init();
  if (wrapped.size() < kNonceBytes + kTagBytes) return DataLoss("wrapped key is truncated");
  std::string ad = std::string(kWrapLabel) + std::string(purpose);
  SecretBytes key(wrapped.size() - kNonceBytes - kTagBytes);
  unsigned long long mlen = 0;
  const auto* w = reinterpret_cast<const unsigned char*>(wrapped.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          key.mutable_data(), &mlen, nullptr, w + kNonceBytes, wrapped.size() - kNonceBytes,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), w, kek.data()) != 0) {
    return DataLoss(fmt::format("the wrapped key for {} does not open under this master key",
                                purpose));
  }
  return key;
}

std::string KeyFingerprint(const SecretBytes& key) {
  Init();
  constexpr std::string_view label = "safezone/key-fingerprint/v1";
  unsigned char out[8];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), key.data(), key.size());
  return ToHex(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

std::string FormatMasterKey(const SecretBytes& key) {
  return fmt::format("{} {}\n", kKeyFileHeader, ToBase64(key.view()));
}

Status CreateMasterKeyFile(const std::string& path) {
  SecretBytes key = SecretBytes::Random(kKeyBytes);
  std::string text = FormatMasterKey(key);
  SZ_ASSIGN_OR_RETURN(auto file, storage::Env::Default()->NewWritableFile(path, 0600));
  Status s = file->Append(text);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  sodium_memzero(text.data(), text.size());
  if (!s.ok()) (void)storage::Env::Default()->Remove(path);
  return s;
}

namespace {

Result<SecretBytes> ParseKeyText(std::string_view text, std::string_view where) {
  text = text::TrimAscii(text);
  if (text.substr(0, kKeyFileHeader.size()) == kKeyFileHeader) {
    text = text::TrimAscii(text.substr(kKeyFileHeader.size()));
  }
  auto raw = FromBase64(text);
  if (!raw.ok() || raw->size() != kKeyBytes) {
    return InvalidArgument(fmt::format("{} does not hold a safezone master key (expected "
                                       "'{} <base64 of 32 bytes>')",
                                       where, kKeyFileHeader));
  }
  SecretBytes key = SecretBytes::Copy(*raw);
  sodium_memzero(raw->data(), raw->size());
  return key;
}

}  // namespace

Result<SecretBytes> LoadMasterKey(const MasterKeySource& source) {
  if (!source.file.empty()) {
    struct stat st;
    if (::stat(source.file.c_str(), &st) != 0) {
      return FailedPrecondition(fmt::format("master key file {} is missing ({})", source.file,
                                            std::strerror(errno)));
    }
    if (!S_ISREG(st.st_mode)) {
      return FailedPrecondition(fmt::format("master key file {} is not a regular file", source.file));
    }
    if (st.st_mode & 077) {
      return PermissionDenied(fmt::format(
          "master key file {} is accessible by other users (mode {:04o}); run: chmod 600 {}",
          source.file, st.st_mode & 0777, source.file));
    }
    if (st.st_uid != ::geteuid()) {
      return PermissionDenied(fmt::format("master key file {} belongs to another user", source.file));
    }
    SZ_ASSIGN_OR_RETURN(std::string text, storage::ReadSmallFile(source.file, 4096));
    auto key = ParseKeyText(text, "master key file " + source.file);
    sodium_memzero(text.data(), text.size());
    return key;
  }
  const char* value = source.env_var.empty() ? nullptr : std::getenv(source.env_var.c_str());
  if (value == nullptr || *value == '\0') {
    return FailedPrecondition(fmt::format(
        "no master key: pass --key-file PATH or set {}", source.env_var.empty() ? "SAFEZONE_MASTER_KEY" : source.env_var));
  }
  return ParseKeyText(value, "environment variable " + source.env_var);
}

}  // namespace sz::crypto
