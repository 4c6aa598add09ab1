// The store's schema as an ordered list of migrations. A module that keeps its own tables (freeze
// orders, leads, warnings, users, audit) appends a migration to kMigrations in store/schema.cc:
//
//   {7, "freeze: freeze orders", R"sql(CREATE TABLE freeze_orders (...);)sql"},
//
// Rules: versions start at 1, increase by one, and a released migration is never edited (add a new
// one instead). Use portable SQL only (INTEGER/BIGINT, TEXT, CREATE TABLE/INDEX, ALTER TABLE ADD
// COLUMN), since the PostgreSQL backend runs the same list. Opening a file applies the missing
// migrations, all in one transaction, then records the new version.
#pragma once

#include <span>
#include <string_view>

namespace fanzha::store {

struct Migration {
  int version;
  std::string_view name;  // "module: what it adds"
  std::string_view sql;   // one or more ';'-separated statements
};

// All migrations in version order.
std::span<const Migration> Migrations();
// The version a store has after every migration: the newest this build knows.
int LatestSchemaVersion();

}  // namespace fanzha::store
