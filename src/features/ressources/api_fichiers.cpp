// Files of resources: upload (then text extraction and a PDF's preview, outside any transaction)
// and download (counted, HTTP Range, streamed), and the access checker of domaine "ressources".
#include <spdlog/spdlog.h>

#include "features/fichiers/acces.hpp"
#include "features/fichiers/api.hpp"
#include "features/fichiers/model.hpp"
#include "features/ressources/api.hpp"
#include "features/ressources/api_commun.hpp"
#include "core/time.hpp"
#include "features/ressources/extraction.hpp"

namespace coop::ressources::api {

namespace {

// PDF, office documents, images, ZIP, audio and video; never text, HTML or executables.
bool accepte(std::string_view mime) {
  return mime == "application/pdf" || mime.starts_with("application/vnd.oasis.opendocument.") ||
         mime.starts_with("application/vnd.openxmlformats-officedocument.") || mime == "application/zip" ||
         mime == "application/x-ole-storage" || fichiers::est_image(mime) || mime.starts_with("audio/") ||
         mime.starts_with("video/");
}

Response televerser(Context& ctx) {
  auto d = fichiers::deposer(ctx, reglages().taille_max, accepte);
  const auto& sha = d.fichier.sha256;
  // Outside any transaction: the programs may take seconds. Done once per content.
  const bool deja = ctx.db().read_value([&](Session& s) { return store::texte_connu(s, sha); });
  std::optional<std::string> texte, apercu;
  if (!deja && extraction::extractible(d.fichier.type)) texte = extraction::texte(d.contenu, d.fichier.type, reglages().extraction);
  if (d.fichier.type == "application/pdf" && !d.fichier.apercu) apercu = extraction::apercu_pdf(d.contenu, reglages().extraction);
  if (texte || apercu) {
    ctx.db().write([&](Session& s) {
      if (texte) {
        store::enregistrer_texte(s, sha, *texte);
        for (auto id : store::ressources_du_fichier(s, sha)) store::reindexer(s, id);
      }
      if (apercu) fichiers::store::definir_apercu(s, sha, *apercu);
    });
    d.fichier.apercu = d.fichier.apercu || apercu.has_value();
  }
  auto o = fichiers::piece_json(d.fichier, d.nom);
  o["texte_indexe"] = deja || texte.has_value();
  return http::json_response(201, o);
}

Response telecharger(Context& ctx) {
  const auto id = ctx.path_id("id");
  const std::string sha = ctx.req.params.at("sha256");
  if (!fichiers::sha256_valide(sha)) throw http::not_found("Fichier introuvable.");
  const auto a = ctx.req.query_param("apercu");
  const bool apercu = a && (*a == "1" || *a == "true");
  std::optional<fichiers::store::Piece> piece;
  ctx.db().read([&](Session& s) {
    charger(ctx, s, id);
    for (auto& p : fichiers::store::pieces(s, store::kDomaine, {id}))
      if (p.fichier.sha256 == sha) piece = p;
  });
  if (!piece) throw http::not_found("Fichier introuvable.");
  // A download is counted once: the whole file, or the first range of a resumed one.
  const auto range = ctx.req.header("range");
  if (!apercu && (!range || range->find("bytes=0-") != std::string::npos) && ctx.req.method == "GET" &&
      !ctx.req.header("if-none-match"))
    ctx.db().write([&](Session& s) { store::compter_telechargement(s, id); });
  return fichiers::servir(ctx, piece->fichier, piece->nom, apercu);
}

}  // namespace

void routes_fichiers(http::Router& r) {
  auto who = accounts::access::logged_in();
  r.add("POST", "/api/ressources/fichiers", who, televerser);
  r.add("GET", "/api/ressources/{id}/fichiers/{sha256}", who, telecharger);
  // A file of a resource is readable (also through /api/fichiers/{sha256}) by whoever may see
  // the resource: everyone for a public one.
  fichiers::autoriser_domaine(store::kDomaine, [](Session& s, const accounts::Principal& p, std::int64_t id) {
    auto r = store::charger(s, id);
    if (!r) return false;
    const store::Lecteur l{.user_id = p.user_id, .moderateur = accounts::ressources_peut_moderer(p), .aujourdhui = core::today()};
    const auto rel = store::relation(s, l, *r);
    return accounts::ressources_peut_voir(p, {.auteur = r->auteur_id == p.user_id,
                                              .visibilite = r->visibilite,
                                              .publiee = r->statut == "publie",
                                              .masquee = r->masque_le.has_value(),
                                              .dans_le_reseau = rel.dans_le_reseau,
                                              .gere_la_structure = rel.gere_la_structure});
  });
}

}  // namespace coop::ressources::api

namespace coop::ressources {

namespace {
Reglages& etat() {
  static Reglages r;
  return r;
}
}  // namespace

void regler(const Reglages& r) { etat() = r; }
const Reglages& reglages() { return etat(); }

void register_routes(http::Router& r) {
  api::routes_ressources(r);
  api::routes_fichiers(r);
  api::routes_social(r);
  api::routes_moderation(r);
  api::routes_publiques(r);
}

}  // namespace coop::ressources
