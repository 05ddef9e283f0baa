// JSON in and out of handlers (Boost.JSON).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "http/errors.hpp"
#include "http/message.hpp"

namespace coop::http {

namespace json = boost::json;

Response json_response(int status, const json::value& v);
Response no_content();
Response error_response(const ApiError& e);
std::string error_body(int status, const std::string& code, const std::string& message);

// Reads a JSON object body field by field, collecting every field error before throwing one
// validation ApiError that names them all. Unknown fields are ignored.
class JsonBody {
 public:
  // Throws ApiError 400 "json_invalide" when the body is not a JSON object.
  explicit JsonBody(const std::string& body);

  bool has(const char* field) const;
  // Text field: trimmed; required → error "Ce champ est obligatoire." when missing or blank;
  // wrong type → "Doit être une chaîne de caractères."; longer than max → error.
  std::optional<std::string> text(const char* field, bool required = false, std::size_t max = 200);
  std::optional<std::int64_t> integer(const char* field, bool required = false);
  std::optional<bool> boolean(const char* field, bool required = false);
  // Present and null → nullopt and `null_out` set to true (to clear a value).
  std::optional<std::string> nullable_text(const char* field, bool* was_null, std::size_t max = 200);
  const json::value* raw(const char* field) const;

  void add_error(const std::string& field, const std::string& message);
  bool ok() const { return errors_.empty(); }
  // Throws the validation error if any field failed.
  void done() const;
  std::map<std::string, std::string>& errors() { return errors_; }

 private:
  json::object obj_;
  std::map<std::string, std::string> errors_;
};

// Query-string helpers with validation.
std::int64_t query_int(const Request& req, const char* name, std::int64_t def, std::int64_t min, std::int64_t max);

}  // namespace coop::http
