// Engine-independent parts of the storage interface: value accessors, URL dispatch, and the
// process-wide pool gauges.
#include "storage/database.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

#include "core/metrics.hpp"
#include "storage/engines.hpp"

namespace coop::storage {

int Rows::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

namespace {

const char* type_name(const Value& v) {
  switch (v.index()) {
    case 0: return "NULL";
    case 1: return "integer";
    case 2: return "real";
    default: return "text";
  }
}

[[noreturn]] void mismatch(const Value& v, const char* wanted) {
  throw DbError(DbError::Kind::other, fmt::format("storage: cannot read a {} value as {}", type_name(v), wanted));
}

}  // namespace

std::int64_t as_int(const Value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) {
    // Only exact integers convert (e.g. a PostgreSQL numeric SUM); a fraction is a caller bug.
    // 2^63 itself is representable as a double but not as an int64, hence the strict bound.
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0)
      return static_cast<std::int64_t>(*d);
    mismatch(v, "an integer");
  }
  if (auto* s = std::get_if<std::string>(&v)) {
    // Numeric text converts (SQLite columns declared TEXT, PostgreSQL text-typed expressions).
    std::string_view t = *s;
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (!t.empty() && ec == std::errc() && end == t.data() + t.size()) return out;
    throw DbError(DbError::Kind::other, fmt::format("storage: text '{}' is not an integer", *s));
  }
  mismatch(v, "an integer");
}

std::int64_t detail::integer_of_text(std::string_view text) {
  std::string_view t = text;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  if (!t.empty() && ec == std::errc() && end == t.data() + t.size()) return out;
  throw DbError(DbError::Kind::other, fmt::format("storage: text '{}' is not an integer", text));
}

namespace {
// Session::stream's default: one materialised row seen through the RowView interface.
class ValuesRow final : public RowView {
 public:
  explicit ValuesRow(const std::vector<Value>& row) : row_(row) {}
  int size() const override { return static_cast<int>(row_.size()); }
  bool is_null(int i) const override { return storage::is_null(row_[i]); }
  std::string_view text(int i) const override {
    if (auto* s = std::get_if<std::string>(&row_[i])) return *s;
    scratch_ = as_text(row_[i]);
    return scratch_;
  }
  std::int64_t integer(int i) const override { return is_null(i) ? 0 : as_int(row_[i]); }

 private:
  const std::vector<Value>& row_;
  mutable std::string scratch_;
};
}  // namespace

void Session::stream(std::string_view select, const std::function<void(const RowView&)>& fn) {
  Rows rows = query(select);
  for (auto& r : rows.rows) fn(ValuesRow(r));
}

std::optional<std::int64_t> as_opt_int(const Value& v) {
  if (is_null(v)) return std::nullopt;
  return as_int(v);
}

std::string as_text(const Value& v) {
  switch (v.index()) {
    case 0: return {};
    case 1: return std::to_string(std::get<std::int64_t>(v));
    case 2: return fmt::format("{}", std::get<double>(v));  // shortest round-trip form
    default: return std::get<std::string>(v);
  }
}

std::optional<std::string> as_opt_text(const Value& v) {
  if (is_null(v)) return std::nullopt;
  return as_text(v);
}

double as_double(const Value& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v)) {
    std::string_view t = *s;
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    double out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (!t.empty() && ec == std::errc() && end == t.data() + t.size()) return out;
    throw DbError(DbError::Kind::other, fmt::format("storage: text '{}' is not a number", *s));
  }
  mismatch(v, "a number");
}

bool is_null(const Value& v) { return std::holds_alternative<std::nullptr_t>(v); }

std::unique_ptr<Database> open_database(const std::string& url, const Options& options) {
  auto starts = [&](std::string_view p) { return url.compare(0, p.size(), p) == 0; };
  if (starts("postgresql://") || starts("postgres://")) return detail::open_postgres(url, options);
  if (url == "sqlite::memory:" || url == ":memory:" || url == "sqlite://:memory:")
    return detail::open_sqlite({}, options);
  std::string path;
  if (starts("sqlite://")) {
    path = url.substr(9);  // sqlite:///abs/path -> /abs/path, sqlite://rel -> rel
  } else if (starts("sqlite:")) {
    path = url.substr(7);
  } else if (url.find("://") != std::string::npos) {
    throw DbError(DbError::Kind::connection, fmt::format("storage: unsupported database URL scheme in '{}'", url));
  } else {
    path = url;  // a bare path
  }
  if (path.empty()) throw DbError(DbError::Kind::connection, "storage: empty SQLite path in database URL");
  return detail::open_sqlite(path, options);
}

// ---------------------------------------------------------------------------------------------
// Pool gauges. Registered once; they read the live databases through this registry, never a
// captured pointer, so a destroyed Database can never be touched by a /metrics render.
namespace detail {
namespace {

struct PoolRegistry {
  std::mutex mu;
  std::vector<const Database*> dbs;
};

PoolRegistry& registry() {
  // Leaked on purpose: the gauge functions may run during static destruction.
  static auto* r = new PoolRegistry;
  return *r;
}

double sum_stats(int PoolStats::*field) {
  auto& r = registry();
  std::lock_guard lock(r.mu);
  double total = 0;
  for (const Database* db : r.dbs) total += db->stats().*field;
  return total;
}

void register_gauges_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& m = core::Metrics::global();
    m.gauge_fn("coop_db_pool_size", "Database connections open",
               [] { return sum_stats(&PoolStats::size); });
    m.gauge_fn("coop_db_pool_in_use", "Database connections currently lent out",
               [] { return sum_stats(&PoolStats::in_use); });
    m.gauge_fn("coop_db_pool_waiting", "Callers waiting for a database connection",
               [] { return sum_stats(&PoolStats::waiting); });
  });
}

}  // namespace

void add_pool(const Database* db) {
  register_gauges_once();
  auto& r = registry();
  std::lock_guard lock(r.mu);
  r.dbs.push_back(db);
}

void remove_pool(const Database* db) {
  auto& r = registry();
  std::lock_guard lock(r.mu);
  std::erase(r.dbs, db);
}

}  // namespace detail
}  // namespace coop::storage
