// Users, roles, scopes and login tokens (DESIGN.md "Users and what each may see").
//
// Start with Users::Add() (what `fanzha user add` does) and Users::Login(); then the scope checks
// (CanReadCase, CanSeeOrderOf, ...), which the server applies to every request.
//
// Secrets. Passwords are stored only as Argon2id hashes (libsodium crypto_pwhash_str, interactive
// limits: about 0.1 s and 64 MiB per hash). A token is 32 random bytes (randombytes_buf) in hex;
// the store keeps only its SHA-256, with an expiry.
//
// Tables users and sessions (migration "auth" in store/schema.cc). Threads: Users is
// thread-compatible, like the SqlDatabase it uses; the scope functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::auth {

enum class Role { kCentre, kInvestigator, kBank, kHotline, kAuditor };
std::string_view Name(Role r);
// "centre" | "investigator" | "bank" | "hotline" | "auditor"; kInvalidInput otherwise.
Result<Role> ParseRole(std::string_view s);

struct User {
  std::string name;
  Role role = Role::kCentre;
  std::string region;       // GB/T 2260 code; "" = no region (a national centre)
  std::string institution;  // bank liaisons: the institution whose orders they see
};

// Scope rules, one per kind of record (docs/API.md "Users, roles and scopes"). A user's region
// covers a record's as region::Covers says (a province its cities; "" everything).
bool CanReadCase(const User& u, std::string_view case_region);   // centre, investigator in region
bool CanWriteCase(const User& u, std::string_view case_region);  // same as reading
bool CanSeeOrder(const User& u, std::string_view case_region, std::string_view institution);
bool CanSeeWarnings(const User& u, std::string_view region);     // centre, hotline in region
bool CanReadAudit(const User& u);                                // auditor
bool CanSeeClusters(const User& u);                              // centre, investigator
bool CanSeeStats(const User& u);                                 // centre
// Figures by day, region and fraud type: centre, investigator, hotline in region.
bool CanSeeFigures(const User& u, std::string_view region);

// Checks the fields a role needs: investigator and hotline need a region, bank an institution;
// a region is six digits. kInvalidInput naming the field.
Status Validate(const User& u);

struct Session {
  std::string token;  // give to the client; not stored
  Millis expires_at = 0;
  User user;
};

class Users {
 public:
  explicit Users(store::SqlDatabase& db) : db_(db) {}

  // Adds a user with an Argon2id hash of `password` (at least 8 bytes). kConflict when the name
  // is taken; kInvalidInput for a bad role scope or a short password.
  Status Add(const User& user, std::string_view password, Millis now);

  // Checks the password and opens a session lasting `ttl`. kUnauthorized for an unknown user or a
  // wrong password (the same message for both).
  Result<Session> Login(std::string_view name, std::string_view password, Millis now, Millis ttl);

  // The user of a live token; kUnauthorized when unknown or expired.
  Result<Session> Resolve(std::string_view token, Millis now);

  // Ends a session (no error when it was already gone).
  Status Logout(std::string_view token);

  Result<std::optional<User>> Get(std::string_view name);

 private:
  store::SqlDatabase& db_;
};

// SHA-256 of a token, hex: the key sessions are stored (and may be cached) under.
std::string TokenHash(std::string_view token);

}  // namespace fanzha::auth
