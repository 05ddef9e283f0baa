// Demo data: real communes, structures with valid SIRETs, an admin, a structure manager, a
// coordinator with a team (one former member), mediators (some conseillers numériques),
// a pending invitation.
#include "app/demo.hpp"

#include <fmt/format.h>

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/store.hpp"

namespace coop::app {

using namespace coop::accounts;

// Completes a 13-digit prefix with the Luhn key digit.
static std::string siret_with_key(const std::string& prefix13) {
  for (char k = '0'; k <= '9'; ++k)
    if (luhn_valid(prefix13 + k)) return prefix13 + k;
  return prefix13 + "0";
}

bool load_demo(storage::Database& db, bool print) {
  bool empty = db.read_value([](storage::Session& s) { return store::count_users(s) == 0; });
  if (!empty) return false;
  const std::string hash = core::hash_password(demo_password);
  struct S { const char* nom; const char* adresse; const char* insee; const char* siret13; };
  const S structures[] = {
      {"Médiathèque du Bachut", "2 place du 11 Novembre 1918", "69388", "2169012300018"},
      {"Association Connexions Solidaires", "14 rue de la République", "42218", "8123456780001"},
      {"Espace France Services de Rennes Nord", "6 rue de Rennes", "35238", "2135023800021"},
      {"Centre social La Belle de Mai", "45 rue Clovis Hugues", "13203", "7834561230001"},
      {"Tiers-lieu numérique de Tulle", "1 quai Edmond Perrier", "19272", "9012345670001"},
  };
  struct U { const char* email; const char* prenom; const char* nom; const char* tel; };
  const U people[] = {
      {"admin@coop.example", "Alice", "Administratrice", "01 23 45 67 89"},
      {"gestion@coop.example", "Gérard", "Gestionnaire", "04 72 00 00 01"},
      {"coordination@coop.example", "Camille", "Coordinatrice", "04 72 00 00 02"},
      {"mediatrice@coop.example", "Maëlle", "Médiatrice", "06 12 34 56 78"},
      {"mediateur.lyon@coop.example", "Karim", "Benali", "06 23 45 67 89"},
      {"mediatrice.stetienne@coop.example", "Inès", "Martin", "06 34 56 78 90"},
      {"mediateur.rennes@coop.example", "Yann", "Le Goff", "06 45 67 89 01"},
      {"mediatrice.marseille@coop.example", "Sofia", "Rossi", "06 56 78 90 12"},
      {"mediateur.tulle@coop.example", "Pierre", "Delmas", "06 67 89 01 23"},
      {"ancien.membre@coop.example", "Hugo", "Lefèvre", "06 78 90 12 34"},
  };
  db.write([&](storage::Session& s) {
    std::vector<std::int64_t> sid;
    for (auto& st : structures) {
      store::Structure x;
      x.nom = st.nom;
      x.adresse = st.adresse;
      x.commune_insee = st.insee;
      x.siret = siret_with_key(st.siret13);
      sid.push_back(store::create_structure(s, x));
    }
    std::vector<std::int64_t> uid;
    for (auto& p : people) uid.push_back(store::create_user(s, {p.email, p.nom, p.prenom, normalize_phone(p.tel), hash}));
    store::replace_roles(s, uid[0], {{Role::admin, std::nullopt, false}});
    store::replace_roles(s, uid[1], {{Role::gestionnaire_structure, sid[0], false}});
    store::replace_roles(s, uid[2], {{Role::coordinateur, std::nullopt, false}});
    store::create_employment(s, uid[1], sid[0], "2022-09-01", std::nullopt);
    store::create_employment(s, uid[2], sid[0], "2021-03-15", std::nullopt);
    const std::int64_t where[] = {sid[0], sid[0], sid[1], sid[2], sid[3], sid[4], sid[1]};
    for (std::size_t i = 3; i < std::size(people); ++i) {
      bool cn = i % 2 == 1;  // mediatrice@ is a conseillère numérique
      store::replace_roles(s, uid[i], {{Role::mediateur, std::nullopt, cn}});
      store::create_employment(s, uid[i], where[i - 3], fmt::format("202{}-0{}-01", i % 4 + 1, i % 9 + 1),
                               i == 9 ? std::optional<std::string>("2025-06-30") : std::nullopt);
    }
    for (std::size_t i = 3; i <= 6; ++i) store::add_team_member(s, uid[2], uid[i], "2024-01-08");
    auto former = store::add_team_member(s, uid[2], uid[9], "2023-02-01");
    store::end_team_member(s, former, "2025-06-30");
    store::Invitation inv;
    inv.email = "nouvelle.recrue@coop.example";
    inv.role = Role::mediateur;
    inv.structure_id = sid[0];
    inv.invited_by = uid[1];
    auto now = core::Clock::now();
    inv.created_at = core::iso_utc(now);
    inv.expires_at = core::iso_utc(now + std::chrono::days(14));
    store::create_invitation(s, core::sha256_hex(core::random_token(32)), inv);
    store::audit(s, "demo_loaded", std::nullopt, std::nullopt, "", "", "données de démonstration");
  });
  if (print) {
    fmt::print("Données de démonstration chargées. Mot de passe de tous les comptes : {}\n", demo_password);
    fmt::print("  admin@coop.example          administrateur\n");
    fmt::print("  gestion@coop.example        gestionnaire de structure (Médiathèque du Bachut, Lyon)\n");
    fmt::print("  coordination@coop.example   coordinatrice (équipe de 4 médiateurs)\n");
    fmt::print("  mediatrice@coop.example     médiatrice, conseillère numérique\n");
  }
  return true;
}

}  // namespace coop::app
