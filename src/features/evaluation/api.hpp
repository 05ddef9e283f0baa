// The item bank's admin preview (issue 13 point 1): GET /api/admin/evaluation/items (filters
// competence, niveau, type), GET /api/admin/evaluation/items/{id} (the full item, Markdown
// rendered sanitised, answer rules), POST /api/admin/evaluation/items/{id}/essayer (grades an
// answer: correct or not, and which tolerance matched), GET /api/admin/evaluation/medias/{nom}
// (the bank's images and attachments). The bank is read once at start (Services::evaluation).
// Also registers the positioning tests' routes (api_positionnement.cpp).
#pragma once
#include "features/evaluation/notation.hpp"
#include "http/json.hpp"
#include "http/router.hpp"
namespace coop::evaluation {
void register_routes(http::Router& router);
// The positioning test's routes (issue 13 point 3), api_positionnement.cpp.
void register_routes_positionnement(http::Router& router);
// An answer to `it` from a JSON body: `choix` (QCU, QCM: 1-based numbers) or `valeurs` ({field:
// text}); 422 naming the field otherwise.
Reponse lire_reponse(const Item& it, http::JsonBody& body);
}
