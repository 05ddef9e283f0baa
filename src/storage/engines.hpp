// Storage-internal: how open_database() reaches the engines, and the process-wide pool metrics.
// Not for use outside src/storage and its tests.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace coop::storage::detail {

// path: a file path; an empty path means a private temporary database (":memory:" in the URL),
// deleted when closed.
std::unique_ptr<Database> open_sqlite(const std::string& path, const Options& options);
// conninfo: any libpq connection string or URI.
std::unique_ptr<Database> open_postgres(const std::string& conninfo, const Options& options);

// Pool gauges (coop_db_pool_size / _in_use / _waiting) are registered with
// core::Metrics::global() once per process; the registered functions sum stats() over the
// databases currently in this registry. Metrics keeps its std::function forever, so it must
// never capture a Database: engines add themselves once fully constructed and remove themselves
// in close() (before tearing anything down). The registry lock is taken around stats() calls, so
// stats() must not take it and must be callable at any time until remove_pool() has returned.
// Decimal text (optional leading '+' or '-') → integer; throws DbError otherwise (RowView::integer).
std::int64_t integer_of_text(std::string_view text);

void add_pool(const Database* db);
void remove_pool(const Database* db);

}  // namespace coop::storage::detail
