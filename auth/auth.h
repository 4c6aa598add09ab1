// Users, roles, scopes and login tokens (DESIGN.md "Users and what each may see").
//
// Start with Users::Add() (what `fanzha user add` does) and Users::Login(); then the scope checks
// (CanReadCase, CanSeeOrderOf, ...), which the server applies to every request. Password guessing
// is slowed down by auth/throttle.h.
//
// Secrets. Passwords are stored only as Argon2id hashes (libsodium crypto_pwhash_str, interactive
// limits: about 0.1 s and 64 MiB per hash). A token is 32 random bytes (randombytes_buf) in hex;
// the store keeps only its SHA-256, with an expiry. A login of an unknown name checks the password
// against a dummy hash of the same cost, so that answer times do not tell which names exist.
//
// Revocation. A session is looked up in the store on every use (Resolve): a logout, a disabled
// user (Disable) or a revoked session (Revoke) stops working on the next request, in every
// process that shares the store.
//
// Tables users and sessions (migrations 6 and 9, auth/schema/). Threads: Users is
// thread-compatible, like the SqlDatabase it uses; the scope functions and CheckPassword are pure
// and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
bool CanSeeWarnings(const User& u, std::string_view region);  // centre, hotline in region
bool CanReadAudit(const User& u);                             // auditor
bool CanSeeClusters(const User& u);                           // centre, investigator
bool CanSeeStats(const User& u);                              // centre
// Figures by day, region and fraud type: centre, investigator, hotline in region.
bool CanSeeFigures(const User& u, std::string_view region);

// The longest user name and password taken, in bytes.
inline constexpr size_t kMaxNameBytes = 64, kMaxPasswordBytes = 1024;

// Checks the fields a role needs: investigator and hotline need a region, bank an institution;
// a region is six digits; a name is 1 to kMaxNameBytes of valid UTF-8 without control characters.
// kInvalidInput naming the field.
Status Validate(const User& u);

struct Session {
  std::string token;  // give to the client; not stored
  Millis expires_at = 0;
  User user;
};

// What a login checks a password against (Users::FindCredentials).
struct Credentials {
  std::optional<User> user;   // nullopt: no such user
  bool disabled = false;      // the user exists but may not log in (fanzha user disable)
  std::string password_hash;  // the user's Argon2id hash, or a dummy of the same cost
};

// Whether `password` is the user's: an Argon2id check (about 0.1 s and 64 MiB) also for an
// unknown name, whose dummy hash no password matches. Thread-safe; run it outside any lock.
bool CheckPassword(const Credentials& c, std::string_view password);

// Argon2id checks this process has run: tests and benchmarks see that a refused (throttled) login
// costs none. Thread-safe.
int64_t PasswordChecks();

class Users {
 public:
  explicit Users(store::SqlDatabase& db) : db_(db) {}

  // Adds a user with an Argon2id hash of `password` (at least 8 bytes). kConflict when the name
  // is taken; kInvalidInput for a bad role scope or a short password.
  Status Add(const User& user, std::string_view password, Millis now);

  // A login in three steps, so that a server checks the password without holding the lock of its
  // store: FindCredentials (a point lookup), CheckPassword (the slow part), OpenSession.
  //
  // The credentials of `name`; an unknown name (or one no user can have) gets no user and a dummy
  // hash.
  Result<Credentials> FindCredentials(std::string_view name);
  // Opens a session lasting `ttl` for `u`, whose password was checked; sessions that have expired
  // are deleted on the way. Part of the caller's transaction when one is open.
  Result<Session> OpenSession(const User& u, Millis now, Millis ttl);
  // The three steps at once (for tools and tests; it holds the caller's locks for ~0.1 s).
  // kUnauthorized for an unknown user or a wrong password (the same message for both), and for a
  // disabled user with the right one.
  Result<Session> Login(std::string_view name, std::string_view password, Millis now, Millis ttl);

  // The user of a live token; kUnauthorized when unknown, expired, revoked or its user disabled.
  // Cost: one indexed lookup.
  Result<Session> Resolve(std::string_view token, Millis now);

  // Ends a session (no error when it was already gone).
  Status Logout(std::string_view token);

  // Disables `name` and ends its sessions at once (Enable undoes the first). kNotFound for an
  // unknown user. Part of the caller's transaction when one is open.
  Status Disable(std::string_view name, Millis now);
  Status Enable(std::string_view name);
  // Ends every session of `name`; how many there were. kNotFound for an unknown user.
  Result<int64_t> Revoke(std::string_view name);

  Result<std::optional<User>> Get(std::string_view name);

  // Every user, by name, with when it was added and, for a disabled one, when it was disabled.
  struct Listed {
    User user;
    Millis created_at = 0;
    std::optional<Millis> disabled_at;
  };
  Result<std::vector<Listed>> List();

 private:
  store::SqlDatabase& db_;
};

// SHA-256 of a token, hex: the key sessions are stored (and may be cached) under.
std::string TokenHash(std::string_view token);

}  // namespace fanzha::auth
