// The one search box (app/search.h) on a real store: what a user types finds what cases report.
#include "app/search.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "normalise/normalise.h"
#include "tests/support/postgres_server.h"

namespace fanzha::app::search_test {
namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/app-search-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
    auto imp = std::move(store_->BeginImport()).value();
    ASSERT_TRUE(
        imp->PutAccount(
               {"6222021234567890123", "王五", "ICBC", "330100", AccountKind::kPersonal, 0, {}})
            .ok());
    Case hz;
    hz.id = "HZ1";
    hz.region = "330100";
    hz.category = "investment";
    hz.identifiers = {
        normalise::NormaliseIdentifier(IdentifierType::kPhone, "+86 138-0013-8000"),
        normalise::NormaliseIdentifier(IdentifierType::kWechat, "Fraud_King"),
        normalise::NormaliseIdentifier(IdentifierType::kIdCard, "11010519491231002X")};
    Case nn = hz;
    nn.id = "NN1";
    nn.region = "450100";
    nn.identifiers = {normalise::NormaliseIdentifier(IdentifierType::kPhone, "13800138000")};
    ASSERT_TRUE(imp->PutCase(hz).ok());
    ASSERT_TRUE(imp->PutCase(nn).ok());
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  nlohmann::ordered_json Find(std::string_view text, const std::string& region = "") {
    Result<nlohmann::ordered_json> a = Search(
        *store_, text, 100, [&](const Case& c) { return region.empty() || c.region == region; });
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? *a : nlohmann::ordered_json();
  }
  static std::vector<std::string> Ids(const nlohmann::ordered_json& a) {
    std::vector<std::string> ids;
    for (const auto& c : a["cases"]) ids.push_back(c["id"]);
    return ids;
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(SearchTest, APhoneAsTypedFindsEveryCaseReportingIt) {
  EXPECT_EQ(Ids(Find("138 0013 8000")), (std::vector<std::string>{"HZ1", "NN1"}));
  EXPECT_EQ(Ids(Find("+8613800138000")), (std::vector<std::string>{"HZ1", "NN1"}));
  EXPECT_EQ(Find("138 0013 8000")["cases"][0]["matched"][0]["type"], "phone");
}

TEST_F(SearchTest, OtherIdentifiersAccountsAndCaseIds) {
  EXPECT_EQ(Ids(Find("fraud_king")), std::vector<std::string>{"HZ1"});
  EXPECT_EQ(Ids(Find("11010519491231002x")), std::vector<std::string>{"HZ1"});
  EXPECT_EQ(Ids(Find("NN1")), std::vector<std::string>{"NN1"});
  auto card = Find("6222 0212 3456 7890 123");
  ASSERT_EQ(card["accounts"].size(), 1u);
  EXPECT_EQ(card["accounts"][0]["holder"], "王五");
  EXPECT_TRUE(Find("nothing-like-this")["cases"].empty());
}

TEST_F(SearchTest, CasesTheCallerMayNotReadAreNotThere) {
  EXPECT_EQ(Ids(Find("13800138000", "450100")), std::vector<std::string>{"NN1"});
  EXPECT_TRUE(Find("HZ1", "450100")["cases"].empty());
}

TEST_F(SearchTest, EmptyOrHugeTextIsRefusedNamingQ) {
  auto cases = [](const Case&) { return true; };
  EXPECT_EQ(Search(*store_, "  ", 10, cases).status().code(), ErrorCode::kInvalidInput);
  Result<nlohmann::ordered_json> huge = Search(*store_, std::string(300, '1'), 10, cases);
  EXPECT_EQ(huge.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(huge.status().message().find("q:"), std::string::npos);
}

}  // namespace
}  // namespace fanzha::app::search_test
