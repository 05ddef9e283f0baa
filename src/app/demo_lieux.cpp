// Demo lieux (`coop demo`, `coop serve --demo`): the sheets of the demo structures, completed
// as their gestionnaires would, and 30 lieux in the national standard around them (source
// « demo »), imported through the same path as a file (features/lieux/import.hpp).
#include <fmt/format.h>

#include <sstream>

#include "app/demo.hpp"
#include "core/time.hpp"
#include "features/lieux/export.hpp"
#include "features/lieux/import.hpp"
#include "features/lieux/store.hpp"

namespace coop::app {

namespace {

struct Ville {
  const char* commune;
  const char* code_postal;
  const char* insee;
  double lat, lon;
  const char* rue;
};

}  // namespace

void load_demo_lieux(storage::Database& db, const referentiel::Territoires& territoires) {
  using namespace lieux;
  const Ville villes[] = {
      {"Lyon", "69008", "69388", 45.7347, 4.8697, "avenue des Frères Lumière"},
      {"Saint-Étienne", "42000", "42218", 45.4397, 4.3872, "rue de la Résistance"},
      {"Rennes", "35000", "35238", 48.1173, -1.6778, "boulevard de la Liberté"},
      {"Marseille", "13003", "13203", 43.3120, 5.3800, "boulevard National"},
      {"Tulle", "19000", "19272", 45.2667, 1.7667, "avenue Victor Hugo"},
  };
  struct Modele {
    const char* nom;
    const char* typologie;
    const char* services;
    const char* publics;
    const char* frais;
    const char* dispositifs;
    const char* acces;
    const char* accompagnement;
    const char* horaires;
  };
  const Modele modeles[] = {
      {"Bibliothèque municipale", "BIB", "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique",
       "Seniors|Jeunes", "Gratuit", "Conseillers numériques", "Se présenter", "En autonomie|Dans un atelier collectif",
       "Tu-Sa 10:00-18:00"},
      {"Espace public numérique", "EPN", "Accès internet et matériel informatique|Maîtrise des outils numériques du quotidien",
       "", "Gratuit", "", "Se présenter|Téléphoner", "En autonomie|Accompagnement individuel",
       "Mo-Fr 09:00-12:00,14:00-17:30"},
      {"France Services", "FT", "Aide aux démarches administratives", "", "Gratuit", "France Services|Aidants Connect",
       "Téléphoner|Prendre un RDV en ligne", "Accompagnement individuel", "Mo-Fr 08:30-12:30,13:30-17:00"},
      {"Centre social", "ASSO", "Parentalité et éducation avec le numérique|Insertion professionnelle via le numérique",
       "Familles et/ou enfants|Femmes", "Gratuit sous condition", "Conseillers numériques", "Se présenter|Contacter par mail",
       "Dans un atelier collectif", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"},
      {"Atelier de réemploi informatique", "TIERS_LIEUX", "Acquisition de matériel informatique à prix solidaire",
       "Étudiants", "Payant", "Emmaüs Connect", "Se présenter", "Accompagnement individuel", "We,Sa 14:00-18:00"},
      {"Point numérique CAF", "CAF", "Aide aux démarches administratives|Utilisation sécurisée du numérique", "Seniors",
       "Gratuit", "Point d'accès numérique CAF", "Se présenter", "En autonomie", "Mo-Th 08:30-16:30"},
  };
  std::string csv = entete_csv() + "\r\n";
  int n = 0;
  for (const auto& v : villes) {
    int k = 0;
    for (const auto& m : modeles) {
      Lieu l;
      l[ch::id] = fmt::format("demo-{}", ++n);
      l[ch::pivot] = fmt::format("{:014}", 21000000000000LL + n * 1117);
      l[ch::nom] = fmt::format("{} de {}", m.nom, v.commune);
      l[ch::commune] = v.commune;
      l[ch::code_postal] = v.code_postal;
      l[ch::code_insee] = v.insee;
      l[ch::adresse] = fmt::format("{} {}", 3 + 7 * k, v.rue);
      l[ch::latitude] = fmt::format("{:.5f}", v.lat + 0.004 * (k - 2.5));
      l[ch::longitude] = fmt::format("{:.5f}", v.lon + 0.005 * ((k * 7) % 6 - 2.5));
      l[ch::typologie] = m.typologie;
      l[ch::telephone] = fmt::format("+3347{:07}", 1000000 + n * 137);
      l[ch::courriels] = fmt::format("contact{}@lieux.coop.example", n);
      l[ch::horaires] = m.horaires;
      l[ch::presentation_resume] = fmt::format("{} : accueil et accompagnement au numérique à {}.", m.nom, v.commune);
      l[ch::source] = "Démonstration Coop";
      l[ch::itinerance] = "Fixe";
      l[ch::date_maj] = "2026-11-15";
      l[ch::services] = m.services;
      l[ch::publics_specifiquement_adresses] = m.publics;
      l[ch::frais_a_charge] = m.frais;
      l[ch::dispositif_programmes_nationaux] = m.dispositifs;
      l[ch::modalites_acces] = m.acces;
      l[ch::modalites_accompagnement] = m.accompagnement;
      if (k % 2 == 0) l[ch::prise_rdv] = fmt::format("https://rdv.coop.example/lieux/{}", n);
      csv += ligne_csv(l) + "\r\n";
      ++k;
    }
  }
  std::istringstream in(csv);
  importer(db, in, {.source = "demo", .proposer_doublons = true, .lot = 500});
  // The structures' sheets, completed like a gestionnaire would.
  const auto maintenant = core::now_iso();
  db.write([&](storage::Session& s) {
    store::completer_fiches(s, territoires, maintenant);
    auto r = s.query("SELECT id FROM lieux WHERE structure_id IS NOT NULL ORDER BY structure_id");
    int i = 0;
    for (const auto& row : r.rows) {
      auto e = store::lire(s, storage::as_int(row[0]));
      if (!e) continue;
      const auto& m = modeles[i % std::size(modeles)];
      Lieu l = e->lieu;
      l[ch::services] = m.services;
      l[ch::publics_specifiquement_adresses] = m.publics;
      l[ch::frais_a_charge] = m.frais;
      l[ch::modalites_acces] = m.acces;
      l[ch::modalites_accompagnement] = m.accompagnement;
      l[ch::horaires] = m.horaires;
      l[ch::latitude] = fmt::format("{:.5f}", villes[i % 5].lat + 0.001);
      l[ch::longitude] = fmt::format("{:.5f}", villes[i % 5].lon + 0.001);
      auto a = analyser(l.valeurs);
      if (a.ok()) store::modifier(s, e->id, a.lieu, a.horaires_valides, true, std::nullopt, maintenant);
      ++i;
    }
  });
  // Orientations (issue 12 point 7): the demo's individual CRAs that oriented the person get a
  // lieu of the demo and its first service, as the orientation wizard records them, so that the
  // statistics' « Orientations » tables have something to show.
  db.write([&](storage::Session& s) {
    auto lieux_avec_services = s.query("SELECT id, services FROM lieux WHERE services <> '' ORDER BY id LIMIT 8");
    if (lieux_avec_services.empty()) return;
    auto cras = s.query("SELECT id FROM activites WHERE type = 'individuel' AND oriente_vers_structure = 1 "
                        "AND deleted_at IS NULL ORDER BY id");
    std::size_t k = 0;
    for (const auto& row : cras.rows) {
      const auto& l = lieux_avec_services.rows[k++ % lieux_avec_services.size()];
      const auto services = separer(storage::as_text(l[1]));
      s.exec("UPDATE activites SET orientation_lieu_id = ?, orientation_services = ? WHERE id = ?",
             {storage::as_int(l[0]), services.empty() ? std::string() : services.front(), storage::as_int(row[0])});
    }
  });
}

}  // namespace coop::app
