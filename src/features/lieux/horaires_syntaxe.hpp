// The opening_hours syntax's words, shared by the strict parser (horaires.cpp) and the tolerant
// mode (horaires_tolerant.cpp). Internal to features/lieux.
#pragma once

#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace coop::lieux::horaires::syntaxe {

inline constexpr std::array<std::string_view, 7> kJours = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
inline constexpr std::array<std::string_view, 12> kMois = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
// What people write instead, lower case: English and French names and abbreviations ("mar" is
// left to March).
inline constexpr std::array<std::array<std::string_view, 6>, 7> kAutresJours = {{
    {"mon", "monday", "lu", "lun", "lundi", ""},
    {"tue", "tuesday", "ma", "tues", "mardi", ""},
    {"wed", "wednesday", "me", "mer", "mercredi", ""},
    {"thu", "thursday", "je", "jeu", "jeudi", "thur"},
    {"fri", "friday", "ve", "ven", "vendredi", ""},
    {"sat", "saturday", "sa", "sam", "samedi", ""},
    {"sun", "sunday", "di", "dim", "dimanche", ""},
}};
inline constexpr std::array<std::array<std::string_view, 3>, 12> kAutresMois = {{
    {"jan", "janvier", "january"}, {"feb", "février", "fevrier"}, {"mar", "mars", "march"},
    {"apr", "avril", "april"},     {"may", "mai", ""},            {"jun", "juin", "june"},
    {"jul", "juillet", "july"},    {"aug", "août", "aout"},       {"sep", "septembre", "september"},
    {"oct", "octobre", "october"}, {"nov", "novembre", "november"}, {"dec", "décembre", "decembre"},
}};

// A word's byte: an ASCII letter or any byte of a multi-byte UTF-8 character.
inline bool lettre(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

inline int index_de(std::string_view mot, const auto& table) {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i] == mot) return static_cast<int>(i);
  return -1;
}

inline std::string minuscule(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// The day (0–6) or month (0–11) another spelling means, or -1.
inline int autre_jour(std::string_view minuscules) {
  for (std::size_t i = 0; i < kAutresJours.size(); ++i)
    for (auto v : kAutresJours[i])
      if (!v.empty() && v == minuscules) return static_cast<int>(i);
  return -1;
}
inline int autre_mois(std::string_view minuscules) {
  for (std::size_t i = 0; i < kAutresMois.size(); ++i)
    for (auto v : kAutresMois[i])
      if (!v.empty() && v == minuscules) return static_cast<int>(i);
  return -1;
}

}  // namespace coop::lieux::horaires::syntaxe
