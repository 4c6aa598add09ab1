#include "auth/auth.h"

#include <sodium.h>

#include <atomic>
#include <mutex>

#include "core/names.h"
#include "core/text.h"
#include "region/region.h"

namespace fanzha::auth {
namespace {

constexpr std::string_view kRoleNames[] = {"centre", "investigator", "bank", "hotline", "auditor"};

Status InitSodium() {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  return Status::Ok();
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

bool IsRegionCode(std::string_view s) {
  if (s.size() != 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status Unauthorized(std::string m) { return Status(ErrorCode::kUnauthorized, std::move(m)); }

Status WrongLogin() { return Unauthorized("wrong user or password").WithZh("用户名或密码错误"); }

Status Disabled(std::string_view name) {
  return Unauthorized("user " + std::string(name) + " is disabled: ask your centre")
      .WithZh("用户 " + std::string(name) + " 已被停用，请联系所属中心");
}

std::atomic<int64_t> g_password_checks{0};

bool HasControlCharacter(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

bool IsPossibleName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxNameBytes && IsValidUtf8(name) &&
         !HasControlCharacter(name);
}

// The hash an unknown name's password is checked against: made once per process, with the limits
// of real ones, from a password nobody knows.
const std::string& DummyHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] {
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, reinterpret_cast<const char*>(secret), sizeof secret,
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0) {
      hash = out;
    }
  });
  return hash;
}

Result<User> ReadUser(const store::SqlStatement& s, int first) {
  User u;
  u.name = s.ColumnString(first);
  Result<Role> role = ParseRole(s.ColumnText(first + 1));
  if (!role.ok()) return store::BadStoredValue("users", u.name, "role", role.status());
  u.role = *role;
  u.region = s.ColumnString(first + 2);
  u.institution = s.ColumnString(first + 3);
  return u;
}

}  // namespace

std::string_view Name(Role r) { return kRoleNames[static_cast<size_t>(r)]; }

Result<Role> ParseRole(std::string_view s) {
  return ParseName<Role>(s, kRoleNames, "role", "角色");
}

bool CanReadCase(const User& u, std::string_view case_region) {
  return (u.role == Role::kCentre || u.role == Role::kInvestigator) &&
         region::Covers(u.region, case_region);
}
bool CanWriteCase(const User& u, std::string_view case_region) {
  return CanReadCase(u, case_region);
}
bool CanSeeOrder(const User& u, std::string_view case_region, std::string_view institution) {
  if (u.role == Role::kBank) return !u.institution.empty() && u.institution == institution;
  return CanReadCase(u, case_region);
}
bool CanSeeWarnings(const User& u, std::string_view region) {
  return (u.role == Role::kCentre || u.role == Role::kHotline) && region::Covers(u.region, region);
}
bool CanReadAudit(const User& u) { return u.role == Role::kAuditor; }
bool CanSeeClusters(const User& u) {
  return u.role == Role::kCentre || u.role == Role::kInvestigator;
}
bool CanSeeStats(const User& u) { return u.role == Role::kCentre; }
bool CanSeeFigures(const User& u, std::string_view region) {
  return (u.role == Role::kCentre || u.role == Role::kInvestigator || u.role == Role::kHotline) &&
         region::Covers(u.region, region);
}

Status Validate(const User& u) {
  if (u.name.empty()) return Status::Invalid("name: empty").WithZh("用户名：不能为空");
  if (!IsPossibleName(u.name)) {
    return Status::Invalid("name: at most " + std::to_string(kMaxNameBytes) +
                           " bytes of UTF-8 text without control characters")
        .WithZh("用户名：最多 " + std::to_string(kMaxNameBytes) +
                " 字节的 UTF-8 文本，且不含控制字符");
  }
  if (!u.region.empty() && !IsRegionCode(u.region))
    return Status::Invalid("region: '" + u.region + "' is not a six-digit GB/T 2260 code")
        .WithZh("region：'" + u.region + "' 不是六位 GB/T 2260 行政区划代码");
  bool needs_region = u.role == Role::kInvestigator || u.role == Role::kHotline;
  if (needs_region && u.region.empty())
    return Status::Invalid("region: a " + std::string(Name(u.role)) + " needs --region")
        .WithZh("region：角色 " + std::string(Name(u.role)) + " 须用 --region 指定所属地区");
  if (u.role == Role::kBank && u.institution.empty())
    return Status::Invalid("institution: a bank liaison needs --institution")
        .WithZh("institution：银行联络员须用 --institution 指定所属机构");
  return Status::Ok();
}

std::string TokenHash(std::string_view token) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return Hex(out, sizeof out);
}

Status Users::Add(const User& user, std::string_view password, Millis now) {
  FANZHA_RETURN_IF_ERROR(InitSodium());
  FANZHA_RETURN_IF_ERROR(Validate(user));
  if (password.size() < 8)
    return Status::Invalid("password: shorter than 8 bytes").WithZh("密码：少于 8 字节");
  if (password.size() > kMaxPasswordBytes) {
    return Status::Invalid("password: longer than " + std::to_string(kMaxPasswordBytes) + " bytes")
        .WithZh("密码：超过 " + std::to_string(kMaxPasswordBytes) + " 字节");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("password hashing ran out of memory");
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto s,
      db_.Prepare("INSERT INTO users (name, role, region, institution, password_hash, created_at) "
                  "VALUES (?,?,?,?,?,?)"));
  s->Bind(1, user.name).Bind(2, Name(user.role)).Bind(3, user.region).Bind(4, user.institution);
  s->Bind(5, std::string_view(hash)).Bind(6, now);
  Status st = s->Run();
  if (st.code() == ErrorCode::kConflict)
    return Status::Conflict("user " + user.name + " exists")
        .WithZh("用户 " + user.name + " 已存在");

  return st;
}

bool CheckPassword(const Credentials& c, std::string_view password) {
  if (sodium_init() < 0 || password.size() > kMaxPasswordBytes) return false;
  g_password_checks.fetch_add(1, std::memory_order_relaxed);
  bool ok =
      crypto_pwhash_str_verify(c.password_hash.c_str(), password.data(), password.size()) == 0;
  return ok && c.user.has_value();
}

int64_t PasswordChecks() { return g_password_checks.load(std::memory_order_relaxed); }

Result<Credentials> Users::FindCredentials(std::string_view name) {
  FANZHA_RETURN_IF_ERROR(InitSodium());
  Credentials c;
  if (IsPossibleName(name)) {
    FANZHA_ASSIGN_OR_RETURN(auto s,
                            db_.Prepare("SELECT name, role, region, institution, password_hash, "
                                        "disabled_at FROM users WHERE name = ?"));
    s->Bind(1, name);
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) {
      FANZHA_ASSIGN_OR_RETURN(c.user, ReadUser(*s, 0));
      c.password_hash = s->ColumnString(4);
      c.disabled = !s->ColumnIsNull(5);
      return c;
    }
  }
  c.password_hash = DummyHash();
  if (c.password_hash.empty()) return Status::Internal("password hashing ran out of memory");
  return c;
}

Result<Session> Users::OpenSession(const User& u, Millis now, Millis ttl) {
  FANZHA_RETURN_IF_ERROR(InitSodium());
  Session session;
  session.user = u;
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  session.token = Hex(raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  session.expires_at = now + ttl;
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(auto gone, db_.Prepare("DELETE FROM sessions WHERE expires_at <= ?"));
  gone->Bind(1, now);
  FANZHA_RETURN_IF_ERROR(gone->Run());
  FANZHA_ASSIGN_OR_RETURN(
      auto ins,
      db_.Prepare(
          "INSERT INTO sessions (token_hash, user_name, created_at, expires_at) VALUES (?,?,?,?)"));
  ins->Bind(1, TokenHash(session.token)).Bind(2, u.name).Bind(3, now).Bind(4, session.expires_at);
  FANZHA_RETURN_IF_ERROR(ins->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return session;
}

Result<Session> Users::Login(std::string_view name, std::string_view password, Millis now,
                             Millis ttl) {
  FANZHA_ASSIGN_OR_RETURN(Credentials c, FindCredentials(name));
  if (!CheckPassword(c, password)) return WrongLogin();
  if (c.disabled) return Disabled(name);
  return OpenSession(*c.user, now, ttl);
}

Result<Session> Users::Resolve(std::string_view token, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db_.Prepare("SELECT u.name, u.role, u.region, u.institution, s.expires_at, "
                          "u.disabled_at FROM sessions s "
                          "JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?"));
  s->Bind(1, TokenHash(token));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Unauthorized("unknown token: log in again").WithZh("登录已失效，请重新登录");
  Session session;
  FANZHA_ASSIGN_OR_RETURN(session.user, ReadUser(*s, 0));
  session.expires_at = s->ColumnInt64(4);
  if (!s->ColumnIsNull(5)) return Disabled(session.user.name);
  if (session.expires_at <= now)
    return Unauthorized("the session has expired: log in again").WithZh("登录已过期，请重新登录");
  return session;
}

Status Users::Logout(std::string_view token) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  s->Bind(1, TokenHash(token));
  return s->Run();
}

Result<int64_t> Users::Revoke(std::string_view name) {
  FANZHA_ASSIGN_OR_RETURN(auto user, Get(name));
  if (!user)
    return Status::NotFound("no user " + std::string(name))
        .WithZh("用户 " + std::string(name) + " 不存在");
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare("DELETE FROM sessions WHERE user_name = ?"));
  s->Bind(1, name);
  FANZHA_RETURN_IF_ERROR(s->Run());
  return db_.Changes();
}

Status Users::Disable(std::string_view name, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(
      auto s,
      db_.Prepare("UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE name = ?"));
  s->Bind(1, now).Bind(2, name);
  FANZHA_RETURN_IF_ERROR(s->Run());
  FANZHA_RETURN_IF_ERROR(Revoke(name).status());
  return tx.Commit();
}

Status Users::Enable(std::string_view name) {
  FANZHA_ASSIGN_OR_RETURN(auto user, Get(name));
  if (!user)
    return Status::NotFound("no user " + std::string(name))
        .WithZh("用户 " + std::string(name) + " 不存在");
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          db_.Prepare("UPDATE users SET disabled_at = NULL WHERE name = ?"));
  s->Bind(1, name);
  return s->Run();
}

Result<std::optional<User>> Users::Get(std::string_view name) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db_.Prepare("SELECT name, role, region, institution FROM users WHERE name = ?"));
  s->Bind(1, name);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<User>();
  FANZHA_ASSIGN_OR_RETURN(User user, ReadUser(*s, 0));
  return std::optional<User>(std::move(user));
}

Result<std::vector<Users::Listed>> Users::List() {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare("SELECT name, role, region, institution, created_at, "
                                              "disabled_at FROM users ORDER BY name"));
  return store::ReadRows<Listed>(*s, [](const store::SqlStatement& row) -> Result<Listed> {
    Listed l;
    FANZHA_ASSIGN_OR_RETURN(l.user, ReadUser(row, 0));
    l.created_at = row.ColumnInt64(4);
    if (!row.ColumnIsNull(5)) l.disabled_at = row.ColumnInt64(5);
    return l;
  });
}

}  // namespace fanzha::auth
