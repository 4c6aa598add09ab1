// The bank directory over a real nats-server (each test starts its own: a temporary folder,
// loopback, a free port): bank nodes announce their issuer prefixes when they start, the platform
// reads the last announcement of every bank and finds whose account a number is; announcements
// that cannot be trusted are skipped and reported; of two banks announcing one prefix the later
// wins.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "bank/bank.h"
#include "interchange/directory.h"
#include "interchange/local_server.h"

namespace fanzha {
namespace {

using interchange::Announcement;
using interchange::Directory;
using interchange::LocalServer;

std::string DirectoryTempDir(const std::string& name) {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("directory_nats_" + name + "_" + std::to_string(::getpid())))
                        .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::unique_ptr<interchange::Connection> Connect(const std::string& url) {
  auto c = interchange::Connection::Open({url, "platform"});
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? std::move(c).value() : nullptr;
}

Directory Load(const std::string& url) {
  auto nats = Connect(url);
  if (!nats) return Directory();
  Result<Directory> d = interchange::LoadDirectory(*nats);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? std::move(d).value() : Directory();
}

// A bank node of `institution` with an empty store, announcing `prefixes`.
Result<std::unique_ptr<bank::Node>> StartBank(const std::string& dir, const std::string& url,
                                              const std::string& institution,
                                              std::vector<std::string> prefixes) {
  bank::NodeOptions o;
  o.institution = institution;
  o.db = dir + "/" + interchange::InstitutionToken(institution).value() + ".db";
  o.nats.url = url;
  o.prefixes = std::move(prefixes);
  return bank::Node::Start(o);
}

std::string Announced(const std::string& institution, const std::vector<std::string>& prefixes,
                      Millis at = 1581123600000) {
  Announcement a;
  a.institution = institution;
  a.prefixes = prefixes;
  a.announced_at = at;
  return interchange::ToJson(a);
}

TEST(BankDirectory, BankNodesAnnounceTheirPrefixesAndThePlatformFindsWhoseAccountItIs) {
  const std::string dir = DirectoryTempDir("nodes");
  auto nats = LocalServer::Start(dir + "/nats");
  ASSERT_TRUE(nats.ok()) << nats.status().message();
  const std::string url = (*nats)->url();
  EXPECT_TRUE(Load(url).announcements().empty()) << "no bank has announced: an empty directory";

  auto icbc = StartBank(dir, url, "中国工商银行", {"622202", "621226"});
  ASSERT_TRUE(icbc.ok()) << icbc.status().message();
  auto abc = StartBank(dir, url, "中国农业银行", {"622848"});
  ASSERT_TRUE(abc.ok()) << abc.status().message();
  auto wide = StartBank(dir, url, "BANKX", {"6222"});
  ASSERT_TRUE(wide.ok()) << wide.status().message();

  Directory d = Load(url);
  EXPECT_EQ(d.announcements().size(), 3u);
  EXPECT_TRUE(d.skipped().empty());
  EXPECT_EQ(d.InstitutionOf("6222021234567890123"), "中国工商银行") << "622202 is longer than 6222";
  EXPECT_EQ(d.InstitutionOf("6212261234567890123"), "中国工商银行");
  EXPECT_EQ(d.InstitutionOf("6222991234567890123"), "BANKX");
  EXPECT_EQ(d.InstitutionOf("6228481234567890123"), "中国农业银行");
  EXPECT_EQ(d.InstitutionOf("6217001234567890123"), std::nullopt);

  // A node started again with other prefixes replaces its announcement: only the last counts.
  (*icbc)->Stop();
  icbc = StartBank(dir, url, "中国工商银行", {"622200"});
  ASSERT_TRUE(icbc.ok()) << icbc.status().message();
  d = Load(url);
  EXPECT_EQ(d.announcements().size(), 3u);
  EXPECT_EQ(d.InstitutionOf("6222021234567890123"), "BANKX");
  EXPECT_EQ(d.InstitutionOf("6212261234567890123"), std::nullopt);
  EXPECT_EQ(d.InstitutionOf("6222001234567890123"), "中国工商银行");
  // The stream keeps the last announcement of each bank, and nothing else.
  auto stored = Connect(url)->LastMessages("FANZHA_BANKS", "fanzha.bank.*");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->size(), 3u);

  // Started without prefixes, a node announces nothing: its last announcement stays.
  (*abc)->Stop();
  abc = StartBank(dir, url, "中国农业银行", {});
  ASSERT_TRUE(abc.ok()) << abc.status().message();
  EXPECT_EQ(Load(url).InstitutionOf("6228481234567890123"), "中国农业银行");

  // A bad prefix: the node does not start, and nothing is announced.
  auto bad = StartBank(dir, url, "BANKY", {"62a"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(bad.status().message().find("prefix '62a'"), std::string::npos)
      << bad.status().message();
  EXPECT_EQ(Load(url).announcements().size(), 3u);
}

TEST(BankDirectory, AnnouncementsThatCannotBeTrustedAreSkippedAndReported) {
  const std::string dir = DirectoryTempDir("untrusted");
  auto nats = LocalServer::Start(dir + "/nats");
  ASSERT_TRUE(nats.ok()) << nats.status().message();
  auto conn = Connect((*nats)->url());
  ASSERT_TRUE(conn);
  // An operator made the stream beforehand with a larger message size: the reader's own bound
  // still holds.
  interchange::StreamSpec spec = interchange::BanksStream(1);
  spec.max_msg_size = 1 << 20;
  ASSERT_TRUE(conn->EnsureStream(spec).ok());
  std::vector<std::string> many;
  for (int i = 0; i < 1001; ++i) many.push_back(std::to_string(100000 + i));
  std::string big = Announced("BIG", {"955880"});
  big.insert(big.size() - 1, ",\"note\":\"" + std::string(70000, 'x') + "\"");
  const std::pair<std::string, std::string> messages[] = {
      {"ICBC", Announced("ICBC", {"622202"})},
      {"BIG", big},
      {"MANY", Announced("MANY", many)},
      {"FORGER", Announced("ICBC", {"6222"})},  // announces for another institution
      {"JUNK", "not json"},
      {"BADPREFIX", Announced("BADPREFIX", {"622202123456"})},
  };
  for (const auto& [token, body] : messages) {
    Status st = conn->Publish(interchange::BankSubject(token), "test/" + token, body);
    ASSERT_TRUE(st.ok()) << token << ": " << st.message();
  }
  Directory d = Load((*nats)->url());
  ASSERT_EQ(d.announcements().size(), 1u);
  EXPECT_EQ(d.announcements()[0].institution, "ICBC");
  EXPECT_EQ(d.InstitutionOf("6222021234567890123"), "ICBC");
  EXPECT_EQ(d.InstitutionOf("6222991234567890123"), std::nullopt) << "the forger's prefix";
  EXPECT_EQ(d.InstitutionOf("1000001234567890123"), std::nullopt);
  ASSERT_EQ(d.skipped().size(), 5u);
  std::map<std::string, Status> why;
  for (const auto& s : d.skipped()) {
    EXPECT_GT(s.sequence, 0u);
    why[s.subject] = s.why;
  }
  EXPECT_EQ(why["fanzha.bank.BIG"].code(), ErrorCode::kTooLarge);
  EXPECT_NE(why["fanzha.bank.MANY"].message().find("above the limit of 1000"), std::string::npos);
  EXPECT_NE(why["fanzha.bank.FORGER"].message().find("a bank announces for itself only"),
            std::string::npos);
  EXPECT_NE(why["fanzha.bank.FORGER"].zh().find("银行只能为本机构发布公告"), std::string::npos);
  EXPECT_NE(why["fanzha.bank.JUNK"].message().find("not a JSON object"), std::string::npos);
  EXPECT_NE(why["fanzha.bank.BADPREFIX"].message().find("1 to 11 digits"), std::string::npos);
}

TEST(BankDirectory, OfTwoBanksAnnouncingOnePrefixTheLaterAnnouncementWins) {
  const std::string dir = DirectoryTempDir("ties");
  auto nats = LocalServer::Start(dir + "/nats");
  ASSERT_TRUE(nats.ok()) << nats.status().message();
  auto conn = Connect((*nats)->url());
  ASSERT_TRUE(conn);
  auto announce = [&](const std::string& institution, Millis at) {
    Announcement a;
    a.institution = institution;
    a.prefixes = {"621700"};
    a.announced_at = at;
    Status st = interchange::Announce(*conn, a);
    ASSERT_TRUE(st.ok()) << st.message();
  };
  announce("BANKA", 1581123600000);
  announce("BANKB", 1581123600000 - 3600000);  // its clock is an hour behind: the stream decides
  EXPECT_EQ(Load((*nats)->url()).InstitutionOf("6217001234567890123"), "BANKB");
  announce("BANKA", 1581123660000);
  EXPECT_EQ(Load((*nats)->url()).InstitutionOf("6217001234567890123"), "BANKA");
}

}  // namespace
}  // namespace fanzha
