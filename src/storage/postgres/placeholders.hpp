// Storage-internal: turns the `?` placeholders of Coop's portable SQL into PostgreSQL's $1, $2…
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace coop::storage::postgres {

struct RewrittenSql {
  std::string sql;
  int params = 0;  // number of placeholders found
};

// Replaces every `?` that is a placeholder by $1..$n, in order. A `?` inside a single-quoted
// literal (including E'…' with backslash escapes), a double-quoted identifier, a dollar-quoted
// string ($$…$$, $tag$…$tag$), a -- comment or a (nested) /* */ comment is left alone. PostgreSQL's
// own `?` operators (jsonb ?, ?|, ?&) therefore cannot be written in Coop SQL: use
// jsonb_exists() / jsonb_exists_any() / jsonb_exists_all() instead. Pure function.
RewrittenSql rewrite_placeholders(std::string_view sql);

// Same, memoised per SQL text (process-wide, thread-safe, bounded).
std::shared_ptr<const RewrittenSql> rewrite_placeholders_cached(std::string_view sql);

}  // namespace coop::storage::postgres
