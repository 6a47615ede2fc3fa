// Key hierarchy of a zone.
//
//   master key (32 bytes; outside the zone directory: a 0600 file or an env variable)
//     └─ wraps each data key (one per dataset; encrypts that dataset's stored files)
//     └─ wraps the zone's signing key and the keyring of pseudonymization keys
//
// Wrapping is XChaCha20-Poly1305 (IETF) with a random 192-bit nonce and the key's
// purpose ("dataset:17") as associated data, so a wrapped key cannot be moved to
// another purpose. Rotating the master key re-wraps data keys; data is not re-encrypted.
//
// Thread-safety: free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/secret.h"

namespace sz::crypto {

inline constexpr size_t kKeyBytes = 32;

// Encrypts `key` under `kek`; the output embeds its nonce.
std::string WrapKey(const SecretBytes& kek, const SecretBytes& key, std::string_view purpose);
// DataLoss if the blob was altered, was wrapped under another key or for another purpose.
Result<SecretBytes> UnwrapKey(const SecretBytes& kek, std::string_view wrapped,
                              std::string_view purpose);

// A public, non-reversible identifier of `key` (keyed BLAKE2b of a fixed label), used to
// tell a wrong master key from a corrupted wrapped key. 16 hex characters.
std::string KeyFingerprint(const SecretBytes& key);

// Where the master key comes from. Exactly one of `file` or the environment variable
// named by `env_var` must provide it.
struct MasterKeySource {
  std::string file;                               // path to a 0600 key file
  std::string env_var = "SAFEZONE_MASTER_KEY";    // base64 of 32 bytes
};

// Creates a new random master key in `path` (mode 0600, must not exist yet).
Status CreateMasterKeyFile(const std::string& path);
// Loads the key. Refuses a key file that is missing, not a regular file, readable or
// writable by group/others, owned by someone else, or malformed.
Result<SecretBytes> LoadMasterKey(const MasterKeySource& source);
// Text for a key file holding `key` (also the format of the environment variable's
// value after "safezone-master-key-v1 ").
std::string FormatMasterKey(const SecretBytes& key);

}  // namespace sz::crypto
