// Accounts model: roles, the authenticated principal, and the validation rules of users,
// structures, employments and teams. Pure: no I/O, no SQL, no JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::accounts {

// territorial: reads the statistics of one département or one région (préfecture, conseil
// départemental, hub territorial…); it records nothing and sees no personal data.
enum class Role { mediateur, coordinateur, gestionnaire_structure, admin, territorial };
inline constexpr Role all_roles[] = {Role::mediateur, Role::coordinateur, Role::gestionnaire_structure, Role::admin,
                                     Role::territorial};

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);
std::string_view role_label(Role r);  // French label, e.g. "Gestionnaire de structure"

struct RoleGrant {
  RoleGrant() = default;
  RoleGrant(Role r, std::optional<std::int64_t> structure = std::nullopt, bool cn = false,
            std::optional<std::string> terr = std::nullopt)
      : role(r), structure_id(structure), conseiller_numerique(cn), territoire(std::move(terr)) {}

  Role role = Role::mediateur;
  std::optional<std::int64_t> structure_id;  // gestionnaire_structure: the structure managed
  bool conseiller_numerique = false;         // mediateur: holds the conseiller numérique status
  std::optional<std::string> territoire;     // territorial: "departement:69" or "region:84"
  bool operator==(const RoleGrant&) const = default;
};

// The user behind a request, loaded from the session.
struct Principal {
  std::int64_t user_id = 0;
  std::string email;
  std::string nom;
  std::string prenom;
  std::vector<RoleGrant> roles;
  std::int64_t session_id = 0;

  bool has(Role r) const;
  bool is_admin() const { return has(Role::admin); }
  std::vector<std::int64_t> managed_structures() const;  // gestionnaire_structure grants
  std::vector<std::string> territoires() const;         // territorial grants ("departement:69"…)
};

using FieldErrors = std::map<std::string, std::string>;

// Each check returns a French message, or nothing when the value is valid.
std::optional<std::string> check_email(std::string_view email);
std::optional<std::string> check_password(std::string_view password);
std::optional<std::string> check_siret(std::string_view siret);   // 14 digits + Luhn key
std::optional<std::string> check_phone(std::string_view phone);   // French numbers, optional +33
std::optional<std::string> check_name(std::string_view name, bool required);
std::optional<std::string> check_insee(std::string_view code);

// "departement:69" → {"departement", "69"}; nullopt when the shape is wrong.
struct Territoire {
  std::string niveau;  // "departement" | "region"
  std::string code;
};
std::optional<Territoire> parse_territoire(std::string_view s);    // shape only; existence is checked against the référentiel

// Normalisations applied before storing.
std::string normalize_email(std::string_view email);   // trimmed, lower-case
std::string normalize_phone(std::string_view phone);   // "06 12 34 56 78" / "+33 6 12 34 56 78" form
std::string normalize_siret(std::string_view siret);   // digits only

bool luhn_valid(std::string_view digits);

// Roles as granted: a gestionnaire grant needs a structure; other grants carry none;
// conseiller_numerique only on a mediateur grant; a territorial grant needs a territoire of the
// shape "departement:<code>" or "region:<code>" (existence is checked against the référentiel
// by the caller), other grants carry none; no duplicates.
FieldErrors check_role_grants(const std::vector<RoleGrant>& grants);

// Period [debut, fin] of an employment or a team membership.
FieldErrors check_period(std::string_view debut, const std::optional<std::string>& fin);

inline constexpr std::size_t min_password_length = 12;

}  // namespace coop::accounts
