// Coordination activities of a coordinator (animation, événement, partenariat): validation in
// French, by field. Pure: no I/O, no SQL, no JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace coop::coordination {

inline constexpr std::string_view types[] = {"animation", "evenement", "partenariat"};
bool known_type(std::string_view t);
std::string_view type_label(std::string_view t);  // "Animation", "Événement", "Partenariat"

struct Draft {
  std::string type;
  std::string date;   // YYYY-MM-DD
  std::int64_t duree = 0;  // minutes
  std::string titre;
  std::optional<std::string> notes;
  std::int64_t participants = 0;
};

inline constexpr std::int64_t max_participants = 100000;
inline constexpr std::size_t max_titre = 200;
inline constexpr std::size_t max_notes = 5000;

using FieldErrors = std::map<std::string, std::string>;
// Rules: known type; a real date from 2020-01-01 up to `today`; 0 < durée ≤ 24 h; titre
// required (≤ 200 characters); notes ≤ 5000 characters; 0 ≤ participants ≤ 100 000.
FieldErrors check(const Draft& d, std::string_view today);

}  // namespace coop::coordination
