#include "http/json.hpp"

#include <charconv>

#include "core/text.hpp"

namespace coop::http {

ApiError bad_request(const std::string& message, const std::string& code) { return {400, code, message}; }
ApiError validation_error(std::map<std::string, std::string> fields, const std::string& message) {
  return {400, "validation", message, std::move(fields)};
}
ApiError unauthorized(const std::string& message) { return {401, "non_authentifie", message}; }
ApiError forbidden(const std::string& message) { return {403, "acces_refuse", message}; }
ApiError not_found(const std::string& message, const std::string& code) { return {404, code, message}; }
ApiError conflict(const std::string& message, const std::string& code, std::map<std::string, std::string> fields) {
  return {409, code, message, std::move(fields)};
}

Response json_response(int status, const json::value& v) {
  Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

// Error messages may quote the request (the path of a 404, a method): percent-decoding can
// make those invalid UTF-8, which Boost.JSON would serialise as is, producing a body that is
// not JSON. Invalid bytes are replaced with U+FFFD.
static std::string json_safe(std::string s) {
  if (core::valid_utf8(s)) return s;
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    if (i + len <= s.size() && core::valid_utf8(std::string_view(s).substr(i, len))) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

Response error_response(const ApiError& e) {
  json::object err{{"code", json_safe(e.code)}, {"message", json_safe(e.what())}};
  if (!e.fields.empty()) {
    json::object f;
    for (auto& [k, v] : e.fields) f[json_safe(k)] = json_safe(v);
    err["fields"] = std::move(f);
  }
  return json_response(e.status, json::object{{"error", std::move(err)}});
}

std::string error_body(int status, const std::string& code, const std::string& message) {
  return error_response(ApiError(status, code, message)).body;
}

JsonBody::JsonBody(const std::string& body) {
  if (!core::valid_utf8(body)) throw bad_request("Le corps de la requête n'est pas en UTF-8 valide.", "json_invalide");
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) throw bad_request("Le corps de la requête n'est pas un JSON valide.", "json_invalide");
  if (!v.is_object()) throw bad_request("Le corps de la requête doit être un objet JSON.", "json_invalide");
  obj_ = std::move(v.as_object());
}

bool JsonBody::has(const char* field) const { return obj_.contains(field); }

const json::value* JsonBody::raw(const char* field) const { return obj_.if_contains(field); }

void JsonBody::add_error(const std::string& field, const std::string& message) {
  errors_.emplace(field, message);  // keeps the first error of a field
}

std::optional<std::string> JsonBody::text(const char* field, bool required, std::size_t max) {
  const json::value* v = obj_.if_contains(field);
  if (!v || v->is_null()) {
    if (required) add_error(field, "Ce champ est obligatoire.");
    return std::nullopt;
  }
  if (!v->is_string()) {
    add_error(field, "Doit être une chaîne de caractères.");
    return std::nullopt;
  }
  std::string s = core::trim(std::string_view(v->as_string().data(), v->as_string().size()));
  if (s.empty()) {
    if (required) add_error(field, "Ce champ est obligatoire.");
    return s;
  }
  if (s.size() > max) {
    add_error(field, "Ce champ est trop long (" + std::to_string(max) + " caractères au plus).");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonBody::nullable_text(const char* field, bool* was_null, std::size_t max) {
  const json::value* v = obj_.if_contains(field);
  *was_null = v && v->is_null();
  if (*was_null) return std::nullopt;
  return text(field, false, max);
}

std::optional<std::int64_t> JsonBody::integer(const char* field, bool required) {
  const json::value* v = obj_.if_contains(field);
  if (!v || v->is_null()) {
    if (required) add_error(field, "Ce champ est obligatoire.");
    return std::nullopt;
  }
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_string()) {  // tolerate "12" from HTML forms
    auto& s = v->as_string();
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size()) return out;
  }
  add_error(field, "Doit être un nombre entier.");
  return std::nullopt;
}

std::optional<bool> JsonBody::boolean(const char* field, bool required) {
  const json::value* v = obj_.if_contains(field);
  if (!v || v->is_null()) {
    if (required) add_error(field, "Ce champ est obligatoire.");
    return std::nullopt;
  }
  if (v->is_bool()) return v->as_bool();
  add_error(field, "Doit être vrai ou faux.");
  return std::nullopt;
}

void JsonBody::done() const {
  if (!errors_.empty()) throw validation_error(errors_);
}

std::int64_t query_int(const Request& req, const char* name, std::int64_t def, std::int64_t min, std::int64_t max) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return def;
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < min || out > max)
    throw validation_error({{name, "Doit être un nombre entier entre " + std::to_string(min) + " et " +
                                       std::to_string(max) + "."}},
                           "Paramètre de requête invalide.");
  return out;
}

}  // namespace coop::http
