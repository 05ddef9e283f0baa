// Storage-internal: one libpq connection with its prepared-statement cache, and the Session that
// runs statements on it. A connection is used by one thread at a time (the pool lends it out).
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/database.hpp"

namespace coop::storage::postgres {

// Owns a PGresult.
struct ResultPtr {
  PGresult* r = nullptr;
  ResultPtr() = default;
  explicit ResultPtr(PGresult* p) : r(p) {}
  ResultPtr(ResultPtr&& o) noexcept : r(o.r) { o.r = nullptr; }
  ResultPtr& operator=(ResultPtr&& o) noexcept {
    std::swap(r, o.r);
    return *this;
  }
  ~ResultPtr() {
    if (r) PQclear(r);
  }
  PGresult* get() const { return r; }
};

// The DbError for a failed call: the kind comes from the SQLSTATE (23505 unique, 23503 foreign
// key, 23514 check, 23502 not null, 40001/40P01/55P03 busy, class 08 and 57P0x connection), or
// `connection` when the connection itself is gone.
DbError make_error(PGconn* conn, const PGresult* res, std::string_view context);

class Connection {
 public:
  // conninfo: a libpq URI or key=value string. Throws DbError(connection).
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  PGconn* handle() const { return conn_; }
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  // PQreset after a failure; the server forgot our prepared statements, so does the cache.
  bool reset();

  // Runs `sql` (with `?` placeholders) as a prepared statement, preparing it on first use on this
  // connection. Returns a successful result or throws DbError.
  ResultPtr execute(std::string_view sql, const Params& params);
  // PQexec: parameterless, may hold several statements. Returns a successful result or throws.
  ResultPtr exec_simple(std::string_view sql);

 private:
  ResultPtr prepare(const std::string& name, const std::string& sql, const std::vector<Oid>& types);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  PGconn* conn_ = nullptr;
  // Key: one type letter per parameter + '|' + SQL text (see execute); value: statement name.
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> statements_;
  std::uint64_t next_statement_ = 0;
};

class PgSession final : public Session {
 public:
  explicit PgSession(Connection& c) : c_(c) {}
  Dialect dialect() const override { return Dialect::postgres; }
  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t exec(std::string_view sql, const Params& params = {}) override;
  // Appends " RETURNING id" (unless the statement already has a RETURNING clause, whose first
  // column is then returned). 0 when no row was inserted (ON CONFLICT DO NOTHING).
  std::int64_t insert(std::string_view sql, const Params& params = {}) override;
  void exec_script(std::string_view sql) override;
  // COPY (select) TO STDOUT, each line parsed and unescaped in place (text format).
  void stream(std::string_view select, const std::function<void(const RowView&)>& fn) override;
  std::int64_t copy_rows(std::string_view table, const std::vector<std::string>& columns, const Params& values) override;
  Connection& connection() { return c_; }

 private:
  Connection& c_;
};

// Converts a result to Rows (by column type OID; see connection.cpp).
Rows to_rows(const PGresult* res);

}  // namespace coop::storage::postgres
