// Sign-up (« inscription ») rules: profiles, where a person stands in the sign-up steps, the
// limits on sign-up requests, the decision on a declared employment. Pure: no I/O, no SQL, no JSON.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/accounts/model.hpp"

namespace coop::inscription {

// A confirmation link is valid 24 hours, once.
inline constexpr std::chrono::hours validite_lien{24};
// Sign-up requests (and « renvoyer le lien ») counted over one hour.
inline constexpr std::chrono::hours fenetre_limite{1};
inline constexpr std::size_t motif_max = 500;
// A sign-up never confirmed is deleted by the hourly purge this long after its last link.
inline constexpr std::chrono::days non_confirmee_gardee{7};

// The profile chosen at sign-up. A conseiller numérique is a médiateur with the
// conseiller_numerique flag.
enum class Profil { mediateur, conseiller_numerique, coordinateur };
std::optional<Profil> parse_profil(std::string_view s);
std::string_view profil_name(Profil p);
accounts::RoleGrant profil_grant(Profil p);

// Where the person stands: the first step not done yet.
//   profil       no médiateur/coordinateur role yet
//   structure    no employment that is pending or confirmed
//   lieux        a médiateur without any lieu d'activité
//   premiers_pas everything done
//   termine      an account with other roles only (admin, gestionnaire, territorial): no steps
enum class Etape { profil, structure, lieux, premiers_pas, termine };
std::string_view etape_name(Etape e);
struct EtatParcours {
  std::vector<accounts::RoleGrant> roles;
  std::vector<std::string> statuts_emplois;  // statut of each employment of the person
  std::size_t lieux = 0;
};
Etape etape_courante(const EtatParcours& e);

// Sign-up requests over the window, per client address and per e-mail address.
struct Limites {
  int par_ip = 20;
  int par_adresse = 3;
};
bool limite_atteinte(std::int64_t demandes_ip, std::int64_t demandes_adresse, const Limites& l);

// A gestionnaire decides on a pending employment only. Returns a French refusal.
enum class Decision { confirmer, refuser };
std::optional<std::string> check_decision(std::string_view statut_actuel);
std::string_view statut_apres(Decision d);  // "confirme" | "refuse"

// The fields of the sign-up form (e-mail, prénom, nom, password, acceptance of the terms).
struct Demande {
  std::string email, prenom, nom, password;
  bool cgu = false;
};
accounts::FieldErrors check_demande(const Demande& d);

}  // namespace coop::inscription
