#include "zone/release_archive.h"

#include <gtest/gtest.h>

#include "fmt/format.h"

namespace sz::zone {
namespace {

using disclosure::ReleaseFile;

// Rewrites the header checksum of the entry at `offset` (after a test edits the header).
void FixChecksum(std::string& tar, size_t offset) {
  std::fill(tar.begin() + static_cast<long>(offset) + 148,
            tar.begin() + static_cast<long>(offset) + 156, ' ');
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[offset + i]);
  std::string field = fmt::format("{:06o}", sum) + std::string(1, '\0') + " ";
  tar.replace(offset + 148, 8, field);
}

TEST(ReleaseArchiveTest, RoundTripsFilesNestedEmptyAndLongNames) {
  std::string long_dir(90, 'd');
  std::vector<ReleaseFile> files = {
      {"manifest.json", "{\"a\":1}\n"},
      {"checksums/by_sido_0.csv.txt", "abc  by_sido_0.csv\n"},
      {"empty.txt", ""},
      {long_dir + "/" + std::string(60, 'f') + ".csv", std::string(1000, 'x')},  // prefix split
      {"표.csv", "시도,인원\n부산,25\n"},
  };
  auto tar = WriteReleaseArchive(files);
  ASSERT_TRUE(tar.ok()) << tar.status().ToString();
  EXPECT_EQ(tar->size() % 512, 0u);
  // Header + content rounded up to blocks, for each file, then two zero blocks.
  size_t expected = 2 * 512;
  for (const auto& f : files) expected += 512 + (f.content.size() + 511) / 512 * 512;
  EXPECT_EQ(tar->size(), expected);
  EXPECT_EQ(tar->substr(257, 6), std::string("ustar\0", 6));
  auto back = ReadReleaseArchive(*tar);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ((*back)[i].name, files[i].name);
    EXPECT_EQ((*back)[i].content, files[i].content);
  }
  // The same package gives the same bytes.
  EXPECT_EQ(*WriteReleaseArchive(files), *tar);
}

TEST(ReleaseArchiveTest, RefusesNamesOutsideTheDirectory) {
  const std::vector<std::string> names = {"../x", "/etc/passwd", "a/../../x", "a//b",
                                          "",     "a\\b",        std::string(101, 'n')};
  for (const std::string& name : names) {
    EXPECT_EQ(WriteReleaseArchive({{name, "x"}}).status().code(), Code::kInvalidArgument) << name;
  }
  // An archive made elsewhere that names a file outside: refused on reading.
  auto tar = WriteReleaseArchive({{"aa/x", "data"}});
  ASSERT_TRUE(tar.ok());
  tar->replace(0, 2, "..");
  FixChecksum(*tar, 0);
  EXPECT_EQ(ReadReleaseArchive(*tar).status().code(), Code::kDataLoss);
}

TEST(ReleaseArchiveTest, DamageIsDataLoss) {
  auto tar = WriteReleaseArchive({{"a.csv", "1,2\n"}, {"b.csv", "3,4\n"}});
  ASSERT_TRUE(tar.ok());
  std::string damaged = *tar;
  damaged[3] = 'X';  // the name, without fixing the checksum
  EXPECT_EQ(ReadReleaseArchive(damaged).status().code(), Code::kDataLoss);
  EXPECT_EQ(ReadReleaseArchive(tar->substr(0, 700)).status().code(), Code::kDataLoss);
  EXPECT_EQ(ReadReleaseArchive(tar->substr(0, 512 * 3)).status().code(), Code::kDataLoss);
  std::string symlink = *tar;
  symlink[156] = '2';
  FixChecksum(symlink, 0);
  EXPECT_EQ(ReadReleaseArchive(symlink).status().code(), Code::kDataLoss);
}

}  // namespace
}  // namespace sz::zone
