#include "auth/auth.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fanzha::auth {
namespace {

TEST(ScopeTest, EachRoleSeesItsOwn) {
  User inv{"li", Role::kInvestigator, "330100", ""};
  User bank{"wang", Role::kBank, "", "ICBC"};
  User aud{"zhao", Role::kAuditor, "", ""};
  User hot{"chen", Role::kHotline, "450000", ""};
  EXPECT_TRUE(CanReadCase(inv, "330102"));
  EXPECT_FALSE(CanReadCase(inv, "451300"));
  EXPECT_FALSE(CanReadCase(bank, "330102"));
  EXPECT_TRUE(CanSeeOrder(bank, "451300", "ICBC"));
  EXPECT_FALSE(CanSeeOrder(bank, "451300", "ABC"));
  EXPECT_FALSE(CanReadCase(aud, "330100"));
  EXPECT_TRUE(CanReadAudit(aud));
  EXPECT_FALSE(CanReadAudit(inv));
  EXPECT_TRUE(CanSeeWarnings(hot, "451300"));
  EXPECT_FALSE(CanSeeWarnings(inv, "330100"));
  EXPECT_TRUE(CanSeeFigures(inv, "330102"));
  EXPECT_FALSE(CanSeeFigures(inv, ""));  // everywhere is not its region
  EXPECT_TRUE(CanSeeFigures(hot, "451300"));
  EXPECT_FALSE(CanSeeFigures(bank, ""));
  EXPECT_FALSE(CanSeeFigures(aud, ""));
}

TEST(UsersTest, LoginResolveLogout) {
  auto path = std::filesystem::temp_directory_path() / "auth_test_users.db";
  std::filesystem::remove(path);
  {
    auto store = std::move(store::Store::OpenSqlite(path.string())).value();
    Users users(store->sql());
    User li{"li", Role::kInvestigator, "330100", ""};
    ASSERT_TRUE(users.Add(li, "correct horse", 1).ok());
    EXPECT_EQ(users.Add(li, "correct horse", 1).code(), ErrorCode::kConflict);
    EXPECT_EQ(users.Add({"x", Role::kBank, "", ""}, "longenough", 1).code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(users.Add({"y", Role::kCentre, "", ""}, "short", 1).code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(users.Login("li", "wrong horse", 10, 100).status().code(), ErrorCode::kUnauthorized);
    EXPECT_EQ(users.Login("nobody", "x", 10, 100).status().code(), ErrorCode::kUnauthorized);
    auto s = users.Login("li", "correct horse", 10, 100);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->token.size(), 64u);
    auto r = users.Resolve(s->token, 50);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->user.region, "330100");
    EXPECT_EQ(users.Resolve(s->token, 200).status().code(), ErrorCode::kUnauthorized);  // expired
    ASSERT_TRUE(users.Logout(s->token).ok());
    EXPECT_EQ(users.Resolve(s->token, 50).status().code(), ErrorCode::kUnauthorized);
    // Only the hash is stored.
    auto q = std::move(store->sql().Prepare("SELECT password_hash FROM users")).value();
    ASSERT_TRUE(q->Step().value());
    EXPECT_TRUE(q->ColumnText(0).starts_with("$argon2id$"));
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace fanzha::auth
