#include "features/evaluation/api.hpp"

#include <fstream>
#include <sstream>

#include "core/markdown.hpp"
#include "features/accounts/policy.hpp"
#include "features/activites/model.hpp"
#include "features/evaluation/banque.hpp"
#include "features/evaluation/notation.hpp"
#include "http/app.hpp"
#include "http/json.hpp"

namespace coop::evaluation {

namespace json = boost::json;
using http::Context;
using http::Response;

namespace {

const Banque& banque(Context& ctx) {
  if (!ctx.services.evaluation)
    throw http::ApiError(503, "evaluation_indisponible", "La banque d'items n'est pas chargée sur ce serveur.");
  return *ctx.services.evaluation;
}

const Item& item(Context& ctx) {
  const auto& b = banque(ctx);
  const auto i = ctx.req.params.find("id");
  const Item* it = i == ctx.req.params.end() ? nullptr : b.item(i->second);
  if (!it) throw http::not_found("Item introuvable.");
  return *it;
}

// "medias/capture.svg" → the media route's URL.
std::string url_media(const std::string& chemin) {
  return "/api/admin/evaluation/medias/" + chemin.substr(std::string_view("medias/").size());
}

json::object resume_json(const Banque& b, const Item& it) {
  const Tube* t = b.tube(it.tube);
  const Competence* c = b.referentiel.competence(it.competence);
  const std::size_t fin = it.consigne.find('\n');
  return {{"id", it.id},
          {"competence", it.competence},
          {"competence_titre", c ? c->titre : ""},
          {"tube", it.tube},
          {"tube_titre", t ? t->titre : ""},
          {"niveau", it.niveau},
          {"type", nom(it.type)},
          {"temps", it.temps ? json::value(*it.temps) : json::value(nullptr)},
          {"extrait", it.consigne.substr(0, fin)}};
}

json::value media_json(const std::optional<Media>& m) {
  if (!m) return nullptr;
  return json::object{{"url", url_media(m->chemin)}, {"texte", m->texte}};
}

Response lister(Context& ctx) {
  const auto& b = banque(ctx);
  std::map<std::string, std::string> erreurs;
  const std::string competence = ctx.req.query_param("competence").value_or("");
  if (!competence.empty() && !b.referentiel.competence(competence)) erreurs["competence"] = "Compétence inconnue (1.1 … 5.2).";
  const std::string type = ctx.req.query_param("type").value_or("");
  if (!type.empty() && !type_depuis(type)) erreurs["type"] = "Type inconnu (QCU, QCM, QROC, QROCM-ind, QROCM-dep).";
  std::int64_t niveau = 0;
  if (ctx.req.query_param("niveau")) {
    try {
      niveau = http::query_int(ctx.req, "niveau", 0, 1, 8);
    } catch (const http::ApiError&) {
      erreurs["niveau"] = "Niveau entre 1 et 8.";
    }
  }
  if (!erreurs.empty()) throw http::validation_error(erreurs, "Paramètre de requête invalide.");
  json::array items;
  for (const auto& it : b.items) {
    if (!competence.empty() && it.competence != competence) continue;
    if (!type.empty() && nom(it.type) != type) continue;
    if (niveau != 0 && it.niveau != niveau) continue;
    items.push_back(resume_json(b, it));
  }
  json::array competences;
  for (const auto& c : b.referentiel.competences)
    competences.push_back(json::object{{"code", c.code}, {"titre", c.titre}, {"domaine", c.domaine}});
  const std::size_t total = items.size();
  return http::json_response(200, json::object{{"items", std::move(items)}, {"total", total}, {"competences", std::move(competences)}});
}

Response detail(Context& ctx) {
  const auto& b = banque(ctx);
  const Item& it = item(ctx);
  json::object o = resume_json(b, it);
  o["consigne"] = it.consigne;
  o["consigne_html"] = markdown::rendre(it.consigne).html;
  o["explication"] = it.explication;
  o["explication_html"] = markdown::rendre(it.explication).html;
  json::array props;
  for (const auto& p : it.propositions) props.push_back(json::value(p));
  o["propositions"] = std::move(props);
  json::array rep;
  for (int r : it.reponse) rep.push_back(r);
  o["reponse"] = std::move(rep);
  json::array champs;
  for (const auto& c : it.champs) champs.push_back(json::object{{"nom", c.nom}, {"libelle", c.libelle}});
  o["champs"] = std::move(champs);
  json::array solutions;
  for (const auto& s : it.solutions) {
    json::array vs;
    for (const auto& v : s) vs.push_back(json::value(v));
    solutions.push_back(std::move(vs));
  }
  o["solutions"] = std::move(solutions);
  o["numerique"] = it.numerique;
  o["tolerances"] = json::object{{"t1", it.tolerances.t1}, {"t2", it.tolerances.t2}, {"t3", it.tolerances.t3}};
  o["image"] = media_json(it.image);
  o["piece_jointe"] = media_json(it.piece_jointe);
  json::array thematiques;
  for (const auto& code : it.thematiques) {
    std::string libelle = code;
    for (const auto& t : activites::thematiques)
      if (t.code == code) libelle = std::string(t.label);
    thematiques.push_back(json::object{{"code", code}, {"libelle", libelle}});
  }
  o["thematiques"] = std::move(thematiques);
  o["fichier"] = it.fichier;
  o["ligne"] = it.ligne;
  return http::json_response(200, o);
}

}  // namespace

Reponse lire_reponse(const Item& it, http::JsonBody& body) {
  Reponse r;
  std::map<std::string, std::string> erreurs;
  const bool choix = it.type == Type::qcu || it.type == Type::qcm;
  if (choix) {
    const json::value* v = body.raw("choix");
    if (!v || !v->is_array()) {
      erreurs["choix"] = "Liste des numéros de propositions choisies attendue.";
    } else {
      for (const auto& x : v->as_array()) {
        if (!x.is_int64() || x.as_int64() < 1 || x.as_int64() > static_cast<std::int64_t>(it.propositions.size())) {
          erreurs["choix"] = "Numéro de proposition entre 1 et " + std::to_string(it.propositions.size()) + " attendu.";
          break;
        }
        r.choix.push_back(static_cast<int>(x.as_int64()));
      }
      if (it.type == Type::qcu && r.choix.size() > 1) erreurs["choix"] = "Un QCU n'accepte qu'une proposition.";
    }
  } else {
    const json::value* v = body.raw("valeurs");
    if (!v || !v->is_object()) {
      erreurs["valeurs"] = "Objet { champ: réponse } attendu.";
    } else {
      for (const auto& [k, x] : v->as_object()) {
        const std::string nom_champ(k);
        const bool connu = std::any_of(it.champs.begin(), it.champs.end(), [&](const Champ& c) { return c.nom == nom_champ; });
        if (!connu) {
          erreurs["valeurs." + nom_champ] = "Champ inconnu pour cet item.";
        } else if (!x.is_string()) {
          erreurs["valeurs." + nom_champ] = "Doit être une chaîne de caractères.";
        } else if (x.as_string().size() > 500) {
          erreurs["valeurs." + nom_champ] = "Réponse trop longue (500 caractères au plus).";
        } else {
          r.valeurs[nom_champ] = std::string(x.as_string());
        }
      }
    }
  }
  if (!erreurs.empty()) throw http::validation_error(erreurs, "Réponse invalide.");
  return r;
}

namespace {

Response essayer(Context& ctx) {
  const Item& it = item(ctx);
  http::JsonBody body(ctx.req.body);
  const Reponse r = lire_reponse(it, body);
  const Resultat res = corriger(it, r);
  json::array champs;
  for (const auto& c : res.champs)
    champs.push_back(json::object{{"champ", c.champ},
                                  {"correct", c.correct},
                                  {"tolerance", c.niveau ? json::value(nom(*c.niveau)) : json::value(nullptr)},
                                  {"solution", c.solution ? json::value(*c.solution + 1) : json::value(nullptr)}});
  return http::json_response(200, json::object{{"correct", res.correct}, {"champs", std::move(champs)}});
}

Response media(Context& ctx) {
  const auto& b = banque(ctx);
  const std::string nom_fichier = ctx.req.params["nom"];
  // Only a file some item names (so nothing else of the directory is ever served).
  const std::string chemin = "medias/" + nom_fichier;
  const bool reference = std::any_of(b.items.begin(), b.items.end(), [&](const Item& i) {
    return (i.image && i.image->chemin == chemin) || (i.piece_jointe && i.piece_jointe->chemin == chemin);
  });
  if (!reference) throw http::not_found("Fichier introuvable.");
  std::ifstream in(b.dossier / chemin, std::ios::binary);
  if (!in) throw http::not_found("Fichier introuvable.");
  std::ostringstream ss;
  ss << in.rdbuf();
  Response res;
  const std::string ext = std::filesystem::path(chemin).extension().string();
  res.content_type = ext == ".svg"   ? "image/svg+xml"
                     : ext == ".png" ? "image/png"
                     : ext == ".csv" ? "text/csv; charset=utf-8"
                     : ext == ".pdf" ? "application/pdf"
                     : ext == ".txt" ? "text/plain; charset=utf-8"
                                     : "application/octet-stream";
  res.body = ss.str();
  // An SVG runs no script and loads nothing, even opened on its own.
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  res.set_header("X-Content-Type-Options", "nosniff");
  if (ext != ".svg" && ext != ".png")
    res.set_header("Content-Disposition", "attachment; filename=\"" + std::filesystem::path(chemin).filename().string() + "\"");
  return res;
}

}  // namespace

void register_routes(http::Router& r) {
  r.add("GET", "/api/admin/evaluation/items", accounts::access::admin(), lister);
  r.add("GET", "/api/admin/evaluation/items/{id}", accounts::access::admin(), detail);
  r.add("POST", "/api/admin/evaluation/items/{id}/essayer", accounts::access::admin(), essayer);
  r.add("GET", "/api/admin/evaluation/medias/{nom}", accounts::access::admin(), media);
  // The same files for a candidate of a positioning test (api_positionnement.cpp).
  r.add("GET", "/api/evaluation/medias/{nom}", accounts::access::logged_in(), media);
  register_routes_positionnement(r);
}

}  // namespace coop::evaluation
