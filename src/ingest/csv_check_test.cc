#include "ingest/csv_check.h"

#include <gtest/gtest.h>

namespace sz::ingest {
namespace {

Status Check(std::string_view text, char delim = ',', size_t chunk = 3) {
  CsvChecker checker(delim);
  for (size_t i = 0; i < text.size(); i += chunk) checker.Feed(text.substr(i, chunk));
  return checker.Finish();
}

TEST(DetectDelimiter, PicksMostFrequentOutsideQuotes) {
  EXPECT_EQ(DetectDelimiter("a;b;c\n1;2;3"), ';');
  EXPECT_EQ(DetectDelimiter("\"x,y,z\"\tb\n"), '\t');
  EXPECT_EQ(DetectDelimiter("\n\na|b\n"), '|');
  EXPECT_EQ(DetectDelimiter("single\n1\n"), ',');
}

TEST(CsvChecker, AcceptsWellFormedFilesWithQuotesAndCrlf) {
  EXPECT_TRUE(Check("a,b\r\n1,\"x,\"\"y\"\"\"\r\n2,\"multi\nline\"\r\n").ok());
  EXPECT_TRUE(Check("a,b\n1,2").ok());  // no final newline
  EXPECT_TRUE(Check("a,b\n1,2\n\n").ok());  // trailing blank line
}

TEST(CsvChecker, NamesTheRaggedLine) {
  Status s = Check("a,b\n1,2\n3\n4,5\n");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("line 3 has 1 fields"), std::string::npos) << s.message();
}

TEST(CsvChecker, CountsLinesInsideQuotedFieldsAndCrlf) {
  Status s = Check("a,b\r\n1,\"x\ny\"\r\n2,3,4\r\n");
  EXPECT_NE(s.message().find("line 4"), std::string::npos) << s.message();
}

TEST(CsvChecker, NamesBadQuotes) {
  EXPECT_NE(Check("a,b\n1,\"x\n").message().find("opened on line 2 is never closed"),
            std::string::npos);
  EXPECT_NE(Check("a,b\n1,x\"y\n").message().find("line 2 has a quote inside"), std::string::npos);
  EXPECT_NE(Check("a,b\n1,\"x\"y\n").message().find("text after a closing quote"),
            std::string::npos);
}

}  // namespace
}  // namespace sz::ingest
