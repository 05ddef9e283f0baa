// Channels, the directory, direct conversations, members, topics, typing.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/api_commun.hpp"
#include "features/discussion/model.hpp"
#include "http/json.hpp"

namespace coop::discussion::api {

using http::JsonBody;
using http::Response;

namespace {

Response etat(Context& ctx) {
  synchroniser_moi(ctx);
  auto o = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    std::int64_t nl = 0, mn = 0;
    for (auto& [c, n] : store::non_lus_par_canal(s, ctx.user().user_id)) nl += n;
    for (auto& [c, n] : store::mentions_non_lues_par_canal(s, ctx.user().user_id)) mn += n;
    return json::object{{"seq", store::dernier_seq(s)}, {"non_lus", nl}, {"mentions_non_lues", mn}};
  });
  return http::json_response(200, o);
}

json::array liste(Session& s, const Context& ctx, const std::vector<store::Canal>& canaux) {
  std::vector<std::int64_t> ids;
  for (auto& c : canaux) ids.push_back(c.id);
  auto nb = store::nb_membres(s, ids);
  auto nl = store::non_lus_par_canal(s, ctx.user().user_id);
  auto mn = store::mentions_non_lues_par_canal(s, ctx.user().user_id);
  auto adh = store::adhesions_de(s, ctx.user().user_id);
  const bool banni = store::banni(s, ctx.user().user_id);
  const auto now = core::now_iso();
  json::array items;
  for (auto& c : canaux) {
    Vue v{.canal = c, .membre = std::nullopt, .droits = {}};
    if (auto it = adh.find(c.id); it != adh.end()) v.membre = it->second;
    v.droits = {.type = c.type,
                .archive = c.archive,
                .membre = v.membre.has_value(),
                .moderateur = v.membre && v.membre->role == "moderateur",
                .en_sourdine = v.membre && v.membre->sourdine_jusqu_au && *v.membre->sourdine_jusqu_au > now,
                .banni = banni};
    v.lire = accounts::discussion_peut_lire(ctx.user(), v.droits);
    v.ecrire = accounts::discussion_peut_ecrire(ctx.user(), v.droits);
    v.moderer = accounts::discussion_peut_moderer(ctx.user(), v.droits);
    items.push_back(canal_json(s, ctx, v, nb[c.id], nl[c.id], mn[c.id]));
  }
  return items;
}

Response mes_canaux(Context& ctx) {
  synchroniser_moi(ctx);
  auto items = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    return liste(s, ctx, store::canaux_de(s, ctx.user().user_id));
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response annuaire(Context& ctx) {
  auto q = core::fold(ctx.req.query_param("q").value_or(""));
  auto items = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    std::vector<store::Canal> canaux;
    for (auto& c : store::canaux_publics(s))
      if (q.empty() || core::fold(c.nom + " " + c.description).find(q) != std::string::npos) canaux.push_back(c);
    return liste(s, ctx, canaux);
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

// Two public channels never share a name (migration 0019): checked first for the message, and
// held by the unique index when two creations or renamings race (the loser gets the same 409).
http::ApiError nom_pris(const std::string& nom) {
  return http::conflict("Un canal public porte déjà ce nom.", "nom_pris",
                        {{"nom", "Un canal public s'appelle déjà « " + core::trim(nom) + " » : choisissez un autre nom "
                                 "ou rejoignez-le depuis l'annuaire."}});
}

template <typename F>
auto sans_doublon_de_nom(const std::string& nom, F&& f) {
  try {
    return f();
  } catch (const storage::DbError& e) {
    if (e.kind == storage::DbError::Kind::unique_violation) throw nom_pris(nom);
    throw;
  }
}

Response creer(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto type = b.text("type", true, 20).value_or("");
  auto nom = b.text("nom", true, 400).value_or("");
  auto description = b.text("description", false, 2000).value_or("");
  if (!type.empty() && type != "theme" && type != "groupe" && type != "annonces")
    b.add_error("type", "Type de canal invalide (theme, groupe ou annonces).");
  if (b.has("nom"))
    if (auto e = verifier_nom_canal(nom)) b.add_error("nom", *e);
  if (description.size() > max_description)
    b.add_error("description", "La description ne doit pas dépasser " + std::to_string(max_description) + " caractères.");
  b.done();
  if (!accounts::discussion_peut_creer(ctx.user(), type))
    throw http::forbidden("Seul un administrateur peut créer un canal d'annonces.");
  Journal j;
  auto o = sans_doublon_de_nom(nom, [&] { return ctx.db().write_value([&](Session& s) {
    j.vider();
    verifier_non_banni(ctx, s);
    if (type != "groupe" && store::canal_public_par_nom(s, core::trim(nom))) throw nom_pris(nom);
    auto id = store::creer_canal(s, type, "", core::trim(nom), description, ctx.user().user_id);
    store::ajouter_membre(s, id, ctx.user().user_id, "moderateur", false, "creation", ctx.user().user_id);
    j.canal(s, id, "canal", json::object{{"action", "cree"}});
    return canal_json(s, ctx, charger(ctx, s, id));
  }); });
  publier(ctx, j);
  return http::json_response(201, o);
}

Response direct(Context& ctx) {
  JsonBody b(ctx.req.body);
  std::vector<std::int64_t> autres;
  const auto* raw = b.raw("user_ids");
  if (!raw || !raw->is_array()) {
    b.add_error("user_ids", "Choisissez au moins une autre personne.");
  } else {
    for (auto& v : raw->as_array()) {
      if (!v.is_int64()) {
        b.add_error("user_ids", "Identifiants de personnes attendus.");
        break;
      }
      autres.push_back(v.as_int64());
    }
  }
  Participants parts;
  if (b.ok())
    if (auto e = participants_direct(ctx.user().user_id, autres, parts)) b.add_error("user_ids", *e);
  b.done();
  Journal j;
  bool cree = false;
  // Two people opening the same conversation at once: the unique (type, code) index lets one
  // create it; the other's transaction fails and it answers the conversation just created (200).
  auto ouvrir = [&] { return ctx.db().write_value([&](Session& s) {
    j.vider();
    cree = false;
    verifier_non_banni(ctx, s);
    if (store::utilisateurs_existants(s, parts.ids).size() != parts.ids.size())
      throw http::validation_error({{"user_ids", "Une des personnes choisies n'existe pas."}});
    auto existant = store::canal_par_code(s, "direct", parts.code);
    std::int64_t id = 0;
    if (existant) {
      id = existant->id;
    } else {
      cree = true;
      id = store::creer_canal(s, "direct", parts.code, "Conversation", "", ctx.user().user_id);
      for (auto u : parts.ids) store::ajouter_membre(s, id, u, "membre", false, "conversation", ctx.user().user_id);
      store::creer_sujet(s, id, std::string(titre_conversation), ctx.user().user_id);
      j.canal(s, id, "canal", json::object{{"action", "cree"}});
    }
    return canal_json(s, ctx, charger(ctx, s, id));
  }); };
  json::object o;
  try {
    o = ouvrir();
  } catch (const storage::DbError& e) {
    if (e.kind != storage::DbError::Kind::unique_violation) throw;
    o = ouvrir();  // finds the one the other request created
  }
  publier(ctx, j);
  return http::json_response(cree ? 201 : 200, o);
}

Response un_canal(Context& ctx) {
  auto id = ctx.path_id("id");
  auto o = ctx.db().read_value([&](Session& s) { return canal_json(s, ctx, charger(ctx, s, id)); });
  return http::json_response(200, o);
}

Response modifier(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto nom = b.text("nom", false, 400);
  auto description = b.text("description", false, 2000);
  auto archive = b.boolean("archive");
  if (nom)
    if (auto e = verifier_nom_canal(*nom)) b.add_error("nom", *e);
  if (description && description->size() > max_description)
    b.add_error("description", "La description ne doit pas dépasser " + std::to_string(max_description) + " caractères.");
  b.done();
  Journal j;
  auto o = sans_doublon_de_nom(nom.value_or(""), [&] { return ctx.db().write_value([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (!v.moderer) throw http::forbidden("Seuls les modérateurs du canal et les administrateurs le modifient.");
    if ((nom || description) && v.canal.type != "theme" && v.canal.type != "groupe" && v.canal.type != "annonces")
      throw http::validation_error({{"nom", "Le nom de ce canal suit son territoire : il ne se modifie pas."}});
    auto c = v.canal;
    if (nom) c.nom = core::trim(*nom);
    if (nom && c.nom != v.canal.nom && c.type != "groupe" && store::canal_public_par_nom(s, c.nom, id))
      throw nom_pris(c.nom);
    if (description) c.description = *description;
    if (archive) c.archive = *archive;
    store::modifier_canal(s, c);
    if (archive && *archive != v.canal.archive)
      accounts::store::audit(s, *archive ? "discussion_canal_archive" : "discussion_canal_desarchive", std::nullopt,
                             ctx.user().user_id, "", ctx.ip(), "canal " + std::to_string(id) + " « " + c.nom + " »");
    j.canal(s, id, "canal", json::object{{"action", "modifie"}, {"nom", c.nom}, {"archive", c.archive}});
    return canal_json(s, ctx, charger(ctx, s, id));
  }); });
  publier(ctx, j);
  return http::json_response(200, o);
}

Response rejoindre(Context& ctx) {
  auto id = ctx.path_id("id");
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (v.membre) return canal_json(s, ctx, v);
    if (!accounts::discussion_peut_rejoindre(ctx.user(), v.droits))
      throw http::forbidden(v.canal.archive ? "Ce canal est archivé." : "Ce canal se rejoint sur invitation.");
    store::ajouter_membre(s, id, ctx.user().user_id, "membre", false, "adhesion", ctx.user().user_id);
    j.canal(s, id, "membre", json::object{{"action", "entree"}, {"user_id", ctx.user().user_id}});
    return canal_json(s, ctx, charger(ctx, s, id));
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

void retirer(Session& s, Journal& j, std::int64_t canal_id, std::int64_t user_id, const std::string& motif,
             std::int64_t par) {
  if (!store::retirer_membre(s, canal_id, user_id, motif, par)) throw http::not_found("Cette personne n'est pas membre du canal.");
  json::object data{{"action", "sortie"}, {"user_id", user_id}};
  j.canal(s, canal_id, "membre", data);
  j.personnel(s, user_id, canal_id, "membre", data);
}

Response quitter(Context& ctx) {
  auto id = ctx.path_id("id");
  Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (!v.membre) throw http::not_found("Vous n'êtes pas membre de ce canal.");
    if (!accounts::discussion_peut_quitter(v.droits))
      throw http::conflict("Ce canal suit votre structure et votre territoire : il ne se quitte pas.", "canal_automatique");
    retirer(s, j, id, ctx.user().user_id, "depart", ctx.user().user_id);
  });
  publier(ctx, j);
  return http::no_content();
}

Response membres(Context& ctx) {
  auto id = ctx.path_id("id");
  auto items = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    // A mute in force is shown to those who may lift it.
    const auto now = core::now_iso();
    json::array out;
    for (auto& p : store::membres(s, id, core::today())) {
      const bool sourdine = v.moderer && p.sourdine_jusqu_au && *p.sourdine_jusqu_au > now;
      out.push_back(json::object{{"id", p.id},
                                 {"nom", p.nom},
                                 {"role", p.role},
                                 {"structure", p.structure ? json::value(*p.structure) : json::value(nullptr)},
                                 {"sourdine_jusqu_au", sourdine ? json::value(*p.sourdine_jusqu_au) : json::value(nullptr)}});
    }
    return out;
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response ajouter(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto user_id = b.integer("user_id", true);
  auto role = b.text("role", false, 20).value_or("membre");
  if (role != "membre" && role != "moderateur") b.add_error("role", "Rôle invalide (membre ou moderateur).");
  b.done();
  Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (!accounts::discussion_peut_ajouter(ctx.user(), v.droits))
      throw http::forbidden(v.canal.type == "groupe" ? "Seuls les membres du groupe y invitent."
                                                     : "Vous ne pouvez pas ajouter de membre à ce canal.");
    if (role == "moderateur" && !v.moderer) throw http::forbidden("Seuls les modérateurs nomment des modérateurs.");
    if (store::utilisateurs_existants(s, {*user_id}).empty())
      throw http::validation_error({{"user_id", "Cette personne n'existe pas."}});
    if (store::banni(s, *user_id))
      throw http::validation_error({{"user_id", "Cette personne est exclue de l'espace de discussion."}});
    if (!store::ajouter_membre(s, id, *user_id, role, false, "invitation", ctx.user().user_id))
      throw http::conflict("Cette personne est déjà membre du canal.", "deja_membre");
    j.canal(s, id, "membre", json::object{{"action", "entree"}, {"user_id", *user_id}});
  });
  publier(ctx, j);
  return http::json_response(201, json::object{{"canal_id", id}, {"user_id", *user_id}, {"role", role}});
}

Response modifier_membre(Context& ctx) {
  auto id = ctx.path_id("id");
  auto user_id = ctx.path_id("user_id");
  JsonBody b(ctx.req.body);
  auto role = b.text("role", false, 20);
  bool sourdine_nulle = false;
  auto sourdine = b.nullable_text("sourdine_jusqu_au", &sourdine_nulle, 40);
  if (role && *role != "membre" && *role != "moderateur") b.add_error("role", "Rôle invalide (membre ou moderateur).");
  if (sourdine && !core::parse_iso(*sourdine))
    b.add_error("sourdine_jusqu_au", "Date et heure attendues (ISO 8601, par exemple 2026-12-31T18:00:00Z).");
  b.done();
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (!v.moderer) throw http::forbidden("Seuls les modérateurs du canal et les administrateurs gèrent ses membres.");
    auto m = store::membre(s, id, user_id);
    if (!m) throw http::not_found("Cette personne n'est pas membre du canal.");
    auto nouveau_role = role.value_or(m->role);
    // From 2200 on: « until further notice », stored as one instant (time points stop in 2262).
    auto nouvelle_sourdine = b.has("sourdine_jusqu_au")
                                 ? (sourdine ? std::optional<std::string>(
                                                   *sourdine >= sourdine_indefinie.substr(0, 4)
                                                       ? std::string(sourdine_indefinie)
                                                       : core::iso_utc(*core::parse_iso(*sourdine)))
                                             : std::nullopt)
                                 : m->sourdine_jusqu_au;
    store::modifier_membre(s, id, user_id, nouveau_role, nouvelle_sourdine);
    if (nouvelle_sourdine != m->sourdine_jusqu_au)
      accounts::store::audit(s, nouvelle_sourdine ? "discussion_sourdine" : "discussion_sourdine_levee", user_id,
                             ctx.user().user_id, "", ctx.ip(),
                             "canal " + std::to_string(id) + (nouvelle_sourdine ? " jusqu'au " + *nouvelle_sourdine : ""));
    if (nouveau_role != m->role)
      accounts::store::audit(s, "discussion_role", user_id, ctx.user().user_id, "", ctx.ip(),
                             "canal " + std::to_string(id) + " : " + nouveau_role);
    // To the members: the role; the mute only to the person concerned (the members' list shows it
    // to moderators only).
    j.canal(s, id, "membre", json::object{{"action", "modifie"}, {"user_id", user_id}, {"role", nouveau_role}});
    if (nouvelle_sourdine != m->sourdine_jusqu_au)
      j.personnel(s, user_id, id, "membre",
                  json::object{{"action", "sourdine"},
                               {"user_id", user_id},
                               {"sourdine_jusqu_au", nouvelle_sourdine ? json::value(*nouvelle_sourdine) : json::value(nullptr)}});
    return json::object{{"canal_id", id}, {"user_id", user_id}, {"role", nouveau_role},
                        {"sourdine_jusqu_au", nouvelle_sourdine ? json::value(*nouvelle_sourdine) : json::value(nullptr)}};
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

Response retirer_membre(Context& ctx) {
  auto id = ctx.path_id("id");
  auto user_id = ctx.path_id("user_id");
  Journal j;
  ctx.db().write([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, id);
    if (user_id == ctx.user().user_id && accounts::discussion_peut_quitter(v.droits)) {
      retirer(s, j, id, user_id, "depart", user_id);
      return;
    }
    if (!v.moderer) throw http::forbidden("Seuls les modérateurs du canal et les administrateurs retirent un membre.");
    if (v.canal.type == "general" || v.canal.type == "region" || v.canal.type == "departement")
      throw http::conflict("Les membres de ce canal suivent leur structure et leur territoire.", "canal_automatique");
    retirer(s, j, id, user_id, "retrait", ctx.user().user_id);
    accounts::store::audit(s, "discussion_retrait", user_id, ctx.user().user_id, "", ctx.ip(),
                           "canal " + std::to_string(id));
  });
  publier(ctx, j);
  return http::no_content();
}

Response sujets(Context& ctx) {
  auto id = ctx.path_id("id");
  auto items = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    auto nl = v.membre ? store::non_lus_par_sujet(s, ctx.user().user_id, id) : std::map<std::int64_t, std::int64_t>{};
    json::array out;
    for (auto& t : store::sujets(s, id)) out.push_back(sujet_json(t, nl[t.id]));
    return out;
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response renommer(Context& ctx) {
  auto id = ctx.path_id("id");
  JsonBody b(ctx.req.body);
  auto titre = b.text("titre", true, 1000).value_or("");
  if (b.has("titre"))
    if (auto e = verifier_titre_sujet(titre)) b.add_error("titre", *e);
  b.done();
  titre = core::trim(titre);
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto t = store::sujet(s, id);
    if (!t) throw http::not_found("Sujet introuvable.");
    auto v = charger(ctx, s, t->canal_id);
    if (!v.moderer) throw http::forbidden("Seuls les modérateurs du canal et les administrateurs renomment un sujet.");
    if (auto autre = store::sujet_par_titre(s, t->canal_id, titre); autre && autre->id != id)
      throw http::conflict("Un sujet de ce titre existe déjà dans le canal : déplacez-y les messages.", "doublon",
                           {{"titre", "Un sujet de ce titre existe déjà."}});
    store::renommer_sujet(s, id, titre);
    j.canal(s, t->canal_id, "sujet", json::object{{"action", "renomme"}, {"sujet_id", id}, {"titre", titre}});
    auto nl = store::non_lus_par_sujet(s, ctx.user().user_id, t->canal_id);
    return sujet_json(*store::sujet(s, id), nl[id]);
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

// Typing in a topic ({"sujet_id": N}), or writing a new topic (no body, or sujet_id null).
Response frappe(Context& ctx) {
  auto id = ctx.path_id("id");
  std::optional<std::int64_t> sujet_id;
  if (!core::trim(ctx.req.body).empty()) {
    JsonBody b(ctx.req.body);
    sujet_id = b.integer("sujet_id");
    b.done();
  }
  auto membres = ctx.db().read_value([&](Session& s) {
    auto v = charger(ctx, s, id);
    if (!v.ecrire) throw http::forbidden("Vous ne pouvez pas écrire dans ce canal.");
    if (sujet_id) {
      auto t = store::sujet(s, *sujet_id);
      if (!t || t->canal_id != id) throw http::validation_error({{"sujet_id", "Ce sujet n'existe pas dans ce canal."}});
    }
    return store::ids_membres(s, id);
  });
  publier_frappe(ctx.services.bus, id, sujet_id, ctx.user().user_id, core::trim(ctx.user().prenom + " " + ctx.user().nom),
                 std::move(membres));
  return http::no_content();
}

}  // namespace

void routes_canaux(http::Router& r) {
  auto tous = accounts::access::logged_in();
  r.add("GET", "/api/discussion/etat", tous, etat);
  r.add("GET", "/api/discussion/canaux", tous, mes_canaux);
  r.add("GET", "/api/discussion/annuaire", tous, annuaire);
  r.add("POST", "/api/discussion/canaux", tous, creer);
  r.add("POST", "/api/discussion/directs", tous, direct);
  r.add("GET", "/api/discussion/canaux/{id}", tous, un_canal);
  r.add("PATCH", "/api/discussion/canaux/{id}", tous, modifier);
  r.add("POST", "/api/discussion/canaux/{id}/adhesion", tous, rejoindre);
  r.add("DELETE", "/api/discussion/canaux/{id}/adhesion", tous, quitter);
  r.add("GET", "/api/discussion/canaux/{id}/membres", tous, membres);
  r.add("POST", "/api/discussion/canaux/{id}/membres", tous, ajouter);
  r.add("PATCH", "/api/discussion/canaux/{id}/membres/{user_id}", tous, modifier_membre);
  r.add("DELETE", "/api/discussion/canaux/{id}/membres/{user_id}", tous, retirer_membre);
  r.add("GET", "/api/discussion/canaux/{id}/sujets", tous, sujets);
  r.add("PATCH", "/api/discussion/sujets/{id}", tous, renommer);
  r.add("POST", "/api/discussion/canaux/{id}/frappe", tous, frappe);
}

}  // namespace coop::discussion::api
