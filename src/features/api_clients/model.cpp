#include "features/api_clients/model.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"

namespace coop::api_clients {

bool known_scope(std::string_view s) {
  return std::find(std::begin(all_scopes), std::end(all_scopes), s) != std::end(all_scopes);
}

bool ApiClient::has_scope(std::string_view s) const {
  return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

FieldErrors check_definition(const Definition& d) {
  FieldErrors e;
  if (d.nom.empty()) e["nom"] = "Le nom du client est obligatoire.";
  else if (d.nom.size() > 100) e["nom"] = "Le nom du client est trop long (100 caractères au plus).";
  if (d.scopes.empty()) {
    e["scopes"] = "Choisissez au moins une autorisation (scope).";
  } else {
    for (auto& s : d.scopes)
      if (!known_scope(s)) {
        e["scopes"] = "Autorisation inconnue : « " + core::utf8_prefix(s, 40) +
                      " » (attendu : statistiques, activites, structures, lieux_activite, utilisateurs, ressources).";
        break;
      }
  }
  if (!core::valid_date(d.valide_du)) e["valide_du"] = "Date de début de validité invalide (format AAAA-MM-JJ).";
  if (d.valide_au) {
    if (!core::valid_date(*d.valide_au)) e["valide_au"] = "Date de fin de validité invalide (format AAAA-MM-JJ).";
    else if (core::valid_date(d.valide_du) && *d.valide_au < d.valide_du)
      e["valide_au"] = "La fin de validité doit être postérieure ou égale au début.";
  }
  return e;
}

std::string scopes_to_csv(const std::vector<std::string>& scopes) {
  std::string out;
  for (auto s : all_scopes)
    if (std::find(scopes.begin(), scopes.end(), s) != scopes.end()) {
      if (!out.empty()) out += ",";
      out += s;
    }
  return out;
}

std::vector<std::string> scopes_from_csv(std::string_view csv) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= csv.size()) {
    auto end = csv.find(',', start);
    if (end == std::string_view::npos) end = csv.size();
    auto item = csv.substr(start, end - start);
    if (known_scope(item)) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

std::optional<Credentials> split_pair(std::string_view pair) {
  auto colon = pair.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= pair.size()) return std::nullopt;
  Credentials c{std::string(pair.substr(0, colon)), std::string(pair.substr(colon + 1))};
  if (c.client_id.size() > 100 || c.secret.size() > 200) return std::nullopt;
  return c;
}

}  // namespace

std::optional<Credentials> parse_authorization(std::string_view header) {
  auto trimmed = core::trim(header);
  std::string_view h = trimmed;
  if (iequals_prefix(h, "basic ")) {
    auto decoded = base64_decode(core::trim(h.substr(6)));
    if (!decoded) return std::nullopt;
    return split_pair(*decoded);
  }
  if (iequals_prefix(h, "bearer ")) {
    auto token = core::trim(h.substr(7));
    return split_pair(token);
  }
  return std::nullopt;
}

bool valid_on(std::string_view valide_du, const std::optional<std::string>& valide_au, std::string_view today) {
  if (today < valide_du) return false;
  if (valide_au && today > std::string_view(*valide_au)) return false;
  return true;
}

}  // namespace coop::api_clients
