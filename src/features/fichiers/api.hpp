// Files: POST /api/fichiers (upload, multipart/form-data, field « fichier »), GET /api/fichiers
// (the user's uploads), GET /api/fichiers/{sha256} (the bytes, ?apercu=1 for an image's preview).
#pragma once

#include "http/router.hpp"

namespace coop::fichiers {
void register_routes(http::Router& router);
}
