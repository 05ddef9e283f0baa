// Versioned schema migrations, one numbered .sql file per version and per dialect in
// storage/migrations/{sqlite,postgres}/. Embedded at build time; applied in order, each in its
// own transaction, recorded in schema_migrations.
#pragma once

#include <string>
#include <vector>

#include "storage/database.hpp"

namespace coop::storage {

struct EmbeddedMigration {
  const char* dialect;  // "sqlite" | "postgres"
  int version;
  const char* name;
  const char* sql;
};
const std::vector<EmbeddedMigration>& embedded_migrations();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names
};

// Applies every pending migration of the database's dialect. Safe to call from several
// processes at once (PostgreSQL: advisory lock; SQLite: the single writer).
MigrationReport migrate(Database& db);
int current_schema_version(Database& db);

}  // namespace coop::storage
