#include "features/inscription/model.hpp"

#include <algorithm>

namespace coop::inscription {

using accounts::Role;

std::optional<Profil> parse_profil(std::string_view s) {
  if (s == "mediateur") return Profil::mediateur;
  if (s == "conseiller_numerique") return Profil::conseiller_numerique;
  if (s == "coordinateur") return Profil::coordinateur;
  return std::nullopt;
}

std::string_view profil_name(Profil p) {
  switch (p) {
    case Profil::mediateur: return "mediateur";
    case Profil::conseiller_numerique: return "conseiller_numerique";
    case Profil::coordinateur: return "coordinateur";
  }
  return "";
}

accounts::RoleGrant profil_grant(Profil p) {
  switch (p) {
    case Profil::mediateur: return {Role::mediateur};
    case Profil::conseiller_numerique: return {Role::mediateur, std::nullopt, true};
    case Profil::coordinateur: return {Role::coordinateur};
  }
  return {Role::mediateur};
}

std::string_view etape_name(Etape e) {
  switch (e) {
    case Etape::profil: return "profil";
    case Etape::structure: return "structure";
    case Etape::lieux: return "lieux";
    case Etape::premiers_pas: return "premiers_pas";
    case Etape::termine: return "termine";
  }
  return "";
}

Etape etape_courante(const EtatParcours& e) {
  auto has = [&](Role r) { return std::any_of(e.roles.begin(), e.roles.end(), [&](auto& g) { return g.role == r; }); };
  const bool mediateur = has(Role::mediateur), coordinateur = has(Role::coordinateur);
  if (!mediateur && !coordinateur) return e.roles.empty() ? Etape::profil : Etape::termine;
  const bool employeur = std::any_of(e.statuts_emplois.begin(), e.statuts_emplois.end(),
                                     [](auto& s) { return s == "en_attente" || s == "confirme"; });
  if (!employeur) return Etape::structure;
  if (mediateur && e.lieux == 0) return Etape::lieux;
  return Etape::premiers_pas;
}

bool limite_atteinte(std::int64_t demandes_ip, std::int64_t demandes_adresse, const Limites& l) {
  return demandes_ip >= l.par_ip || demandes_adresse >= l.par_adresse;
}

std::optional<std::string> check_decision(std::string_view statut_actuel) {
  if (statut_actuel == "en_attente") return std::nullopt;
  if (statut_actuel == "confirme") return "Ce rattachement est déjà confirmé.";
  return "Ce rattachement a déjà été refusé.";
}

std::string_view statut_apres(Decision d) { return d == Decision::confirmer ? "confirme" : "refuse"; }

accounts::FieldErrors check_demande(const Demande& d) {
  accounts::FieldErrors errs;
  if (d.email.empty()) errs["email"] = "Ce champ est obligatoire.";
  else if (auto e = accounts::check_email(d.email)) errs["email"] = *e;
  if (auto e = accounts::check_name(d.prenom, true)) errs["prenom"] = *e;
  if (auto e = accounts::check_name(d.nom, true)) errs["nom"] = *e;
  if (d.password.empty()) errs["password"] = "Ce champ est obligatoire.";
  else if (auto e = accounts::check_password(d.password)) errs["password"] = *e;
  if (!d.cgu) errs["cgu"] = "Vous devez accepter les conditions générales d'utilisation.";
  return errs;
}

}  // namespace coop::inscription
