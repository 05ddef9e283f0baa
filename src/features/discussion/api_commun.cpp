#include "features/discussion/api_commun.hpp"

#include "core/time.hpp"
#include "features/discussion/adhesions.hpp"
#include "features/discussion/model.hpp"
#include "features/fichiers/store.hpp"
#include "http/errors.hpp"

namespace coop::discussion::api {

void verifier_non_banni(const Context& ctx, Session& s) {
  if (store::banni(s, ctx.user().user_id))
    throw http::ApiError(403, "banni", "Vous avez été exclu de l'espace de discussion par un administrateur.");
}

Vue charger(const Context& ctx, Session& s, std::int64_t canal_id) {
  auto c = store::canal(s, canal_id);
  if (!c) throw http::not_found("Canal introuvable.");
  Vue v{.canal = *c, .membre = store::membre(s, canal_id, ctx.user().user_id), .droits = {}};
  v.droits.type = c->type;
  v.droits.archive = c->archive;
  v.droits.membre = v.membre.has_value();
  v.droits.moderateur = v.membre && v.membre->role == "moderateur";
  v.droits.en_sourdine = v.membre && v.membre->sourdine_jusqu_au && *v.membre->sourdine_jusqu_au > core::now_iso();
  v.droits.banni = store::banni(s, ctx.user().user_id);
  v.lire = accounts::discussion_peut_lire(ctx.user(), v.droits);
  v.ecrire = accounts::discussion_peut_ecrire(ctx.user(), v.droits);
  v.moderer = accounts::discussion_peut_moderer(ctx.user(), v.droits);
  if (v.droits.banni) verifier_non_banni(ctx, s);
  if (!v.lire) throw http::not_found("Canal introuvable.");
  return v;
}

void synchroniser_moi(Context& ctx) {
  const auto today = core::today();
  const auto uid = ctx.user().user_id;
  bool ok = ctx.db().read_value([&](Session& s) { return a_jour(s, ctx.services.territoires, uid, today); });
  if (ok) return;
  Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    synchroniser(s, ctx.services.territoires, uid, today, &j);
  });
  publier(ctx, j);
}

json::value personne_json(std::optional<std::int64_t> id, const std::string& nom) {
  if (!id) return json::object{{"id", nullptr}, {"nom", "Compte supprimé"}};
  return json::object{{"id", *id}, {"nom", nom}};
}

json::object canal_json(Session& s, const Context& ctx, const Vue& v, std::int64_t nb_membres, std::int64_t non_lus,
                        std::int64_t mentions_non_lues) {
  const auto& c = v.canal;
  std::string nom = c.nom;
  json::object o{{"id", c.id},
                 {"type", c.type},
                 {"code", c.code},
                 {"nom", nom},
                 {"description", c.description},
                 {"archive", c.archive},
                 {"membre", v.membre.has_value()},
                 {"role", v.membre ? json::value(v.membre->role) : json::value(nullptr)},
                 {"peut_ecrire", v.ecrire},
                 {"peut_moderer", v.moderer},
                 {"en_sourdine_jusqu_au",
                  v.droits.en_sourdine ? json::value(*v.membre->sourdine_jusqu_au) : json::value(nullptr)},
                 {"nb_membres", nb_membres},
                 {"non_lus", v.membre ? non_lus : 0},
                 {"mentions_non_lues", v.membre ? mentions_non_lues : 0},
                 {"dernier_message_le", c.dernier_message_le ? json::value(*c.dernier_message_le) : json::value(nullptr)}};
  o["participants"] = json::array{};
  if (c.type == "direct") {
    json::array parts;
    std::string noms;
    for (auto& p : store::participants(s, c.id)) {
      parts.push_back(json::object{{"id", p.id}, {"nom", p.nom}});
      if (p.id != ctx.user().user_id) noms += (noms.empty() ? "" : ", ") + p.nom;
    }
    o["participants"] = std::move(parts);
    o["nom"] = noms.empty() ? std::string("Notes personnelles") : noms;
  }
  return o;
}

json::object canal_json(Session& s, const Context& ctx, const Vue& v) {
  auto nb = store::nb_membres(s, {v.canal.id});
  auto nl = store::non_lus_par_canal(s, ctx.user().user_id);
  auto mn = store::mentions_non_lues_par_canal(s, ctx.user().user_id);
  return canal_json(s, ctx, v, nb[v.canal.id], nl[v.canal.id], mn[v.canal.id]);
}

json::object sujet_json(const store::Sujet& t, std::int64_t non_lus) {
  return {{"id", t.id},
          {"canal_id", t.canal_id},
          {"titre", t.titre},
          {"nb_messages", t.nb_messages},
          {"non_lus", non_lus},
          {"dernier_message_le", t.dernier_message_le ? json::value(*t.dernier_message_le) : json::value(nullptr)},
          {"dernier_auteur", t.dernier_message_le ? personne_json(t.dernier_auteur_id, t.dernier_auteur_nom)
                                                  : json::value(nullptr)}};
}

namespace {

using Pieces = std::map<std::int64_t, json::array>;

Pieces pieces(Session& s, const std::vector<std::int64_t>& ids) {
  Pieces out;
  if (ids.empty()) return out;
  for (auto& p : fichiers::store::pieces(s, domaine_fichiers, ids))
    out[p.objet_id].push_back(json::object{
        {"sha256", p.fichier.sha256}, {"nom", p.nom}, {"type", p.fichier.type}, {"taille", p.fichier.taille}});
  return out;
}

json::object un_message(const store::Message& m, const std::vector<store::Reaction>* rs, bool mentionne_moi,
                        bool moderateur, const std::set<std::int64_t>* mentions, Pieces& fichiers) {
  const bool supprime = m.supprime_le.has_value();
  json::array reactions, cartes;
  if (rs && !supprime)
    for (auto& r : *rs) reactions.push_back(json::object{{"emoji", r.emoji}, {"nb", r.nb}, {"moi", r.moi}});
  if (!supprime) {
    std::size_t i = 0;
    while (i < m.liens.size()) {
      auto j = m.liens.find('\n', i);
      if (j == std::string::npos) j = m.liens.size();
      if (j > i) {
        auto chemin = m.liens.substr(i, j - i);
        cartes.push_back(json::object{{"chemin", chemin}, {"titre", titre_carte(chemin)}});
      }
      i = j + 1;
    }
  }
  json::object o{{"id", m.id},
                 {"canal_id", m.canal_id},
                 {"sujet_id", m.sujet_id},
                 {"sujet_titre", m.sujet_titre},
                 {"auteur", personne_json(m.auteur_id, m.auteur_nom)},
                 {"texte", supprime ? "" : m.texte},
                 {"html", supprime ? "" : m.html},
                 {"cree_le", m.cree_le},
                 {"modifie_le", m.modifie_le ? json::value(*m.modifie_le) : json::value(nullptr)},
                 {"supprime", supprime},
                 {"epingle", m.epingle_le.has_value()},
                 {"reactions", std::move(reactions)},
                 {"fichiers", supprime ? json::array{} : fichiers[m.id]},
                 {"cartes", std::move(cartes)},
                 {"mentionne_moi", mentionne_moi},
                 {"texte_supprime", supprime && moderateur ? json::value(m.texte) : json::value(nullptr)}};
  if (mentions) {
    json::array ids;
    for (auto id : *mentions) ids.push_back(id);
    o["mentions"] = std::move(ids);
  }
  return o;
}

}  // namespace

json::array messages_json(Session& s, const std::vector<store::Message>& ms, std::int64_t viewer, bool moderateur) {
  std::vector<std::int64_t> ids;
  for (auto& m : ms) ids.push_back(m.id);
  auto rs = store::reactions(s, ids, viewer);
  auto mentionnes = viewer ? store::mentionne(s, viewer, ids) : std::set<std::int64_t>{};
  auto fichiers = pieces(s, ids);
  json::array out;
  for (auto& m : ms) {
    auto it = rs.find(m.id);
    out.push_back(un_message(m, it == rs.end() ? nullptr : &it->second, mentionnes.contains(m.id), moderateur, nullptr,
                             fichiers));
  }
  return out;
}

json::object message_json(Session& s, const store::Message& m, std::int64_t viewer, bool moderateur) {
  auto rs = store::reactions(s, {m.id}, viewer);
  auto it = rs.find(m.id);
  auto fichiers = pieces(s, {m.id});
  if (viewer) {
    auto mentionnes = store::mentionne(s, viewer, {m.id});
    return un_message(m, it == rs.end() ? nullptr : &it->second, mentionnes.contains(m.id), moderateur, nullptr,
                      fichiers);
  }
  // The neutral form of events: who is mentioned, so each client knows whether it is itself.
  auto mentions = store::mentionnes(s, m.id);
  return un_message(m, it == rs.end() ? nullptr : &it->second, false, false, &mentions, fichiers);
}

}  // namespace coop::discussion::api
