#include "auth/auth.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/throttle.h"
#include "tests/support/postgres_server.h"

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
    auto store = std::move(store::Store::Open(test_support::StoreLocation(path.string()))).value();
    Users users(store->sql());
    User li{"li", Role::kInvestigator, "330100", ""};
    ASSERT_TRUE(users.Add(li, "correct horse", 1).ok());
    EXPECT_EQ(users.Add(li, "correct horse", 1).code(), ErrorCode::kConflict);
    EXPECT_EQ(users.Add({"x", Role::kBank, "", ""}, "longenough", 1).code(),
              ErrorCode::kInvalidInput);
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

TEST(UsersTest, UnknownNamesCostAPasswordCheckAndDisabledUsersAreLockedOut) {
  auto path = std::filesystem::temp_directory_path() / "auth_test_disable.db";
  std::filesystem::remove(path);
  {
    auto store = std::move(store::Store::Open(test_support::StoreLocation(path.string()))).value();
    Users users(store->sql());
    ASSERT_TRUE(users.Add({"li", Role::kInvestigator, "330100", ""}, "correct horse", 1).ok());
    // An unknown name is checked against a dummy hash: the same Argon2id work as a known one.
    for (std::string name :
         {std::string("nobody"), std::string(100000, 'x'), std::string("li\xFF")}) {
      auto c = users.FindCredentials(name);
      ASSERT_TRUE(c.ok());
      EXPECT_FALSE(c->user.has_value());
      EXPECT_TRUE(c->password_hash.starts_with("$argon2id$"));
      int64_t before = PasswordChecks();
      EXPECT_FALSE(CheckPassword(*c, "correct horse"));
      EXPECT_EQ(PasswordChecks(), before + 1);
    }
    auto a = users.Login("li", "correct horse", 10, 1000);
    auto b = users.Login("li", "correct horse", 10, 1000);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE(users.Disable("li", 20).ok());
    EXPECT_EQ(users.Resolve(a->token, 30).status().code(), ErrorCode::kUnauthorized);
    EXPECT_EQ(users.Resolve(b->token, 30).status().code(), ErrorCode::kUnauthorized);
    auto again = users.Login("li", "correct horse", 40, 1000);
    EXPECT_EQ(again.status().code(), ErrorCode::kUnauthorized);
    EXPECT_NE(again.status().message().find("disabled"), std::string::npos);
    EXPECT_EQ(users.Login("li", "wrong horse", 40, 1000).status().message(),
              "wrong user or password");
    EXPECT_EQ(users.Disable("nobody", 20).code(), ErrorCode::kNotFound);
    EXPECT_EQ(users.Enable("nobody").code(), ErrorCode::kNotFound);
    ASSERT_TRUE(users.Enable("li").ok());
    auto c = users.Login("li", "correct horse", 50, 1000);
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(users.Resolve(c->token, 60).ok());
    EXPECT_EQ(*users.Revoke("li"), 1);
    EXPECT_EQ(users.Resolve(c->token, 60).status().code(), ErrorCode::kUnauthorized);
    EXPECT_EQ(users.Revoke("nobody").status().code(), ErrorCode::kNotFound);
    // Names and passwords are bounded.
    EXPECT_EQ(users.Add({std::string(65, 'n'), Role::kCentre, "", ""}, "longenough", 1).code(),
              ErrorCode::kInvalidInput);
    EXPECT_EQ(users.Add({"tab\there", Role::kCentre, "", ""}, "longenough", 1).code(),
              ErrorCode::kInvalidInput);
    EXPECT_EQ(users.Add({"w", Role::kCentre, "", ""}, std::string(2000, 'p'), 1).code(),
              ErrorCode::kInvalidInput);
    EXPECT_TRUE(users.Add({"王警官", Role::kCentre, "", ""}, "longenough", 1).ok());
  }
  std::filesystem::remove(path);
}

TEST(ThrottleTest, DelaysGrowThenLockAndARightPasswordClearsTheUser) {
  ThrottlePolicy p;  // 5 free, then 1 s, 2 s, 4 s ... up to 60 s; 20 in 15 min lock for 15 min
  LoginThrottle t(p);
  Millis now = 1'000'000;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(t.Admit("li", "10.0.0.1", now).allowed) << i;
  auto v = t.Admit("li", "10.0.0.1", now);  // the 5th failure set a 1 s wait
  EXPECT_TRUE(v.allowed);  // the 6th attempt was still free: the 5th charged no wait
  v = t.Admit("li", "10.0.0.1", now);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.retry_after, 1000);
  EXPECT_TRUE(v.first_refusal);
  EXPECT_FALSE(t.Admit("li", "10.0.0.1", now + 10).first_refusal);  // reported once per wait
  // Another address is refused too: the user name waits.
  v = t.Admit("li", "10.0.0.2", now + 10);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.waiting, "user");
  // Another user from the same address: the address waits.
  EXPECT_EQ(t.Admit("wang", "10.0.0.1", now + 10).waiting, "address");
  EXPECT_TRUE(t.Admit("wang", "10.0.0.3", now + 10).allowed);
  // The waits double.
  now += 1000;
  EXPECT_TRUE(t.Admit("li", "10.0.0.4", now).allowed);  // 7th failure: 2 s
  EXPECT_EQ(t.Admit("li", "10.0.0.4", now + 1).retry_after, 1999);
  now += 2000;
  EXPECT_TRUE(t.Admit("li", "10.0.0.4", now).allowed);  // 8th: 4 s
  EXPECT_EQ(t.Admit("li", "10.0.0.4", now).retry_after, 4000);
  // The right password clears the user, not the address.
  t.Succeeded("li", "10.0.0.4");
  EXPECT_TRUE(t.Admit("li", "10.0.0.5", now).allowed);
  // Twenty failures lock for 15 minutes.
  LoginThrottle lock(p);
  Millis at = 0;
  int admitted = 0;
  for (int i = 0; i < 2000 && admitted < 20; ++i) {  // each guess as soon as it may be made
    auto w = lock.Admit("zhao", "10.9.9." + std::to_string(i % 200), at);
    if (w.allowed)
      ++admitted;
    else
      at += w.retry_after;
  }
  EXPECT_EQ(admitted, 20);
  EXPECT_LT(at, p.window);  // 1+2+4+...+60 s: the twenty fit in the window
  v = lock.Admit("zhao", "10.1.1.1", at + 1);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.retry_after, p.lockout - 1);
  EXPECT_TRUE(lock.Admit("zhao", "10.1.1.1", at + p.lockout).allowed);  // over: counted afresh
}

TEST(ThrottleTest, AddressesAreKeyedByHostAndMemoryIsBounded) {
  EXPECT_EQ(AddressKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa::1"), AddressKey("2001:db8:1:2:bbbb::9"));
  EXPECT_NE(AddressKey("2001:db8:1:2::1"), AddressKey("2001:db8:1:3::1"));
  ThrottlePolicy p;
  p.max_keys = 100;
  LoginThrottle t(p);
  for (int i = 0; i < 10000; ++i)
    (void)t.Admit("u" + std::to_string(i),
                  "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), i);
  EXPECT_LE(t.keys(), 102u);
}

}  // namespace
}  // namespace fanzha::auth
