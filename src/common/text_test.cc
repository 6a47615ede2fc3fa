#include "common/text.h"

#include <gtest/gtest.h>

namespace sz::text {
namespace {

TEST(Utf8, FindsFirstInvalidByte) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("한글 데이터"));
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xc0\x80"), 0u);        // overlong NUL
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);   // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xea\xb0"), 0u);         // truncated 가
  EXPECT_EQ(FindInvalidUtf8("\xea\xb0", true), std::string_view::npos);
  EXPECT_EQ(IncompleteUtf8Tail("a\xea\xb0"), 2u);
  EXPECT_EQ(IncompleteUtf8Tail("a가"), 0u);
}

TEST(Cp949, ConvertsHangulIncludingExtendedSyllables) {
  auto conv = Cp949ToUtf8::Create();
  ASSERT_TRUE(conv.ok());
  std::string out;
  // "가" (EUC-KR B0A1) and "똠" (CP949-only extension 8C63), then ASCII.
  ASSERT_TRUE(conv->Convert("\xb0\xa1\x8c\x63,x\n", true, out).ok());
  EXPECT_EQ(out, "가똠,x\n");
}

TEST(Cp949, ConvertsAcrossChunkBoundaries) {
  auto conv = Cp949ToUtf8::Create();
  ASSERT_TRUE(conv.ok());
  std::string out;
  ASSERT_TRUE(conv->Convert("a\xb0", false, out).ok());
  ASSERT_TRUE(conv->Convert("\xa1z", true, out).ok());
  EXPECT_EQ(out, "a가z");
}

TEST(Cp949, RejectsMalformedBytesWithPosition) {
  auto conv = Cp949ToUtf8::Create();
  ASSERT_TRUE(conv.ok());
  std::string out;
  Status s = conv->Convert("ok\nline2 \xff\xff", true, out);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.message();
}

TEST(Nfc, ComposesDecomposedHangul) {
  // 한 as conjoining jamo U+1112 U+1161 U+11AB.
  EXPECT_EQ(NormalizeNfc("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"), "한");
  EXPECT_EQ(NormalizeNfc("abc"), "abc");
}

TEST(Decode, RoundTripsCodePoints) {
  std::u32string cps = DecodeUtf8("a가😀");
  ASSERT_EQ(cps.size(), 3u);
  EXPECT_TRUE(IsHangulSyllable(cps[1]));
  std::string back;
  for (char32_t c : cps) AppendUtf8(c, back);
  EXPECT_EQ(back, "a가😀");
}

TEST(Encoding, ParsesNames) {
  EXPECT_EQ(*ParseEncoding("EUC-KR"), Encoding::kCp949);
  EXPECT_EQ(*ParseEncoding("utf8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("latin1").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::text
