// Discussion model: the pure rules of channels, topics and messages (names, sizes, direct
// conversations, reactions, Coop page cards, search excerpts). No I/O, no SQL, no JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::discussion {

inline constexpr std::string_view types_canal[] = {"general", "region", "departement", "theme",
                                                   "groupe",  "direct", "annonces"};
bool type_canal_valide(std::string_view type);

inline constexpr std::size_t max_nom_canal = 80;
inline constexpr std::size_t max_description = 500;
inline constexpr std::size_t max_titre_sujet = 120;
inline constexpr std::size_t max_motif = 500;
inline constexpr std::size_t max_emoji = 32;
inline constexpr std::size_t max_participants_direct = 8;  // the user included
inline constexpr std::int64_t grand_canal = 50;  // above: only moderators notify @canal / @ici
inline constexpr std::string_view titre_conversation = "Conversation";
inline constexpr std::size_t max_fichiers = 10;  // attachments of one message
inline constexpr std::string_view domaine_fichiers = "discussion";  // fichiers::store references

// A SHA-256 as the file store names files: 64 lower-case hexadecimal digits.
bool empreinte_valide(std::string_view h);

// Limits of the discussion space (coop serve flags, docs/configuration.md).
struct Limites {
  std::size_t taille_max_message = 10000;  // bytes of markdown
  int messages_par_minute = 30;            // per user, across all channels
};

using Erreurs = std::map<std::string, std::string>;

// Each returns a French message, or nothing when the value is valid.
std::optional<std::string> verifier_nom_canal(std::string_view nom);
std::optional<std::string> verifier_titre_sujet(std::string_view titre);
std::optional<std::string> verifier_texte(std::string_view texte, std::size_t taille_max);
std::optional<std::string> verifier_emoji(std::string_view emoji);

// Key under which a topic title is unique in its channel (case, accents, spaces folded).
std::string cle_titre(std::string_view titre);

// A direct conversation: the participants (the user and the others, deduplicated, sorted) and
// its code "3,7,9". Error message when there are no others or more than 7.
struct Participants {
  std::vector<std::int64_t> ids;
  std::string code;
};
std::optional<std::string> participants_direct(std::int64_t moi, const std::vector<std::int64_t>& autres,
                                               Participants& out);

// @canal / @ici notify every member only in small channels, or when a moderator writes.
bool notification_groupe_permise(std::int64_t nb_membres, bool moderateur);

// Posting rate: true when one more message would go beyond the limit.
inline bool debit_depasse(std::int64_t messages_derniere_minute, int par_minute) {
  return par_minute > 0 && messages_derniere_minute >= par_minute;
}

// Title of the card shown for a link to a Coop page ("/activites/12" → "Activité n° 12").
std::string titre_carte(std::string_view chemin);

// Search excerpt of a message: its text HTML-escaped, cut to about `longueur` bytes around the
// first word matching one of the query's stems, every matching word wrapped in <mark>. A word
// matches when its French stem equals a stem of the query, or starts with the last one when
// `prefixe`.
std::string extrait(std::string_view texte, std::string_view requete, bool prefixe, std::size_t longueur = 240);


// A message's markdown with its mentions as people read them: @**Nom|42** and @**Nom** → @Nom.
std::string texte_lisible(std::string_view texte);

// Channel names: "Général", "Auvergne-Rhône-Alpes" for a région, "69 · Rhône" for a département.
std::string nom_departement(std::string_view code, std::string_view nom);

// A mute « until further notice » is one that ends in 2200 or later (the web sends
// 2200-01-01T00:00:00Z; the clock's time points stop in 2262).
inline constexpr std::string_view sourdine_indefinie = "2200-01-01T00:00:00.000Z";
// The end of a mute in words, Paris time: « jusqu'au 7 décembre 2026 à 19 h 05 », or
// « jusqu'à nouvel ordre » (from 2200 on); after « jusqu'au » the ISO text when it is not one.
std::string fin_sourdine(std::string_view iso);

}  // namespace coop::discussion
