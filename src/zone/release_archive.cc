#include "zone/release_archive.h"

#include <cstring>

#include "fmt/format.h"

namespace sz::zone {

namespace {

constexpr size_t kBlock = 512;

// Field offsets and sizes of the ustar header.
struct Field {
  size_t offset, size;
};
constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8}, kSize{124, 12},
    kMtime{136, 12}, kChecksum{148, 8}, kType{156, 1}, kMagic{257, 6}, kVersion{263, 2},
    kPrefix{345, 155};

bool SafeName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view seg = name.substr(i, j - i);
    if (seg.empty() || seg == "." || seg == "..") return false;
    i = j + 1;
  }
  return name.find('\0') == std::string_view::npos && name.find('\\') == std::string_view::npos;
}

void Put(std::string& block, Field f, std::string_view value) {
  std::memcpy(block.data() + f.offset, value.data(), std::min(value.size(), f.size));
}

// Octal, zero-padded, NUL-terminated: the classic tar number format.
void PutOctal(std::string& block, Field f, uint64_t value) {
  Put(block, f, fmt::format("{:0{}o}", value, f.size - 1));
}

uint64_t Checksum(const std::string& block) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    bool in_field = i >= kChecksum.offset && i < kChecksum.offset + kChecksum.size;
    sum += in_field ? ' ' : static_cast<unsigned char>(block[i]);
  }
  return sum;
}

Result<uint64_t> ReadOctal(std::string_view block, Field f) {
  std::string_view s = block.substr(f.offset, f.size);
  uint64_t v = 0;
  bool digits = false;
  for (char c : s) {
    if (c == '\0' || c == ' ') {
      if (digits) break;
      continue;
    }
    if (c < '0' || c > '7') return DataLoss("the release archive has a damaged header");
    v = v * 8 + static_cast<uint64_t>(c - '0');
    digits = true;
  }
  return v;
}

std::string Text(std::string_view block, Field f) {
  std::string_view s = block.substr(f.offset, f.size);
  return std::string(s.substr(0, s.find('\0')));
}

}  // namespace

Result<std::string> WriteReleaseArchive(const std::vector<disclosure::ReleaseFile>& files) {
  std::string out;
  for (const auto& f : files) {
    if (!SafeName(f.name)) {
      return InvalidArgument(
          fmt::format("release file name '{}' is not a plain relative path", f.name));
    }
    std::string name = f.name, prefix;
    if (name.size() > kName.size) {
      size_t cut = name.rfind('/', kPrefix.size);
      if (cut == std::string::npos || name.size() - cut - 1 > kName.size) {
        return InvalidArgument(fmt::format("release file name '{}' is too long", f.name));
      }
      prefix = name.substr(0, cut);
      name = name.substr(cut + 1);
    }
    std::string header(kBlock, '\0');
    Put(header, kName, name);
    PutOctal(header, kMode, 0644);
    PutOctal(header, kUid, 0);
    PutOctal(header, kGid, 0);
    PutOctal(header, kSize, f.content.size());
    PutOctal(header, kMtime, 0);
    Put(header, kType, "0");
    Put(header, kMagic, std::string_view("ustar\0", 6));
    Put(header, kVersion, "00");
    Put(header, kPrefix, prefix);
    Put(header, kChecksum, fmt::format("{:06o}", Checksum(header)) + std::string(1, '\0') + " ");
    out += header;
    out += f.content;
    out.append((kBlock - f.content.size() % kBlock) % kBlock, '\0');
  }
  out.append(2 * kBlock, '\0');
  return out;
}

Result<std::vector<disclosure::ReleaseFile>> ReadReleaseArchive(std::string_view archive) {
  std::vector<disclosure::ReleaseFile> files;
  size_t at = 0;
  while (true) {
    if (at + kBlock > archive.size()) return DataLoss("the release archive is truncated");
    std::string block(archive.substr(at, kBlock));
    if (block == std::string(kBlock, '\0')) break;  // end of archive
    SZ_ASSIGN_OR_RETURN(uint64_t sum, ReadOctal(block, kChecksum));
    if (sum != Checksum(block)) return DataLoss("the release archive has a damaged header");
    if (block[kType.offset] != '0' && block[kType.offset] != '\0')
      return DataLoss("the release archive holds something other than plain files");
    std::string prefix = Text(block, kPrefix);
    std::string name = (prefix.empty() ? "" : prefix + "/") + Text(block, kName);
    if (!SafeName(name))
      return DataLoss("the release archive names a file outside its directory");
    SZ_ASSIGN_OR_RETURN(uint64_t size, ReadOctal(block, kSize));
    at += kBlock;
    if (size > archive.size() - at) return DataLoss("the release archive is truncated");
    files.push_back({name, std::string(archive.substr(at, size))});
    at += (size + kBlock - 1) / kBlock * kBlock;
  }
  return files;
}

}  // namespace sz::zone
