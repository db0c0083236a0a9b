#include <gtest/gtest.h>

#include <medchain/client/consent_terms.hpp>

namespace medchain::client {
namespace {

TEST(ParseScope, NamesAndNumbersBecomeTheContractsBitmask) {
  EXPECT_EQ(*parse_scope("lab"), 0b10);
  EXPECT_EQ(*parse_scope("lab,imaging"), 0b110);
  EXPECT_EQ(*parse_scope("general,2"), 0b101);
  EXPECT_EQ(*parse_scope("all"), 0xfff);
  EXPECT_EQ(scope_names(0b110), (std::vector<std::string>{"lab", "imaging"}));
}

TEST(ParseScope, UnknownOrEmptyCategoriesAreRefused) {
  EXPECT_EQ(parse_scope("labs").error().code, Errc::kInvalidArgument);
  EXPECT_NE(parse_scope("lab,x-ray").error().message.find("'x-ray'"), std::string::npos);
  EXPECT_FALSE(parse_scope("").ok());
  EXPECT_FALSE(parse_scope("lab,").ok());
  EXPECT_FALSE(parse_scope("12").ok());
}

TEST(ParseDuration, UnitsMultiply) {
  EXPECT_EQ(*parse_duration("7d"), 7u * 86400);
  EXPECT_EQ(*parse_duration("24h"), 86400u);
  EXPECT_EQ(*parse_duration("90m"), 5400u);
  EXPECT_EQ(*parse_duration("30s"), 30u);
  EXPECT_EQ(*parse_duration("3600"), 3600u);
}

TEST(ParseDuration, MalformedZeroAndHugeAreRefused) {
  for (const char* bad : {"", "d", "0d", "7w", "-1d", "1.5h", "7 d", "h7"}) {
    EXPECT_EQ(parse_duration(bad).error().code, Errc::kInvalidArgument) << bad;
  }
  EXPECT_EQ(parse_duration("3700d").error().code, Errc::kOverflow);
  EXPECT_EQ(parse_duration("99999999999999999999999").error().code, Errc::kOverflow);
}

}  // namespace
}  // namespace medchain::client
