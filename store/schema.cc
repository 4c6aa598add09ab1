#include "store/schema.h"

#include <array>

namespace fanzha::store {
namespace {

// Composed at build time from every module's schema/*.sql (cmake/ComposeMigrations.cmake).
constexpr std::array kMigrations = {
#include "store/migrations.inc"
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }
int LatestSchemaVersion() { return kMigrations.back().version; }

}  // namespace fanzha::store
