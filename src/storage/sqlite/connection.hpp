// Storage-internal: one SQLite connection with its prepared-statement cache, and the Session that
// runs statements on it. A Connection is used by one thread at a time (opened with
// SQLITE_OPEN_NOMUTEX); the engine guarantees that by lending it out exclusively.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/database.hpp"

namespace coop::storage::sqlite {

// Builds the DbError for a failed SQLite call. `rc` is an extended result code (extended codes are
// enabled on every connection), so constraint kinds are told apart without parsing messages.
DbError make_error(sqlite3* db, int rc, std::string_view context);

class Connection {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*), enables extended result codes, foreign keys and the
  // busy timeout. Throws DbError(connection).
  Connection(const std::string& path, int flags, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  // The cached statement for `sql`, prepared on first use. The statement is reset and its bindings
  // cleared by the caller after each use (see StatementUse in connection.cpp). Rejects text holding
  // more than one statement: that is what exec_script is for.
  sqlite3_stmt* prepare(std::string_view sql);
  // sqlite3_exec: any number of statements, no parameters. Throws DbError.
  void exec_script(std::string_view sql);
  // One parameterless statement through the statement cache (BEGIN, COMMIT, SAVEPOINT…).
  void run(std::string_view sql);
  // True while a transaction is open on this connection.
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Connection& c) : c_(c) {}
  Dialect dialect() const override { return Dialect::sqlite; }
  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t exec(std::string_view sql, const Params& params = {}) override;
  std::int64_t insert(std::string_view sql, const Params& params = {}) override;
  void exec_script(std::string_view sql) override;
  // Steps the statement, handing out column views (no copy).
  void stream(std::string_view select, const std::function<void(const RowView&)>& fn) override;
  std::int64_t copy_rows(std::string_view table, const std::vector<std::string>& columns, const Params& values) override;
  Connection& connection() { return c_; }

 private:
  Connection& c_;
};

}  // namespace coop::storage::sqlite
