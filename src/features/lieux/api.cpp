#include "features/lieux/api.hpp"

#include "features/lieux/api_commun.hpp"

#include <fmt/format.h>

#include <sstream>

#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/policy.hpp"
#include "features/courriels/envoi.hpp"
#include "features/courriels/model.hpp"
#include "features/courriels/modeles.hpp"
#include "features/courriels/store.hpp"
#include "features/inscription/store.hpp"
#include "features/lieux/export.hpp"
#include "features/lieux/horaires.hpp"
#include "features/lieux/import.hpp"
#include "features/lieux/store.hpp"
#include "features/public_api/model.hpp"
#include "core/text.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/multipart.hpp"

namespace coop::lieux {

namespace json = boost::json;
using http::Context;
using http::Response;
using storage::Session;

// The lieu in the API (schema Lieu).
json::object lieu_json(const store::Enregistrement& e) {
  json::object champs_json;
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    auto nom = champs()[i].nom;
    const auto& v = e.lieu.valeurs[i];
    if (i == ch::latitude || i == ch::longitude) champs_json[nom] = v.empty() ? json::value(nullptr) : json::value(std::stod(v));
    else champs_json[nom] = v;
  }
  return {{"id", e.id},
          {"source_import", e.cle_source},
          {"structure_id", e.structure_id ? json::value(*e.structure_id) : json::value(nullptr)},
          {"visible_carte", e.visible_carte},
          {"sur_la_carte", e.sur_la_carte()},
          {"completude", e.completude},
          {"horaires_valides", e.horaires_valides ? json::value(*e.horaires_valides) : json::value(nullptr)},
          {"cree_le", e.cree_le},
          {"modifie_le", e.modifie_le},
          {"champs", std::move(champs_json)}};
}

namespace {

json::array remarques_json(const std::vector<Remarque>& rs) {
  json::array a;
  for (const auto& r : rs) a.push_back(json::object{{"champ", r.champ}, {"message", r.message}});
  return a;
}

json::object rapport_json(const Rapport& r) {
  json::array details;
  for (const auto& d : r.details)
    details.push_back(json::object{{"ligne", d.ligne},
                                   {"id", d.ident},
                                   {"statut", d.statut},
                                   {"erreurs", remarques_json(d.erreurs)},
                                   {"avertissements", remarques_json(d.avertissements)}});
  json::array ignorees, absentes;
  for (const auto& c : r.colonnes_ignorees) ignorees.emplace_back(c);
  for (const auto& c : r.colonnes_absentes) absentes.emplace_back(c);
  return {{"format", r.format},
          {"lignes", r.lignes},
          {"crees", r.crees},
          {"modifies", r.modifies},
          {"inchanges", r.inchanges},
          {"rejetes", r.rejetes},
          {"avertissements", r.avertissements},
          {"doublons", r.doublons},
          {"colonnes_ignorees", std::move(ignorees)},
          {"colonnes_absentes", std::move(absentes)},
          {"details", std::move(details)},
          {"rejets_csv", r.rejetes ? json::value(rejets_csv(r)) : json::value(nullptr)},
          {"resume", decrire(r, 0)}};
}

store::Enregistrement lire_ou_404(Context& ctx, std::int64_t id) {
  auto e = ctx.db().read_value([&](Session& s) { return store::lire(s, id); });
  if (!e) {
    // A retired lieu (merged): say where it went.
    auto survivant = ctx.db().read_value([&](Session& s) { return store::survivant_de(s, id); });
    if (survivant)
      throw http::not_found(fmt::format("Ce lieu a été fusionné avec le lieu n° {} (/lieux/{}).", *survivant, *survivant), "lieu_fusionne");
    throw http::not_found("Lieu introuvable.");
  }
  return *e;
}

bool peut_modifier(Context& ctx, const store::Enregistrement& e) {
  const auto& p = ctx.user();
  bool mediateur = e.structure_id && ctx.db().read_value([&](Session& s) {
    return store::mediateur_de_la_structure(s, p.user_id, *e.structure_id, core::today());
  });
  return accounts::lieux_peut_modifier(p, e.structure_id, mediateur);
}

// The lieu page's hours in French: the week starting today (Paris) and the state now; an empty
// or invalid value gives « horaires non renseignés » (never guessed), with the parser's message.
void horaires_en_francais(json::object& o, const store::Enregistrement& e) {
  const auto& texte = e.lieu.valeurs[ch::horaires];
  json::array semaine;
  json::value etat = "horaires non renseignés";
  json::value ouvert = nullptr;
  json::value message = nullptr;
  if (!core::trim(texte).empty()) {
    auto a = horaires::analyser(texte);
    if (a.horaires) {
      const auto maintenant = horaires::heure_de_paris(core::Clock::now());
      for (auto& ligne : horaires::semaine_en_francais(*a.horaires, maintenant.date)) semaine.emplace_back(ligne);
      etat = json::value(horaires::etat_en_francais(*a.horaires, maintenant));
      auto x = horaires::etat(*a.horaires, maintenant);
      ouvert = x == horaires::Etat::inconnu ? json::value(nullptr) : json::value(x == horaires::Etat::ouvert);
    } else if (a.erreur) {
      message = json::value(a.erreur->message);
    }
  }
  o["horaires_semaine"] = std::move(semaine);
  o["etat"] = std::move(etat);
  o["ouvert"] = std::move(ouvert);
  o["horaires_erreur"] = std::move(message);
}

// GET /api/lieux/horaires?valeur=…: the editor's live check of an opening_hours value (the
// strict parser's French message, or the canonical text, the week and the state now).
Response verifier_horaires(Context& ctx) {
  auto valeur = ctx.req.query_param("valeur").value_or("");
  if (valeur.size() > 2000) throw http::validation_error({{"valeur", "horaires : 2 000 caractères au plus."}}, "Paramètre de requête invalide.");
  json::object o{{"valeur", valeur}};
  if (core::trim(valeur).empty()) {
    o["valide"] = true;
    o["normalise"] = "";
    o["erreur"] = nullptr;
    o["horaires_semaine"] = json::array{};
    o["etat"] = "horaires non renseignés";
    return http::json_response(200, o);
  }
  auto a = horaires::analyser(valeur);
  o["valide"] = a.valide();
  o["normalise"] = a.horaires ? json::value(horaires::normaliser(*a.horaires)) : json::value(nullptr);
  o["erreur"] = a.erreur ? json::value("horaires : " + a.erreur->message) : json::value(nullptr);
  json::array semaine;
  json::value etat = "horaires non renseignés";
  if (a.horaires) {
    const auto maintenant = horaires::heure_de_paris(core::Clock::now());
    for (auto& ligne : horaires::semaine_en_francais(*a.horaires, maintenant.date)) semaine.emplace_back(ligne);
    etat = json::value(horaires::etat_en_francais(*a.horaires, maintenant));
  }
  o["horaires_semaine"] = std::move(semaine);
  o["etat"] = std::move(etat);
  return http::json_response(200, o);
}

Response lire_un(Context& ctx) {
  auto e = lire_ou_404(ctx, ctx.path_id("id"));
  auto o = lieu_json(e);
  o["peut_modifier"] = peut_modifier(ctx, e);
  horaires_en_francais(o, e);
  return http::json_response(200, o);
}

Response modifier_un(Context& ctx) {
  auto e = lire_ou_404(ctx, ctx.path_id("id"));
  if (!peut_modifier(ctx, e)) throw http::forbidden("Seuls un administrateur, le gestionnaire de la structure ou ses médiateurs modifient ce lieu.");
  json::value corps;
  try {
    corps = json::parse(ctx.req.body);
  } catch (const std::exception&) {
    throw http::bad_request("Corps JSON invalide.", "json_invalide");
  }
  if (!corps.is_object()) throw http::bad_request("Un objet JSON est attendu.", "json_invalide");
  const auto& o = corps.as_object();
  std::array<std::string, kNbChamps> v = e.lieu.valeurs;
  std::map<std::string, std::string> erreurs;
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    auto nom = champs()[i].nom;
    auto it = o.find(nom);
    if (it == o.end()) continue;
    if (i == ch::id) {
      if (!it->value().is_string() || it->value().get_string() != e.lieu[ch::id])
        erreurs[std::string(nom)] = "id : l'identifiant d'un lieu ne se modifie pas";
      continue;
    }
    const auto& x = it->value();
    if (x.is_null()) v[i].clear();
    else if (x.is_string()) v[i] = std::string(x.get_string());
    else if (x.is_number() && (i == ch::latitude || i == ch::longitude)) v[i] = fmt::format("{}", x.to_number<double>());
    else if (x.is_array() && champs()[i].genre == Genre::liste) {
      std::vector<std::string> items;
      for (const auto& y : x.get_array()) {
        if (!y.is_string()) {
          erreurs[std::string(nom)] = fmt::format("{} : une liste de textes est attendue", nom);
          break;
        }
        items.emplace_back(y.get_string());
      }
      v[i] = joindre(items);
    } else {
      erreurs[std::string(nom)] = fmt::format("{} : {} attendu", nom, champs()[i].genre == Genre::liste ? "une liste de textes" : "un texte");
    }
  }
  bool visible = e.visible_carte;
  if (auto it = o.find("visible_carte"); it != o.end()) {
    if (!it->value().is_bool()) erreurs["visible_carte"] = "visible_carte : vrai ou faux attendu";
    else visible = it->value().get_bool();
  }
  auto a = analyser(v);
  if (!a.ok() || !erreurs.empty()) {
    for (const auto& r : a.erreurs)
      if (!erreurs.contains(r.champ)) erreurs[r.champ] = r.message;
    throw http::validation_error(erreurs, "Lieu invalide.");
  }
  const auto auteur = ctx.user().user_id;
  auto changements = ctx.db().write_value([&](Session& s) {
    return store::modifier(s, e.id, a.lieu, a.horaires_valides, visible, auteur, core::now_iso());
  });
  auto apres = lire_ou_404(ctx, e.id);
  auto out = lieu_json(apres);
  out["peut_modifier"] = true;
  horaires_en_francais(out, apres);
  json::array cs;
  for (const auto& c : changements) cs.push_back(json::object{{"champ", c.champ}, {"avant", c.avant}, {"apres", c.apres}});
  out["changements"] = std::move(cs);
  out["avertissements"] = remarques_json(a.avertissements);
  return http::json_response(200, out);
}

Response historique_un(Context& ctx) {
  auto e = lire_ou_404(ctx, ctx.path_id("id"));
  auto hs = ctx.db().read_value([&](Session& s) { return store::historique(s, e.id); });
  json::array a;
  for (const auto& h : hs) {
    json::array cs;
    for (const auto& c : h.changements) cs.push_back(json::object{{"champ", c.champ}, {"avant", c.avant}, {"apres", c.apres}});
    a.push_back(json::object{{"id", h.id},
                             {"auteur_id", h.auteur_id ? json::value(*h.auteur_id) : json::value(nullptr)},
                             {"auteur_nom", h.auteur_nom.empty() ? json::value(nullptr) : json::value(h.auteur_nom)},
                             {"origine", h.origine},
                             {"cree_le", h.cree_le},
                             {"changements", std::move(cs)}});
  }
  return http::json_response(200, json::object{{"historique", std::move(a)}});
}

json::object objet_json(Context& ctx) {
  json::value corps;
  try {
    corps = json::parse(ctx.req.body);
  } catch (const std::exception&) {
    throw http::bad_request("Corps JSON invalide.", "json_invalide");
  }
  if (!corps.is_object()) throw http::bad_request("Un objet JSON est attendu.", "json_invalide");
  return corps.as_object();
}

std::string texte_de(const json::object& o, const char* cle) {
  auto it = o.find(cle);
  return it != o.end() && it->value().is_string() ? core::trim(std::string(it->value().get_string())) : std::string();
}

// The lines of a lieu for a mail (the fiche d'orientation in text: address, hours in French,
// how to get in, contact).
std::vector<std::string> fiche_en_texte(const store::Enregistrement& e) {
  const auto& v = e.lieu.valeurs;
  std::vector<std::string> p;
  p.push_back("Adresse : " + v[ch::adresse] + (v[ch::complement_adresse].empty() ? "" : ", " + v[ch::complement_adresse]) + ", " +
              v[ch::code_postal] + " " + v[ch::commune]);
  auto a = horaires::analyser(v[ch::horaires]);
  if (!core::trim(v[ch::horaires]).empty() && a.horaires) {
    p.push_back("Horaires des 7 prochains jours :");
    for (auto& l : horaires::semaine_en_francais(*a.horaires, horaires::heure_de_paris(core::Clock::now()).date)) p.push_back(l);
  } else {
    p.push_back("Horaires : horaires non renseignés.");
  }
  auto joint = [](const std::string& liste) {
    std::string r;
    for (char ch : liste) r += ch == '|' ? std::string(", ") : std::string(1, ch);
    return r;
  };
  if (!v[ch::modalites_acces].empty()) p.push_back("Comment y aller : " + joint(v[ch::modalites_acces]) + ".");
  if (!v[ch::services].empty()) p.push_back("Services : " + joint(v[ch::services]) + ".");
  if (!v[ch::telephone].empty()) p.push_back("Téléphone : " + v[ch::telephone]);
  if (!v[ch::courriels].empty()) p.push_back("Courriel : " + joint(v[ch::courriels]));
  if (!v[ch::prise_rdv].empty()) p.push_back("Prendre rendez-vous en ligne : " + v[ch::prise_rdv]);
  if (!v[ch::fiche_acces_libre].empty()) p.push_back("Accessibilité du lieu : " + v[ch::fiche_acces_libre]);
  p.push_back("Pensez à apporter une pièce d'identité et les documents utiles à votre démarche.");
  return p;
}

// Mails sent on a person's behalf — a fiche to any address, a report to the gestionnaires — are
// limited to kEnvoisParHeure per person and per kind in the last hour, counted in the audit log
// (which also keeps who sent what). Called inside the write that queues the mail.
constexpr std::int64_t kEnvoisParHeure = 10;
void compter_envoi(Session& s, const Context& ctx, const std::string& evenement, const std::string& detail) {
  const auto& p = ctx.user();
  const auto depuis = core::iso_utc(core::Clock::now() - std::chrono::hours(1));
  if (accounts::store::count_events_since(s, evenement, &p.email, nullptr, depuis) >= kEnvoisParHeure)
    throw http::ApiError(429, "trop_d_envois",
                         "Vous avez déjà envoyé " + std::to_string(kEnvoisParHeure) +
                             " messages de ce type depuis une heure : réessayez plus tard.");
  accounts::store::audit(s, evenement, std::nullopt, p.user_id, p.email, ctx.ip(), detail);
}

// POST /api/lieux/{id}/envoi {destinataire}: the fiche d'orientation by e-mail (the outbox).
Response envoyer_fiche(Context& ctx) {
  auto e = lire_ou_404(ctx, ctx.path_id("id"));
  auto o = objet_json(ctx);
  auto dest = accounts::normalize_email(texte_de(o, "destinataire"));
  if (dest.empty()) throw http::validation_error({{"destinataire", "Saisissez l'adresse e-mail de la personne."}});
  if (auto m = accounts::check_email(dest)) throw http::validation_error({{"destinataire", *m}});
  const auto& p = ctx.user();
  courriels::Contenu c;
  c.titre = e.lieu[ch::nom];
  c.paragraphes = fiche_en_texte(e);
  c.apres = {"Cette fiche vous a été envoyée par " + p.prenom + " " + p.nom + " depuis Coop, la plateforme des médiateurs numériques."};
  auto mail = courriels::composer("fiche_lieu", dest, "Fiche d'orientation : " + e.lieu[ch::nom], c);
  ctx.db().write([&](Session& s) {
    compter_envoi(s, ctx, "lieu_fiche_envoyee", "lieu " + std::to_string(e.id) + " → " + dest);
    courriels::store::mettre_en_file(s, mail);
  });
  courriels::signaler(ctx.services.bus);
  return http::json_response(201, json::object{{"destinataires", 1}});
}

// POST /api/lieux/{id}/signalements {message}: « signaler une erreur » to the gestionnaires of
// the lieu's structure (an imported lieu, or a structure without one: the administrators).
Response signaler_erreur(Context& ctx) {
  auto e = lire_ou_404(ctx, ctx.path_id("id"));
  auto o = objet_json(ctx);
  auto message = texte_de(o, "message");
  if (message.empty()) throw http::validation_error({{"message", "Décrivez l'erreur constatée."}});
  if (message.size() > 2000) throw http::validation_error({{"message", "message : 2 000 caractères au plus."}});
  const auto& p = ctx.user();
  const auto lien = ctx.services.config.public_url + "/lieux/" + std::to_string(e.id);
  auto n = ctx.db().write_value([&](Session& s) {
    compter_envoi(s, ctx, "lieu_erreur_signalee", "lieu " + std::to_string(e.id));
    std::vector<inscription::store::Destinataire> ds;
    if (e.structure_id) ds = inscription::store::gestionnaires_de(s, *e.structure_id);
    if (ds.empty()) ds = inscription::store::administrateurs(s);
    for (const auto& d : ds) {
      courriels::Contenu c;
      c.titre = "Erreur signalée sur la fiche « " + e.lieu[ch::nom] + " »";
      c.salutation = courriels::modeles::salutation(d.prenom);
      c.paragraphes = {p.prenom + " " + p.nom + " (" + p.email + ") signale une erreur sur la fiche du lieu « " + e.lieu[ch::nom] +
                           " » (" + e.lieu[ch::commune] + ") :",
                       message};
      c.bouton_libelle = "Voir la fiche du lieu";
      c.bouton_lien = lien;
      c.apres = {"Vous recevez ce message en tant que " +
                 std::string(e.structure_id ? "gestionnaire de la structure de ce lieu." : "administrateur de Coop (lieu sans gestionnaire).")};
      courriels::store::mettre_en_file(s, courriels::composer("signalement_lieu", d.email, "Erreur signalée : " + e.lieu[ch::nom], c, d.id));
    }
    return static_cast<std::int64_t>(ds.size());
  });
  courriels::signaler(ctx.services.bus);
  return http::json_response(201, json::object{{"destinataires", n}});
}

Response fiche_structure(Context& ctx) {
  auto sid = ctx.path_id("id");
  const auto& p = ctx.user();
  auto id = ctx.db().write_value([&](Session& s) -> std::int64_t {
    bool mediateur = store::mediateur_de_la_structure(s, p.user_id, sid, core::today());
    if (!accounts::lieux_peut_modifier(p, sid, mediateur)) return -1;
    return store::fiche_de_structure(s, sid, ctx.services.territoires, core::now_iso());
  });
  if (id < 0) throw http::forbidden("Seuls un administrateur, le gestionnaire de la structure ou ses médiateurs ouvrent sa fiche lieu.");
  if (id == 0) throw http::not_found("Structure introuvable.");
  auto lu = lire_ou_404(ctx, id);
  auto o = lieu_json(lu);
  o["peut_modifier"] = true;
  horaires_en_francais(o, lu);
  return http::json_response(200, o);
}

Response importer_fichier(Context& ctx) {
  std::string contenu, source;
  const auto ct = ctx.req.header("content-type").value_or("");
  if (http::multipart::is_form_data(ct)) {
    std::vector<http::multipart::Part> parts;
    try {
      parts = http::multipart::parse(ctx.req.body, http::multipart::boundary(ct));
    } catch (const http::multipart::ParseError& e) {
      throw http::bad_request(std::string("Formulaire illisible : ") + e.what());
    }
    bool fichier = false;
    for (auto& part : parts) {
      if (part.name == "fichier") {
        contenu = std::move(part.data);
        fichier = true;
      } else if (part.name == "source") {
        source = core::trim(part.data);
      }
    }
    if (!fichier) throw http::validation_error({{"fichier", "Joignez le fichier CSV ou JSON des lieux (champ « fichier »)."}});
  } else {
    contenu = ctx.req.body;
    source = core::trim(ctx.req.query_param("source").value_or(""));
  }
  if (source.size() > 200) throw http::validation_error({{"source", "source : 200 caractères au plus."}});
  if (core::trim(contenu).empty()) throw http::validation_error({{"fichier", "Le fichier est vide."}});
  std::istringstream in(contenu);
  Rapport r;
  try {
    r = importer(ctx.db(), in, {.source = source, .proposer_doublons = true, .lot = 500});
  } catch (const ErreurImport& e) {
    throw http::validation_error({{"fichier", e.what()}}, "Fichier illisible.");
  }
  return http::json_response(200, rapport_json(r));
}

Response lister_doublons(Context& ctx) {
  auto ds = ctx.db().read_value([](Session& s) { return store::doublons(s); });
  json::array a;
  for (const auto& d : ds)
    a.push_back(json::object{{"id", d.id},
                             {"similarite", d.similarite},
                             {"distance_m", d.distance_m ? json::value(*d.distance_m) : json::value(nullptr)},
                             {"raisons", d.raisons},
                             {"statut", d.statut},
                             {"cree_le", d.cree_le},
                             {"lieu", json::object{{"id", d.lieu_id}, {"nom", d.nom_lieu}, {"source_import", d.source_lieu}}},
                             {"autre", json::object{{"id", d.autre_id}, {"nom", d.nom_autre}, {"source_import", d.source_autre}}},
                             {"commune", d.commune}});
  return http::json_response(200, json::object{{"doublons", std::move(a)}});
}

Response exporter_tout(Context& ctx) {
  auto f = ctx.req.query_param("format").value_or("csv");
  FormatExport format;
  if (f == "csv") format = FormatExport::csv;
  else if (f == "json") format = FormatExport::json;
  else if (f == "data-inclusion") format = FormatExport::data_inclusion;
  else throw http::validation_error({{"format", "format : csv, json ou data-inclusion."}}, "Paramètre de requête invalide.");
  std::ostringstream out;
  ctx.db().read([&](Session& s) { exporter(s, format, out); });
  Response r;
  r.body = out.str();
  r.content_type = format == FormatExport::csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
  r.set_header("Content-Disposition",
               "attachment; filename=\"" + nom_fichier_recommande(core::today(), "coop", "france", format) + "\"");
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void register_routes(http::Router& r) {
  using namespace accounts::access;
  const auto editeurs = accounts::Access::roles(
      {accounts::Role::admin, accounts::Role::gestionnaire_structure, accounts::Role::mediateur});
  register_routes_recherche(r);  // GET /api/lieux, /api/lieux/points, /api/v1/lieux
  r.add("GET", "/api/lieux/export", logged_in(), exporter_tout);
  r.add("GET", "/api/lieux/horaires", logged_in(), verifier_horaires);
  r.add("GET", "/api/lieux/{id}", logged_in(), lire_un);
  r.add("PUT", "/api/lieux/{id}", editeurs, modifier_un);
  r.add("GET", "/api/lieux/{id}/historique", logged_in(), historique_un);
  r.add("POST", "/api/lieux/{id}/envoi", logged_in(), envoyer_fiche);
  r.add("POST", "/api/lieux/{id}/signalements", logged_in(), signaler_erreur);
  r.add("POST", "/api/structures/{id}/lieu", editeurs, fiche_structure);
  r.add("POST", "/api/admin/lieux/import", admin(), importer_fichier);
  r.add("GET", "/api/admin/lieux/doublons", admin(), lister_doublons);
  register_routes_fusion(r);  // /api/admin/lieux/doublons/{id}, …/fusion, …/ecart
}

}  // namespace coop::lieux
