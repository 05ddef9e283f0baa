// The item bank's admin preview (issue 13 point 1): GET /api/admin/evaluation/items (filters
// competence, niveau, type), GET /api/admin/evaluation/items/{id} (the full item, Markdown
// rendered sanitised, answer rules), POST /api/admin/evaluation/items/{id}/essayer (grades an
// answer: correct or not, and which tolerance matched), GET /api/admin/evaluation/medias/{nom}
// (the bank's images and attachments). The bank is read once at start (Services::evaluation).
#pragma once
#include "http/router.hpp"
namespace coop::evaluation {
void register_routes(http::Router& router);
}
