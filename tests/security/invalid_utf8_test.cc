// What broke: bytes that are not UTF-8 in a path or query answered 500, with the internal
// exception text in a response header; a stored string of such bytes made its page answer 500.
// Now the transport answers 400 naming the part (never echoing the bytes), bodies are checked
// before they are parsed, JSON answers replace what they cannot encode, and a fault answers a
// fixed text.
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "tests/security/fixture.h"

namespace fanzha::security {
namespace {

using nlohmann::json;

// No header or body of an answer says anything of the server's insides.
void ExpectNoInternalText(const RawAnswer& a) {
  for (const auto& [name, value] : a.headers) {
    EXPECT_EQ(name.find("exception"), std::string::npos) << name;
    for (const char* leak : {"json.exception", "what()", "type_error", "basic_string", "std::"}) {
      EXPECT_EQ(value.find(leak), std::string::npos) << name << ": " << value;
      EXPECT_EQ(a.body.find(leak), std::string::npos) << a.body;
    }
  }
}

RawAnswer Ask(int port, const std::string& request) {
  RawConnection c(port);
  EXPECT_TRUE(c.Send(request));
  auto a = c.ReadAnswer(10s);
  EXPECT_TRUE(a) << request;
  return a.value_or(RawAnswer{});
}

TEST_F(SecurityTest, InvalidUtf8InThePathOrQueryAnswers400WithoutInternalText) {
  std::string auth = "Authorization: Bearer " + Token("hz") + "\r\n";
  struct Case {
    std::string target, starts;
  };
  for (const Case& c : std::vector<Case>{
           {"/api/cases/%FF%FE/trace?reason=x", "path: not valid UTF-8"},
           {"/api/cases/%C0%AF", "path: not valid UTF-8"},                // overlong '/'
           {"/api/cases/%ED%A0%80", "path: not valid UTF-8"},             // a surrogate
           {"/api/cases?region=%B9%E3%CE%F7", "query: not valid UTF-8"},  // 广西 in GBK
           {"/api/cases?reason=\xB9\xE3", "query: not valid UTF-8"},      // raw, unescaped
           {"/api/cases/%00", "path: contains NUL"},
           {"/api/cases/%G1", "path: the '%' at byte 11"}}) {
    RawAnswer a = Ask(port(), "GET " + c.target + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    EXPECT_EQ(a.status, 400) << c.target << ": " << a.body;
    json body = json::parse(a.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << c.target << ": " << a.body;
    EXPECT_TRUE(body["message"].get<std::string>().starts_with(c.starts))
        << c.target << ": " << a.body;
    EXPECT_FALSE(body["message_zh"].get<std::string>().empty());
    ExpectNoInternalText(a);
  }
  RawAnswer raw = Ask(port(), "GET /api/cases/\xFF\xFE HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
  EXPECT_EQ(raw.status, 400) << raw.body;
  ExpectNoInternalText(raw);
}

TEST_F(SecurityTest, InvalidUtf8InABodyAnswers400NamingTheByte) {
  std::string login = "{\"user\":\"hz\xFF\",\"password\":\"x\"}";
  RawAnswer a = Ask(port(), "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                std::to_string(login.size()) + "\r\n\r\n" + login);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(json::parse(a.body)["message"], "body: not valid UTF-8 (byte 11)") << a.body;
  ExpectNoInternalText(a);
}

TEST_F(SecurityTest, InvalidUtf8StoredBeforeIsAnsweredNotA500) {
  {  // as an old import stored GBK bytes, before imports checked them
    auto store = std::move(store::Store::OpenSqlite(dir_ + "/fanzha.db")).value();
    auto imp = std::move(store->BeginImport()).value();
    Case c;
    c.id = "GBK1";
    c.reported_at = 1581127200000;
    c.region = "330102";
    c.narrative = "\xB9\xE3\xCE\xF7 victim";
    ASSERT_TRUE(imp->PutCase(c).ok());
    ASSERT_TRUE(imp->Commit().ok());
  }
  auto res = Client().Get("/api/cases/GBK1", As("hz"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded());
  std::string narrative = body["narrative"];
  EXPECT_TRUE(narrative.starts_with("\xEF\xBF\xBD")) << narrative;  // U+FFFD for what is not UTF-8
  EXPECT_TRUE(narrative.ends_with(" victim")) << narrative;
}

}  // namespace
}  // namespace fanzha::security
