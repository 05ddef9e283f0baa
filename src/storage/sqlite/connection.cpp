#include "storage/sqlite/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <span>
#include <stdexcept>

#include "storage/engines.hpp"

namespace coop::storage::sqlite {

namespace {

// The statement cache is unbounded in principle (SQL comes from constants in the code, not from
// users) but a runaway producer of distinct SQL texts must not eat memory: past this many
// entries the cache is flushed. Every cached statement is idle between calls, so it is safe.
constexpr std::size_t kMaxCachedStatements = 512;

std::string_view shorten(std::string_view sql) {
  return sql.size() > 200 ? sql.substr(0, 200) : sql;
}

// True when `rest` holds nothing but whitespace, semicolons and comments.
bool only_trailing_noise(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size()) {
    char c = rest[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      ++i;
    } else if (rest.substr(i, 2) == "--") {
      auto nl = rest.find('\n', i);
      i = nl == std::string_view::npos ? rest.size() : nl + 1;
    } else if (rest.substr(i, 2) == "/*") {
      auto end = rest.find("*/", i + 2);
      i = end == std::string_view::npos ? rest.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

// Binds params to a cached statement and guarantees reset + clear_bindings on every exit path, so
// a cached statement never stays active (an active statement would keep a read transaction open
// and hold on to the bound buffers).
class StatementUse {
 public:
  StatementUse(Connection& c, std::string_view sql, std::span<const Value> params) : c_(c), sql_(sql) {
    stmt_ = c.prepare(sql);
    int expected = sqlite3_bind_parameter_count(stmt_);
    if (expected != static_cast<int>(params.size())) {
      throw DbError(DbError::Kind::other,
                    fmt::format("sqlite: statement expects {} parameters, got {}: {}", expected,
                                params.size(), shorten(sql)));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(stmt_, idx);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(stmt_, idx, v);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(stmt_, idx, v);
            } else {
              // SQLITE_STATIC: params outlive the statement's use (reset in the destructor).
              return sqlite3_bind_text64(stmt_, idx, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) {
        release();
        throw make_error(c.handle(), rc, sql);
      }
    }
  }
  ~StatementUse() { release(); }

  // sqlite3_step; throws on error. Returns true when a row is available.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw make_error(c_.handle(), rc, sql_);
  }
  sqlite3_stmt* stmt() const { return stmt_; }

 private:
  void release() {
    if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
      stmt_ = nullptr;
    }
  }
  Connection& c_;
  std::string_view sql_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

DbError make_error(sqlite3* db, int rc, std::string_view context) {
  using K = DbError::Kind;
  K kind = K::other;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: kind = K::unique_violation; break;
    case SQLITE_CONSTRAINT_FOREIGNKEY: kind = K::foreign_key_violation; break;
    case SQLITE_CONSTRAINT_CHECK: kind = K::check_violation; break;
    case SQLITE_CONSTRAINT_NOTNULL: kind = K::not_null_violation; break;
    default:
      switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: kind = K::busy; break;
        case SQLITE_CANTOPEN:
        case SQLITE_NOTADB: kind = K::connection; break;
        default: break;
      }
  }
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // The message names the statement (never the bound values: they may be personal data).
  return DbError(kind, fmt::format("sqlite: {} (code {}) in: {}", msg, rc, shorten(context)));
}

Connection::Connection(const std::string& path, int flags, int busy_timeout_ms) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DbError(DbError::Kind::connection, fmt::format("sqlite: cannot open '{}': {}", path, msg));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  try {
    // Foreign keys are off by default in SQLite and the setting is per connection.
    exec_script("PRAGMA foreign_keys = ON");
    // Statement journals and sorts in memory rather than in temporary files (measured: a temp
    // file was created, opened and unlinked every few CRA writes), and pages read through a
    // memory map rather than one pread() each: a reader's page cache is emptied whenever another
    // connection commits, so under a write load every read re-fetches its pages.
    exec_script("PRAGMA temp_store = MEMORY");
    exec_script("PRAGMA mmap_size = 268435456");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  if (db_) sqlite3_close_v2(db_);
}

sqlite3_stmt* Connection::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedStatements) {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &stmt, &tail);
  if (rc != SQLITE_OK) throw make_error(db_, rc, sql);
  if (!stmt) throw DbError(DbError::Kind::other, fmt::format("sqlite: empty statement: '{}'", shorten(sql)));
  if (tail && !only_trailing_noise(std::string_view(tail, sql.data() + sql.size() - tail))) {
    sqlite3_finalize(stmt);
    throw DbError(DbError::Kind::other,
                  fmt::format("sqlite: several statements in one call (use exec_script): {}", shorten(sql)));
  }
  cache_.emplace(std::string(sql), stmt);
  return stmt;
}

void Connection::exec_script(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs a terminated string
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);  // sqlite3_errmsg still holds the message
  if (rc != SQLITE_OK) throw make_error(db_, sqlite3_extended_errcode(db_), sql);
}

void Connection::run(std::string_view sql) {
  StatementUse use(*this, sql, {});
  while (use.step()) {
  }
}

Rows SqliteSession::query(std::string_view sql, const Params& params) {
  StatementUse use(c_, sql, params);
  sqlite3_stmt* st = use.stmt();
  Rows out;
  int n = sqlite3_column_count(st);
  out.columns.reserve(n);
  for (int i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(st, i);
    out.columns.emplace_back(name ? name : "");
  }
  while (use.step()) {
    auto& row = out.rows.emplace_back();
    row.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(st, i))); break;
        case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(st, i)); break;
        case SQLITE_NULL: row.emplace_back(nullptr); break;
        case SQLITE_BLOB: {
          const void* p = sqlite3_column_blob(st, i);
          int len = sqlite3_column_bytes(st, i);
          row.emplace_back(p ? std::string(static_cast<const char*>(p), len) : std::string());
          break;
        }
        default: {  // SQLITE_TEXT
          const unsigned char* p = sqlite3_column_text(st, i);
          int len = sqlite3_column_bytes(st, i);
          row.emplace_back(p ? std::string(reinterpret_cast<const char*>(p), len) : std::string());
        }
      }
    }
  }
  return out;
}

namespace {
class StatementRow final : public RowView {
 public:
  explicit StatementRow(sqlite3_stmt* st) : st_(st), n_(sqlite3_column_count(st)) {}
  int size() const override { return n_; }
  bool is_null(int i) const override { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
  std::string_view text(int i) const override {
    const unsigned char* p = sqlite3_column_text(st_, i);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, i)))
             : std::string_view();
  }
  std::int64_t integer(int i) const override {
    switch (sqlite3_column_type(st_, i)) {
      case SQLITE_INTEGER: return sqlite3_column_int64(st_, i);
      case SQLITE_NULL: return 0;
      default: return detail::integer_of_text(text(i));  // REAL/TEXT: only exact decimal digits
    }
  }

 private:
  sqlite3_stmt* st_;
  int n_;
};
}  // namespace

void SqliteSession::stream(std::string_view select, const std::function<void(const RowView&)>& fn) {
  StatementUse use(c_, select, {});
  StatementRow row(use.stmt());
  while (use.step()) fn(row);
}

std::int64_t SqliteSession::exec(std::string_view sql, const Params& params) {
  sqlite3* db = c_.handle();
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, which would be stale
  // after DDL; comparing total_changes tells whether this statement changed any row at all.
  sqlite3_int64 before = sqlite3_total_changes64(db);
  StatementUse use(c_, sql, params);
  while (use.step()) {
  }
  return sqlite3_total_changes64(db) == before ? 0 : sqlite3_changes64(db);
}

std::int64_t SqliteSession::insert(std::string_view sql, const Params& params) {
  // 0 when no row was inserted (INSERT … ON CONFLICT DO NOTHING), like the PostgreSQL engine.
  if (exec(sql, params) == 0) return 0;
  return sqlite3_last_insert_rowid(c_.handle());
}

void SqliteSession::exec_script(std::string_view sql) { c_.exec_script(sql); }

std::int64_t SqliteSession::copy_rows(std::string_view table, const std::vector<std::string>& columns,
                                      const Params& values) {
  const std::size_t w = columns.size();
  if (w == 0 || values.size() % w != 0)
    throw std::invalid_argument(fmt::format("copy_rows: {} values for {} columns", values.size(), w));
  const std::size_t rows = values.size() / w;
  // Rows per statement: up to 256, within the engine's limit on bound parameters.
  const auto limit = static_cast<std::size_t>(sqlite3_limit(c_.handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  std::size_t largest = std::max<std::size_t>(1, std::min<std::size_t>(256, limit / w));
  std::string one = "(";
  for (std::size_t i = 0; i < w; ++i) one += i ? ", ?" : "?";
  one += ")";
  std::string head = "INSERT INTO " + std::string(table) + " (";
  for (std::size_t i = 0; i < w; ++i) head += (i ? ", " : "") + columns[i];
  head += ") VALUES ";
  std::size_t done = 0;
  for (std::size_t n = largest;; n = std::max<std::size_t>(1, n / 4)) {
    if (rows - done >= n) {
      std::string sql = head;
      sql.reserve(head.size() + n * (one.size() + 2));
      for (std::size_t i = 0; i < n; ++i) (sql += i ? ", " : "") += one;
      while (rows - done >= n) {
        StatementUse use(c_, sql, std::span<const Value>(values).subspan(done * w, n * w));
        while (use.step()) {
        }
        done += n;
      }
    }
    if (n == 1) break;
  }
  return static_cast<std::int64_t>(rows);
}

}  // namespace coop::storage::sqlite
