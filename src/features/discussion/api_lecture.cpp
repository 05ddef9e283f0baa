// Reading: read markers, mark unread, the mentions inbox, search, people to mention.
#include <algorithm>

#include "core/francais.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/discussion/api_commun.hpp"
#include "features/discussion/model.hpp"
#include "http/json.hpp"

namespace coop::discussion::api {

using http::JsonBody;
using http::Response;

namespace {

json::object compteurs(Session& s, const Context& ctx, std::int64_t canal_id, std::optional<std::int64_t> sujet_id) {
  auto nl = store::non_lus_par_canal(s, ctx.user().user_id);
  auto mn = store::mentions_non_lues_par_canal(s, ctx.user().user_id);
  json::object o{{"canal_id", canal_id},
                 {"sujet_id", sujet_id ? json::value(*sujet_id) : json::value(nullptr)},
                 {"non_lus", nl[canal_id]},
                 {"mentions_non_lues", mn[canal_id]}};
  auto premier = store::premier_non_lu(s, ctx.user().user_id, canal_id, std::nullopt);
  o["premier_non_lu"] = premier ? json::value(*premier) : json::value(nullptr);
  o["non_lus_sujet"] = nullptr;
  o["premier_non_lu_sujet"] = nullptr;
  if (sujet_id) {
    o["non_lus_sujet"] = store::non_lus_par_sujet(s, ctx.user().user_id, canal_id)[*sujet_id];
    auto p = store::premier_non_lu(s, ctx.user().user_id, canal_id, sujet_id);
    if (p) o["premier_non_lu_sujet"] = *p;
  }
  return o;
}

Response lire(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto canal_id = b.integer("canal_id", true);
  auto sujet_id = b.integer("sujet_id");
  auto jusqu_a = b.integer("jusqu_a", true);
  if (jusqu_a && *jusqu_a < 0) b.add_error("jusqu_a", "Identifiant de message invalide.");
  b.done();
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto v = charger(ctx, s, *canal_id);
    if (!v.membre) throw http::forbidden("Vous n'êtes pas membre de ce canal.");
    if (sujet_id) {
      auto t = store::sujet(s, *sujet_id);
      if (!t || t->canal_id != *canal_id) throw http::validation_error({{"sujet_id", "Ce sujet n'existe pas dans ce canal."}});
    }
    auto jusqu = std::min(*jusqu_a, v.canal.dernier_message_id);
    if (sujet_id) {
      if (store::marqueur(s, ctx.user().user_id, *sujet_id, v.membre->lu_jusqu_a) < jusqu)
        store::lire_sujet(s, ctx.user().user_id, *sujet_id, jusqu);
    } else {
      store::lire_canal(s, ctx.user().user_id, *canal_id, jusqu);
    }
    store::lire_mentions(s, ctx.user().user_id, *canal_id, sujet_id, jusqu);
    auto o = compteurs(s, ctx, *canal_id, sujet_id);
    j.personnel(s, ctx.user().user_id, *canal_id, "lecture", o);
    return o;
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

Response non_lu(Context& ctx) {
  JsonBody b(ctx.req.body);
  auto message_id = b.integer("message_id", true);
  b.done();
  Journal j;
  auto o = ctx.db().write_value([&](Session& s) {
    j.vider();
    auto m = store::message(s, *message_id);
    if (!m) throw http::not_found("Message introuvable.");
    auto v = charger(ctx, s, m->canal_id);
    if (!v.membre) throw http::forbidden("Vous n'êtes pas membre de ce canal.");
    store::marquer_non_lu(s, ctx.user().user_id, m->sujet_id, m->id);
    store::rouvrir_mentions(s, ctx.user().user_id, m->sujet_id, m->id);
    auto o = compteurs(s, ctx, m->canal_id, m->sujet_id);
    j.personnel(s, ctx.user().user_id, m->canal_id, "lecture", o);
    return o;
  });
  publier(ctx, j);
  return http::json_response(200, o);
}

json::object avec_canal(Session& s, json::object msg, std::map<std::int64_t, store::Canal>& canaux, std::int64_t viewer) {
  auto cid = msg.at("canal_id").as_int64();
  if (!canaux.contains(cid))
    if (auto c = store::canal(s, cid)) canaux[cid] = *c;
  auto& c = canaux[cid];
  std::string nom = c.nom;
  if (c.type == "direct") {
    nom.clear();
    for (auto& p : store::participants(s, cid))
      if (p.id != viewer) nom += (nom.empty() ? "" : ", ") + p.nom;
  }
  msg["canal"] = json::object{{"id", cid}, {"nom", nom}, {"type", c.type}};
  return msg;
}

Response mentions(Context& ctx) {
  std::optional<std::int64_t> avant;
  if (ctx.req.query_param("avant")) avant = http::query_int(ctx.req, "avant", 0, 1, INT64_MAX);
  auto limite = http::query_int(ctx.req, "limite", 30, 1, 100);
  auto o = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    auto ids = store::mentions(s, ctx.user().user_id, avant, limite);
    auto ms = store::messages(s, ids);
    auto arr = messages_json(s, ms, ctx.user().user_id, false);
    std::map<std::int64_t, store::Canal> canaux;
    json::array items;
    for (auto& x : arr) {
      auto msg = avec_canal(s, x.as_object(), canaux, ctx.user().user_id);
      msg["sujet"] = json::object{{"id", msg.at("sujet_id")}, {"titre", msg.at("sujet_titre")}};
      items.push_back(std::move(msg));
    }
    std::int64_t non_lues = 0;
    for (auto& [c, n] : store::mentions_non_lues_par_canal(s, ctx.user().user_id)) non_lues += n;
    return json::object{{"items", std::move(items)}, {"non_lues", non_lues}};
  });
  return http::json_response(200, o);
}

std::optional<std::int64_t> entier(Context& ctx, const char* nom) {
  if (!ctx.req.query_param(nom)) return std::nullopt;
  return http::query_int(ctx.req, nom, 0, 1, INT64_MAX);
}

std::optional<std::string> date(Context& ctx, const char* nom) {
  auto v = ctx.req.query_param(nom);
  if (!v || v->empty()) return std::nullopt;
  if (!core::valid_date(*v)) throw http::validation_error({{nom, "Date attendue (AAAA-MM-JJ)."}});
  return *v;
}

Response recherche(Context& ctx) {
  auto q = ctx.req.query_param("q").value_or("");
  if (q.size() > 500) throw http::validation_error({{"q", "La recherche ne doit pas dépasser 500 caractères."}});
  const bool prefixe = ctx.req.query_param("prefixe").value_or("") == "1";
  store::Filtres f;
  f.canal_id = entier(ctx, "canal");
  f.auteur_id = entier(ctx, "auteur");
  f.sujet_id = entier(ctx, "sujet");
  f.avant = entier(ctx, "avant");
  f.du = date(ctx, "du");
  f.au = date(ctx, "au");
  f.limite = http::query_int(ctx.req, "limite", 20, 1, 100);
  if (f.du && f.au && *f.du > *f.au) throw http::validation_error({{"au", "La fin précède le début."}});
  const bool pg = ctx.db().dialect() == storage::Dialect::postgres;
  f.expression = pg ? francais::requete_tsquery(q, prefixe) : francais::requete_fts5(q, prefixe);
  if (f.expression.empty())
    throw http::validation_error({{"q", "Saisissez au moins un mot à chercher."}}, "Recherche vide.");
  auto o = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    auto [ids, total] = store::rechercher(s, ctx.user().user_id, f);
    auto ms = store::messages(s, ids);
    auto arr = messages_json(s, ms, ctx.user().user_id, false);
    std::map<std::int64_t, store::Canal> canaux;
    json::array items;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      auto msg = avec_canal(s, arr[i].as_object(), canaux, ctx.user().user_id);
      msg["extrait"] = extrait(texte_lisible(ms[i].texte), q, prefixe);
      items.push_back(std::move(msg));
    }
    return json::object{{"items", std::move(items)}, {"total", total}};
  });
  return http::json_response(200, o);
}

Response personnes(Context& ctx) {
  auto q = core::fold(ctx.req.query_param("q").value_or(""));
  auto canal = entier(ctx, "canal");
  auto limite = http::query_int(ctx.req, "limite", 10, 1, 50);
  auto items = ctx.db().read_value([&](Session& s) {
    verifier_non_banni(ctx, s);
    if (canal) charger(ctx, s, *canal);
    std::vector<store::Personne> gardees;
    for (auto& p : store::personnes(s, canal)) {
      if (static_cast<std::int64_t>(gardees.size()) >= limite) break;
      auto nom = core::fold(p.nom);
      // Matches at the start of the name or of one of its words.
      if (q.empty() || nom.starts_with(q) || nom.find(" " + q) != std::string::npos) gardees.push_back(p);
    }
    std::vector<std::int64_t> ids;
    for (auto& p : gardees) ids.push_back(p.id);
    auto structures = store::structures_du_jour(s, ids, core::today());
    json::array out;
    for (auto& p : gardees) {
      auto it = structures.find(p.id);
      out.push_back(json::object{{"id", p.id},
                                 {"nom", p.nom},
                                 {"structure", it == structures.end() ? json::value(nullptr) : json::value(it->second)}});
    }
    return out;
  });
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void routes_lecture(http::Router& r) {
  auto tous = accounts::access::logged_in();
  r.add("POST", "/api/discussion/lecture", tous, lire);
  r.add("POST", "/api/discussion/non-lu", tous, non_lu);
  r.add("GET", "/api/discussion/mentions", tous, mentions);
  r.add("GET", "/api/discussion/recherche", tous, recherche);
  r.add("GET", "/api/discussion/personnes", tous, personnes);
}

}  // namespace coop::discussion::api
