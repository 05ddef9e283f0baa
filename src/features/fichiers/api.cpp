#include "features/fichiers/api.hpp"

#include <boost/json.hpp>

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/policy.hpp"
#include "features/fichiers/acces.hpp"
#include "features/fichiers/apercu.hpp"
#include "features/fichiers/model.hpp"
#include "features/fichiers/store.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/multipart.hpp"

namespace coop::fichiers {

namespace json = boost::json;
using http::ApiError;
using http::Context;
using http::Response;
using storage::Session;

namespace {

ApiError invalide(const std::string& message) {
  return ApiError(400, "fichier_invalide", message, {{"fichier", message}});
}

}  // namespace

std::string taille_lisible(std::size_t octets) {
  if (octets >= 1024 * 1024 && octets % (1024 * 1024) == 0) return std::to_string(octets / (1024 * 1024)) + " Mio";
  if (octets >= 1024 * 1024) {  // "1,5 Mio"
    const auto dixiemes = (octets * 10 + 512 * 1024) / (1024 * 1024);
    return std::to_string(dixiemes / 10) + "," + std::to_string(dixiemes % 10) + " Mio";
  }
  if (octets >= 1024) return std::to_string(octets / 1024) + " Kio";
  return std::to_string(octets) + " octets";
}

json::object piece_json(const store::Fichier& f, const std::string& nom, const std::string& lien) {
  const std::string url = lien.empty() ? "/api/fichiers/" + f.sha256 : lien;
  const bool image = est_image(f.type);
  return {{"sha256", f.sha256},
          {"nom", nom},
          {"type", f.type},
          {"taille", f.taille},
          {"image", image},
          {"largeur", f.largeur ? json::value(*f.largeur) : json::value(nullptr)},
          {"hauteur", f.hauteur ? json::value(*f.hauteur) : json::value(nullptr)},
          {"url", url},
          {"apercu_url", image || f.apercu ? json::value(url + "?apercu=1") : json::value(nullptr)},
          {"cree_le", f.cree_le}};
}

Depot deposer(Context& ctx, std::size_t max, const std::function<bool(std::string_view)>& accepte) {
  const auto ct = ctx.req.header("content-type").value_or("");
  if (!http::multipart::is_form_data(ct))
    throw invalide("Envoyez le fichier dans un formulaire multipart/form-data (champ « fichier »).");
  std::vector<http::multipart::Part> parts;
  try {
    parts = http::multipart::parse(ctx.req.body, http::multipart::boundary(ct));
  } catch (const http::multipart::ParseError& e) {
    throw invalide(std::string("Formulaire d'envoi illisible : ") + e.what());
  }
  http::multipart::Part* part = nullptr;
  for (auto& p : parts) {
    if (p.name != "fichier") continue;
    if (part) throw invalide("Envoyez un seul fichier à la fois (champ « fichier » répété).");
    part = &p;
  }
  if (!part) throw invalide("Choisissez un fichier (champ « fichier » absent du formulaire).");
  if (part->data.empty()) throw invalide("Le fichier envoyé est vide.");
  if (part->data.size() > max) {
    const std::string m = "Le fichier dépasse la taille maximale de " + taille_lisible(max) + ".";
    throw ApiError(413, "fichier_trop_grand", m, {{"fichier", m}});
  }
  const std::string nom = nettoyer_nom(part->filename.value_or(""));
  const Type type = sniffer(part->data);  // never the name nor the part's Content-Type
  if (accepte && !accepte(type.mime)) {
    const std::string m = "Ce type de fichier n'est pas accepté ici (" + type.mime + ").";
    throw ApiError(415, "type_non_accepte", m, {{"fichier", m}});
  }
  store::Nouveau nouveau{.contenu = std::move(part->data), .type = type.mime, .largeur = {}, .hauteur = {}, .apercu = {}};
  if (type.image) {
    if (auto d = dimensions(nouveau.contenu, type.mime)) {
      nouveau.largeur = d->largeur;
      nouveau.hauteur = d->hauteur;
      nouveau.apercu = reduire(nouveau.contenu, type.mime, *d);
    }
  }
  const std::string sha = core::sha256_hex(nouveau.contenu);
  const std::int64_t quota = ctx.services.config.fichiers_quota;
  auto f = ctx.db().write_value([&](Session& s) {
    if (quota > 0) {
      // What this user uploaded over the last 24 hours, this content left out (uploading it
      // again costs nothing).
      const auto depuis = core::iso_utc(core::Clock::now() - std::chrono::hours(24));
      const auto deja = store::volume_televerse(s, ctx.user().user_id, depuis, sha);
      if (deja + static_cast<std::int64_t>(nouveau.contenu.size()) > quota) {
        const std::string m = "Vous avez déposé " + taille_lisible(static_cast<std::size_t>(deja)) +
                              " de fichiers ces dernières 24 heures ; la limite est de " +
                              taille_lisible(static_cast<std::size_t>(quota)) + ". Réessayez plus tard.";
        throw ApiError(429, "quota_fichiers", m, {{"fichier", m}});
      }
    }
    return store::enregistrer(s, nouveau, sha, ctx.user().user_id, nom);
  });
  return Depot{.fichier = std::move(f), .nom = nom, .contenu = std::move(nouveau.contenu)};
}

Response servir(Context& ctx, const store::Fichier& f, const std::string& nom, bool apercu) {
  Response r;
  const bool image = est_image(f.type);
  const bool reduit = apercu && f.apercu;
  const std::string etag = "\"" + f.sha256 + (reduit ? "-apercu" : "") + "\"";
  r.set_header("ETag", etag);
  r.set_header("Cache-Control", "private, max-age=86400");
  // The bytes are the user's: never a document of this origin that could run anything.
  r.set_header("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
  r.set_header("Cross-Origin-Resource-Policy", "same-origin");
  if (ctx.req.header("if-none-match").value_or("") == etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.set_header("Content-Disposition", content_disposition(nom.empty() ? "fichier" : nom, image || reduit));
  if (reduit) {  // a small JPEG: in one piece
    auto octets = ctx.db().read_value([&](Session& s) { return store::contenu(s, f.sha256, true); });
    if (!octets) throw http::not_found("Fichier introuvable.");
    r.status = 200;
    r.content_type = "image/jpeg";
    r.body = std::move(*octets);
    return r;
  }
  r.set_header("Accept-Ranges", "bytes");
  r.content_type = f.type;
  const auto taille = static_cast<std::uint64_t>(f.taille);
  Plage p;
  // If-Range: the range only when the client's copy is this one.
  if (auto range = ctx.req.header("range"); range && ctx.req.header("if-range").value_or(etag) == etag)
    p = plage_demandee(*range, taille);
  if (p.genre == Plage::Genre::insatisfiable) {
    r.status = 416;
    r.content_type = "application/json; charset=utf-8";
    r.set_header("Content-Range", "bytes */" + std::to_string(taille));
    r.body = http::error_body(416, "plage_invalide", "La plage demandée dépasse la fin du fichier.");
    return r;
  }
  std::uint64_t debut = 0, n = taille;
  r.status = 200;
  if (p.genre == Plage::Genre::partiel) {
    debut = p.debut;
    n = p.fin - p.debut + 1;
    r.status = 206;
    r.set_header("Content-Range",
                 "bytes " + std::to_string(p.debut) + "-" + std::to_string(p.fin) + "/" + std::to_string(taille));
  }
  auto flux = std::make_shared<http::Flux>();
  flux->taille = n;
  flux->lire = [&db = ctx.db(), sha = f.sha256, debut](std::uint64_t de, std::size_t k) {
    auto o = db.read_value([&](Session& s) { return store::plage(s, sha, debut + de, k); });
    return o ? std::move(*o) : std::string();
  };
  r.flux = std::move(flux);
  return r;
}

namespace {

Response televerser(Context& ctx) {
  auto d = deposer(ctx, ctx.services.config.fichiers_taille_max);
  return http::json_response(201, piece_json(d.fichier, d.nom));
}

Response mes_fichiers(Context& ctx) {
  auto rows = ctx.db().read_value([&](Session& s) { return store::televersements(s, ctx.user().user_id, 100); });
  json::array items;
  for (auto& p : rows) items.push_back(piece_json(p.fichier, p.nom));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response lire(Context& ctx) {
  const std::string sha = ctx.req.params.at("sha256");
  if (!sha256_valide(sha)) throw http::not_found("Fichier introuvable.");
  const auto a = ctx.req.query_param("apercu");
  const bool apercu = a && (*a == "1" || *a == "true");
  std::optional<store::Fichier> f;
  std::optional<std::string> nom;
  ctx.db().read([&](Session& s) {
    nom = peut_lire(s, ctx.user(), sha);
    if (nom) f = store::infos(s, sha);
  });
  if (!nom || !f) throw http::not_found("Fichier introuvable.");
  return servir(ctx, *f, *nom, apercu);
}

}  // namespace

void register_routes(http::Router& r) {
  auto who = accounts::access::logged_in();
  r.add("POST", "/api/fichiers", who, televerser);
  r.add("GET", "/api/fichiers", who, mes_fichiers);
  r.add("GET", "/api/fichiers/{sha256}", who, lire);
}

}  // namespace coop::fichiers
