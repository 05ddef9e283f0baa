// Demo local networks (`coop demo`, `coop serve --demo`, after load_demo_lieux): two networks
// animated by the administrator, on structures the other demo accounts do not belong to (so the
// demo mediatrice's and coordinator's own scopes stay as they are), each with its channel; a
// pending invitation; two mediators who show their contact in the directories.
#include "app/demo.hpp"
#include "core/time.hpp"
#include "features/reseaux/canal.hpp"
#include "features/reseaux/store.hpp"

namespace coop::app {

void load_demo_reseaux(storage::Database& db) {
  db.write([&](storage::Session& s) {
    auto id_de = [&](const char* sql, const std::string& v) {
      auto r = s.query(sql, {v});
      return r.rows.empty() ? std::int64_t{0} : storage::as_int(r.rows[0][0]);
    };
    const auto admin = id_de("SELECT id FROM users WHERE email = ?", "admin@coop.example");
    const auto rennes = id_de("SELECT id FROM structures WHERE nom = ?", "Espace France Services de Rennes Nord");
    const auto tulle = id_de("SELECT id FROM structures WHERE nom = ?", "Tiers-lieu numérique de Tulle");
    const auto marseille = id_de("SELECT id FROM structures WHERE nom = ?", "Centre social La Belle de Mai");
    if (!admin || !rennes || !tulle || !marseille) return;
    const auto now = core::now_iso(), today = core::today();
    reseaux::Saisie a{"Réseau des tiers-lieux et France Services",
                      "Les lieux de médiation de Bretagne et de Corrèze qui partagent leurs ateliers et leurs orientations.",
                      {{"departement", "19"}, {"departement", "35"}}};
    auto r1 = reseaux::store::creer(s, a, admin, now);
    reseaux::creer_canal(s, r1, a.nom, admin);
    reseaux::store::ajouter_structure(s, r1, rennes, admin, now);
    reseaux::store::ajouter_structure(s, r1, tulle, admin, now);
    reseaux::store::inviter(s, r1, marseille, admin, now);
    reseaux::synchroniser_canal(s, r1, today, nullptr);
    reseaux::Saisie b{"Réseau numérique de Marseille", "Les acteurs de l'inclusion numérique des quartiers nord et centre.",
                      {{"commune", "13055"}, {"departement", "13"}}};
    auto r2 = reseaux::store::creer(s, b, admin, now);
    reseaux::creer_canal(s, r2, b.nom, admin);
    reseaux::store::ajouter_structure(s, r2, marseille, admin, now);
    reseaux::synchroniser_canal(s, r2, today, nullptr);
    for (const char* email : {"mediateur.rennes@coop.example", "mediatrice.marseille@coop.example"})
      if (auto u = id_de("SELECT id FROM users WHERE email = ?", email)) reseaux::store::choisir_visibilite(s, u, true, now);
  });
}

}  // namespace coop::app
