// Merging duplicate lieux (issue 12 point 2, docs/api-contract.md « Lieux : doublons et fusion »):
// a proposed pair side by side with the default choices, the merge, the dismissal. Admin only.
#include <fmt/format.h>

#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/accounts/store.hpp"
#include "features/lieux/api_commun.hpp"
#include "features/lieux/fusion.hpp"
#include "features/lieux/store.hpp"
#include "features/statistiques/synchro.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/router.hpp"

namespace coop::lieux {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

namespace {

const char* nom_cote(fusion::Cote c) {
  return c == fusion::Cote::lieu ? "lieu" : "autre";
}

struct Paire {
  store::Doublon d;
  store::Enregistrement lieu, autre;
};

Paire lire_paire(Session& s, std::int64_t id) {
  auto d = store::doublon(s, id);
  if (!d) throw http::not_found("Proposition de doublon introuvable (déjà fusionnée ou lieu supprimé).");
  auto a = store::lire(s, d->lieu_id);
  auto b = store::lire(s, d->autre_id);
  if (!a || !b) throw http::not_found("Proposition de doublon introuvable (déjà fusionnée ou lieu supprimé).");
  return {.d = *d, .lieu = *a, .autre = *b};
}

fusion::Candidat candidat(const store::Enregistrement& e) {
  return {.lieu = &e.lieu, .completude = e.completude, .structure = e.structure_id.has_value()};
}

json::object doublon_json(const store::Doublon& d) {
  return {{"id", d.id},
          {"similarite", d.similarite},
          {"distance_m", d.distance_m ? json::value(*d.distance_m) : json::value(nullptr)},
          {"raisons", d.raisons},
          {"statut", d.statut},
          {"cree_le", d.cree_le}};
}

// GET /api/admin/lieux/doublons/{id}: both lieux in full, the default survivor and choices.
Response lire_doublon(Context& ctx) {
  auto p = ctx.db().read_value([&](Session& s) { return lire_paire(s, ctx.path_id("id")); });
  const auto ca = candidat(p.lieu), cb = candidat(p.autre);
  const bool fusionnable = !(p.lieu.structure_id && p.autre.structure_id);
  const auto survivant = fusion::survivant_par_defaut(ca, cb);
  const auto choix = fusion::choix_par_defaut(ca, cb, survivant);
  json::object choix_json;
  for (std::size_t i = 0; i < kNbChamps; ++i) choix_json[champs()[i].nom] = nom_cote(choix[i]);
  auto o = doublon_json(p.d);
  o["lieu"] = lieu_json(p.lieu);
  o["autre"] = lieu_json(p.autre);
  o["survivant_propose"] = nom_cote(survivant);
  o["choix_proposes"] = std::move(choix_json);
  o["fusionnable"] = fusionnable && p.d.statut == "propose";
  o["motif"] =
      !fusionnable
          ? json::value(
                "Ces deux lieux sont les fiches de deux structures Coop différentes : ils ne se fusionnent pas ici.")
      : p.d.statut != "propose" ? json::value("Cette proposition a été écartée.")
                                : json::value(nullptr);
  return http::json_response(200, o);
}

std::optional<fusion::Cote> cote_de(const json::value& v) {
  if (!v.is_string()) return std::nullopt;
  if (v.get_string() == "lieu") return fusion::Cote::lieu;
  if (v.get_string() == "autre") return fusion::Cote::autre;
  return std::nullopt;
}

// POST /api/admin/lieux/doublons/{id}/fusion {survivant, choix}: the merge.
Response fusionner_doublon(Context& ctx) {
  const auto id = ctx.path_id("id");
  http::JsonBody corps(ctx.req.body);
  std::optional<fusion::Cote> survivant;
  if (const auto* v = corps.raw("survivant"); !v)
    corps.add_error("survivant", "Choisissez le lieu conservé (« lieu » ou « autre »).");
  else if (!(survivant = cote_de(*v)))
    corps.add_error("survivant", "survivant : « lieu » ou « autre » attendu.");
  std::map<std::string, fusion::Cote> demandes;
  if (const auto* v = corps.raw("choix"); v && !v->is_null()) {
    if (!v->is_object())
      corps.add_error("choix", "choix : un objet { champ : « lieu » ou « autre » } attendu.");
    else
      for (const auto& kv : v->get_object()) {
        const std::string nom(kv.key());
        if (!champ_nomme(nom))
          corps.add_error("choix." + nom, fmt::format("choix : « {} » n'est pas un champ du standard.", nom));
        else if (auto c = cote_de(kv.value()))
          demandes[nom] = *c;
        else
          corps.add_error("choix." + nom, fmt::format("choix.{} : « lieu » ou « autre » attendu.", nom));
      }
  }
  corps.done();
  const auto& u = ctx.user();
  auto resultat = ctx.db().write_value([&](Session& s) {
    auto p = lire_paire(s, id);
    if (p.d.statut != "propose")
      throw http::conflict("Cette proposition a été écartée : ces lieux ne sont pas des doublons.", "doublon_ecarte");
    auto choix = fusion::choix_par_defaut(candidat(p.lieu), candidat(p.autre), *survivant);
    for (const auto& [nom, c] : demandes) choix[*champ_nomme(nom)] = c;
    const auto valeurs = fusion::valeurs_fusionnees(p.lieu.lieu, p.autre.lieu, choix, *survivant);
    auto a = analyser(valeurs.valeurs);
    if (!a.ok()) {
      std::map<std::string, std::string> erreurs;
      for (const auto& r : a.erreurs) erreurs.try_emplace("choix." + r.champ, r.message);
      throw http::validation_error(erreurs, "Les valeurs choisies ne forment pas un lieu valide.");
    }
    const auto& sv = *survivant == fusion::Cote::lieu ? p.lieu : p.autre;
    const auto& rt = *survivant == fusion::Cote::lieu ? p.autre : p.lieu;
    store::Fusion f;
    try {
      f = store::fusionner(s, sv.id, rt.id, a.lieu, a.horaires_valides, u.user_id, core::now_iso());
    } catch (const store::ErreurFusion& e) {
      throw http::conflict(e.what(), "fusion_impossible", {{e.champ, e.what()}});
    }
    accounts::store::audit(s, "lieux_fusionnes", std::nullopt, u.user_id, u.email, ctx.ip(),
                           fmt::format("lieu {} fusionné dans le lieu {}", rt.id, sv.id));
    return f;
  });
  if (!resultat.activites_orientees.empty())
    statistiques::activites_modifiees(ctx.services.bus, resultat.activites_orientees);
  auto apres = ctx.db().read_value([&](Session& s) { return store::lire(s, resultat.survivant_id); });
  if (!apres) throw http::not_found("Lieu introuvable.");
  json::array cs;
  for (const auto& c : resultat.changements)
    cs.push_back(json::object{{"champ", c.champ}, {"avant", c.avant}, {"apres", c.apres}});
  return http::json_response(200, json::object{{"lieu", lieu_json(*apres)},
                                               {"retire_id", resultat.retire_id},
                                               {"changements", std::move(cs)},
                                               {"doublons", resultat.doublons}});
}

// POST /api/admin/lieux/doublons/{id}/ecart: « Ce ne sont pas des doublons ».
Response ecarter_doublon(Context& ctx) {
  const auto id = ctx.path_id("id");
  const auto& u = ctx.user();
  auto d = ctx.db().write_value([&](Session& s) {
    auto d = store::doublon(s, id);
    if (!d) throw http::not_found("Proposition de doublon introuvable (déjà fusionnée ou lieu supprimé).");
    if (!store::ecarter_doublon(s, id)) throw http::conflict("Cette proposition a déjà été écartée.", "doublon_ecarte");
    accounts::store::audit(s, "lieux_doublon_ecarte", std::nullopt, u.user_id, u.email, ctx.ip(),
                           fmt::format("lieux {} et {} : pas des doublons", d->lieu_id, d->autre_id));
    d->statut = "ecarte";
    return *d;
  });
  return http::json_response(200, doublon_json(d));
}

}  // namespace

void register_routes_fusion(http::Router& r) {
  using namespace accounts::access;
  r.add("GET", "/api/admin/lieux/doublons/{id}", admin(), lire_doublon);
  r.add("POST", "/api/admin/lieux/doublons/{id}/fusion", admin(), fusionner_doublon);
  r.add("POST", "/api/admin/lieux/doublons/{id}/ecart", admin(), ecarter_doublon);
}

}  // namespace coop::lieux
