// What the security regression tests share: a real server on a temporary store (users of every
// role, a dashboard folder with a secret file beside it) on an ephemeral loopback port, an HTTP
// client for ordinary requests, and raw connections for what no well-behaved client sends.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <string>

#include "server/server.h"
#include "tests/support/raw_http.h"

namespace fanzha::security {

using namespace std::chrono_literals;

using raw_http::RawAnswer;
using raw_http::RawConnection;
using raw_http::ResidentKib;

class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static int port() { return server_->port(); }
  static httplib::Client Client();
  // A session token of the user (each user logs in once per test suite).
  static std::string Token(const std::string& user);
  static httplib::Headers As(const std::string& user) {
    return {{"Authorization", "Bearer " + Token(user)}};
  }
  // Starts another server on the same store with `options` changed by `change`.
  static std::unique_ptr<server::Server> OtherServer(
      const std::function<void(server::ServerOptions&)>& change);

  static inline std::string dir_;  // the temporary folder: fanzha.db, web/, secret.txt
  static inline server::Server* server_ = nullptr;
  static inline std::map<std::string, std::string> tokens_;
};

// The security headers every answer carries; "" when all are there, else what is missing.
std::string MissingSecurityHeaders(const std::map<std::string, std::string>& lower_cased_headers);
std::map<std::string, std::string> LowerCased(const httplib::Headers& headers);

}  // namespace fanzha::security
