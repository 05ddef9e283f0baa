// Files: POST /api/fichiers (upload, multipart/form-data, field « fichier »), GET /api/fichiers
// (the user's uploads), GET /api/fichiers/{sha256} (the bytes, ?apercu=1 for a preview; HTTP
// Range; streamed piece by piece). deposer, servir and piece_json are also what other features
// (ressources) build their own upload and download routes on.
#pragma once

#include <boost/json.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "features/fichiers/store.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace coop::fichiers {
void register_routes(http::Router& router);

struct Depot {
  store::Fichier fichier;
  std::string nom;      // cleaned
  std::string contenu;  // the bytes received (already in memory for the upload)
};
// The upload of the request's multipart body (field « fichier »): size at most `max` bytes (413),
// type sniffed from the content and, when `accepte` is given, accepted by it (else 415
// type_non_accepte naming « fichier »), the user's 24-hour quota; then one write (file +
// upload). Errors are JSON ApiErrors naming « fichier »; nothing is written before all checks pass.
Depot deposer(http::Context& ctx, std::size_t max, const std::function<bool(std::string_view mime)>& accepte = {});

// The answer of a download: ETag / If-None-Match (304), Range (206 / 416, one range), the body
// streamed from the database piece by piece (http::Flux); `apercu`: the stored preview (JPEG)
// instead, when there is one. Images are inline, anything else an attachment named `nom`.
http::Response servir(http::Context& ctx, const store::Fichier& f, const std::string& nom, bool apercu);

// A file as the API shows it; `url` is where to download it (default /api/fichiers/{sha256}).
boost::json::object piece_json(const store::Fichier& f, const std::string& nom, const std::string& url = "");

std::string taille_lisible(std::size_t octets);  // "1,5 Mio", "12 Kio"
}  // namespace coop::fichiers
