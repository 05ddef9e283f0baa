// « Mot de passe oublié »: the rules of password reset links (pure: no I/O, no SQL, no JSON).
//
// A person who forgot their password asks for a link by e-mail; the answer is the same whether
// an account exists or not. The link carries a 256-bit random token (only its SHA-256 is stored),
// works once, expires after one hour, and a successful reset cancels the account's other links
// and closes all its sessions. Requests are limited per address, per account and per IP address
// (counted in the audit log and the links table, so that limits hold across instances).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "features/courriels/model.hpp"

namespace coop::motdepasse {

inline constexpr std::chrono::minutes validite_lien{60};
inline constexpr std::size_t octets_jeton = 32;  // 256 bits

// Audit log events of the feature.
inline constexpr const char* evt_demande = "password_reset_requested";      // detail: what was done
inline constexpr const char* evt_limite = "password_reset_rate_limited";    // detail: adresse | compte | ip
inline constexpr const char* evt_lien_refuse = "password_reset_link_refused";  // detail: inconnu | utilise | annule | expire | ip
inline constexpr const char* evt_reinitialise = "password_reset_completed";  // detail: sessions closed

// Limits within `fenetre` (defaults: http::Config).
struct Limites {
  int par_adresse = 3;  // requests for one e-mail address (beyond: same answer, no mail)
  int par_compte = 3;   // links sent to one account (beyond: same answer, no mail)
  int par_ip = 20;      // requests from one IP address (beyond: 429); also refused links per IP
  std::chrono::minutes fenetre{60};
};

// What was counted within the window for one request.
struct Compteurs {
  std::int64_t adresse = 0;  // earlier requests for this address (answered, limited or not)
  std::int64_t compte = 0;   // links sent to the account of this address (0: no account)
  std::int64_t ip = 0;       // earlier requests from this IP address (not counting those refused with 429)
};

enum class Limite { aucune, ip, adresse, compte };
// The first limit reached: the IP address first (it alone changes the answer, to 429, and says
// nothing about the address asked), then the address, then the account.
Limite limite_atteinte(const Compteurs& c, const Limites& l);
std::string_view nom_limite(Limite l);  // "" | "ip" | "adresse" | "compte"

// A stored link as the rules need it.
struct Lien {
  std::string expires_at;                 // ISO-8601 UTC
  std::optional<std::string> used_at;     // the reset done with it
  std::optional<std::string> revoked_at;  // cancelled by a reset done with another link
  bool compte_desactive = false;
};
enum class EtatLien { valide, utilise, annule, expire, compte_desactive };
// `maintenant`: ISO-8601 UTC (instants compare as text). A used or cancelled link says so even
// after it has expired: what the person needs to know is that the password was changed.
EtatLien etat_lien(const Lien& l, std::string_view maintenant);
std::string_view nom_etat(EtatLien e);  // valide | utilise | annule | expire | compte_desactive

// The mails, in Coop's layout. `lien`: {public_url}/reinitialisation/{token}.
courriels::Courriel courriel_reinitialisation(const std::string& prenom, const std::string& email,
                                              std::optional<std::int64_t> user_id, const std::string& lien);
// `date`: YYYY-MM-DD (Europe/Paris); `public_url`: for the log-in and « mot de passe oublié » links.
// How it was changed: with a reset link (every session closed), or from « Mon compte » (the
// session that changed it stays open, the others are closed).
enum class Changement { lien_de_reinitialisation, mon_compte };
courriels::Courriel courriel_mot_de_passe_modifie(const std::string& prenom, const std::string& email,
                                                  std::int64_t user_id, const std::string& date,
                                                  const std::string& public_url,
                                                  Changement comment = Changement::lien_de_reinitialisation);

// "2026-12-07" → "7 décembre 2026" (the input unchanged when it is not a date).
std::string date_en_toutes_lettres(std::string_view date);

}  // namespace coop::motdepasse
