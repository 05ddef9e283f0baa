// SQL of coordination activities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/coordination/model.hpp"
#include "storage/database.hpp"

namespace coop::coordination::store {

using storage::Session;

struct Row {
  std::int64_t id = 0, coordinateur_id = 0;
  Draft d;
  std::string created_at, updated_at;
};

struct Filter {
  std::optional<std::string> du, au, type;
};

std::int64_t create(Session& s, std::int64_t coordinateur_id, const Draft& d);
std::optional<Row> by_id(Session& s, std::int64_t id);  // not deleted
// Newest first (date, then id); total of the filter.
std::pair<std::vector<Row>, std::int64_t> list(Session& s, std::int64_t coordinateur_id, const Filter& f,
                                               std::int64_t page, std::int64_t per_page);
bool soft_delete(Session& s, std::int64_t id);

}  // namespace coop::coordination::store
