// core/names.h: closed sets of names, both table shapes, and the error that lists the names.
#include "core/names.h"

#include <gtest/gtest.h>

namespace fanzha {
namespace {

enum class Colour { kRed, kGreen, kBlue };
constexpr std::string_view kInOrder[] = {"red", "green", "blue"};
constexpr std::pair<std::string_view, Colour> kPairs[] = {
    {"red", Colour::kRed}, {"green", Colour::kGreen}, {"blue", Colour::kBlue}, {"", Colour::kRed}};

TEST(Names, NamesInEnumOrderParseToTheirIndex) {
  EXPECT_EQ(*ParseName<Colour>("blue", kInOrder, "colour"), Colour::kBlue);
  Result<Colour> bad = ParseName<Colour>("mauve", kInOrder, "colour");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown colour 'mauve' (one of red, green, blue)");
}

TEST(Names, PairTablesParseBothWaysAndDoNotListTheEmptyName) {
  EXPECT_EQ(*ParseName("green", kPairs, "colour"), Colour::kGreen);
  EXPECT_EQ(*ParseName("", kPairs, "colour"), Colour::kRed);
  EXPECT_EQ(NameOf(Colour::kBlue, kPairs), "blue");
  EXPECT_EQ(ParseName("x", kPairs, "colour").status().message(),
            "unknown colour 'x' (one of red, green, blue)");
}

TEST(Names, WithTheSetsChineseNameTheErrorListsTheNamesInChineseToo) {
  Result<Colour> bad = ParseName<Colour>("mauve", kInOrder, "colour", "颜色");
  EXPECT_EQ(bad.status().message(), "unknown colour 'mauve' (one of red, green, blue)");
  EXPECT_EQ(bad.status().zh(), "未知的颜色 'mauve'（可选 red、green、blue）");
  EXPECT_EQ(ParseName("x", kPairs, "colour", "颜色").status().zh(),
            "未知的颜色 'x'（可选 red、green、blue）");
}

}  // namespace
}  // namespace fanzha
