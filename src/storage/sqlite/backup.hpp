// `coop backup`: a consistent copy of a live SQLite database, taken while `coop serve` keeps
// reading and writing it (docs/operations.md). PostgreSQL databases are backed up with pg_dump.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace coop::storage {

// The file of a SQLite database URL ("sqlite:PATH", "sqlite://PATH", a bare path, as
// open_database reads them); nullopt for PostgreSQL and in-memory URLs.
std::optional<std::string> sqlite_file(const std::string& url);

struct BackupReport {
  std::int64_t bytes = 0;          // size of the copy
  std::int64_t schema_version = 0; // highest migration applied in the copy (0: not a Coop database)
};

// Copies the SQLite database `source` into the new file `destination` with SQLite's online backup
// API: one read transaction, so the copy is the database as of one commit, and in WAL mode the
// server's writer is never blocked. The copy is a single self-contained file (rollback journal
// mode, no -wal to carry along), checked with PRAGMA quick_check, written under
// `destination + ".partiel"` and renamed into place only once complete. Refuses a missing source
// and an existing destination. Throws DbError with a French message.
BackupReport backup_sqlite(const std::string& source, const std::string& destination);

}  // namespace coop::storage
