#include "crypto/sealed_file.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include "fmt/format.h"

namespace sz::crypto {

namespace {

constexpr char kMagic[8] = {'S', 'Z', 'S', 'E', 'A', 'L', 0, 2};
constexpr uint32_t kChunkBytes = 1 << 20;
constexpr size_t kFileIdBytes = 16;
constexpr size_t kHeaderBytes = 8 + 4 + kFileIdBytes;
constexpr size_t kTagBytes = 16;
constexpr uint32_t kMaxChunkBytes = 64u << 20;
constexpr std::string_view kFileKeyLabel = "safezone/sealed-file/v2";

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Reads exactly `n` bytes unless the file ends first.
Result<size_t> ReadFull(int fd, char* buf, size_t n, const std::string& path) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, buf + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return storage::ErrnoStatus(errno, "reading", path);
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

SecretBytes FileKey(const SecretBytes& key, std::string_view file_id) {
  std::string msg = std::string(kFileKeyLabel) + std::string(file_id);
  SecretBytes out(32);
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out.mutable_data(), &len);
  return out;
}

void ChunkNonce(uint64_t index, bool last, unsigned char nonce[12]) {
  for (int i = 0; i < 8; ++i) nonce[i] = static_cast<unsigned char>(index >> (56 - 8 * i));
  nonce[8] = nonce[9] = nonce[10] = 0;
  nonce[11] = last ? 1 : 0;
}

// One AES-256-GCM context reused for every chunk of a file.
class Gcm {
 public:
  Gcm(const SecretBytes& file_key, bool encrypt) : ctx_(EVP_CIPHER_CTX_new()), encrypt_(encrypt) {
    if (encrypt) {
      EVP_EncryptInit_ex(ctx_, EVP_aes_256_gcm(), nullptr, file_key.data(), nullptr);
    } else {
      EVP_DecryptInit_ex(ctx_, EVP_aes_256_gcm(), nullptr, file_key.data(), nullptr);
    }
  }
  ~Gcm() { EVP_CIPHER_CTX_free(ctx_); }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;

  // Encrypts `plain` into `out` (resized: ciphertext then tag).
  void Seal(uint64_t index, bool last, std::string_view ad, std::string_view plain, std::string& out) {
    unsigned char nonce[12];
    ChunkNonce(index, last, nonce);
    out.resize(plain.size() + kTagBytes);
    int len = 0;
    EVP_EncryptInit_ex(ctx_, nullptr, nullptr, nullptr, nonce);
    EVP_EncryptUpdate(ctx_, nullptr, &len, U(ad.data()), static_cast<int>(ad.size()));
    EVP_EncryptUpdate(ctx_, U(out.data()), &len, U(plain.data()), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx_, U(out.data()) + len, &len);
    EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + plain.size());
  }

  // Decrypts and verifies; false if the chunk does not authenticate.
  bool Open(uint64_t index, bool last, std::string_view ad, std::string_view sealed, std::string& plain) {
    if (sealed.size() < kTagBytes) return false;
    unsigned char nonce[12];
    ChunkNonce(index, last, nonce);
    size_t n = sealed.size() - kTagBytes;
    plain.resize(n);
    int len = 0;
    EVP_DecryptInit_ex(ctx_, nullptr, nullptr, nullptr, nonce);
    EVP_DecryptUpdate(ctx_, nullptr, &len, U(ad.data()), static_cast<int>(ad.size()));
    EVP_DecryptUpdate(ctx_, U(plain.data()), &len, U(sealed.data()), static_cast<int>(n));
    std::string tag(sealed.substr(n));
    EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data());
    return EVP_DecryptFinal_ex(ctx_, U(plain.data()) + len, &len) == 1;
  }

 private:
  static unsigned char* U(char* p) { return reinterpret_cast<unsigned char*>(p); }
  static const unsigned char* U(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
  EVP_CIPHER_CTX* ctx_;
  bool encrypt_;
};

}  // namespace

struct SealedWriter::State {
  storage::Env* env;
  std::string path;
  std::unique_ptr<storage::WritableFile> file;
  std::unique_ptr<Gcm> gcm;
  std::string ad;
  std::string file_id;
  std::string buffer;  // plaintext not yet sealed
  std::string sealed;  // reused output buffer
  Sha256Hasher hasher;
  uint64_t chunk_index = 0;
  uint64_t plain_bytes = 0;
  uint64_t sealed_bytes = 0;
  bool finished = false;
  ~State() {
    std::fill(buffer.begin(), buffer.end(), '\0');
  }
};

SealedWriter::SealedWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
SealedWriter::SealedWriter(SealedWriter&&) noexcept = default;

SealedWriter::~SealedWriter() {
  if (state_ && !state_->finished) {
    state_->file.reset();
    (void)state_->env->Remove(state_->path);
  }
}

Result<SealedWriter> SealedWriter::Create(storage::Env* env, const std::string& path,
                                          const SecretBytes& key, std::string_view context) {
  if (key.size() != 32) return InvalidArgument("sealing key must be 32 bytes");
  auto state = std::make_unique<State>();
  state->env = env;
  state->path = path;
  SZ_ASSIGN_OR_RETURN(state->file, env->NewWritableFile(path, 0600));
  std::string header(kMagic, sizeof kMagic);
  PutU32(header, kChunkBytes);
  std::string raw_id = RandomBytes(kFileIdBytes);
  header += raw_id;
  state->ad = header + std::string(context);
  state->file_id = ToHex(raw_id);
  state->gcm = std::make_unique<Gcm>(FileKey(key, raw_id), /*encrypt=*/true);
  SealedWriter writer(std::move(state));
  SZ_RETURN_IF_ERROR(writer.state_->file->Append(header));
  writer.state_->sealed_bytes = header.size();
  writer.state_->buffer.reserve(kChunkBytes);
  return writer;
}

Status SealedWriter::PushChunk(std::string_view plain, bool final) {
  State& s = *state_;
  s.gcm->Seal(s.chunk_index++, final, s.ad, plain, s.sealed);
  s.sealed_bytes += s.sealed.size();
  return s.file->Append(s.sealed);
}

Status SealedWriter::Append(std::string_view data) {
  State& s = *state_;
  if (s.finished) return FailedPrecondition("sealed file already finished");
  s.hasher.Update(data);
  s.plain_bytes += data.size();
  while (!data.empty()) {
    // Whole chunks straight from the input when more follows; the rest through the
    // buffer, so that the final chunk (sealed by Finish) is known to be the last.
    if (s.buffer.empty() && data.size() > kChunkBytes) {
      SZ_RETURN_IF_ERROR(PushChunk(data.substr(0, kChunkBytes), false));
      data.remove_prefix(kChunkBytes);
      continue;
    }
    size_t take = std::min<size_t>(kChunkBytes - s.buffer.size(), data.size());
    s.buffer.append(data.substr(0, take));
    data.remove_prefix(take);
    if (s.buffer.size() == kChunkBytes && !data.empty()) {
      SZ_RETURN_IF_ERROR(PushChunk(s.buffer, false));
      s.buffer.clear();
    }
  }
  return OkStatus();
}

Result<SealInfo> SealedWriter::Finish() {
  State& s = *state_;
  if (s.finished) return FailedPrecondition("sealed file already finished");
  SZ_RETURN_IF_ERROR(PushChunk(s.buffer, true));
  std::fill(s.buffer.begin(), s.buffer.end(), '\0');
  s.buffer.clear();
  SZ_RETURN_IF_ERROR(s.file->Sync());
  SZ_RETURN_IF_ERROR(s.file->Close());
  s.finished = true;
  return SealInfo{s.file_id, s.plain_bytes, s.sealed_bytes, s.hasher.FinishHex()};
}

Result<SealInfo> SealFromFd(storage::Env* env, int fd, const std::string& source_name,
                            const std::string& path, const SecretBytes& key, std::string_view context,
                            const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(SealedWriter writer, SealedWriter::Create(env, path, key, context));
  std::string buf(kChunkBytes * 4, '\0');
  uint64_t offset = 0;
  while (true) {
    if (cancel && cancel->load()) return Cancelled("sealing interrupted");
    ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return storage::ErrnoStatus(errno, "reading", source_name);
    }
    if (n == 0) break;
    offset += static_cast<uint64_t>(n);
    SZ_RETURN_IF_ERROR(writer.Append(std::string_view(buf.data(), static_cast<size_t>(n))));
  }
  std::fill(buf.begin(), buf.end(), '\0');
  return writer.Finish();
}

Result<SealInfo> SealMemFile(storage::Env* env, const storage::MemFile& source,
                             const std::string& path, const SecretBytes& key,
                             std::string_view context) {
  return SealFromFd(env, source.fd(), "memory file", path, key, context, nullptr);
}

Result<SealInfo> SealFile(storage::Env* env, const std::string& source_path,
                          const std::string& path, const SecretBytes& key,
                          std::string_view context) {
  storage::UniqueFd in(::open(source_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return storage::ErrnoStatus(errno, "opening", source_path);
  return SealFromFd(env, in.get(), source_path, path, key, context, nullptr);
}

namespace {

// Streams the verified plaintext of `path` to `sink`, chunk by chunk. The sink sees a
// chunk only after it authenticated; the caller still must discard everything on error
// (a later chunk may fail).
Result<SealInfo> Unseal(const std::string& path, const SecretBytes& key, std::string_view context,
                        const std::function<Status(std::string_view)>& sink) {
  storage::UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return storage::ErrnoStatus(errno, "opening", path);
  char header[kHeaderBytes];
  SZ_ASSIGN_OR_RETURN(size_t got, ReadFull(in.get(), header, kHeaderBytes, path));
  if (got < kHeaderBytes || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return DataLoss(fmt::format("{} is not a sealed safezone file (bad or truncated header)", path));
  }
  uint32_t chunk = GetU32(header + 8);
  if (chunk == 0 || chunk > kMaxChunkBytes) {
    return DataLoss(fmt::format("{} has a corrupted header (chunk size {})", path, chunk));
  }
  std::string raw_id(header + 12, kFileIdBytes);
  std::string ad(header, kHeaderBytes);
  ad += context;
  Gcm gcm(FileKey(key, raw_id), /*encrypt=*/false);
  SealInfo info;
  info.file_id = ToHex(raw_id);
  info.sealed_bytes = kHeaderBytes;
  Sha256Hasher hasher;
  // Read one byte beyond a full chunk: whether more follows decides if this is the last.
  const size_t full = chunk + kTagBytes;
  std::string buf(full + 1, '\0');
  std::string plain;
  size_t have = 0;
  Status result;
  for (uint64_t index = 0;; ++index) {
    SZ_ASSIGN_OR_RETURN(size_t n, ReadFull(in.get(), buf.data() + have, buf.size() - have, path));
    have += n;
    bool last = have <= full;
    size_t this_chunk = last ? have : full;
    if (!gcm.Open(index, last, ad, std::string_view(buf.data(), this_chunk), plain)) {
      result = DataLoss(fmt::format(
          "{}: chunk {} failed authentication (tampered, corrupted, truncated or the wrong key)",
          path, index));
      break;
    }
    info.sealed_bytes += this_chunk;
    info.plain_bytes += plain.size();
    hasher.Update(plain);
    result = sink(plain);
    if (!result.ok() || last) break;
    // Keep the extra byte read ahead as the start of the next chunk.
    buf[0] = buf[full];
    have = 1;
  }
  std::fill(plain.begin(), plain.end(), '\0');
  SZ_RETURN_IF_ERROR(result);
  info.plain_sha256 = hasher.FinishHex();
  return info;
}

}  // namespace

Result<SealInfo> UnsealToMemFile(const std::string& path, const SecretBytes& key,
                                 std::string_view context, storage::MemFile& out) {
  return Unseal(path, key, context, [&](std::string_view data) { return out.Append(data); });
}

Result<std::string> UnsealToString(const std::string& path, const SecretBytes& key,
                                   std::string_view context) {
  std::string out;
  SZ_ASSIGN_OR_RETURN(SealInfo info, Unseal(path, key, context, [&](std::string_view data) {
                        out.append(data);
                        return OkStatus();
                      }));
  (void)info;
  return out;
}

Result<std::string> ReadSealedFileId(const std::string& path) {
  storage::UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return storage::ErrnoStatus(errno, "opening", path);
  char header[kHeaderBytes];
  SZ_ASSIGN_OR_RETURN(size_t got, ReadFull(in.get(), header, kHeaderBytes, path));
  if (got < kHeaderBytes || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return DataLoss(fmt::format("{} is not a sealed safezone file", path));
  }
  return ToHex(std::string_view(header + 12, kFileIdBytes));
}

}  // namespace sz::crypto
