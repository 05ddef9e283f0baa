// How a Mattermost export maps onto Coop's discussion space. Pure rules.
//  - a channel becomes: « Général » for town-square; a département channel when its name or display
//    name says so (« 69-rhone », « departement-69 », « 2A Corse-du-Sud »: canal_cible); otherwise a
//    thematic channel (public, O) or a private group (P);
//  - a thread (a root post and its replies) becomes a topic named after the root message; root
//    posts without replies of one channel and one day (Europe/Paris) share a topic « Messages du
//    JJ/MM/AAAA »;
//  - direct and group messages become Coop direct conversations (2 to 8 people);
//  - users are matched to Coop accounts by e-mail address (never created): a post of an unknown
//    user is reported, not imported;
//  - every imported message has a stable source key, so importing the same file twice changes
//    nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "features/mattermost/lecture.hpp"

namespace coop::mattermost {

// Milliseconds since 1970 → "2024-03-12T08:15:00.000Z".
std::string instant(std::int64_t ms);
// The Europe/Paris day of an instant, "2024-03-12".
std::string jour_paris(std::int64_t ms);

// A topic title from a root message: its first non-empty line, markdown marks and mentions left
// out, spaces collapsed, at most `max` characters (cut at a word, « … »); « Sans titre » if empty.
std::string titre_de_fil(std::string_view message, std::size_t max = 60);
// The topic of root posts without replies, one a day: « Messages du 12/03/2024 ».
std::string titre_du_jour(std::string_view jour);

struct CanalCible {
  enum class Type { general, departement, theme, groupe } type = Type::theme;
  std::string departement;  // for Type::departement: the code (« 69 », « 2A », « 974 »)
  std::string nom;          // for theme/groupe: the display name (or the name)
  std::string description;  // purpose, else header
};
// `nom_departement`: the name of a département from its code, nullopt when there is none. A name
// counts as a département's when it is the code alone, « departement-<code> » / « dep-<code> », or
// the code followed by that département's name (« 69-rhone »): « 10-conseils » stays thematic.
CanalCible canal_cible(const Channel& c,
                       const std::function<std::optional<std::string>(std::string_view)>& nom_departement);

// Source keys (idempotence): a channel "mm:canal:<team>/<name>", a root post
// "mm:post:<team>/<channel>/<create_at>/<user>", its reply "<root key>/<create_at>/<user>", a
// direct post "mm:direct:<sorted members>/<create_at>/<user>".
std::string cle_canal(const Channel& c);
std::string cle_post(const Post& p);
std::string cle_reponse(std::string_view cle_racine, const Reply& r);
std::string cle_direct(const DirectPost& p);

// Mattermost emoji names → the emoji Coop stores (the common ones; others kept as « :name: »).
std::string emoji(std::string_view nom);

}  // namespace coop::mattermost
