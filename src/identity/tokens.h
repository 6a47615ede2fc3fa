// Bearer-token format for sessions and API tokens.
//
//   "szs_" or "sza_" + base64url(32 random bytes) = 47 characters
//
// The prefix says what a token is, so a leaked one is recognisable (secret scanners,
// log scrubbers) and cannot be confused with the other kind. 256 random bits make
// guessing pointless; the server stores only SHA-256(token): a stolen database gives no
// usable token, and a slow hash is unnecessary for values with this much entropy.
//
// Thread-safety: free functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sz::identity {

enum class TokenKind { kSession, kApi };

inline constexpr size_t kTokenChars = 47;

std::string NewToken(TokenKind kind);
// The kind of a well-formed token (prefix, length, alphabet); nullopt otherwise.
std::optional<TokenKind> TokenKindOf(std::string_view token);
// Hex SHA-256 of the token: what the database stores and looks up.
std::string TokenHash(std::string_view token);

}  // namespace sz::identity
