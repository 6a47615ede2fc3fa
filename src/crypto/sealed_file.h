// Sealed files: how every stored dataset version and raw upload sits on disk.
//
// Authenticated encryption in the STREAM construction (Hoang, Reyhanitabar, Rogaway,
// Vizár: "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance",
// CRYPTO 2015) over AES-256-GCM (NIST SP 800-38D; AES-NI makes it several GB/s):
//
//   0  "SZSEAL" 0x00 0x02      magic and format version 2
//   8  u32 chunk size          plaintext bytes per chunk, little-endian
//  12  16 bytes file id        random; recorded in the catalog next to the file's name
//  28  chunks                  each: AES-256-GCM ciphertext of one chunk + 16-byte tag
//
// The file key is HMAC-SHA-256(data key, label || file id), so no two files share a
// GCM key. Chunk i is encrypted under the nonce be64(i) || be32(last ? 1 : 0) with the
// 28 header bytes and the caller's `context` ("safezone dataset card_payments") as
// associated data. Reordered, dropped, altered, duplicated or appended chunks fail to
// open, and so does a file cut at a chunk boundary (its new last chunk was not sealed as
// the last). Nothing is handed out from a chunk that has not verified.
//
// Thread-safety: a SealedWriter is used by one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/secret.h"
#include "storage/env.h"
#include "storage/memfile.h"

namespace sz::crypto {

struct SealInfo {
  std::string file_id;     // hex, 32 characters
  uint64_t plain_bytes = 0;
  uint64_t sealed_bytes = 0;
  std::string plain_sha256;  // hex of the plaintext: the version's content hash
};

class SealedWriter {
 public:
  // Creates `path` (must not exist) with mode 0600.
  static Result<SealedWriter> Create(storage::Env* env, const std::string& path,
                                     const SecretBytes& key, std::string_view context);
  SealedWriter(SealedWriter&&) noexcept;
  SealedWriter& operator=(SealedWriter&&) = delete;
  ~SealedWriter();  // an unfinished writer removes its file

  Status Append(std::string_view data);
  // Writes the final chunk, syncs and closes. The file is complete only after this.
  Result<SealInfo> Finish();

 private:
  struct State;
  explicit SealedWriter(std::unique_ptr<State> state);
  Status PushChunk(std::string_view plain, bool final);
  std::unique_ptr<State> state_;
};

// Seals everything readable from descriptor `fd` (read with pread from offset 0) into
// `path`; stops with Cancelled when `cancel` is set.
Result<SealInfo> SealFromFd(storage::Env* env, int fd, const std::string& source_name,
                            const std::string& path, const SecretBytes& key,
                            std::string_view context, const std::atomic<bool>* cancel);
// Seals the whole content of `source` into `path`.
Result<SealInfo> SealMemFile(storage::Env* env, const storage::MemFile& source,
                             const std::string& path, const SecretBytes& key,
                             std::string_view context);
// Seals the file at `source_path` (a provider's upload) into `path`.
Result<SealInfo> SealFile(storage::Env* env, const std::string& source_path,
                          const std::string& path, const SecretBytes& key,
                          std::string_view context);

// Verifies and decrypts `path` into `out` (appending). DataLoss on any tampering,
// truncation or a wrong key/context; `out` then holds nothing trustworthy and the caller
// must discard it. Returns the file id and plaintext hash.
Result<SealInfo> UnsealToMemFile(const std::string& path, const SecretBytes& key,
                                 std::string_view context, storage::MemFile& out);
Result<std::string> UnsealToString(const std::string& path, const SecretBytes& key,
                                   std::string_view context);

// Reads only the header: the file id (to match a file to its catalog row).
Result<std::string> ReadSealedFileId(const std::string& path);

}  // namespace sz::crypto
