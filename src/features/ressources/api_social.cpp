// Collections (« bases »), favourites, « utile » votes, follows, comments.
#include "core/markdown.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/ressources/api_commun.hpp"

namespace coop::ressources::api {

using http::JsonBody;

namespace {

accounts::DroitsCollection droits(const Context& ctx, Session& s, const store::Collection& c) {
  const auto& u = ctx.user();
  const bool membre = c.structure_id && (store::employe(s, u.user_id, *c.structure_id, core::today()) ||
                                         accounts::can_manage_structure(u, *c.structure_id));
  return {.proprietaire = c.proprietaire_id == u.user_id, .de_structure = c.structure_id.has_value(),
          .employe_ou_gestionnaire = membre, .publique = c.publique};
}

json::object collection_json(const Context& ctx, Session& s, const store::Collection& c) {
  const auto d = droits(ctx, s, c);
  return {{"id", c.id},
          {"titre", c.titre},
          {"description", c.description},
          {"proprietaire", c.proprietaire_id ? json::value(json::object{{"id", *c.proprietaire_id}, {"nom", c.proprietaire_nom}})
                                             : json::value(nullptr)},
          {"structure", c.structure_id ? json::value(json::object{{"id", *c.structure_id}, {"nom", c.proprietaire_nom}})
                                       : json::value(nullptr)},
          {"publique", c.publique},
          {"nombre", c.nombre},
          {"cree_le", c.cree_le},
          {"modifie_le", c.modifie_le},
          {"moi", json::object{{"peut_modifier", accounts::ressources_peut_modifier_collection(ctx.user(), d)},
                               {"suit", store::suit(s, ctx.user().user_id, c.id, std::nullopt)}}}};
}

store::Collection visible(const Context& ctx, Session& s, std::int64_t id, bool pour_modifier) {
  auto c = store::collection(s, id);
  if (!c) throw http::not_found("Collection introuvable.");
  const auto d = droits(ctx, s, *c);
  if (!accounts::ressources_peut_voir_collection(ctx.user(), d)) throw http::not_found("Collection introuvable.");
  if (pour_modifier && !accounts::ressources_peut_modifier_collection(ctx.user(), d))
    throw http::forbidden("Seuls les propriétaires de cette collection la modifient.");
  return *c;
}

std::optional<std::int64_t> opt_id(const http::Request& req, const char* nom) {
  auto v = req.query_param(nom);
  if (!v || v->empty()) return std::nullopt;
  try {
    return std::stoll(*v);
  } catch (const std::exception&) {
    throw http::validation_error({{nom, "Identifiant invalide."}}, "Paramètre invalide.");
  }
}

Response lister_collections(Context& ctx) {
  auto o = ctx.db().read_value([&](Session& s) {
    json::array a;
    for (const auto& c : store::collections(s, ctx.user().user_id, core::today(), opt_id(ctx.req, "proprietaire"),
                                            opt_id(ctx.req, "structure"), ctx.req.query_param("miennes").value_or("") == "1"))
      a.push_back(collection_json(ctx, s, c));
    return json::object{{"items", std::move(a)}};
  });
  return http::json_response(200, o);
}

void lire_collection(JsonBody& b, store::Collection& c, bool creation) {
  if (auto t = b.text("titre", creation, kTitreMax)) c.titre = *t;
  if (auto d = b.text("description", false, kResumeMax)) c.description = *d;
  if (auto p = b.boolean("publique")) c.publique = *p;
}

Response creer_collection(Context& ctx) {
  JsonBody b(ctx.req.body);
  store::Collection c;
  lire_collection(b, c, true);
  std::optional<std::int64_t> structure;
  if (b.has("structure_id") && b.raw("structure_id") && !b.raw("structure_id")->is_null()) structure = b.integer("structure_id");
  b.done();
  auto o = ctx.db().write_value([&](Session& s) {
    const auto& u = ctx.user();
    if (structure) {
      if (!store::nom_structure(s, *structure)) throw http::validation_error({{"structure_id", "Structure inconnue."}});
      if (!accounts::ressources_peut_publier_pour(u, *structure, store::employe(s, u.user_id, *structure, core::today())))
        throw http::validation_error({{"structure_id", "Vous ne travaillez pas pour cette structure."}});
      c.structure_id = structure;
    } else {
      c.proprietaire_id = u.user_id;
    }
    auto id = store::creer_collection(s, c, u.user_id);
    return collection_json(ctx, s, *store::collection(s, id));
  });
  return http::json_response(201, o);
}

Response lire_une_collection(Context& ctx) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().read_value([&](Session& s) { return collection_json(ctx, s, visible(ctx, s, id, false)); });
  return http::json_response(200, o);
}

Response modifier_collection(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto o = ctx.db().write_value([&](Session& s) {
    auto c = visible(ctx, s, id, true);
    lire_collection(b, c, false);
    if (c.titre.empty()) b.add_error("titre", "Ce champ est obligatoire.");
    b.done();
    store::modifier_collection(s, c);
    return collection_json(ctx, s, *store::collection(s, id));
  });
  return http::json_response(200, o);
}

Response supprimer_collection(Context& ctx) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    visible(ctx, s, id, true);
    store::supprimer_collection(s, id);
  });
  return http::no_content();
}

Response element(Context& ctx, bool ajout) {
  auto id = ctx.path_id("id");
  auto rid = ctx.path_id("ressource_id");
  auto o = ctx.db().write_value([&](Session& s) {
    visible(ctx, s, id, true);
    charger(ctx, s, rid);  // only a resource the user sees
    if (ajout) store::ajouter(s, id, rid, ctx.user().user_id);
    else store::retirer(s, id, rid);
    return collection_json(ctx, s, *store::collection(s, id));
  });
  return http::json_response(200, o);
}

// PUT / DELETE of a per-user mark on a resource (favori, utile).
Response marque(Context& ctx, const char* table, bool oui) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (std::string_view(table) == "ressources_utiles") {
      if (v.droits.auteur && oui) throw http::validation_error({{"utile", "Vous ne votez pas pour votre propre ressource."}});
      store::basculer(s, table, ctx.user().user_id, id, oui);
      store::recompter_utiles(s, id);
    } else {
      store::basculer(s, table, ctx.user().user_id, id, oui);
    }
    return ressource_json(s, ctx, charger(ctx, s, id));
  });
  return http::json_response(200, o);
}

Response suivre_collection(Context& ctx, bool oui) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    visible(ctx, s, id, false);
    store::suivre(s, ctx.user().user_id, id, std::nullopt, oui);
  });
  return http::no_content();
}

Response suivre_auteur(Context& ctx, bool oui) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    if (s.query("SELECT 1 FROM users WHERE id = ?", {id}).empty()) throw http::not_found("Personne introuvable.");
    if (id == ctx.user().user_id && oui) throw http::validation_error({{"auteur", "Vous ne vous suivez pas vous-même."}});
    store::suivre(s, ctx.user().user_id, std::nullopt, id, oui);
  });
  return http::no_content();
}

Response mes_suivis(Context& ctx) {
  auto o = ctx.db().read_value([&](Session& s) {
    json::array a;
    for (const auto& f : store::suivis(s, ctx.user().user_id))
      a.push_back(json::object{{"type", f.collection_id ? "collection" : "auteur"},
                               {"id", f.collection_id ? *f.collection_id : f.auteur_id.value_or(0)},
                               {"nom", f.nom},
                               {"depuis", f.cree_le}});
    return json::object{{"items", std::move(a)}};
  });
  return http::json_response(200, o);
}

json::object commentaire_json(const Context& ctx, const store::Commentaire& c, bool moderer) {
  return {{"id", c.id},
          {"auteur", personne_json(c.auteur_id, c.auteur_nom)},
          {"html", c.html},
          {"texte", c.texte},
          {"cree_le", c.cree_le},
          {"peut_supprimer", moderer || c.auteur_id == ctx.user().user_id}};
}

Response lister_commentaires(Context& ctx) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    json::array a;
    for (const auto& c : store::commentaires(s, id)) a.push_back(commentaire_json(ctx, c, v.moderer));
    return json::object{{"items", std::move(a)}};
  });
  return http::json_response(200, o);
}

Response commenter(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto texte = b.text("texte", true, kCommentaireMax).value_or("");
  b.done();
  const auto html = markdown::rendre(texte, {.public_url = ctx.services.config.public_url}).html;
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (!v.droits.publiee) throw http::validation_error({{"texte", "Un brouillon ne se commente pas."}});
    const auto& u = ctx.user();
    auto cid = store::commenter(s, id, u.user_id, u.prenom.empty() ? u.nom : u.prenom + " " + u.nom, texte, html);
    return commentaire_json(ctx, *store::commentaire(s, cid), v.moderer);
  });
  return http::json_response(201, o);
}

Response supprimer_commentaire(Context& ctx) {
  auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    auto c = store::commentaire(s, id);
    if (!c) throw http::not_found("Commentaire introuvable.");
    auto v = charger(ctx, s, c->ressource_id);
    if (!(v.moderer || c->auteur_id == ctx.user().user_id))
      throw http::forbidden("Seuls son auteur et les modérateurs suppriment ce commentaire.");
    store::supprimer_commentaire(s, id);
    if (c->auteur_id != ctx.user().user_id)
      accounts::store::audit(s, "ressource_commentaire_supprime", c->auteur_id, ctx.user().user_id, "", ctx.ip(),
                             "commentaire " + std::to_string(id) + " de la ressource " + std::to_string(c->ressource_id));
  });
  return http::no_content();
}

}  // namespace

void routes_social(http::Router& r) {
  auto who = accounts::access::logged_in();
  r.add("GET", "/api/ressources/collections", who, lister_collections);
  r.add("POST", "/api/ressources/collections", who, creer_collection);
  r.add("GET", "/api/ressources/collections/{id}", who, lire_une_collection);
  r.add("PATCH", "/api/ressources/collections/{id}", who, modifier_collection);
  r.add("DELETE", "/api/ressources/collections/{id}", who, supprimer_collection);
  r.add("PUT", "/api/ressources/collections/{id}/ressources/{ressource_id}", who, [](Context& c) { return element(c, true); });
  r.add("DELETE", "/api/ressources/collections/{id}/ressources/{ressource_id}", who, [](Context& c) { return element(c, false); });
  r.add("PUT", "/api/ressources/collections/{id}/suivi", who, [](Context& c) { return suivre_collection(c, true); });
  r.add("DELETE", "/api/ressources/collections/{id}/suivi", who, [](Context& c) { return suivre_collection(c, false); });
  r.add("PUT", "/api/ressources/auteurs/{id}/suivi", who, [](Context& c) { return suivre_auteur(c, true); });
  r.add("DELETE", "/api/ressources/auteurs/{id}/suivi", who, [](Context& c) { return suivre_auteur(c, false); });
  r.add("GET", "/api/ressources/suivis", who, mes_suivis);
  r.add("PUT", "/api/ressources/{id}/favori", who, [](Context& c) { return marque(c, "ressources_favoris", true); });
  r.add("DELETE", "/api/ressources/{id}/favori", who, [](Context& c) { return marque(c, "ressources_favoris", false); });
  r.add("PUT", "/api/ressources/{id}/utile", who, [](Context& c) { return marque(c, "ressources_utiles", true); });
  r.add("DELETE", "/api/ressources/{id}/utile", who, [](Context& c) { return marque(c, "ressources_utiles", false); });
  r.add("GET", "/api/ressources/{id}/commentaires", who, lister_commentaires);
  r.add("POST", "/api/ressources/{id}/commentaires", who, commenter);
  r.add("DELETE", "/api/ressources/commentaires/{id}", who, supprimer_commentaire);
}

}  // namespace coop::ressources::api
