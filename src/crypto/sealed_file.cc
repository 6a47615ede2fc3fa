#include "crypto/sealed_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "fmt/format.h"

namespace sz::crypto {

namespace {

constexpr char kMagic[8] = {'S', 'Z', 'S', 'E', 'A', 'L', 0, 1};
constexpr uint32_t kChunkBytes = 1 << 20;
constexpr size_t kFileIdBytes = 16;
constexpr size_t kPrefixBytes = 8 + 4 + kFileIdBytes;  // authenticated as AD
constexpr size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kHeaderBytes = kPrefixBytes + kStreamHeaderBytes;
constexpr size_t kOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr uint32_t kMaxChunkBytes = 64u << 20;

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

}  // namespace

struct SealedWriter::State {
  storage::Env* env;
  std::string path;
  std::unique_ptr<storage::WritableFile> file;
  crypto_secretstream_xchacha20poly1305_state stream;
  std::string ad;
  std::string file_id;
  std::string buffer;  // plaintext not yet pushed
  std::string cipher;  // reused output buffer
  Sha256Hasher hasher;
  uint64_t plain_bytes = 0;
  uint64_t sealed_bytes = 0;
  bool finished = false;
  ~State() { sodium_memzero(&stream, sizeof stream); }
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
  Init();
  if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES) {
    return InvalidArgument("sealing key must be 32 bytes");
  }
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
  unsigned char stream_header[kStreamHeaderBytes];
  crypto_secretstream_xchacha20poly1305_init_push(&state->stream, stream_header, key.data());
  header.append(reinterpret_cast<char*>(stream_header), kStreamHeaderBytes);
  SealedWriter writer(std::move(state));
  SZ_RETURN_IF_ERROR(writer.state_->file->Append(header));
  writer.state_->sealed_bytes = header.size();
  writer.state_->buffer.reserve(kChunkBytes);
  return writer;
}

Status SealedWriter::PushChunk(std::string_view plain, bool final) {
  State& s = *state_;
  s.cipher.resize(plain.size() + kOverhead);
  unsigned long long clen = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &s.stream, reinterpret_cast<unsigned char*>(s.cipher.data()), &clen,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(s.ad.data()), s.ad.size(),
      final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
  s.sealed_bytes += clen;
  return s.file->Append(std::string_view(s.cipher.data(), clen));
}

Status SealedWriter::Append(std::string_view data) {
  State& s = *state_;
  if (s.finished) return FailedPrecondition("sealed file already finished");
  s.hasher.Update(data);
  s.plain_bytes += data.size();
  while (!data.empty()) {
    // Whole chunks straight from the input; partial ones through the buffer.
    if (s.buffer.empty() && data.size() > kChunkBytes) {
      SZ_RETURN_IF_ERROR(PushChunk(data.substr(0, kChunkBytes), false));
      data.remove_prefix(kChunkBytes);
      continue;
    }
    size_t take = std::min<size_t>(kChunkBytes - s.buffer.size(), data.size());
    s.buffer.append(data.substr(0, take));
    data.remove_prefix(take);
    // A full buffer is pushed only once more data follows, so that the final chunk
    // (pushed by Finish) is never empty unless the whole file is.
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
  sodium_memzero(s.buffer.data(), s.buffer.size());
  s.buffer.clear();
  SZ_RETURN_IF_ERROR(s.file->Sync());
  SZ_RETURN_IF_ERROR(s.file->Close());
  s.finished = true;
  return SealInfo{s.file_id, s.plain_bytes, s.sealed_bytes, s.hasher.FinishHex()};
}

namespace {

Result<SealInfo> SealFromFd(storage::Env* env, int fd, const std::string& source_name,
                            const std::string& path, const SecretBytes& key,
                            std::string_view context) {
  SZ_ASSIGN_OR_RETURN(SealedWriter writer, SealedWriter::Create(env, path, key, context));
  std::string buf(kChunkBytes * 4, '\0');
  uint64_t offset = 0;
  while (true) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return storage::ErrnoStatus(errno, "reading", source_name);
    }
    if (n == 0) break;
    offset += static_cast<uint64_t>(n);
    SZ_RETURN_IF_ERROR(writer.Append(std::string_view(buf.data(), static_cast<size_t>(n))));
  }
  sodium_memzero(buf.data(), buf.size());
  return writer.Finish();
}

}  // namespace

Result<SealInfo> SealMemFile(storage::Env* env, const storage::MemFile& source,
                             const std::string& path, const SecretBytes& key,
                             std::string_view context) {
  return SealFromFd(env, source.fd(), "memory file", path, key, context);
}

Result<SealInfo> SealFile(storage::Env* env, const std::string& source_path,
                          const std::string& path, const SecretBytes& key,
                          std::string_view context) {
  storage::UniqueFd in(::open(source_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return storage::ErrnoStatus(errno, "opening", source_path);
  return SealFromFd(env, in.get(), source_path, path, key, context);
}

namespace {

// Streams the verified plaintext of `path` to `sink`, chunk by chunk. The sink sees a
// chunk only after it authenticated; the caller still must discard everything on error
// (a later chunk may fail).
Result<SealInfo> Unseal(const std::string& path, const SecretBytes& key, std::string_view context,
                        const std::function<Status(std::string_view)>& sink) {
  Init();
  storage::UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return storage::ErrnoStatus(errno, "opening", path);
  char header[kHeaderBytes];
  SZ_ASSIGN_OR_RETURN(size_t got, ReadFull(in.get(), header, kHeaderBytes, path));
  if (got < kHeaderBytes || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return DataLoss(fmt::format("{} is not a sealed safezone file (bad or truncated header)", path));
  }
  uint32_t chunk = GetU32(header + 8);
  if (chunk == 0 || chunk > kMaxChunkBytes) {
    return DataLoss(fmt::format("{} has a corrupted header (chunk size {})", path, chunk));
  }
  std::string ad(header, kPrefixBytes);
  ad += context;
  crypto_secretstream_xchacha20poly1305_state stream;
  if (crypto_secretstream_xchacha20poly1305_init_pull(
          &stream, reinterpret_cast<const unsigned char*>(header + kPrefixBytes), key.data()) != 0) {
    return DataLoss(fmt::format("{} has a corrupted stream header", path));
  }
  SealInfo info;
  info.file_id = ToHex(std::string_view(header + 8 + 4, kFileIdBytes));
  info.sealed_bytes = kHeaderBytes;
  Sha256Hasher hasher;
  std::string cipher(chunk + kOverhead, '\0');
  std::string plain(chunk, '\0');
  Status result;
  for (uint64_t index = 0;; ++index) {
    SZ_ASSIGN_OR_RETURN(size_t n, ReadFull(in.get(), cipher.data(), cipher.size(), path));
    if (n < kOverhead) {
      result = DataLoss(fmt::format("{} is truncated: it ends before its final chunk", path));
      break;
    }
    unsigned long long plen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &stream, reinterpret_cast<unsigned char*>(plain.data()), &plen, &tag,
            reinterpret_cast<const unsigned char*>(cipher.data()), n,
            reinterpret_cast<const unsigned char*>(ad.data()), ad.size()) != 0) {
      result = DataLoss(fmt::format(
          "{}: chunk {} failed authentication (tampered, corrupted, truncated or the wrong key)",
          path, index));
      break;
    }
    info.sealed_bytes += n;
    info.plain_bytes += plen;
    hasher.Update(std::string_view(plain.data(), plen));
    result = sink(std::string_view(plain.data(), plen));
    if (!result.ok()) break;
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      char extra;
      SZ_ASSIGN_OR_RETURN(size_t more, ReadFull(in.get(), &extra, 1, path));
      if (more != 0) result = DataLoss(fmt::format("{} has data after its final chunk", path));
      break;
    }
    if (n < cipher.size()) {
      result = DataLoss(fmt::format("{} is truncated: it ends before its final chunk", path));
      break;
    }
  }
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(&stream, sizeof stream);
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
  if (in.get() < 0) return storage::ErrnoStatus(errno, "opening", path);
  char header[kPrefixBytes];
  SZ_ASSIGN_OR_RETURN(size_t got, ReadFull(in.get(), header, kPrefixBytes, path));
  if (got < kPrefixBytes || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return DataLoss(fmt::format("{} is not a sealed safezone file", path));
  }
  return ToHex(std::string_view(header + 12, kFileIdBytes));
}

}  // namespace sz::crypto
