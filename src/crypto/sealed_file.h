// Sealed files: how every stored dataset version and raw upload sits on disk.
//
// Format (all integers little-endian):
//   0  "SZSEAL" 0x00 0x01      magic and format version 1
//   8  u32 chunk size          plaintext bytes per chunk (the last may be shorter)
//  12  16 bytes file id        random; recorded in the catalog next to the file's name
//  28  24 bytes stream header  libsodium secretstream (XChaCha20-Poly1305)
//  52  chunks                  each: ciphertext of one chunk + 17 bytes (tag and MAC)
//
// Every chunk is authenticated with the first 28 bytes and the caller's `context`
// ("dataset 12 version 3") as associated data; secretstream chains the chunks, so a
// reordered, dropped, altered or duplicated chunk fails to open, and the last chunk
// carries the FINAL tag, so a truncated file is detected too. Nothing is returned from
// a file that has not fully verified.
//
// Thread-safety: a SealedWriter is used by one thread.
#pragma once

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
