#include "tests/support/postgres_server.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "store/sqlite_database.h"

namespace fanzha::test_support {

namespace fs = std::filesystem;

PostgresServer* PostgresServer::Get(std::string* why) {
  static std::string reason;
  static PostgresServer* server = Start(&reason);
  if (why) *why = reason;
  return server;
}

PostgresServer* PostgresServer::Start(std::string* why) {
  if (const char* shared = std::getenv("FANZHA_TEST_POSTGRES"); shared && *shared) {
    auto* s = new PostgresServer;  // started for the whole run by postgres_server.sh
    s->dir_ = shared;
    return s;
  }
  std::string bin;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(e.path() / "bin" / "initdb")) bin = std::max(bin, (e.path() / "bin").string());
  }
  if (bin.empty()) {
    *why = "no PostgreSQL server installed (/usr/lib/postgresql/*/bin/initdb)";
    return nullptr;
  }
  char pattern[] = "/tmp/fanzha-pg-XXXXXX";
  if (!::mkdtemp(pattern)) {
    *why = "cannot make a folder under /tmp";
    return nullptr;
  }
  if (::geteuid() == 0) {
    const passwd* pg = ::getpwnam("postgres");
    if (!pg || ::chown(pattern, pg->pw_uid, pg->pw_gid) != 0) {
      *why = "running as root and no postgres user to run the server as";
      return nullptr;
    }
  }
  auto* s = new PostgresServer;
  s->dir_ = pattern;
  s->bin_ = bin;
  if (!s->Run("initdb -D " + s->dir_ + "/data -A trust -E UTF8 --no-locale -U postgres") ||
      !s->Run("pg_ctl -D " + s->dir_ + "/data -l " + s->dir_ + "/log -w -o \"-k " + s->dir_ +
              " -p 5432 -c listen_addresses= -c fsync=off\" start")) {
    *why = "PostgreSQL did not start; its log: " + s->dir_ + "/log";
    return nullptr;
  }
  std::atexit([] {
    PostgresServer* s = Get();
    s->Run("pg_ctl -D " + s->dir_ + "/data -m immediate stop");
    std::error_code ec;
    fs::remove_all(s->dir_, ec);
  });
  return s;
}

bool PostgresServer::Run(const std::string& command) const {
  const std::string quiet = bin_ + "/" + command + " > /dev/null 2>&1";
  const std::string line = ::geteuid() == 0 ? "su postgres -s /bin/sh -c '" + quiet + "'" : quiet;
  return std::system(line.c_str()) == 0;
}

std::string PostgresServer::Uri(const std::string& name) const {
  return "postgresql:///" + name + "?host=" + dir_ + "&port=5432&user=postgres";
}

Result<std::unique_ptr<store::PostgresDatabase>> PostgresServer::Connect(
    const std::string& name) const {
  return store::PostgresDatabase::Connect(Uri(name));
}

Result<std::string> PostgresServer::CreateDatabase() {
  FANZHA_ASSIGN_OR_RETURN(auto admin, Connect("postgres"));
  // Named for this process too: several test processes may share one server.
  const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  FANZHA_RETURN_IF_ERROR(admin->Exec("CREATE DATABASE " + name));
  return name;
}

Result<std::unique_ptr<store::PostgresDatabase>> PostgresServer::NewDatabase() {
  FANZHA_ASSIGN_OR_RETURN(std::string name, CreateDatabase());
  return Connect(name);
}

bool WaitForOtherSessionsToEnd(const std::string& location) {
  if (!store::Store::IsPostgresUri(location)) return true;
  auto db = store::PostgresDatabase::Connect(location);
  if (!db.ok()) return false;
  for (int i = 0; i < 500; ++i) {
    auto s = (*db)->Prepare(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
        "current_database() AND pid <> pg_backend_pid()");
    if (!s.ok()) return false;
    auto row = (*s)->Step();
    if (!row.ok() || !*row) return false;
    if ((*s)->ColumnInt64(0) == 0) return true;
    ::usleep(10000);
  }
  return false;
}

int64_t RowsIn(const std::string& location, const std::string& table) {
  std::unique_ptr<store::SqlDatabase> db;
  if (store::Store::IsPostgresUri(location)) {
    if (auto pg = store::PostgresDatabase::Connect(location); pg.ok()) db = std::move(pg).value();
  } else if (auto file = store::SqliteDatabase::Open(location, 10000); file.ok()) {
    db = std::move(file).value();
  }
  if (!db) return -1;
  auto s = db->Prepare("SELECT COUNT(*) FROM " + table);
  if (!s.ok()) return -1;
  auto row = (*s)->Step();
  return row.ok() && *row ? (*s)->ColumnInt64(0) : -1;
}

bool TestsOnPostgres() {
  const char* shared = std::getenv("FANZHA_TEST_POSTGRES");
  return shared && *shared;
}

std::string StoreLocation(const std::string& sqlite_path) {
  if (!TestsOnPostgres()) return sqlite_path;
  static std::map<std::string, std::string>* databases = new std::map<std::string, std::string>;
  auto it = databases->find(sqlite_path);
  if (it != databases->end()) return it->second;
  std::string why;
  PostgresServer* server = PostgresServer::Get(&why);
  Result<std::string> name =
      server ? server->CreateDatabase() : Result<std::string>(Status::Io(why));
  if (!name.ok()) {
    std::fprintf(stderr, "no PostgreSQL database for the test: %s\n",
                 name.status().ToString().c_str());
    std::abort();
  }
  return databases->emplace(sqlite_path, server->Uri(*name)).first->second;
}

}  // namespace fanzha::test_support
