// The profile of one identifier or account (app/profile.h), on a real store and its ledger.
#include "app/profile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "normalise/normalise.h"
#include "tests/support/postgres_server.h"
#include "warn/screener.h"
#include "warn/store_io.h"

namespace fanzha::app::profile_test {
namespace {

using Json = nlohmann::ordered_json;
constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00
constexpr Millis kMinute = 60 * 1000;

Transfer Move(const char* id, int minute, const char* from, const char* to, Fen amount) {
  Transfer t;
  t.id = id;
  t.time = kT0 + minute * kMinute;
  t.from = from;
  t.to = to;
  t.amount = amount;
  return t;
}

class ProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/app-profile-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
    auto imp = std::move(store_->BeginImport()).value();
    for (const char* a : {"VICTIM", "MULE", "NEXT"}) {
      ASSERT_TRUE(
          imp->PutAccount({a, "持有人", "ICBC", "330100", AccountKind::kPersonal, 0, {}}).ok());
    }
    for (const Transfer& t :
         {Move("T1", 0, "VICTIM", "MULE", 500000), Move("T2", 5, "MULE", "NEXT", 300000),
          Move("T3", 9, "MULE", "", 100000), Move("T4", 12, "VICTIM", "MULE", 20000)}) {
      ASSERT_TRUE(imp->PutTransfer(t).ok());
    }
    for (const auto& [id, region] : {std::pair{"HZ1", "330100"}, {"NN1", "450100"}}) {
      Case c;
      c.id = id;
      c.region = region;
      c.category = "investment";
      c.reported_at = kT0;
      c.identifiers = {normalise::NormaliseIdentifier(IdentifierType::kPhone, "+86 138-0013-8000"),
                       normalise::NormaliseIdentifier(IdentifierType::kAccount, "MULE")};
      ASSERT_TRUE(imp->PutCase(c).ok());
    }
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
    ledger_ = std::move(ledger::Ledger::Load(*store_)).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  Json Of(IdentifierType type, std::string_view value, const std::string& region = "") {
    ProfileScope scope;
    scope.may_read_case = [&](const Case& c) { return region.empty() || c.region == region; };
    scope.may_see_warnings = [&](const std::string& r) { return region.empty() || r == region; };
    Result<Json> p = Profile(*store_, ledger_.get(), type, value, scope);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Json();
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
};

TEST_F(ProfileTest, APhoneAsTypedFindsTheCasesNamingIt) {
  Json p = Of(IdentifierType::kPhone, "138 0013 8000");
  EXPECT_EQ(p["value"], "+8613800138000");
  ASSERT_EQ(p["cases"].size(), 2u);
  EXPECT_EQ(p["cases"][0]["region_name"], "杭州市");
  EXPECT_TRUE(p["account"].is_null());
  EXPECT_TRUE(p["money"].is_null());
  EXPECT_EQ(Of(IdentifierType::kPhone, "13800138000", "450100")["cases"].size(), 1u);
}

TEST_F(ProfileTest, AnAccountShowsTheMoneyThroughItExactly) {
  Json p = Of(IdentifierType::kAccount, "MULE");
  EXPECT_EQ(p["account"]["holder"], "持有人");
  const Json& m = p["money"];
  EXPECT_EQ(m["received"]["count"], 2);
  EXPECT_EQ(m["received"]["amount"], "5200.00");
  EXPECT_EQ(m["paid"]["count"], 2);
  EXPECT_EQ(m["paid"]["amount"], "4000.00");
  EXPECT_EQ(m["balance"], "1200.00");
  EXPECT_EQ(m["first"], "2020-02-08T08:00:00+08:00");
  ASSERT_EQ(m["counterparties"].size(), 3u);  // VICTIM, NEXT and cash
  EXPECT_EQ(m["counterparties"][0]["account"], "VICTIM");
  EXPECT_EQ(m["counterparties"][0]["received"], "5200.00");
  EXPECT_EQ(m["counterparties"][2]["account"], "");  // the withdrawal
  ASSERT_EQ(m["recent"].size(), 4u);
  EXPECT_EQ(m["recent"][0]["id"], "T4");  // the latest first
  EXPECT_EQ(p["cases"].size(), 2u);       // the cases that name the account too
}

TEST_F(ProfileTest, WarningsAboutTheValueAreThoseInScope) {
  warn::Warning w;
  w.id = "W1";
  w.revision = 1;
  w.person = "+8613911112222";
  w.region = "330100";
  w.score = 80;
  const std::string body =
      R"({"id":"W1","person":"+8613911112222","entries":[{"kind":"phone","value":"+8613800138000"}]})";
  ASSERT_TRUE(warn::SaveWarning(store_->sql(), w, body, kT0).ok());
  EXPECT_EQ(Of(IdentifierType::kPhone, "13800138000")["warnings"].size(), 1u);
  EXPECT_EQ(Of(IdentifierType::kPhone, "13911112222")["warnings"].size(), 1u);  // the person
  EXPECT_EQ(Of(IdentifierType::kPhone, "13800138000", "450100")["warnings"].size(), 0u);
  EXPECT_EQ(Of(IdentifierType::kPhone, "13800138001")["warnings"].size(), 0u);
}

TEST_F(ProfileTest, AnEmptyOrHugeValueIsRefusedNamingIt) {
  const auto all = [](const auto&) { return true; };
  Status st = Profile(*store_, nullptr, IdentifierType::kPhone, " ", {all, all}).status();
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find("value"), std::string::npos);
  EXPECT_EQ(Profile(*store_, nullptr, IdentifierType::kUrl, std::string(300, 'a'), {all, all})
                .status()
                .code(),
            ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace fanzha::app::profile_test
