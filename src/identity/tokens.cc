#include "identity/tokens.h"

#include <algorithm>
#include <cctype>

#include "crypto/secret.h"

namespace sz::identity {

namespace {
constexpr std::string_view kSessionPrefix = "szs_";
constexpr std::string_view kApiPrefix = "sza_";
constexpr size_t kRandomBytes = 32;
}  // namespace

std::string NewToken(TokenKind kind) {
  std::string_view prefix = kind == TokenKind::kSession ? kSessionPrefix : kApiPrefix;
  return std::string(prefix) + crypto::ToBase64Url(crypto::RandomBytes(kRandomBytes));
}

std::optional<TokenKind> TokenKindOf(std::string_view token) {
  if (token.size() != kTokenChars) return std::nullopt;
  std::optional<TokenKind> kind;
  if (token.starts_with(kSessionPrefix)) kind = TokenKind::kSession;
  if (token.starts_with(kApiPrefix)) kind = TokenKind::kApi;
  if (!kind) return std::nullopt;
  std::string_view body = token.substr(4);
  bool alphabet = std::all_of(body.begin(), body.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!alphabet) return std::nullopt;
  return kind;
}

std::string TokenHash(std::string_view token) { return crypto::Sha256Hex(token); }

}  // namespace sz::identity
