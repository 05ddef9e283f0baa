// Client errors are thrown as ApiError anywhere below a handler and turned into
// {"error": {"code", "message", "fields"}} with the right status in exactly one place
// (http::to_response). Messages are in French: the UI shows them as they are.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

namespace coop::http {

struct ApiError : std::runtime_error {
  int status;
  std::string code;
  std::map<std::string, std::string> fields;  // field name -> French message

  ApiError(int status, std::string code, const std::string& message,
           std::map<std::string, std::string> fields = {})
      : std::runtime_error(message), status(status), code(std::move(code)), fields(std::move(fields)) {}
};

ApiError bad_request(const std::string& message, const std::string& code = "requete_invalide");
ApiError validation_error(std::map<std::string, std::string> fields,
                          const std::string& message = "Certains champs sont invalides.");
ApiError unauthorized(const std::string& message = "Vous devez être connecté.");
ApiError forbidden(const std::string& message = "Vous n'avez pas accès à cette ressource.");
ApiError not_found(const std::string& message = "Ressource introuvable.", const std::string& code = "introuvable");
ApiError conflict(const std::string& message, const std::string& code = "conflit",
                  std::map<std::string, std::string> fields = {});

}  // namespace coop::http
