// The one storage interface of Coop. Two engines implement it: SQLite (default) and PostgreSQL.
//
// Contract:
// - SQL is written once with `?` placeholders; the PostgreSQL engine rewrites them to $1, $2…
//   Values are always bound, never spliced into the SQL text.
// - read(fn) runs fn on a reader connection (a consistent snapshot for the duration of fn).
// - write(fn) runs fn inside a transaction. When write() returns, the transaction is committed
//   and durable against a kill of the process. If fn throws, the transaction is rolled back and
//   the exception is rethrown to the caller. The SQLite engine funnels every write through one
//   writer thread which commits queued writes together (group commit); each write still has its
//   own savepoint so one failing write never undoes another.
// - Both calls block the calling thread: never call them on an I/O thread.
// - Nesting: read() or write() called from inside write(fn) on the same thread (and read() inside
//   read()) joins the enclosing transaction through a savepoint: it sees its changes, commits with
//   it, and if it throws only its own work is undone. This is also the portable way to survive an
//   expected error (e.g. a unique violation) inside a transaction: PostgreSQL aborts the whole
//   transaction after any failed statement. Calling them from another thread spawned inside fn
//   would wait for the enclosing transaction: don't.
// - PostgreSQL binds int64 as bigint, double as double precision, text and NULL untyped; a bare
//   `? IS NULL` cannot be typed there: write `CAST(? AS TEXT) IS NULL`.
// - Database errors are thrown as DbError; constraint violations carry their kind so callers can
//   turn them into a 409 without parsing messages.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coop::storage {

enum class Dialect { sqlite, postgres };

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

// Result of a query: column names and rows of values. Integers come back as int64 on both engines,
// text as std::string, NULL as nullptr.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  int column(std::string_view name) const;  // -1 when absent
};

// Convenience accessors (throw DbError on a type mismatch that cannot be converted).
std::int64_t as_int(const Value& v);
std::optional<std::int64_t> as_opt_int(const Value& v);
std::string as_text(const Value& v);                 // NULL -> ""
std::optional<std::string> as_opt_text(const Value& v);
double as_double(const Value& v);
bool is_null(const Value& v);

// A bound value for an optional column: the value, or NULL.
inline Value nullable(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value nullable(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(nullptr); }

// "%q%" for `LIKE ? ESCAPE '\'`, with LIKE's own wildcards in q escaped.
inline std::string like_contains(std::string_view q) {
  std::string out = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

struct DbError : std::runtime_error {
  enum class Kind { unique_violation, foreign_key_violation, check_violation, not_null_violation,
                    busy, connection, other };
  Kind kind;
  DbError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
};

// A row handed out by Session::stream. Its views are valid only during the callback.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual int size() const = 0;
  virtual bool is_null(int i) const = 0;
  // The column as text (an integer as its decimal digits); NULL → "".
  virtual std::string_view text(int i) const = 0;
  // The column as an integer; NULL → 0. Throws DbError when the value is not an integer.
  virtual std::int64_t integer(int i) const = 0;
};

// One connection, inside read() or write().
class Session {
 public:
  virtual ~Session() = default;
  virtual Dialect dialect() const = 0;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Executes a statement, returns the number of rows changed.
  virtual std::int64_t exec(std::string_view sql, const Params& params = {}) = 0;
  // Executes an INSERT into a table whose primary key is `id` and returns the new id, or 0 when no
  // row was inserted (ON CONFLICT DO NOTHING).
  // (SQLite: last_insert_rowid; PostgreSQL: the engine appends RETURNING id.)
  virtual std::int64_t insert(std::string_view sql, const Params& params = {}) = 0;
  // Runs a script of several `;`-separated statements without parameters (migrations). It runs
  // inside the current transaction, so it must not contain BEGIN/COMMIT. Both engines override
  // it; the default (for test doubles) runs the text as a single statement.
  virtual void exec_script(std::string_view sql) { exec(sql); }
  // Runs a SELECT without parameters and calls fn for each row, in order, without materialising
  // the result (bulk reads: the statistics engine's build). PostgreSQL streams it with
  // `COPY (select) TO STDOUT` (text format, unescaped in place), SQLite steps the statement. fn
  // must not run other statements on this session while the stream is open; if fn throws, the
  // rest of the stream is drained and the exception rethrown. The default (test doubles)
  // materialises through query().
  virtual void stream(std::string_view select, const std::function<void(const RowView&)>& fn);
  // ---- Bulk load (copy_rows) ----
  // Appends rows to `table` (scale data generator). `values` holds the rows one after the other,
  // columns.size() values each, typed as bound parameters (int64, double, text, NULL; a text
  // value may feed any column type the engine reads it as, as with parameters). `table` and
  // `columns` are identifiers written in the code, never user input. Runs inside the current
  // transaction like exec() and returns the number of rows written (0 for no values). Throws
  // std::invalid_argument when values.size() is not a multiple of columns.size() (or columns is
  // empty), DbError otherwise (constraint violations carry their kind). Rows already written by a
  // failing call stay in the transaction until it rolls back: let the exception leave write(), or
  // call it inside a nested write() to undo only its own work.
  // PostgreSQL: one COPY table (columns) FROM STDIN in text format, streamed in pieces of ~1 MiB.
  // SQLite: multi-row INSERT … VALUES statements of a few fixed sizes (largest first), each
  // prepared once per connection and reused.
  virtual std::int64_t copy_rows(std::string_view table, const std::vector<std::string>& columns,
                                 const Params& values) = 0;
};

struct Health {
  bool ok = false;
  std::string engine;   // "sqlite" | "postgresql"
  std::string detail;   // error message when not ok
  double latency_ms = 0;
};

struct PoolStats {
  int size = 0;         // connections open
  int in_use = 0;       // connections currently lent out
  int waiting = 0;      // callers waiting for a connection
  std::uint64_t writes = 0;         // write() calls completed
  std::uint64_t write_batches = 0;  // commits (SQLite group commit: writes / batches = batching)
};

struct Options {
  int readers = 4;  // SQLite reader connections / PostgreSQL pool size
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual void read(const std::function<void(Session&)>& fn) = 0;
  virtual void write(const std::function<void(Session&)>& fn) = 0;
  // Runs each fn in a read transaction of its own connection, all at once on their own threads,
  // every one seeing the same snapshot (bulk reads split over several server processes: the
  // statistics engine's build). PostgreSQL: the first transaction exports its snapshot
  // (pg_export_snapshot) and the others import it (SET TRANSACTION SNAPSHOT). Engines that cannot
  // share a snapshot between connections (SQLite; and any call nested in a transaction) run the
  // fns one after the other inside one read(), which is this default. Uses up to fns.size()
  // connections of the pool; the first exception thrown by a fn is rethrown once all have ended.
  virtual void read_parallel(const std::vector<std::function<void(Session&)>>& fns) {
    read([&](Session& s) {
      for (auto& fn : fns) fn(s);
    });
  }
  virtual Health health() = 0;
  virtual PoolStats stats() const = 0;
  // Stops accepting work, finishes queued writes, closes connections. Idempotent.
  virtual void close() = 0;

  // Typed helpers built on read()/write().
  template <class F>
  auto read_value(F&& f) {
    std::optional<decltype(f(std::declval<Session&>()))> out;
    read([&](Session& s) { out.emplace(f(s)); });
    return std::move(*out);
  }
  template <class F>
  auto write_value(F&& f) {
    std::optional<decltype(f(std::declval<Session&>()))> out;
    write([&](Session& s) { out.emplace(f(s)); });
    return std::move(*out);
  }
};

// Opens a database from a URL: "sqlite:PATH" (or a bare path / "sqlite::memory:") or
// "postgresql://user:pass@host:port/db" (any libpq connection URI). Throws DbError.
std::unique_ptr<Database> open_database(const std::string& url, const Options& options = {});

}  // namespace coop::storage
