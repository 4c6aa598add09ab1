// The dashboard's files are served from their folder and nothing else: no "..", encoded or not,
// no hidden files, no symbolic link out of the folder (these held against 25 variants before the
// transport was replaced, and must hold after).
#include "tests/security/fixture.h"

namespace fanzha::security {
namespace {

TEST_F(SecurityTest, PathTraversalTheDashboardIsServed) {
  auto c = Client();
  auto res = c.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "<!doctype html><title>fanzha</title>");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  res = c.Get("/assets/app.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(c.Head("/assets/app.js")->status, 200);
  EXPECT_EQ(c.Post("/index.html", "", "text/plain")->status, 404);
}

TEST_F(SecurityTest, PathTraversalNothingOutsideTheFolderIsServed) {
  for (const char* target : {"/../secret.txt",
                             "/%2e%2e/secret.txt",
                             "/%2E%2E/secret.txt",
                             "/assets/../../secret.txt",
                             "/assets/..%2f..%2fsecret.txt",
                             "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
                             "/..%5csecret.txt",
                             "/assets/..\\..\\secret.txt",
                             "/%252e%252e/secret.txt",
                             "/./secret.txt",
                             "//secret.txt",
                             "/.hidden",
                             "/%2ehidden",
                             "/link.txt",
                             "/assets/",
                             "/assets",
                             "/assets//app.js",
                             "/index.html%00.js",
                             "/"
                             "../../../../../../etc/passwd",
                             "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                             "/fanzha.db",
                             "/../fanzha.db",
                             "/api/../secret.txt",
                             "/api/..%2f..%2fsecret.txt"}) {
    RawConnection raw(port());
    ASSERT_TRUE(raw.Send(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto a = raw.ReadAnswer(5s);
    ASSERT_TRUE(a) << target;
    EXPECT_TRUE(a->status == 404 || a->status == 400) << target << ": " << a->status;
    EXPECT_EQ(a->body.find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_EQ(a->body.find("not for clients"), std::string::npos) << target;
    EXPECT_EQ(a->body.find("root:"), std::string::npos) << target;
  }
}

}  // namespace
}  // namespace fanzha::security
