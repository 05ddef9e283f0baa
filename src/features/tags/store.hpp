// SQL of tags (tables tags and activite_tags of migration 0004).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace coop::tags::store {

using storage::Session;

struct Tag {
  std::int64_t id = 0;
  std::string nom, portee;
  std::optional<std::int64_t> owner_id;
  std::optional<std::string> departement;
  std::string created_at;
  std::int64_t utilisations = 0;  // live activities carrying it (list only)
};

// Communes (INSEE) of the structures where `user_id` works on `today`: employments and
// lieux d'activité. Their départements decide which départemental tags the user sees.
std::vector<std::string> communes_of_user(Session& s, std::int64_t user_id, const std::string& today);

// Who sees which tags — the one rule. GET /api/tags lists exactly the tags visible() returns, and
// an activity may carry only tags visible_among() keeps (build a Viewer with tags::viewer_of):
// personal tags the user owns; team tags they own or of a coordinator whose team they are a
// member of on `today`; départemental tags of `departements` (all of them when
// `all_departemental`: administrators).
struct Viewer {
  std::int64_t user_id = 0;
  std::vector<std::string> departements;
  bool all_departemental = false;
  std::string today;
};
// Sorted by portée then name.
std::vector<Tag> visible(Session& s, const Viewer& v);
// The ids among `ids` that `v` sees, ascending.
std::vector<std::int64_t> visible_among(Session& s, const Viewer& v, const std::vector<std::int64_t>& ids);
std::optional<Tag> by_id(Session& s, std::int64_t id);
// Same name (case-insensitive) for the same owner and portée (or département).
bool exists(Session& s, const std::string& nom, const std::string& portee, std::optional<std::int64_t> owner_id,
            const std::optional<std::string>& departement);
std::int64_t create(Session& s, const std::string& nom, const std::string& portee, std::int64_t owner_id,
                    const std::optional<std::string>& departement);
// Removes the tag from its activities (their updated_at is bumped, so the public API feed
// reports the change) and deletes it.
void remove(Session& s, std::int64_t id);

}  // namespace coop::tags::store
