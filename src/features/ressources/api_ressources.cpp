// Resources: vocabulary, list and search with facets, read, create, update, delete, versions, copy.
#include "core/francais.hpp"
#include "core/markdown.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/ressources/api.hpp"
#include "features/ressources/api_commun.hpp"
#include "features/ressources/index.hpp"

namespace coop::ressources::api {

using http::JsonBody;

namespace {

json::array vocabulaire_json(std::span<const Code> v) {
  json::array a;
  for (const auto& c : v) a.push_back(json::object{{"code", c.code}, {"libelle", c.label}});
  return a;
}

// The structures the viewer may publish for (the select « Publier au nom de »): their current
// employments and the structures they manage, each checked with the policy's rule.
json::array mes_structures(const Context& ctx) {
  const auto& u = ctx.user();
  const auto aujourdhui = core::today();
  return ctx.db().read_value([&](Session& s) {
    json::array a;
    for (const auto& st : store::structures_de(s, u.user_id, u.managed_structures(), aujourdhui))
      if (accounts::ressources_peut_publier_pour(u, st.id, store::employe(s, u.user_id, st.id, aujourdhui)))
        a.push_back(json::object{{"id", st.id}, {"nom", st.nom}});
    return a;
  });
}

Response referentiel(Context& ctx) {
  return http::json_response(200, json::object{{"thematiques", vocabulaire_json(thematiques)},
                                               {"publics", vocabulaire_json(publics)},
                                               {"formats", vocabulaire_json(formats)},
                                               {"niveaux", vocabulaire_json(niveaux)},
                                               {"licences", vocabulaire_json(licences)},
                                               {"visibilites", vocabulaire_json(visibilites)},
                                               {"licence_defaut", licence_defaut},
                                               {"taille_max", static_cast<std::int64_t>(reglages().taille_max)},
                                               {"mes_structures", mes_structures(ctx)}});
}

std::optional<std::int64_t> id_param(const http::Request& req, const char* nom, std::map<std::string, std::string>& err) {
  auto v = req.query_param(nom);
  if (!v || v->empty()) return std::nullopt;
  try {
    std::size_t n = 0;
    auto x = std::stoll(*v, &n);
    if (n == v->size() && x > 0) return x;
  } catch (const std::exception&) {
  }
  err.emplace(nom, "Identifiant invalide.");
  return std::nullopt;
}

Response lister(Context& ctx) {
  store::Recherche q;
  std::map<std::string, std::string> err;
  const std::string texte = ctx.req.query_param("q").value_or("");
  const bool prefixe = ctx.req.query_param("prefixe").value_or("1") != "0";
  if (texte.size() > 200) err.emplace("q", "La recherche dépasse 200 caractères.");
  q.fts5 = francais::requete_fts5(texte, prefixe);
  q.tsquery = francais::requete_tsquery(texte, prefixe);
  for (auto f : facettes) {
    for (const auto& [k, v] : ctx.req.query)
      if (k == f) {
        if (!connu(vocabulaire(f), v)) err.emplace(std::string(f), "Valeur inconnue : « " + v + " ».");
        else q.filtres[std::string(f)].push_back(v);
      }
  }
  q.tri = ctx.req.query_param("tri").value_or(q.fts5.empty() ? "recent" : "pertinence");
  if (q.tri != "pertinence" && q.tri != "recent" && q.tri != "utiles" && q.tri != "populaires")
    err.emplace("tri", "Tri inconnu : pertinence, recent, utiles ou populaires.");
  q.auteur_id = id_param(ctx.req, "auteur", err);
  q.collection_id = id_param(ctx.req, "collection", err);
  q.structure_id = id_param(ctx.req, "structure", err);
  q.miennes = ctx.req.query_param("miennes").value_or("") == "1";
  q.favoris = ctx.req.query_param("favoris").value_or("") == "1";
  q.suivis = ctx.req.query_param("suivis").value_or("") == "1";
  q.facettes = ctx.req.query_param("facettes").value_or("1") != "0";
  if (!err.empty()) throw http::validation_error(err, "Paramètre de recherche invalide.");
  q.page = http::query_int(ctx.req, "page", 1, 1, 10000);
  q.par_page = http::query_int(ctx.req, "par_page", 20, 1, 100);
  const auto l = lecteur(ctx);
  auto o = ctx.db().read_value([&](Session& s) {
    if (q.collection_id) {  // a private collection lists nothing for others
      auto c = store::collection(s, *q.collection_id);
      if (!c) throw http::not_found("Collection introuvable.");
      const bool membre = c->structure_id && (store::employe(s, l.user_id, *c->structure_id, l.aujourdhui) ||
                                              accounts::can_manage_structure(ctx.user(), *c->structure_id));
      if (!accounts::ressources_peut_voir_collection(
              ctx.user(), {.proprietaire = c->proprietaire_id == l.user_id, .de_structure = c->structure_id.has_value(),
                           .employe_ou_gestionnaire = membre, .publique = c->publique}))
        throw http::not_found("Collection introuvable.");
    }
    if (!ctx.services.ressources)
      throw http::ApiError(503, "recherche_indisponible", "La recherche de ressources n'est pas disponible sur ce serveur.");
    auto res = ctx.services.ressources->rechercher(s, l, q);
    json::object f;
    for (auto facette : facettes) {
      json::array a;
      for (const auto& [code, n] : res.facettes[std::string(facette)])
        a.push_back(json::object{{"code", code}, {"libelle", libelle(vocabulaire(facette), code)}, {"nombre", n}});
      f[facette] = std::move(a);
    }
    return json::object{{"items", cartes_json(s, store::charger(s, res.ids))},
                        {"total", res.total},
                        {"page", q.page},
                        {"par_page", q.par_page},
                        {"tri", q.tri},
                        {"facettes", std::move(f)}};
  });
  return http::json_response(200, o);
}

Response lire(Context& ctx) {
  const auto id = ctx.path_id("id");
  bool compter = false;
  auto o = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    compter = v.r.auteur_id != ctx.user().user_id;
    return ressource_json(s, ctx, v);
  });
  if (compter) {  // a view by someone else than the author
    ctx.db().write([&](Session& s) { store::compter_vue(s, id); });
    o["compteurs"].as_object()["vues"] = o["compteurs"].as_object()["vues"].as_int64() + 1;
  }
  return http::json_response(200, o);
}

std::string rendu(const Context& ctx, const std::string& md) {
  return markdown::rendre(md, {.public_url = ctx.services.config.public_url}).html;
}

// The description as it would be shown, for the editor's « Aperçu » of unsaved text.
Response apercu(Context& ctx) {
  JsonBody b(ctx.req.body);
  if (!b.has("description")) b.add_error("description", "Ce champ est obligatoire.");
  const auto texte = b.text("description", false, kDescriptionMax).value_or("");
  b.done();
  return http::json_response(200, json::object{{"html", rendu(ctx, texte)}});
}

void attacher(const Context& ctx, Session& s, std::int64_t id, const std::vector<std::string>& shas) {
  for (const auto& sha : shas)
    if (!fichiers::store::referencer(s, sha, store::kDomaine, id, ctx.user().user_id))
      throw http::validation_error({{"fichiers", "Fichier inconnu : déposez-le d'abord."}});
}

Response creer(Context& ctx) {
  JsonBody b(ctx.req.body);
  Saisie x = lire_saisie(b);
  auto o = ctx.db().write_value([&](Session& s) {
    verifier(ctx, s, x, b);
    const auto& u = ctx.user();
    const std::string nom = u.prenom.empty() ? u.nom : u.prenom + " " + u.nom;
    auto id = store::creer(s, {.saisie = x, .description_html = rendu(ctx, x.description), .auteur_id = u.user_id,
                               .auteur_nom = nom, .origine_id = {}, .origine_credit = {}});
    attacher(ctx, s, id, x.fichiers);
    store::reindexer(s, id);
    accounts::store::audit(s, "ressource_creee", u.user_id, u.user_id, "", ctx.ip(), "ressource " + std::to_string(id));
    return ressource_json(s, ctx, charger(ctx, s, id));
  });
  return http::json_response(201, o);
}

Response modifier(Context& ctx) {
  const auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  Saisie x = lire_saisie(b);
  const auto note = b.text("note_version", false, kNoteMax).value_or("");
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (!v.modifier) throw http::forbidden("Seuls l'auteur et les gestionnaires de sa structure modifient cette ressource.");
    if (!x.structure_id && v.r.structure_id && v.r.auteur_id != ctx.user().user_id) x.structure_id = v.r.structure_id;
    verifier(ctx, s, x, b);
    store::modifier(s, id, {.saisie = x, .description_html = rendu(ctx, x.description), .auteur_id = ctx.user().user_id,
                            .auteur_nom = v.r.auteur_nom, .origine_id = {}, .origine_credit = {}},
                    note);
    attacher(ctx, s, id, store::ajuster_fichiers(s, id, x.fichiers));
    store::reindexer(s, id);
    accounts::store::audit(s, "ressource_modifiee", v.r.auteur_id, ctx.user().user_id, "", ctx.ip(),
                           "ressource " + std::to_string(id) + (note.empty() ? "" : " : " + note));
    return ressource_json(s, ctx, charger(ctx, s, id));
  });
  return http::json_response(200, o);
}

Response supprimer(Context& ctx) {
  const auto id = ctx.path_id("id");
  ctx.db().write([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (!v.supprimer) throw http::forbidden("Seuls l'auteur, les gestionnaires de sa structure et les modérateurs suppriment cette ressource.");
    store::supprimer(s, id);
    accounts::store::audit(s, "ressource_supprimee", v.r.auteur_id, ctx.user().user_id, "", ctx.ip(),
                           "ressource " + std::to_string(id) + " « " + v.r.titre + " »");
  });
  return http::no_content();
}

Response versions(Context& ctx) {
  const auto id = ctx.path_id("id");
  auto o = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    json::array a;
    a.push_back(json::object{{"version", v.r.version}, {"titre", v.r.titre}, {"note", nullptr}, {"le", v.r.modifie_le}, {"actuelle", true}});
    for (const auto& x : store::versions(s, id))
      a.push_back(json::object{{"version", x.version}, {"titre", x.titre}, {"note", x.note}, {"le", x.cree_le}, {"actuelle", false}});
    return json::object{{"items", std::move(a)}};
  });
  return http::json_response(200, o);
}

Response copier(Context& ctx) {
  const auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body.empty() ? "{}" : ctx.req.body);
  std::optional<std::int64_t> collection_id;
  if (b.has("collection_id") && b.raw("collection_id") && !b.raw("collection_id")->is_null()) collection_id = b.integer("collection_id");
  b.done();
  auto o = ctx.db().write_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (v.r.masque_le) throw http::conflict("Cette ressource est masquée par la modération.", "ressource_masquee");
    const auto& u = ctx.user();
    if (collection_id) {
      auto c = store::collection(s, *collection_id);
      const bool membre = c && c->structure_id && (store::employe(s, u.user_id, *c->structure_id, core::today()) ||
                                                   accounts::can_manage_structure(u, *c->structure_id));
      if (!c || !accounts::ressources_peut_modifier_collection(
                    u, {.proprietaire = c->proprietaire_id == u.user_id, .de_structure = c->structure_id.has_value(),
                        .employe_ou_gestionnaire = membre, .publique = c->publique}))
        throw http::validation_error({{"collection_id", "Choisissez une de vos collections."}});
    }
    Saisie x{.titre = v.r.titre, .resume = v.r.resume, .description = v.r.description, .thematiques = v.r.thematiques,
             .publics = v.r.publics, .format = v.r.format, .niveau = v.r.niveau, .duree_minutes = v.r.duree_minutes,
             .licence = v.r.licence, .visibilite = "prive", .statut = "brouillon", .structure_id = {}, .liens = v.r.liens,
             .fichiers = {}};
    const std::string nom = u.prenom.empty() ? u.nom : u.prenom + " " + u.nom;
    auto nouveau = store::creer(s, {.saisie = x, .description_html = v.r.description_html, .auteur_id = u.user_id,
                                    .auteur_nom = nom, .origine_id = id, .origine_credit = credit(v.r.titre, v.r.auteur_nom)});
    store::copier_fichiers(s, id, nouveau);
    if (collection_id) store::ajouter(s, *collection_id, nouveau, u.user_id);
    store::reindexer(s, nouveau);
    accounts::store::audit(s, "ressource_copiee", u.user_id, u.user_id, "", ctx.ip(),
                           "ressource " + std::to_string(nouveau) + " copiée de " + std::to_string(id));
    return ressource_json(s, ctx, charger(ctx, s, nouveau));
  });
  return http::json_response(201, o);
}

}  // namespace

void routes_ressources(http::Router& r) {
  auto who = accounts::access::logged_in();
  r.add("GET", "/api/ressources/referentiel", who, referentiel);
  r.add("GET", "/api/ressources", who, lister);
  r.add("POST", "/api/ressources", who, creer);
  r.add("POST", "/api/ressources/apercu", who, apercu);
  r.add("GET", "/api/ressources/{id}", who, lire);
  r.add("PUT", "/api/ressources/{id}", who, modifier);
  r.add("DELETE", "/api/ressources/{id}", who, supprimer);
  r.add("GET", "/api/ressources/{id}/versions", who, versions);
  r.add("POST", "/api/ressources/{id}/copie", who, copier);
}

}  // namespace coop::ressources::api
