#include "features/accounts/model.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "core/time.hpp"

namespace coop::accounts {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::mediateur: return "mediateur";
    case Role::coordinateur: return "coordinateur";
    case Role::gestionnaire_structure: return "gestionnaire_structure";
    case Role::admin: return "admin";
    case Role::territorial: return "territorial";
  }
  return "";
}

std::string_view role_label(Role r) {
  switch (r) {
    case Role::mediateur: return "Médiateur numérique";
    case Role::coordinateur: return "Coordinateur";
    case Role::gestionnaire_structure: return "Gestionnaire de structure";
    case Role::admin: return "Administrateur";
    case Role::territorial: return "Pilote territorial";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : all_roles)
    if (role_name(r) == s) return r;
  return std::nullopt;
}

bool Principal::has(Role r) const {
  return std::any_of(roles.begin(), roles.end(), [r](const RoleGrant& g) { return g.role == r; });
}

std::vector<std::int64_t> Principal::managed_structures() const {
  std::vector<std::int64_t> out;
  for (auto& g : roles)
    if (g.role == Role::gestionnaire_structure && g.structure_id) out.push_back(*g.structure_id);
  return out;
}

std::vector<std::string> Principal::territoires() const {
  std::vector<std::string> out;
  for (auto& g : roles)
    if (g.role == Role::territorial && g.territoire) out.push_back(*g.territoire);
  return out;
}

std::optional<Territoire> parse_territoire(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view niveau = s.substr(0, colon), code = s.substr(colon + 1);
  if (niveau != "departement" && niveau != "region") return std::nullopt;
  if (code.empty() || code.size() > 3) return std::nullopt;
  for (char c : code)
    if (!std::isalnum(static_cast<unsigned char>(c))) return std::nullopt;
  return Territoire{std::string(niveau), std::string(code)};
}

std::string normalize_email(std::string_view email) {
  std::string s = core::trim(email);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::optional<std::string> check_email(std::string_view raw) {
  std::string e = normalize_email(raw);
  if (e.empty()) return "L'adresse e-mail est obligatoire.";
  if (e.size() > 254) return "L'adresse e-mail est trop longue.";
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos)
    return "Adresse e-mail invalide (exemple : prenom.nom@exemple.fr).";
  std::string_view local(e.data(), at), domain(e.data() + at + 1, e.size() - at - 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2 || domain.front() == '.' ||
      domain.find("..") != std::string_view::npos || local.find("..") != std::string_view::npos)
    return "Adresse e-mail invalide (exemple : prenom.nom@exemple.fr).";
  for (unsigned char c : e) {
    if (c <= ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
        c == '\\' || c == '"' || c == '[' || c == ']')
      return "Adresse e-mail invalide : caractère non autorisé.";
  }
  return std::nullopt;
}

std::optional<std::string> check_password(std::string_view p) {
  if (p.size() < min_password_length)
    return "Le mot de passe doit contenir au moins " + std::to_string(min_password_length) + " caractères.";
  if (p.size() > 256) return "Le mot de passe est trop long (256 caractères au plus).";
  if (!core::valid_utf8(p)) return "Le mot de passe contient des caractères invalides.";
  return std::nullopt;
}

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    dbl = !dbl;
  }
  return !digits.empty() && sum % 10 == 0;
}

std::string normalize_siret(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '.' && c != '-') out += c;
  return out;
}

std::optional<std::string> check_siret(std::string_view raw) {
  std::string s = normalize_siret(raw);
  if (s.size() != 14 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "Le SIRET doit contenir 14 chiffres.";
  // La Poste's establishments (SIREN 356000000) use a different key: the sum of the digits is a
  // multiple of 5.
  if (s.starts_with("356000000")) {
    int sum = 0;
    for (char c : s) sum += c - '0';
    if (sum % 5 == 0) return std::nullopt;
  }
  if (!luhn_valid(s)) return "SIRET invalide : la clé de contrôle ne correspond pas.";
  return std::nullopt;
}

std::string normalize_phone(std::string_view raw) {
  std::string digits;
  bool plus = false;
  for (char c : raw) {
    if (c == '+' && digits.empty()) plus = true;
    if (c >= '0' && c <= '9') digits += c;
  }
  if (plus && digits.starts_with("33") && digits.size() == 11) digits = "0" + digits.substr(2);
  else if (plus) return "+" + digits;
  if (digits.size() != 10) return digits;
  std::string out;
  for (std::size_t i = 0; i < 10; i += 2) {
    if (!out.empty()) out += ' ';
    out += digits.substr(i, 2);
  }
  return out;
}

std::optional<std::string> check_phone(std::string_view raw) {
  std::string s = core::trim(raw);
  if (s.empty()) return std::nullopt;
  std::string digits;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') digits += c;
    else if (c == '+' && i == 0) continue;
    else if (c != ' ' && c != '.' && c != '-') return "Numéro de téléphone invalide (exemple : 06 12 34 56 78).";
  }
  bool international = s.front() == '+';
  if (international ? (digits.size() < 8 || digits.size() > 15) : (digits.size() != 10 || digits[0] != '0'))
    return "Numéro de téléphone invalide (exemple : 06 12 34 56 78).";
  return std::nullopt;
}

std::optional<std::string> check_name(std::string_view name, bool required) {
  std::string s = core::trim(name);
  if (s.empty()) return required ? std::optional<std::string>("Ce champ est obligatoire.") : std::nullopt;
  if (s.size() > 100) return "Ce champ est trop long (100 caractères au plus).";
  if (!core::valid_utf8(s)) return "Ce champ contient des caractères invalides.";
  for (unsigned char c : s)
    if (c < 0x20) return "Ce champ contient des caractères invalides.";
  return std::nullopt;
}

std::optional<std::string> check_insee(std::string_view c) {
  if (c.size() != 5) return "Code commune invalide.";
  for (std::size_t i = 0; i < 5; ++i) {
    char ch = c[i];
    bool ok = (ch >= '0' && ch <= '9') || (i == 1 && (ch == 'A' || ch == 'B') && c[0] == '2');
    if (!ok) return "Code commune invalide.";
  }
  return std::nullopt;
}

FieldErrors check_role_grants(const std::vector<RoleGrant>& grants) {
  FieldErrors errors;
  for (std::size_t i = 0; i < grants.size(); ++i) {
    const auto& g = grants[i];
    if (g.role == Role::gestionnaire_structure && !g.structure_id)
      errors["roles"] = "Un gestionnaire de structure doit être rattaché à une structure.";
    if (g.role != Role::gestionnaire_structure && g.structure_id)
      errors["roles"] = "Seul le rôle gestionnaire de structure se rattache à une structure.";
    if (g.role != Role::mediateur && g.conseiller_numerique)
      errors["roles"] = "Le statut conseiller numérique ne s'applique qu'au rôle médiateur.";
    if (g.role == Role::territorial && (!g.territoire || !parse_territoire(*g.territoire)))
      errors["roles"] = "Un pilote territorial doit être rattaché à un département ou à une région.";
    if (g.role != Role::territorial && g.territoire)
      errors["roles"] = "Seul le rôle pilote territorial se rattache à un territoire.";
    for (std::size_t j = 0; j < i; ++j)
      if (grants[j].role == g.role && grants[j].structure_id == g.structure_id && grants[j].territoire == g.territoire)
        errors["roles"] = "Le même rôle est attribué deux fois.";
  }
  return errors;
}

FieldErrors check_period(std::string_view debut, const std::optional<std::string>& fin) {
  FieldErrors errors;
  if (!core::valid_date(debut)) errors["debut"] = "Date de début invalide (format AAAA-MM-JJ).";
  if (fin && !fin->empty()) {
    if (!core::valid_date(*fin)) errors["fin"] = "Date de fin invalide (format AAAA-MM-JJ).";
    else if (errors.empty() && *fin < debut) errors["fin"] = "La date de fin doit suivre la date de début.";
  }
  return errors;
}

}  // namespace coop::accounts
