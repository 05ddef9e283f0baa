#include "storage/postgres/connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <vector>

#include "storage/engines.hpp"
#include "storage/postgres/placeholders.hpp"

namespace coop::storage::postgres {

namespace {

// Type OIDs (catalog/pg_type_d.h is a server header, not shipped with libpq).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

constexpr std::size_t kMaxPreparedStatements = 1024;

std::string_view shorten(std::string_view sql) { return sql.size() > 200 ? sql.substr(0, 200) : sql; }

std::string trim_message(const char* m) {
  std::string s = m ? m : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void notice_to_log(void*, const char* message) { spdlog::debug("postgres: {}", trim_message(message)); }

bool result_ok(const PGresult* r) {
  if (!r) return false;
  auto st = PQresultStatus(r);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

// Text form of a double that PostgreSQL's float8 input reads back exactly.
std::string double_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{:.17g}", d);
}

Value integer_value(const char* s, int len) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s, s + len, v);
  if (ec == std::errc() && end == s + len) return v;
  return std::strtod(s, nullptr);  // out of int64 range (numeric): best effort
}

}  // namespace

DbError make_error(PGconn* conn, const PGresult* res, std::string_view context) {
  using K = DbError::Kind;
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = trim_message(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (msg.empty()) msg = trim_message(PQerrorMessage(conn));
  K kind = K::other;
  std::string_view s = state ? state : "";
  if (s == "23505") kind = K::unique_violation;
  else if (s == "23503") kind = K::foreign_key_violation;
  else if (s == "23514") kind = K::check_violation;
  else if (s == "23502") kind = K::not_null_violation;
  else if (s == "40001" || s == "40P01" || s == "55P03") kind = K::busy;
  else if (s.substr(0, 2) == "08" || s == "57P01" || s == "57P02" || s == "57P03") kind = K::connection;
  else if (s.empty() && PQstatus(conn) != CONNECTION_OK) kind = K::connection;
  // The message names the statement, never the bound values (they may be personal data).
  return DbError(kind, fmt::format("postgres: {}{}{} in: {}", msg, state ? " SQLSTATE " : "", s, shorten(context)));
}

Connection::Connection(const std::string& conninfo) {
  // Defaults placed before "dbname" (expanded from the URI) so the URI's own settings win.
  const char* keys[] = {"connect_timeout", "client_encoding", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "UTF8", "coop", conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = conn_ ? trim_message(PQerrorMessage(conn_)) : "out of memory";
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw DbError(DbError::Kind::connection, fmt::format("postgres: cannot connect: {}", msg));
  }
  PQsetNoticeProcessor(conn_, notice_to_log, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::reset() {
  statements_.clear();
  PQreset(conn_);
  if (ok()) PQsetNoticeProcessor(conn_, notice_to_log, nullptr);
  return ok();
}

ResultPtr Connection::exec_simple(std::string_view sql) {
  std::string text(sql);
  ResultPtr r(PQexec(conn_, text.c_str()));
  if (!result_ok(r.get())) throw make_error(conn_, r.get(), sql);
  return r;
}

// Prepares `name`. When some parameters are typed (int8/float8) and the server cannot resolve the
// statement with those types - typically a function taking int4 only, such as substr(text, int,
// int) or make_date - it is prepared again with every parameter "unknown", which resolves like a
// quoted literal would. A failed Parse aborts the enclosing transaction, so the typed attempt runs
// inside a savepoint; this costs two round trips, once per statement and connection.
ResultPtr Connection::prepare(const std::string& name, const std::string& sql, const std::vector<Oid>& types) {
  const int n = static_cast<int>(types.size());
  bool typed = false;
  for (Oid t : types) typed = typed || t != 0;
  if (!typed) return ResultPtr(PQprepare(conn_, name.c_str(), sql.c_str(), n, types.data()));

  const bool in_tx = PQtransactionStatus(conn_) == PQTRANS_INTRANS;
  if (in_tx) exec_simple("SAVEPOINT coop_prepare");
  ResultPtr p(PQprepare(conn_, name.c_str(), sql.c_str(), n, types.data()));
  if (!result_ok(p.get()) && p.get()) {
    const char* state = PQresultErrorField(p.get(), PG_DIAG_SQLSTATE);
    std::string_view st = state ? state : "";
    // undefined_function, ambiguous_function, datatype_mismatch, cannot_coerce, indeterminate_datatype
    if (st == "42883" || st == "42725" || st == "42804" || st == "42846" || st == "42P18") {
      if (in_tx) exec_simple("ROLLBACK TO SAVEPOINT coop_prepare");
      std::vector<Oid> unknown(types.size(), 0);
      p = ResultPtr(PQprepare(conn_, name.c_str(), sql.c_str(), n, unknown.data()));
    }
  }
  // After a final failure the transaction is aborted, as for any failed statement.
  if (in_tx && PQtransactionStatus(conn_) == PQTRANS_INTRANS) exec_simple("RELEASE SAVEPOINT coop_prepare");
  return p;
}

ResultPtr Connection::execute(std::string_view sql, const Params& params) {
  // Parameter types: int64 -> int8 and double -> float8, so `SELECT ?` and `? + 1` keep their
  // type and an int8 compares with any integer column (index-usable cross-type operators).
  // Text and NULL are sent as "unknown" (0) and take the type the server infers from the context,
  // which lets a string feed a date, timestamptz, uuid or jsonb column. (Consequence: a bare
  // `? IS NULL` cannot be typed by the server; write `CAST(? AS TEXT) IS NULL`.)
  // Where those types do not resolve, see prepare(). The statement is prepared per distinct type
  // signature, hence the key.
  std::string key;
  key.reserve(params.size() + 1 + sql.size());
  std::vector<Oid> types(params.size(), 0);
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (auto* n = std::get_if<std::int64_t>(&v)) {
      key += 'i';
      types[i] = kInt8;
      texts[i] = std::to_string(*n);
      values[i] = texts[i].c_str();
    } else if (auto* d = std::get_if<double>(&v)) {
      key += 'd';
      types[i] = kFloat8;
      texts[i] = double_text(*d);
      values[i] = texts[i].c_str();
    } else if (auto* s = std::get_if<std::string>(&v)) {
      key += 'u';
      // Text-format parameters are C strings: a NUL byte would silently cut the value.
      if (s->find('\0') != std::string::npos)
        throw DbError(DbError::Kind::other, "postgres: text parameter contains a NUL byte");
      values[i] = s->c_str();
    } else {
      key += 'u';  // NULL: values[i] stays nullptr
    }
  }
  key += '|';
  key += sql;

  auto it = statements_.find(key);
  if (it == statements_.end()) {
    auto rewritten = rewrite_placeholders_cached(sql);
    if (rewritten->params != static_cast<int>(params.size())) {
      throw DbError(DbError::Kind::other, fmt::format("postgres: statement expects {} parameters, got {}: {}",
                                                      rewritten->params, params.size(), shorten(sql)));
    }
    if (statements_.size() >= kMaxPreparedStatements && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
      // Bound the server-side memory; prepared statements are not transactional, so this is
      // safe inside a transaction.
      ResultPtr d(PQexec(conn_, "DEALLOCATE ALL"));
      if (result_ok(d.get())) statements_.clear();
    }
    std::string name = "coop_" + std::to_string(++next_statement_);
    ResultPtr p = prepare(name, rewritten->sql, types);
    if (!result_ok(p.get())) throw make_error(conn_, p.get(), sql);
    it = statements_.emplace(std::move(key), std::move(name)).first;
  }
  ResultPtr r(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                             nullptr, 0));
  if (!result_ok(r.get())) {
    const char* state = r.get() ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    // "cached plan must not change result type" after a schema change: forget the statement so
    // the next call prepares it again (the old server-side one is simply left unused).
    if (state && std::strcmp(state, "0A000") == 0) statements_.erase(it);
    throw make_error(conn_, r.get(), sql);
  }
  return r;
}

Rows to_rows(const PGresult* res) {
  Rows out;
  int ncols = PQnfields(res);
  int nrows = PQntuples(res);
  out.columns.reserve(ncols);
  std::vector<Oid> types(ncols);
  for (int c = 0; c < ncols; ++c) {
    out.columns.emplace_back(PQfname(res, c));
    types[c] = PQftype(res, c);
  }
  out.rows.reserve(nrows);
  for (int r = 0; r < nrows; ++r) {
    auto& row = out.rows.emplace_back();
    row.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c)) {
        row.emplace_back(nullptr);
        continue;
      }
      const char* s = PQgetvalue(res, r, c);
      int len = PQgetlength(res, r, c);
      switch (types[c]) {
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid: row.emplace_back(integer_value(s, len)); break;
        case kBool: row.emplace_back(std::int64_t{s[0] == 't' ? 1 : 0}); break;
        case kFloat4:
        case kFloat8: row.emplace_back(std::strtod(s, nullptr)); break;  // strtod reads NaN/Infinity
        case kNumeric:
          // Integral numerics (SUM of integers, COUNT-like arithmetic) read as int64, the rest as
          // double: what the callers of a portable SQL layer expect from SQLite too.
          if (std::memchr(s, '.', len) || std::memchr(s, 'e', len) || std::memchr(s, 'E', len) ||
              std::memchr(s, 'N', len) || std::memchr(s, 'I', len))
            row.emplace_back(std::strtod(s, nullptr));
          else
            row.emplace_back(integer_value(s, len));
          break;
        default: row.emplace_back(std::string(s, len));
      }
    }
  }
  return out;
}

namespace {
// One line of COPY … TO STDOUT in text format: fields separated by tabs, "\N" for NULL,
// backslash escapes (\b \f \n \r \t \v, \\, octal \ddd, hex \xhh, any other \c → c).
// Unescaping never lengthens a field, so it is done in place in libpq's buffer.
class CopyRow final : public RowView {
 public:
  void parse(char* line, int len) {
    fields_.clear();
    char* end = line + len;
    if (end > line && end[-1] == '\n') --end;
    char* p = line;
    for (;;) {
      char* start = p;
      char* out = p;
      // NULL is exactly the two characters \N (an escaped N inside a longer value is text).
      if (end - p >= 2 && p[0] == '\\' && p[1] == 'N' && (end - p == 2 || p[2] == '\t')) {
        fields_.push_back({std::string_view(), true});
        p += 2;
        if (p >= end) break;
        ++p;
        continue;
      }
      // A field never holds a raw tab (COPY writes it \t): find its end, and when it has no
      // backslash (nearly always) take it as it is, without the byte-by-byte unescaping.
      char* fin = static_cast<char*>(std::memchr(p, '\t', static_cast<std::size_t>(end - p)));
      if (!fin) fin = end;
      if (!std::memchr(p, '\\', static_cast<std::size_t>(fin - p))) {
        fields_.push_back({std::string_view(p, static_cast<std::size_t>(fin - p)), false});
        p = fin;
        if (p >= end) break;
        ++p;  // the tab
        continue;
      }
      while (p < end && *p != '\t') {
        if (*p != '\\' || p + 1 >= end) {
          *out++ = *p++;
          continue;
        }
        char c = p[1];
        p += 2;
        switch (c) {
          case 'b': *out++ = '\b'; break;
          case 'f': *out++ = '\f'; break;
          case 'n': *out++ = '\n'; break;
          case 'r': *out++ = '\r'; break;
          case 't': *out++ = '\t'; break;
          case 'v': *out++ = '\v'; break;
          case 'x': {
            int v = 0, k = 0;
            for (; k < 2 && p < end && std::isxdigit(static_cast<unsigned char>(*p)); ++k, ++p)
              v = v * 16 + (std::isdigit(static_cast<unsigned char>(*p)) ? *p - '0' : (std::tolower(static_cast<unsigned char>(*p)) - 'a' + 10));
            *out++ = k ? static_cast<char>(v) : 'x';
            break;
          }
          default:
            if (c >= '0' && c <= '7') {
              int v = c - '0';
              for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; ++k, ++p) v = v * 8 + (*p - '0');
              *out++ = static_cast<char>(v);
            } else {
              *out++ = c;
            }
        }
      }
      fields_.push_back({std::string_view(start, static_cast<std::size_t>(out - start)), false});
      if (p >= end) break;
      ++p;  // the tab
    }
  }
  int size() const override { return static_cast<int>(fields_.size()); }
  bool is_null(int i) const override { return fields_[i].null; }
  std::string_view text(int i) const override { return fields_[i].null ? std::string_view() : fields_[i].text; }
  std::int64_t integer(int i) const override {
    if (fields_[i].null) return 0;
    std::string_view t = fields_[i].text;
    if (t == "t") return 1;  // booleans, as to_rows reads them
    if (t == "f") return 0;
    return detail::integer_of_text(t);
  }

 private:
  struct Field {
    std::string_view text;
    bool null = false;
  };
  std::vector<Field> fields_;
};

struct CopyBuffer {
  char* p = nullptr;
  ~CopyBuffer() {
    if (p) PQfreemem(p);
  }
};
}  // namespace

void PgSession::stream(std::string_view select, const std::function<void(const RowView&)>& fn) {
  PGconn* conn = c_.handle();
  std::string sql = "COPY (" + std::string(select) + ") TO STDOUT";
  {
    ResultPtr start(PQexec(conn, sql.c_str()));
    if (!start.get() || PQresultStatus(start.get()) != PGRES_COPY_OUT) throw make_error(conn, start.get(), select);
  }
  CopyRow row;
  std::exception_ptr failed;
  for (;;) {
    CopyBuffer buf;
    int n = PQgetCopyData(conn, &buf.p, 0);
    if (n < 0) break;  // -1: done, -2: error (reported by PQgetResult below)
    if (failed) continue;  // drain: the connection stays usable
    try {
      row.parse(buf.p, n);
      fn(row);
    } catch (...) {
      failed = std::current_exception();
    }
  }
  ResultPtr end(PQgetResult(conn));
  while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
  if (!end.get() || PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
    if (!failed) throw make_error(conn, end.get(), select);
  }
  if (failed) std::rethrow_exception(failed);
}

Rows PgSession::query(std::string_view sql, const Params& params) { return to_rows(c_.execute(sql, params).get()); }

std::int64_t PgSession::exec(std::string_view sql, const Params& params) {
  ResultPtr r = c_.execute(sql, params);
  const char* n = PQcmdTuples(r.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

namespace {
bool has_returning(std::string_view sql) {
  // Case-insensitive search for the RETURNING keyword as a whole word.
  static constexpr std::string_view kw = "returning";
  for (std::size_t i = 0; i + kw.size() <= sql.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < kw.size() && match; ++k)
      match = std::tolower(static_cast<unsigned char>(sql[i + k])) == kw[k];
    if (!match) continue;
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if ((i == 0 || !word(sql[i - 1])) && (i + kw.size() == sql.size() || !word(sql[i + kw.size()]))) return true;
  }
  return false;
}
}  // namespace

std::int64_t PgSession::insert(std::string_view sql, const Params& params) {
  Rows rows;
  if (has_returning(sql)) {
    rows = query(sql, params);
  } else {
    std::string_view body = sql;
    while (!body.empty() && (std::isspace(static_cast<unsigned char>(body.back())) || body.back() == ';'))
      body.remove_suffix(1);
    rows = query(std::string(body) + " RETURNING id", params);
  }
  if (rows.empty() || rows.rows[0].empty()) return 0;
  return as_int(rows.rows[0][0]);
}

void PgSession::exec_script(std::string_view sql) { c_.exec_simple(sql); }

namespace {
// COPY text format: backslash, newline, carriage return and tab escaped; NULL is \N.
void copy_field(std::string& out, const Value& v) {
  if (auto* n = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*n);
  } else if (auto* d = std::get_if<double>(&v)) {
    out += double_text(*d);
  } else if (auto* s = std::get_if<std::string>(&v)) {
    for (char ch : *s) {
      switch (ch) {
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += ch;
      }
    }
  } else {
    out += "\\N";
  }
}
}  // namespace

std::int64_t PgSession::copy_rows(std::string_view table, const std::vector<std::string>& columns,
                                  const Params& values) {
  const std::size_t w = columns.size();
  if (w == 0 || values.size() % w != 0)
    throw std::invalid_argument(fmt::format("copy_rows: {} values for {} columns", values.size(), w));
  if (values.empty()) return 0;
  for (auto& v : values)  // checked before the COPY starts: nothing to abort half-way
    if (auto* s = std::get_if<std::string>(&v); s && s->find('\0') != std::string::npos)
      throw DbError(DbError::Kind::other, "postgres: text value contains a NUL byte");
  std::string sql = "COPY " + std::string(table) + " (";
  for (std::size_t i = 0; i < w; ++i) sql += (i ? ", " : "") + columns[i];
  sql += ") FROM STDIN";
  PGconn* conn = c_.handle();
  ResultPtr start(PQexec(conn, sql.c_str()));
  if (!start.get() || PQresultStatus(start.get()) != PGRES_COPY_IN) throw make_error(conn, start.get(), sql);
  std::string buf;
  buf.reserve(1 << 20);
  bool sent = true;
  for (std::size_t i = 0; i < values.size() && sent; ++i) {
    copy_field(buf, values[i]);
    buf += (i + 1) % w == 0 ? '\n' : '\t';
    if (buf.size() >= (1 << 20)) {
      sent = PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) == 1;
      buf.clear();
    }
  }
  if (sent && !buf.empty()) sent = PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) == 1;
  const bool ended = PQputCopyEnd(conn, sent ? nullptr : "copy_rows: sending failed") == 1;
  ResultPtr end(PQgetResult(conn));
  std::optional<DbError> error;
  if (!sent || !ended) error = DbError(DbError::Kind::connection, "postgres: COPY: " + trim_message(PQerrorMessage(conn)));
  else if (!end.get() || PQresultStatus(end.get()) != PGRES_COMMAND_OK) error = make_error(conn, end.get(), sql);
  std::int64_t n = 0;
  if (!error) {
    const char* t = PQcmdTuples(end.get());
    n = t && *t ? std::strtoll(t, nullptr, 10) : 0;
  }
  while (PGresult* rest = PQgetResult(conn)) PQclear(rest);  // the connection is ready again
  if (error) throw *error;
  return n;
}

}  // namespace coop::storage::postgres
