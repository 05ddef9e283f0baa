#include "features/accounts/policy.hpp"

#include <algorithm>

namespace coop::accounts {

std::string Access::describe() const {
  switch (kind) {
    case Kind::anyone: return "anyone";
    case Kind::logged_in: return "logged_in";
    case Kind::roles: {
      std::string s;
      for (Role r : all_roles)
        if (role_mask & (1u << static_cast<unsigned>(r))) s += (s.empty() ? "" : "|") + std::string(role_name(r));
      return s;
    }
    case Kind::api_client: return "api_client(" + scope + ")";
  }
  return "";
}

std::optional<int> check_access(const Access& a, const Principal* p, const std::vector<std::string>* client_scopes) {
  if (a.kind == Access::Kind::anyone) return std::nullopt;
  if (a.kind == Access::Kind::api_client) {
    if (!client_scopes) return 401;
    return std::find(client_scopes->begin(), client_scopes->end(), a.scope) != client_scopes->end()
               ? std::nullopt
               : std::optional<int>(403);
  }
  if (!p) return 401;
  if (a.kind == Access::Kind::logged_in) return std::nullopt;
  for (auto& g : p->roles)
    if (a.role_mask & (1u << static_cast<unsigned>(g.role))) return std::nullopt;
  return 403;
}

bool can_manage_structure(const Principal& p, std::int64_t structure_id) {
  if (p.is_admin()) return true;
  auto m = p.managed_structures();
  return std::find(m.begin(), m.end(), structure_id) != m.end();
}

bool can_view_structure(const Principal& p, std::int64_t structure_id, bool employed_there) {
  return employed_there || can_manage_structure(p, structure_id);
}

std::optional<std::string> check_invitation_rights(const Principal& p, Role role,
                                                   std::optional<std::int64_t> structure_id) {
  // An invitation carries no territoire: the territorial role is granted on the user's page.
  if (role == Role::territorial)
    return "Le rôle pilote territorial s'attribue depuis la fiche de l'utilisateur, une fois son compte créé.";
  if (p.is_admin()) return std::nullopt;
  if (p.has(Role::gestionnaire_structure)) {
    if ((role == Role::mediateur || role == Role::coordinateur) && structure_id &&
        can_manage_structure(p, *structure_id))
      return std::nullopt;
  }
  if (p.has(Role::coordinateur) && role == Role::mediateur) {
    if (!structure_id || can_manage_structure(p, *structure_id)) return std::nullopt;
  }
  return "Vous ne pouvez pas inviter une personne avec ce rôle ou dans cette structure.";
}

bool can_manage_team_member(const Principal& p, std::int64_t coordinateur_id) {
  return p.user_id == coordinateur_id && p.has(Role::coordinateur);
}

bool can_see_audit(const Principal& p) { return p.is_admin(); }

bool can_choose_profile(const Principal& p) { return p.roles.empty(); }

bool can_declare_employer(const Principal& p) { return p.has(Role::mediateur) || p.has(Role::coordinateur); }

bool can_decide_employment(const Principal& p, std::int64_t structure_id) { return can_manage_structure(p, structure_id); }


bool discussion_peut_moderer(const Principal& p, const DroitsCanal& c) {
  if (c.banni) return false;
  if (c.type == "direct") return false;  // nobody moderates a conversation between people
  if (p.is_admin()) return c.membre || (c.type != "groupe");
  return c.membre && c.moderateur;
}

bool discussion_peut_lire(const Principal& p, const DroitsCanal& c) {
  if (c.banni) return false;
  if (c.membre) return true;
  if (c.type == "theme" || c.type == "annonces") return true;
  return p.is_admin() && c.type != "groupe" && c.type != "direct";
}

bool discussion_peut_ecrire(const Principal& p, const DroitsCanal& c) {
  if (c.banni || c.archive || !c.membre) return false;
  if (c.type == "annonces") return discussion_peut_moderer(p, c);
  return !c.en_sourdine || discussion_peut_moderer(p, c);
}

bool discussion_peut_rejoindre(const Principal&, const DroitsCanal& c) {
  return !c.banni && !c.membre && !c.archive && (c.type == "theme" || c.type == "annonces");
}

bool discussion_peut_quitter(const DroitsCanal& c) {
  return c.membre && c.type != "general" && c.type != "region" && c.type != "departement";
}

bool discussion_peut_ajouter(const Principal& p, const DroitsCanal& c) {
  if (c.banni || c.archive) return false;
  if (c.type == "groupe") return c.membre;
  if (c.type == "theme" || c.type == "annonces") return discussion_peut_moderer(p, c);
  return false;
}

bool discussion_peut_creer(const Principal& p, std::string_view type) {
  if (type == "theme" || type == "groupe") return true;
  if (type == "annonces") return p.is_admin();
  return false;
}

bool discussion_peut_bannir(const Principal& p) { return p.is_admin(); }

bool discussion_peut_reagir(const Principal&, const DroitsCanal& c) {
  return c.membre && !c.archive && !c.banni && !c.en_sourdine;
}

bool discussion_peut_epingler(const Principal& p, const DroitsCanal& c) {
  if (c.archive || c.banni) return false;
  if (c.membre && (c.type == "direct" || c.type == "groupe")) return true;
  return discussion_peut_moderer(p, c);
}

bool discussion_peut_modifier_message(const Principal& p, const DroitsCanal& c, bool auteur) {
  return auteur && discussion_peut_ecrire(p, c);
}

bool discussion_peut_supprimer_message(const Principal& p, const DroitsCanal& c, bool auteur) {
  if (c.banni) return false;
  return (auteur && c.membre) || discussion_peut_moderer(p, c);
}

bool ressources_peut_moderer(const Principal& p) { return p.is_admin(); }

bool ressources_peut_voir(const Principal& p, const DroitsRessource& r) {
  if (r.auteur) return true;
  if (!r.publiee) return false;
  if (r.masquee && !ressources_peut_moderer(p)) return false;
  if (r.visibilite == "public") return true;
  if (r.visibilite == "equipe") return r.dans_le_reseau || r.gere_la_structure || ressources_peut_moderer(p);
  return false;
}

bool ressources_peut_modifier(const Principal&, const DroitsRessource& r) {
  return r.auteur || (r.gere_la_structure && r.publiee && r.visibilite != "prive");
}

bool ressources_peut_supprimer(const Principal& p, const DroitsRessource& r) {
  return ressources_peut_modifier(p, r) || (ressources_peut_moderer(p) && ressources_peut_voir(p, r));
}

bool ressources_peut_publier_pour(const Principal& p, std::int64_t structure_id, bool employe_la) {
  return employe_la || can_manage_structure(p, structure_id);
}

bool ressources_peut_voir_collection(const Principal& p, const DroitsCollection& c) {
  return c.publique || ressources_peut_modifier_collection(p, c);
}

bool ressources_peut_modifier_collection(const Principal&, const DroitsCollection& c) {
  return c.de_structure ? c.employe_ou_gestionnaire : c.proprietaire;
}

bool lieux_peut_modifier(const Principal& p, std::optional<std::int64_t> structure_id, bool mediateur_la) {
  if (p.is_admin()) return true;
  if (!structure_id) return false;
  if (p.has(Role::gestionnaire_structure) && can_manage_structure(p, *structure_id)) return true;
  return p.has(Role::mediateur) && mediateur_la;
}

bool lieux_voit_hors_carte(const Principal& p, bool tous, bool carte_seulement) {
  if (carte_seulement) return false;
  if (p.is_admin()) return true;
  return tous && (p.has(Role::gestionnaire_structure) || p.has(Role::mediateur));
}

bool reseaux_peut_creer(const Principal& p) {
  return p.is_admin() || p.has(Role::coordinateur) || p.has(Role::gestionnaire_structure);
}

bool reseaux_peut_animer(const Principal& p, const DroitsReseau& r) { return r.animateur || p.is_admin(); }

bool reseaux_peut_supprimer(const Principal& p, const DroitsReseau& r) { return r.createur || p.is_admin(); }

bool reseaux_peut_voir_chiffres(const Principal& p, const DroitsReseau& r) { return r.animateur || r.membre || p.is_admin(); }

bool reseaux_ajoute_directement(const Principal& p, std::int64_t structure_id) { return can_manage_structure(p, structure_id); }

bool reseaux_peut_repondre(const Principal& p, std::int64_t structure_id) { return can_manage_structure(p, structure_id); }

bool reseaux_peut_retirer_structure(const Principal& p, const DroitsReseau& r, std::int64_t structure_id) {
  return reseaux_peut_animer(p, r) || can_manage_structure(p, structure_id);
}

bool reseaux_peut_retirer_animateur(const Principal& p, const DroitsReseau& r, std::int64_t user_id) {
  return reseaux_peut_animer(p, r) || p.user_id == user_id;
}

bool reseaux_peut_etre_animateur(const std::vector<RoleGrant>& roles) {
  for (const auto& g : roles)
    if (g.role == Role::coordinateur || g.role == Role::gestionnaire_structure || g.role == Role::admin) return true;
  return false;
}

}  // namespace coop::accounts
