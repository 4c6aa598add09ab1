// The store's schema as an ordered list of migrations. Each module owns its tables: it declares
// them in its own migrations and is the only module that queries them (the others ask its public
// API; tests/architecture/check_table_owners.py checks it). A migration is a file of its module,
//
//   freeze/schema/003-freeze-orders.sql:
//     -- freeze: freeze orders and their history
//     -- Notes on the tables (any further "--" lines before the SQL are not part of it).
//     CREATE TABLE freeze_orders (...);
//
// whose first line names it ("<module>: what it adds"), and whose SQL is the rest of the file from
// the line break that ends its header, byte for byte. The build composes the list from every
// <module>/schema/*.sql in version order (cmake/ComposeMigrations.cmake; store/ neither links nor
// includes the modules), and stops, naming the files, when two claim one version, a version is
// missing or a name line is absent. A table one module's migration created but another owns (the
// takedowns of migration 5, the audit log of 6) is declared in the header: "-- owned by takedown:
// takedowns".
//
// Rules: versions are global, start at 1 and increase by one: a module adds a migration as the file
// with the next free version in its own schema/ folder. A released migration is never edited, nor
// moved to another version (add a new one instead): store_test pins the hash of each. Use portable
// SQL only (INTEGER/BIGINT, TEXT, CREATE TABLE/INDEX, ALTER TABLE ADD COLUMN), since the PostgreSQL
// backend runs the same list. Opening a file applies the missing migrations, all in one
// transaction, then records the new version.
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
