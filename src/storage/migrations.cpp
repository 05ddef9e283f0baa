// Applies the embedded migrations of the database's dialect, one write() transaction each.
//
// Concurrency: two processes may start at once against the same database.
// - SQLite: every migration transaction is BEGIN IMMEDIATE on the single writer connection of
//   each process, so the transactions of two processes are serialised by SQLite's write lock;
//   the version is re-read inside the transaction before applying.
// - PostgreSQL: each transaction first takes pg_advisory_xact_lock(kLockKey) (released at
//   COMMIT/ROLLBACK), then re-reads the version. The loser of the race waits, sees the migration
//   recorded and skips it.
// A migration runs inside the transaction: it must not contain BEGIN/COMMIT, and SQLite PRAGMAs
// that only act outside a transaction (foreign_keys) have no effect in it.
#include "storage/migrations.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <set>

namespace coop::storage {

namespace {

constexpr std::int64_t kLockKey = 0x436f6f704d696772;  // "CoopMigr"

const char* dialect_name(Dialect d) { return d == Dialect::sqlite ? "sqlite" : "postgres"; }

bool table_exists(Session& s) {
  if (s.dialect() == Dialect::sqlite)
    return !s.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").empty();
  // to_regclass follows search_path, like the unqualified CREATE TABLE below.
  auto r = s.query("SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END");
  return as_int(r.rows[0][0]) == 1;
}

int version_in(Session& s) {
  if (!table_exists(s)) return 0;
  auto r = s.query("SELECT MAX(version) FROM schema_migrations");
  return static_cast<int>(as_opt_int(r.rows[0][0]).value_or(0));
}

void lock_if_postgres(Session& s) {
  if (s.dialect() == Dialect::postgres) s.query("SELECT pg_advisory_xact_lock(?)", {kLockKey});
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

int current_schema_version(Database& db) {
  return db.read_value([](Session& s) { return version_in(s); });
}

MigrationReport migrate(Database& db) {
  const char* dialect = dialect_name(db.dialect());
  std::vector<const EmbeddedMigration*> pending;
  for (const auto& m : embedded_migrations())
    if (std::strcmp(m.dialect, dialect) == 0) pending.push_back(&m);
  std::sort(pending.begin(), pending.end(), [](auto* a, auto* b) { return a->version < b->version; });
  for (std::size_t i = 1; i < pending.size(); ++i)
    if (pending[i]->version == pending[i - 1]->version)
      throw DbError(DbError::Kind::other, fmt::format("migrations: two {} migrations have version {}", dialect,
                                                      pending[i]->version));

  db.write([](Session& s) {
    lock_if_postgres(s);
    s.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  });

  MigrationReport report;
  std::set<int> recorded;
  db.read([&](Session& s) {
    for (auto& row : s.query("SELECT version FROM schema_migrations").rows)
      recorded.insert(static_cast<int>(as_int(row[0])));
  });
  report.from_version = recorded.empty() ? 0 : *recorded.rbegin();

  for (const EmbeddedMigration* m : pending) {
    // Every version not yet recorded is applied, in order, even one numbered below the current
    // version (a migration merged after a later one: numbers are reserved per feature, and each
    // one only creates or extends its own tables).
    if (recorded.count(m->version)) continue;
    bool applied = false;
    db.write([&](Session& s) {
      applied = false;
      lock_if_postgres(s);
      if (!s.query("SELECT 1 FROM schema_migrations WHERE version = ?", {std::int64_t{m->version}}).empty())
        return;  // another process got there first
      s.exec_script(m->sql);
      s.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
             {std::int64_t{m->version}, std::string(m->name), now_utc()});
      applied = true;
    });
    if (applied) {
      spdlog::info("migrations: applied {} {}", dialect, m->name);
      report.applied.emplace_back(m->name);
    }
  }
  report.to_version = current_schema_version(db);
  return report;
}

}  // namespace coop::storage
