// What broke: markup stored in an account number ran as script in the dashboard, and nothing in
// the answers told the browser to refuse inline script, frames or sniffed types. Now every answer
// carries a Content-Security-Policy without inline script, nosniff, no framing and no referrer,
// and API answers are not cached; the page itself has no inline script or style to allow.
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/security/fixture.h"

namespace fanzha::security {
namespace {

TEST_F(SecurityTest, SecurityHeadersOnEveryAnswer) {
  auto c = Client();
  struct Probe {
    std::string what;
    httplib::Result res;
  };
  std::vector<Probe> probes;
  probes.push_back({"health", c.Get("/api/health")});
  probes.push_back({"me", c.Get("/api/me", As("hz"))});
  probes.push_back({"401", c.Get("/api/cases")});
  probes.push_back({"403", c.Get("/api/audit", As("hz"))});
  probes.push_back({"404 api", c.Get("/api/nothing-here")});
  probes.push_back({"page", c.Get("/")});
  probes.push_back({"script", c.Get("/assets/app.js")});
  probes.push_back({"404 file", c.Get("/nothing.js")});
  probes.push_back({"413", c.Post("/api/login", std::string(8 << 10, ' '), "application/json")});
  probes.push_back({"431", c.Get("/api/health", {{"X-Big", std::string(20 << 10, 'a')}})});
  for (auto& p : probes) {
    ASSERT_TRUE(p.res) << p.what << ": " << httplib::to_string(p.res.error());
    auto h = LowerCased(p.res->headers);
    EXPECT_EQ(MissingSecurityHeaders(h), "") << p.what;
    if (p.what != "page" && p.what != "script") {
      EXPECT_EQ(h["cache-control"], "no-store") << p.what;
    }
  }
  auto h = LowerCased(probes[6].res->headers);
  EXPECT_EQ(h["content-type"], "text/javascript; charset=utf-8");
  // The transport's own refusals too: a malformed request, a path that is not UTF-8.
  for (std::string request : {"GET /api/cases/%FF HTTP/1.1\r\n\r\n", "BAD REQUEST\r\n\r\n"}) {
    RawConnection raw(port());
    ASSERT_TRUE(raw.Send(request));
    auto a = raw.ReadAnswer(5s);
    ASSERT_TRUE(a) << request;
    EXPECT_EQ(a->status, 400) << request;
    EXPECT_EQ(MissingSecurityHeaders(a->headers), "") << request;
    EXPECT_EQ(a->headers["cache-control"], "no-store") << request;
  }
}

// The page the policy protects must work under it: no inline script, style or event handler.
TEST_F(SecurityTest, SecurityHeadersThePageNeedsNoInlineScriptOrStyle) {
  for (const std::string file : {"web/index.html", "web/dist/index.html"}) {
    std::ifstream in(std::string(FANZHA_SOURCE_DIR) + "/" + file);
    if (!in && file == "web/dist/index.html") continue;  // not built here
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    std::string html = text.str();
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(<script(?![^>]*\bsrc=)[^>]*>)"))) << file;
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(<style\b)"))) << file;
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(\sstyle\s*=)"))) << file;
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)))
        << file;
  }
}

}  // namespace
}  // namespace fanzha::security
