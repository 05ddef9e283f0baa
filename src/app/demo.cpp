// Demo data: real communes, structures with valid SIRETs, an admin, a structure manager, a
// coordinator with a team (one former member), mediators (some conseillers numériques),
// a pending invitation.
#include "app/demo.hpp"

#include <fmt/format.h>

#include "core/security.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/store.hpp"
#include "features/activites/model.hpp"
#include "features/activites/store.hpp"

namespace coop::app {

using namespace coop::accounts;

// Completes a 13-digit prefix with the Luhn key digit.
static std::string siret_with_key(const std::string& prefix13) {
  for (char k = '0'; k <= '9'; ++k)
    if (luhn_valid(prefix13 + k)) return prefix13 + k;
  return prefix13 + "0";
}

// Activities of the demo: lieux d'activité of every mediator, tags, a dozen followed beneficiaries
// and ~300 CRA of mediatrice@ over the last 12 months (deterministic pseudo-random mix of
// individual accompaniments and workshops, typical durations and thématiques).
static void load_demo_activites(storage::Session& s, const std::vector<std::int64_t>& uid,
                                const std::vector<std::int64_t>& sid) {
  namespace act = coop::activites;
  const std::int64_t mediatrice = uid[3];
  // Lieux: each mediator at their employer; the mediatrice also ran a permanence in Saint-Étienne until March 2025.
  const std::int64_t where[] = {sid[0], sid[0], sid[1], sid[2], sid[3], sid[4]};
  for (std::size_t i = 3; i <= 8; ++i) act::store::create_lieu(s, uid[i], where[i - 3], "2023-01-01", std::nullopt);
  act::store::create_lieu(s, mediatrice, sid[1], "2023-01-01", std::string("2025-03-31"));

  const auto tag_caf = act::store::create_tag(s, "Permanence CAF", "personnel", mediatrice, std::nullopt);
  const auto tag_senior = act::store::create_tag(s, "Public senior", "personnel", mediatrice, std::nullopt);
  const auto tag_pass = act::store::create_tag(s, "Pass numérique", "equipe", uid[2], std::nullopt);
  act::store::create_tag(s, "France Services 69", "departemental", std::nullopt, std::string("69"));

  struct B { const char* prenom; const char* nom; int annee; const char* genre; const char* age; const char* statut; };
  const B people[] = {
      {"Jeanne", "Moreau", 1948, "feminin", "soixante_dix_plus", "retraite"},
      {"Ahmed", "Khelifi", 1979, "masculin", "quarante_cinquante_neuf", "sans_emploi"},
      {"Lucie", "Bernard", 2001, "feminin", "vingt_cinq_trente_neuf", "en_emploi"},
      {"Marcel", "Dupont", 1955, "masculin", "soixante_soixante_neuf", "retraite"},
      {"Fatou", "Diallo", 1990, "feminin", "vingt_cinq_trente_neuf", "sans_emploi"},
      {"Bernard", "Lefèvre", 1943, "masculin", "soixante_dix_plus", "retraite"},
      {"Chloé", "Garnier", 2008, "feminin", "douze_dix_huit", "scolarise"},
      {"Nadia", "Benhamou", 1972, "feminin", "quarante_cinquante_neuf", "en_emploi"},
      {"Paul", "Nguyen", 1985, "masculin", "vingt_cinq_trente_neuf", "sans_emploi"},
      {"Odette", "Girard", 1951, "feminin", "soixante_dix_plus", "retraite"},
      {"Yasmine", "Haddad", 1998, "feminin", "vingt_cinq_trente_neuf", "sans_emploi"},
      {"Gérard", "Fontaine", 1960, "masculin", "soixante_soixante_neuf", "retraite"},
  };
  std::vector<std::int64_t> beneficiaires;
  const auto now = core::now_iso();
  for (auto& p : people)
    beneficiaires.push_back(s.insert(
        "INSERT INTO beneficiaires (mediateur_id, anonyme, prenom, nom, nom_recherche, annee_naissance, commune_insee, "
        "code_postal, genre, tranche_age, statut_social, created_at, updated_at) VALUES (?, 0, ?, ?, ?, ?, '69388', "
        "'69008', ?, ?, ?, ?, ?)",
        {mediatrice, p.prenom, p.nom, core::fold(std::string(p.prenom) + " " + p.nom), std::int64_t{p.annee}, p.genre,
         p.age, p.statut, now, now}));

  std::uint64_t seed = 20261128;
  auto rnd = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  const int durees[] = {30, 30, 30, 45, 45, 60, 60, 60, 15, 90, 120, 20};
  const char* themes[] = {"email", "navigation_sur_internet", "prendre_en_main_du_materiel", "aide_aux_demarches_administratives",
                          "aide_aux_demarches_administratives", "securite_numerique", "bureautique", "sante",
                          "banque_et_achats_en_ligne", "reseaux_sociaux", "insertion_professionnelle", "diagnostic_numerique",
                          "gere_ses_contenus_numeriques", "intelligence_artificielle"};
  const char* demarches[] = {"social_sante", "argent_impots", "logement", "travail_formation", "papiers_elections_citoyennete",
                             "famille_scolarite", "transports_mobilite"};
  const char* materiels[] = {"ordinateur", "telephone", "tablette"};
  const char* autonomies[] = {"entierement_accompagne", "partiellement_autonome", "autonome"};
  const char* redirections[] = {"administration", "operateur_ou_organisme_en_charge", "aide_sociale", "insertion_professionnelle"};
  const char* ateliers[] = {"Premiers pas sur la tablette", "Sécuriser ses comptes en ligne", "Découvrir France Connect",
                            "Les bases de la messagerie", "Ameli et Doctolib", "Atelier CV en ligne"};
  const char* communes[] = {"69388", "69383", "69266", "69259"};  // Lyon 8e, Lyon 3e, Villeurbanne, Vénissieux
  const std::string today = core::today();
  // Profiles of the anonymous beneficiaries of individual CRAs, from their own generator (the
  // rest of the demo data stays as it was); about one field in six left blank, as in real use.
  std::uint64_t profil_seed = 20261129;
  auto prnd = [&](std::uint64_t n) {
    profil_seed = profil_seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (profil_seed >> 33) % n;
  };
  auto profil_anonyme = [&] {
    act::ProfilAnonyme p;
    auto pick = [&](std::span<const act::Code> list, std::optional<std::string>& out) {
      if (prnd(6) != 0) out = std::string(list[prnd(list.size())].code);
    };
    pick(act::genres, p.genre);
    pick(act::tranches_age, p.tranche_age);
    pick(act::statuts_social, p.statut_social);
    if (prnd(6) != 0) p.commune_insee = communes[prnd(std::size(communes))];
    return p;
  };
  for (int n = 0; n < 300; ++n) {
    act::Activite a;
    a.mediateur_id = mediatrice;
    a.date = core::date_plus_days(today, -static_cast<int>(rnd(365)));  // spread over the last 12 months
    const bool collectif = rnd(100) < 15;
    a.type = collectif ? "collectif" : "individuel";
    a.duree = collectif ? (rnd(2) ? 90 : 120) : durees[rnd(std::size(durees))];
    const auto lieu_roll = rnd(100);
    if (lieu_roll < 75 || collectif) {
      a.type_lieu = "lieu_activite";
      a.lieu_activite_id = (a.date <= "2025-03-31" && rnd(4) == 0) ? sid[1] : sid[0];
    } else {
      a.type_lieu = lieu_roll < 88 ? "a_distance" : lieu_roll < 96 ? "domicile" : "autre";
      a.commune_insee = communes[rnd(std::size(communes))];
    }
    a.thematiques.push_back(themes[rnd(std::size(themes))]);
    if (rnd(3) == 0) a.thematiques.push_back(themes[rnd(std::size(themes))]);
    if (std::find(a.thematiques.begin(), a.thematiques.end(), "aide_aux_demarches_administratives") != a.thematiques.end()) {
      a.demarches.push_back(demarches[rnd(std::size(demarches))]);
      if (rnd(4) == 0) a.precisions_demarche = "Dossier en ligne commencé ensemble, à finir à la maison.";
    }
    a.materiel.push_back(materiels[rnd(std::size(materiels))]);
    if (collectif) {
      a.titre_atelier = ateliers[rnd(std::size(ateliers))];
      a.niveau = rnd(3) ? "debutant" : "intermediaire";
      const auto total = static_cast<std::int64_t>(3 + rnd(8));
      a.anonymes.total = total;
      const auto f = static_cast<std::int64_t>(rnd(total + 1));
      a.anonymes.genre = {total - f, f, 0};
      const auto seniors = static_cast<std::int64_t>(rnd(total + 1));
      a.anonymes.tranche_age = {0, 0, 0, 0, total - seniors, 0, seniors, 0};
      a.anonymes.statut_social = {0, 0, 0, seniors, total - seniors};
      a.anonymes.deja_accompagne = {0, 0, total};
      if (rnd(3) == 0) a.participants = {beneficiaires[rnd(beneficiaires.size())]};
    } else {
      a.autonomie = autonomies[rnd(std::size(autonomies))];
      if (rnd(6) == 0) {
        a.oriente_vers_structure = true;
        a.structure_de_redirection = redirections[rnd(std::size(redirections))];
      }
      if (rnd(100) < 40) a.beneficiaire_id = beneficiaires[rnd(beneficiaires.size())];
      else a.beneficiaire_anonyme = profil_anonyme();
    }
    if (rnd(5) == 0) a.tag_ids.push_back(rnd(2) ? tag_caf : tag_senior);
    if (rnd(10) == 0) a.tag_ids.push_back(tag_pass);
    if (rnd(8) == 0) a.notes = "Revoir la semaine prochaine pour la suite.";
    act::normalize(a);
    act::store::insert_activite(s, a);
  }
  act::store::recompute_premier(s, beneficiaires);
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
    store::replace_roles(s, uid[0], {{Role::admin, std::nullopt, false, std::nullopt}});
    store::replace_roles(s, uid[1], {{Role::gestionnaire_structure, sid[0], false, std::nullopt}});
    store::replace_roles(s, uid[2], {{Role::coordinateur, std::nullopt, false, std::nullopt}});
    store::create_employment(s, uid[1], sid[0], "2022-09-01", std::nullopt);
    store::create_employment(s, uid[2], sid[0], "2021-03-15", std::nullopt);
    const std::int64_t where[] = {sid[0], sid[0], sid[1], sid[2], sid[3], sid[4], sid[1]};
    for (std::size_t i = 3; i < std::size(people); ++i) {
      bool cn = i % 2 == 1;  // mediatrice@ is a conseillère numérique
      store::replace_roles(s, uid[i], {{Role::mediateur, std::nullopt, cn, std::nullopt}});
      store::create_employment(s, uid[i], where[i - 3], fmt::format("202{}-0{}-01", i % 4 + 1, i % 9 + 1),
                               i == 9 ? std::optional<std::string>("2025-06-30") : std::nullopt);
    }
    for (std::size_t i = 3; i <= 6; ++i) store::add_team_member(s, uid[2], uid[i], "2024-01-08");
    auto former = store::add_team_member(s, uid[2], uid[9], "2023-02-01");
    store::end_team_member(s, former, "2025-06-30");
    // A territorial pilot for the Rhône (statistics of the département, no personal data).
    auto pilote = store::create_user(
        s, {"territoire@coop.example", "Territoire", "Thomas", normalize_phone("04 72 00 00 03"), hash});
    store::replace_roles(s, pilote, {{Role::territorial, std::nullopt, false, std::string("departement:69")}});
    store::Invitation inv;
    inv.email = "nouvelle.recrue@coop.example";
    inv.role = Role::mediateur;
    inv.structure_id = sid[0];
    inv.invited_by = uid[1];
    auto now = core::Clock::now();
    inv.created_at = core::iso_utc(now);
    inv.expires_at = core::iso_utc(now + std::chrono::days(14));
    store::create_invitation(s, core::sha256_hex(core::random_token(32)), inv);
    load_demo_activites(s, uid, sid);
    store::audit(s, "demo_loaded", std::nullopt, std::nullopt, "", "", "données de démonstration");
  });
  if (print) {
    fmt::print("Données de démonstration chargées. Mot de passe de tous les comptes : {}\n", demo_password);
    fmt::print("  admin@coop.example          administrateur\n");
    fmt::print("  gestion@coop.example        gestionnaire de structure (Médiathèque du Bachut, Lyon)\n");
    fmt::print("  coordination@coop.example   coordinatrice (équipe de 4 médiateurs)\n");
    fmt::print("  mediatrice@coop.example     médiatrice, conseillère numérique\n");
    fmt::print("  territoire@coop.example     pilote territorial (statistiques du Rhône)\n");
  }
  return true;
}

}  // namespace coop::app
