#include "core/money.h"

#include <gtest/gtest.h>

namespace fanzha {
namespace {

TEST(Money, CanonicalFormsParseToFen) {
  EXPECT_EQ(*ParseMoney("1700000.00"), 170000000);
  EXPECT_EQ(*ParseMoney("26000"), 2600000);
  EXPECT_EQ(*ParseMoney("0.5"), 50);
  EXPECT_EQ(*ParseMoney("0.01"), 1);
  EXPECT_EQ(*ParseMoney("0"), 0);
}

TEST(Money, CanonicalRejectsSignsSeparatorsAndThirdDecimal) {
  for (const char* bad : {"", "-1", "+1", "1,000", "1.001", "abc", ".", "1.2.3", "１２"}) {
    EXPECT_FALSE(ParseMoney(bad).ok()) << bad;
  }
}

TEST(Money, OverflowIsAnError) {
  EXPECT_FALSE(ParseMoney("92233720368547758.08").ok());
  EXPECT_FALSE(ParseMoney("999999999999999999999").ok());
  EXPECT_EQ(*ParseMoney("92233720368547758.07"), INT64_MAX);
}

TEST(Money, LenientAcceptsStatementForms) {
  EXPECT_EQ(*ParseMoney("1,700,000.00", MoneyForm::kLenient), 170000000);
  EXPECT_EQ(*ParseMoney("１２３．４５", MoneyForm::kLenient), 12345);
  EXPECT_EQ(*ParseMoney(" ￥50 ", MoneyForm::kLenient), 5000);
  EXPECT_FALSE(ParseMoney("-50", MoneyForm::kLenient).ok());
}

TEST(Money, FormatAlwaysTwoDecimals) {
  EXPECT_EQ(FormatMoney(170000000), "1700000.00");
  EXPECT_EQ(FormatMoney(5), "0.05");
  EXPECT_EQ(FormatMoney(0), "0.00");
  EXPECT_EQ(FormatMoney(-150), "-1.50");
}

}  // namespace
}  // namespace fanzha
