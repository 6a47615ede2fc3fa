#include "crypto/sealed_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/keys.h"
#include "test_util.h"

namespace sz::crypto {
namespace {

class SealedFileTest : public ::testing::Test {
 protected:
  sz::testing::TempDir dir_;
  SecretBytes key_ = SecretBytes::Random(kKeyBytes);
  std::string Path(const std::string& name) { return dir_.path() + "/" + name; }

  std::string Seal(const std::string& plain, const std::string& name = "f.sz") {
    auto w = SealedWriter::Create(storage::Env::Default(), Path(name), key_, "ctx");
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_TRUE(w->Append(plain).ok());
    auto info = w->Finish();
    EXPECT_TRUE(info.ok());
    EXPECT_EQ(info->plain_bytes, plain.size());
    EXPECT_EQ(info->plain_sha256, Sha256Hex(plain));
    return Path(name);
  }
};

TEST_F(SealedFileTest, RoundTripsSizesAroundChunkBoundaries) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1 << 20}, size_t{(1 << 20) + 1}, size_t{3 << 20}}) {
    std::string plain = RandomBytes(size);
    std::string path = Seal(plain, "f" + std::to_string(size));
    auto back = UnsealToString(path, key_, "ctx");
    ASSERT_TRUE(back.ok()) << size << ": " << back.status().ToString();
    EXPECT_EQ(*back, plain) << size;
  }
}

TEST_F(SealedFileTest, CiphertextDoesNotContainPlaintext) {
  std::string plain(100000, 'A');
  plain += "900101-1234568 홍길동";
  std::string path = Seal(plain);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes.find("900101-1234568"), std::string::npos);
  EXPECT_EQ(bytes.find("AAAAAAAAAAAAAAAA"), std::string::npos);
}

TEST_F(SealedFileTest, DetectsWrongKeyAndWrongContext) {
  std::string path = Seal("hello");
  SecretBytes other = SecretBytes::Random(kKeyBytes);
  EXPECT_EQ(UnsealToString(path, other, "ctx").status().code(), Code::kDataLoss);
  EXPECT_EQ(UnsealToString(path, key_, "other").status().code(), Code::kDataLoss);
}

TEST_F(SealedFileTest, DetectsEveryFlippedByte) {
  std::string plain = RandomBytes(3000);
  std::string path = Seal(plain);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  for (size_t pos = 0; pos < bytes.size(); pos += 97) {
    std::string tampered = bytes;
    tampered[pos] ^= 0x01;
    std::ofstream(Path("t.sz"), std::ios::binary | std::ios::trunc) << tampered;
    auto r = UnsealToString(Path("t.sz"), key_, "ctx");
    EXPECT_EQ(r.status().code(), Code::kDataLoss) << "flip at " << pos;
  }
}

TEST_F(SealedFileTest, DetectsTruncationAtAnyPointAndAppendedBytes) {
  std::string plain = RandomBytes((2 << 20) + 10);
  std::string path = Seal(plain);
  auto full = std::filesystem::file_size(path);
  for (uint64_t cut : {uint64_t{0}, uint64_t{10}, uint64_t{28}, uint64_t{(1 << 20) + 28 + 16},
                       uint64_t{(2 << 20) + 28 + 32}, full - 1}) {
    std::filesystem::copy_file(path, Path("c.sz"), std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(Path("c.sz"), cut);
    EXPECT_EQ(UnsealToString(Path("c.sz"), key_, "ctx").status().code(), Code::kDataLoss)
        << "cut at " << cut;
  }
  std::filesystem::copy_file(path, Path("a.sz"), std::filesystem::copy_options::overwrite_existing);
  std::ofstream(Path("a.sz"), std::ios::binary | std::ios::app) << "x";
  EXPECT_EQ(UnsealToString(Path("a.sz"), key_, "ctx").status().code(), Code::kDataLoss);
}

TEST_F(SealedFileTest, UnfinishedWriterLeavesNoFile) {
  {
    auto w = SealedWriter::Create(storage::Env::Default(), Path("u.sz"), key_, "ctx");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Append("partial").ok());
  }
  EXPECT_FALSE(std::filesystem::exists(Path("u.sz")));
}

TEST_F(SealedFileTest, ReportsDiskFullFromTheEnv) {
  sz::testing::FaultyEnv env(/*fail_after_bytes=*/5000, ENOSPC);
  auto w = SealedWriter::Create(&env, Path("full.sz"), key_, "ctx");
  ASSERT_TRUE(w.ok());
  Status s = w->Append(RandomBytes(3 << 20));
  EXPECT_EQ(s.code(), Code::kResourceExhausted) << s.ToString();
}

}  // namespace
}  // namespace sz::crypto
