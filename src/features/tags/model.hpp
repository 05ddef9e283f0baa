// Tags (étiquettes) put on activities: who may create, see and delete which. Pure.
//  - personnel: created by a mediator, seen and used by them only;
//  - equipe: created by a coordinator, seen and used by them and their current team members;
//  - departemental: created by an administrator for one département, seen by everyone working
//    there (structure employing them or lieu d'activité in that département) and by admins.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "features/accounts/model.hpp"

namespace coop::tags {

inline constexpr std::string_view portees[] = {"personnel", "equipe", "departemental"};
bool known_portee(std::string_view p);

inline constexpr std::size_t max_nom = 60;

using FieldErrors = std::map<std::string, std::string>;
// Shape of a new tag: nom 1–60 characters, known portée, a département for (and only for) a
// départemental tag. `departement_exists` tells whether the given code is a real département.
FieldErrors check_new_tag(std::string_view nom, std::string_view portee, const std::optional<std::string>& departement,
                          bool departement_exists);

// Whether `p` may create a tag of this portée (French refusal otherwise).
std::optional<std::string> check_creation_rights(const accounts::Principal& p, std::string_view portee);
// Whether `p` may delete a tag: its owner (personnel, equipe), an administrator (departemental).
bool can_delete(const accounts::Principal& p, std::string_view portee, std::optional<std::int64_t> owner_id);

}  // namespace coop::tags
