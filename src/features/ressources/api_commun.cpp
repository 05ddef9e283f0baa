#include "features/ressources/api_commun.hpp"

#include "core/time.hpp"
#include "features/fichiers/api.hpp"
#include "features/fichiers/model.hpp"

namespace coop::ressources::api {

store::Lecteur lecteur(const Context& ctx) {
  return store::Lecteur{.user_id = ctx.user().user_id,
                        .moderateur = accounts::ressources_peut_moderer(ctx.user()),
                        .aujourdhui = core::today()};
}

Vue charger(const Context& ctx, Session& s, std::int64_t id) {
  auto r = store::charger(s, id);
  if (!r) throw http::not_found("Ressource introuvable.");
  Vue v{.r = std::move(*r), .droits = {}, .modifier = false, .supprimer = false, .moderer = false};
  const auto l = lecteur(ctx);
  const auto rel = store::relation(s, l, v.r);
  v.droits = accounts::DroitsRessource{.auteur = v.r.auteur_id == ctx.user().user_id,
                                       .visibilite = v.r.visibilite,
                                       .publiee = v.r.statut == "publie",
                                       .masquee = v.r.masque_le.has_value(),
                                       .dans_le_reseau = rel.dans_le_reseau,
                                       .gere_la_structure = rel.gere_la_structure};
  if (!accounts::ressources_peut_voir(ctx.user(), v.droits)) throw http::not_found("Ressource introuvable.");
  v.modifier = accounts::ressources_peut_modifier(ctx.user(), v.droits);
  v.supprimer = accounts::ressources_peut_supprimer(ctx.user(), v.droits);
  v.moderer = accounts::ressources_peut_moderer(ctx.user());
  return v;
}

json::value personne_json(std::optional<std::int64_t> id, const std::string& nom) {
  return json::object{{"id", id ? json::value(*id) : json::value(nullptr)}, {"nom", nom}};
}

json::array codes_json(const std::vector<std::string>& codes) {
  json::array a;
  for (const auto& c : codes) a.push_back(json::value(c));
  return a;
}

std::string url_fichier(std::int64_t ressource_id, const std::string& sha256) {
  return "/api/ressources/" + std::to_string(ressource_id) + "/fichiers/" + sha256;
}

namespace {

json::object base_json(const store::Ressource& r) {
  return {{"id", r.id},
          {"titre", r.titre},
          {"resume", r.resume},
          {"thematiques", codes_json(r.thematiques)},
          {"publics", codes_json(r.publics)},
          {"format", r.format},
          {"niveau", r.niveau},
          {"duree_minutes", r.duree_minutes ? json::value(*r.duree_minutes) : json::value(nullptr)},
          {"licence", r.licence},
          {"visibilite", r.visibilite},
          {"statut", r.statut},
          {"version", r.version},
          {"auteur", personne_json(r.auteur_id, r.auteur_nom)},
          {"structure", r.structure_id ? json::value(json::object{{"id", *r.structure_id}, {"nom", r.structure_nom}})
                                       : json::value(nullptr)},
          {"compteurs", json::object{{"vues", r.vues},
                                     {"telechargements", r.telechargements},
                                     {"utiles", r.utiles},
                                     {"commentaires", r.commentaires}}},
          {"masquee", r.masque_le.has_value()},
          {"cree_le", r.cree_le},
          {"modifie_le", r.modifie_le},
          {"publie_le", r.publie_le ? json::value(*r.publie_le) : json::value(nullptr)}};
}

// The preview of a resource: the first of its files that has one (an image, a PDF's first page).
json::value apercu(const store::Ressource& r, const std::vector<fichiers::store::Piece>& pieces) {
  for (const auto& p : pieces)
    if (p.objet_id == r.id && (p.fichier.apercu || fichiers::est_image(p.fichier.type)))
      return json::value(url_fichier(r.id, p.fichier.sha256) + "?apercu=1");
  return nullptr;
}

}  // namespace

json::array cartes_json(Session& s, const std::vector<store::Ressource>& rs) {
  std::vector<std::int64_t> ids;
  for (const auto& r : rs) ids.push_back(r.id);
  const auto pieces = fichiers::store::pieces(s, store::kDomaine, ids);
  json::array out;
  for (const auto& r : rs) {
    auto o = base_json(r);
    o["apercu_url"] = apercu(r, pieces);
    std::int64_t n = 0;
    for (const auto& p : pieces) n += p.objet_id == r.id;
    o["nombre_fichiers"] = n;
    out.push_back(std::move(o));
  }
  return out;
}

json::object ressource_json(Session& s, const Context& ctx, const Vue& v) {
  const auto& r = v.r;
  auto o = base_json(r);
  const auto pieces = fichiers::store::pieces(s, store::kDomaine, {r.id});
  o["description"] = r.description;
  o["description_html"] = r.description_html;
  json::array fs;
  for (const auto& p : pieces) {
    auto f = fichiers::piece_json(p.fichier, p.nom, url_fichier(r.id, p.fichier.sha256));
    f["texte_indexe"] = store::texte_connu(s, p.fichier.sha256);
    fs.push_back(std::move(f));
  }
  o["fichiers"] = std::move(fs);
  json::array liens;
  for (const auto& l : r.liens) liens.push_back(json::object{{"url", l.url}, {"titre", l.titre}});
  o["liens"] = std::move(liens);
  o["apercu_url"] = apercu(r, pieces);
  o["origine"] = r.origine_credit ? json::value(json::object{{"id", r.origine_id ? json::value(*r.origine_id) : json::value(nullptr)},
                                                             {"credit", *r.origine_credit}})
                                  : json::value(nullptr);
  o["masquage"] = r.masque_le ? json::value(json::object{{"le", *r.masque_le}, {"motif", r.masque_motif.value_or("")}})
                              : json::value(nullptr);
  json::array cols;
  for (auto c : store::collections_de(s, r.id)) cols.push_back(c);
  o["collections"] = std::move(cols);
  const auto u = ctx.user().user_id;
  o["moi"] = json::object{{"utile", store::est_dans(s, "ressources_utiles", u, r.id)},
                          {"favori", store::est_dans(s, "ressources_favoris", u, r.id)},
                          {"suit_auteur", r.auteur_id && store::suit(s, u, std::nullopt, *r.auteur_id)},
                          {"peut_modifier", v.modifier},
                          {"peut_supprimer", v.supprimer},
                          {"peut_moderer", v.moderer}};
  return o;
}

namespace {

std::vector<std::string> chaines(http::JsonBody& b, const char* champ) {
  std::vector<std::string> out;
  const auto* v = b.raw(champ);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) {
    b.add_error(champ, "Doit être une liste.");
    return out;
  }
  for (const auto& x : v->as_array()) {
    if (!x.is_string()) {
      b.add_error(champ, "Doit être une liste de codes.");
      return {};
    }
    out.emplace_back(x.as_string());
  }
  return out;
}

}  // namespace

Saisie lire_saisie(http::JsonBody& b) {
  Saisie x;
  x.titre = b.text("titre", false, kTitreMax).value_or("");
  x.resume = b.text("resume", false, kResumeMax).value_or("");
  x.description = b.text("description", false, kDescriptionMax).value_or("");
  x.thematiques = chaines(b, "thematiques");
  x.publics = chaines(b, "publics");
  x.format = b.text("format").value_or("");
  x.niveau = b.text("niveau").value_or("");
  bool nul = false;
  if (b.has("duree_minutes") && b.raw("duree_minutes") && !b.raw("duree_minutes")->is_null())
    x.duree_minutes = b.integer("duree_minutes");
  (void)nul;
  x.licence = b.text("licence").value_or(std::string(licence_defaut));
  x.visibilite = b.text("visibilite").value_or("prive");
  x.statut = b.text("statut").value_or("brouillon");
  if (b.has("structure_id") && b.raw("structure_id") && !b.raw("structure_id")->is_null())
    x.structure_id = b.integer("structure_id");
  if (const auto* l = b.raw("liens"); l && !l->is_null()) {
    if (!l->is_array()) b.add_error("liens", "Doit être une liste de liens {url, titre}.");
    else
      for (const auto& e : l->as_array()) {
        if (!e.is_object() || !e.as_object().contains("url") || !e.as_object().at("url").is_string()) {
          b.add_error("liens", "Chaque lien a une adresse (url).");
          break;
        }
        const auto& o = e.as_object();
        x.liens.push_back(Lien{.url = std::string(o.at("url").as_string()),
                               .titre = o.contains("titre") && o.at("titre").is_string() ? std::string(o.at("titre").as_string()) : ""});
      }
  }
  if (const auto* f = b.raw("fichiers"); f && !f->is_null()) {
    if (!f->is_array()) b.add_error("fichiers", "Doit être une liste de sha256.");
    else
      for (const auto& e : f->as_array()) {
        if (e.is_string()) x.fichiers.emplace_back(e.as_string());
        else if (e.is_object() && e.as_object().contains("sha256") && e.as_object().at("sha256").is_string())
          x.fichiers.emplace_back(e.as_object().at("sha256").as_string());
        else {
          b.add_error("fichiers", "Chaque fichier est donné par son sha256.");
          break;
        }
      }
  }
  return x;
}

void verifier(const Context& ctx, Session& s, Saisie& x, http::JsonBody& b) {
  for (auto& [k, m] : valider(x)) b.add_error(k, m);
  if (x.structure_id && b.ok()) {
    if (!store::nom_structure(s, *x.structure_id)) b.add_error("structure_id", "Structure inconnue.");
    else if (!accounts::ressources_peut_publier_pour(ctx.user(), *x.structure_id,
                                                     store::employe(s, ctx.user().user_id, *x.structure_id, core::today())))
      b.add_error("structure_id", "Vous ne travaillez pas pour cette structure.");
  }
  b.done();
}

}  // namespace coop::ressources::api
