// Lieux de médiation numérique: the model (validation, normalisation), the CSV reader, and on
// both engines the store, the import (report, idempotence, rejected rows, duplicates, 20,000
// generated rows) and the exports (round trip, data.inclusion).
#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base_ephemere.hpp"
#include "core/text.hpp"
#include "features/accounts/store.hpp"
#include "features/lieux/export.hpp"
#include "features/lieux/import.hpp"
#include "features/lieux/model.hpp"
#include "features/lieux/store.hpp"
#include "features/referentiel/territoires.hpp"

namespace {

namespace fs = std::filesystem;
using namespace coop::lieux;
using coop::storage::Session;

std::string fixture(const std::string& nom) {
  std::error_code ec;
  for (fs::path p = fs::current_path(ec); !p.empty(); p = p.parent_path()) {
    auto f = p / "tests/fixtures/lieux" / nom;
    if (fs::exists(f, ec)) {
      std::ifstream in(f, std::ios::binary);
      return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    if (p == p.parent_path()) break;
  }
  ADD_FAILURE() << "fixture introuvable : " << nom;
  return "";
}

std::array<std::string, kNbChamps> ligne_valide() {
  std::array<std::string, kNbChamps> v;
  v[ch::id] = "a-1";
  v[ch::pivot] = "21750001600019";
  v[ch::nom] = "Médiathèque";
  v[ch::commune] = "Paris";
  v[ch::code_postal] = "75020";
  v[ch::code_insee] = "75120";
  v[ch::adresse] = "115 rue de Bagnolet";
  v[ch::date_maj] = "2026-11-02";
  v[ch::services] = "Aide aux démarches administratives";
  return v;
}

bool contient(const std::vector<Remarque>& rs, const std::string& texte) {
  for (const auto& r : rs)
    if (r.message.find(texte) != std::string::npos) return true;
  return false;
}

TEST(LieuxModele, LesChampsDuStandardDansLOrdre) {
  ASSERT_EQ(champs().size(), 32u);
  EXPECT_EQ(champs()[0].nom, "id");
  EXPECT_EQ(champs()[21].nom, "services");
  EXPECT_EQ(champs()[31].nom, "prise_rdv");
  EXPECT_EQ(vocabulaire_services().size(), 9u);
  EXPECT_EQ(vocabulaire_labels()[4], "Étapes numériques (La Poste)");
}

TEST(LieuxModele, LigneValideSansRemarque) {
  auto a = analyser(ligne_valide());
  EXPECT_TRUE(a.ok());
  EXPECT_TRUE(a.avertissements.empty());
  EXPECT_EQ(a.lieu[ch::services], "Aide aux démarches administratives");
  EXPECT_FALSE(a.horaires_valides.has_value());
}

TEST(LieuxModele, ErreursNommantLeChampEtLaRaison) {
  auto v = ligne_valide();
  v[ch::code_postal] = "7500";
  v[ch::pivot] = "12";
  v[ch::nom] = "  ";
  v[ch::latitude] = "948";
  v[ch::longitude] = "2.3";
  v[ch::telephone] = "12";
  v[ch::services] = "Réparer des vélos";
  v[ch::date_maj] = "hier";
  v[ch::presentation_resume] = std::string(281, 'x');
  auto a = analyser(v);
  EXPECT_FALSE(a.ok());
  EXPECT_TRUE(contient(a.erreurs, "code_postal : 5 chiffres attendus, reçu « 7500 »"));
  EXPECT_TRUE(contient(a.erreurs, "pivot : SIRET ou RNA attendu"));
  EXPECT_TRUE(contient(a.erreurs, "nom : champ obligatoire absent"));
  EXPECT_TRUE(contient(a.erreurs, "latitude : nombre entre -90 et 90"));
  EXPECT_TRUE(contient(a.erreurs, "telephone : numéro au format international attendu"));
  EXPECT_TRUE(contient(a.erreurs, "services : valeur inconnue « Réparer des vélos »"));
  EXPECT_TRUE(contient(a.erreurs, "date_maj : date AAAA-MM-JJ attendue, reçu « hier »"));
  EXPECT_TRUE(contient(a.erreurs, "presentation_resume : 280 caractères au plus, reçu 281"));
  // An unknown service is an error, not « no service »: the national rule is not applied.
  EXPECT_FALSE(contient(a.avertissements, "règle nationale"));
}

TEST(LieuxModele, TelephonesNationaux) {
  auto tel = [](std::string t) {
    auto v = ligne_valide();
    v[ch::telephone] = t;
    auto a = analyser(v);
    return a.ok() ? a.lieu[ch::telephone] : "ERREUR";
  };
  EXPECT_EQ(tel("01 23 45 67 89"), "+33123456789");
  EXPECT_EQ(tel("01.23.45.67.89"), "+33123456789");
  EXPECT_EQ(tel("+33 (0)1 23 45 67 89"), "+33123456789");
  EXPECT_EQ(tel("0033123456789"), "+33123456789");
  EXPECT_EQ(tel("0590 12 34 56"), "+590590123456");
  EXPECT_EQ(tel("0692 12 34 56"), "+262692123456");
  EXPECT_EQ(tel("+33123456789"), "+33123456789");
  EXPECT_EQ(tel("+687123456"), "+687123456");
  EXPECT_EQ(tel("appelez-nous"), "ERREUR");
  EXPECT_EQ(tel("01 23"), "ERREUR");
}

TEST(LieuxModele, ListesAnciennesEtFormesLongues) {
  auto v = ligne_valide();
  v[ch::services] = "maitrise-des-outils-numeriques-du-quotidien;Aide aux démarches administratives";
  v[ch::frais_a_charge] = "Gratuit : Je peux accéder gratuitement au lieu et à ses services";
  v[ch::formations_labels] = "Étapes numériques(La Poste)";
  v[ch::modalites_accompagnement] = "Seul|Dans un atelier";
  v[ch::publics_specifiquement_adresses] = "seniors | FEMMES";
  v[ch::services] += ";Prendre en main un ordinateur";
  auto a = analyser(v);
  ASSERT_TRUE(a.ok()) << a.erreurs.front().message;
  EXPECT_EQ(a.lieu[ch::services],
            "Maîtrise des outils numériques du quotidien|Aide aux démarches administratives");  // deduplicated
  EXPECT_EQ(a.lieu[ch::frais_a_charge], "Gratuit");
  EXPECT_EQ(a.lieu[ch::formations_labels], "Étapes numériques (La Poste)");
  EXPECT_EQ(a.lieu[ch::modalites_accompagnement], "En autonomie|Dans un atelier collectif");
  EXPECT_EQ(a.lieu[ch::publics_specifiquement_adresses], "Seniors|Femmes");
  EXPECT_TRUE(contient(a.avertissements, "services : séparateur « ; » remplacé par « | »"));
  EXPECT_TRUE(contient(a.avertissements, "formations_labels : « Étapes numériques(La Poste) » lu comme"));
}

TEST(LieuxModele, SansServicesRegleNationale) {
  auto v = ligne_valide();
  v[ch::services] = "";
  v[ch::publics_specifiquement_adresses] = "Seniors";
  v[ch::frais_a_charge] = "Payant";
  v[ch::modalites_acces] = "Téléphoner";
  v[ch::modalites_accompagnement] = "En autonomie";
  auto a = analyser(v);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.lieu[ch::publics_specifiquement_adresses], "");
  EXPECT_EQ(a.lieu[ch::frais_a_charge], "");
  EXPECT_EQ(a.lieu[ch::modalites_accompagnement], "");
  EXPECT_EQ(a.lieu[ch::modalites_acces], kSansPublic);
  EXPECT_TRUE(contient(a.avertissements, "frais_a_charge : retiré car le lieu n'a aucun service"));
  // Already in that state: nothing to say.
  auto b = analyser(a.lieu.valeurs);
  EXPECT_TRUE(b.avertissements.empty());
}

TEST(LieuxModele, ParisLyonMarseille) {
  auto v = ligne_valide();
  v[ch::code_insee] = "75056";
  auto a = analyser(v);
  EXPECT_EQ(a.lieu[ch::code_insee], "75120");
  EXPECT_TRUE(contient(a.avertissements, "code_insee : code de la ville « 75056 »"));
  v[ch::code_insee] = "69123";
  v[ch::code_postal] = "69003";
  EXPECT_EQ(analyser(v).lieu[ch::code_insee], "69383");
  v[ch::code_insee] = "13055";
  v[ch::code_postal] = "13016";
  EXPECT_EQ(analyser(v).lieu[ch::code_insee], "13216");
  v[ch::code_postal] = "13999";  // not an arrondissement's postal code: kept
  EXPECT_EQ(analyser(v).lieu[ch::code_insee], "13055");
  EXPECT_EQ(ville_insee("75120"), "75056");
  EXPECT_EQ(ville_insee("69383"), "69123");
  EXPECT_EQ(ville_insee("13216"), "13055");
  EXPECT_EQ(ville_insee("35238"), "35238");
  v[ch::code_insee] = "2a004";
  v[ch::code_postal] = "20000";
  auto c = analyser(v);
  EXPECT_EQ(c.lieu[ch::code_insee], "2A004");
  EXPECT_EQ(departement_de(c.lieu), "2A");
  v[ch::code_insee] = "20004";
  EXPECT_TRUE(contient(analyser(v).erreurs, "code_insee : code INSEE"));
}

constexpr double kSimilaireTest = 0.4;  // below store::kSimilaire (0.5)

TEST(LieuxModele, HorairesGardesTelsQuelsValiditeParLAnalyseur) {
  auto v = ligne_valide();
  v[ch::horaires] = "Mo-Fr 09:00-12:00,14:00-18:30; PH off";
  auto bon = analyser(v);
  ASSERT_TRUE(bon.horaires_valides.has_value());
  EXPECT_TRUE(*bon.horaires_valides);
  v[ch::horaires] = "";
  EXPECT_FALSE(analyser(v).horaires_valides.has_value());
  v[ch::horaires] = "Mo-Fr :undefined-17:00";
  auto avec = analyser(v);
  EXPECT_TRUE(avec.ok());
  ASSERT_TRUE(avec.horaires_valides.has_value());
  EXPECT_FALSE(*avec.horaires_valides);
  EXPECT_EQ(avec.lieu[ch::horaires], "Mo-Fr :undefined-17:00");
  EXPECT_TRUE(contient(avec.avertissements, "horaires : horaires « Mo-Fr :undefined-17:00 » illisibles"));
}

TEST(LieuxModele, NomsSimilairesEtDistances) {
  EXPECT_EQ(nom_normalise("Médiathèque de la Gare"), "mediatheque gare");
  EXPECT_DOUBLE_EQ(similarite_noms("mediatheque gare", "mediatheque gare"), 1.0);
  EXPECT_GT(similarite_noms(nom_normalise("Médiathèque Marguerite Duras"), nom_normalise("Mediatheque M. Duras")), 0.6);
  EXPECT_LT(similarite_noms(nom_normalise("France Services"), nom_normalise("Cyberbase de Rennes")), kSimilaireTest);
  EXPECT_NEAR(distance_m(48.8566, 2.3522, 48.8566, 2.3522), 0, 1e-6);
  EXPECT_NEAR(distance_m(48.8566, 2.3522, 45.7640, 4.8357), 391500, 2000);  // Paris–Lyon
}

TEST(LieuxModele, Completude) {
  Lieu l;
  EXPECT_EQ(completude(l), 0);
  auto a = analyser(ligne_valide());
  EXPECT_GT(completude(a.lieu), 0);
  EXPECT_LT(completude(a.lieu), 50);
}

TEST(LieuxCsv, GuillemetsFinsDeLigneEtSeparateur) {
  std::istringstream in("a,\"b, \"\"c\"\"\",\"d\ne\"\r\nf,,\n");
  LecteurCsv l(in, ',');
  std::vector<std::string> cs;
  std::int64_t n = 0;
  ASSERT_TRUE(l.suivant(cs, n));
  EXPECT_EQ(n, 1);
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_EQ(cs[1], "b, \"c\"");
  EXPECT_EQ(cs[2], "d\ne");
  ASSERT_TRUE(l.suivant(cs, n));
  EXPECT_EQ(cs, (std::vector<std::string>{"f", "", ""}));
  EXPECT_FALSE(l.suivant(cs, n));
  EXPECT_EQ(separateur_entete("id;pivot;nom;commune"), ';');
  EXPECT_EQ(separateur_entete("id,pivot,nom;x,commune"), ',');
  std::istringstream bad("\"ouvert");
  LecteurCsv lb(bad, ',');
  EXPECT_THROW(lb.suivant(cs, n), ErreurImport);
}

TEST(LieuxExport, NomRecommandeEtDataInclusion) {
  EXPECT_EQ(nom_fichier_recommande("2026-12-07", "Coop", "Île-de-France"),
            "2026-12-07_coop_lieux-de-mediation-numerique_ile-de-france.csv");
  EXPECT_EQ(thematique_data_inclusion("Aide aux démarches administratives"),
            "numerique--aide-aux-demarches-administratives");
  Lieu l;
  l[ch::publics_specifiquement_adresses] = "Seniors|Étudiants";
  l[ch::prise_en_charge_specifique] = "Illettrisme|Langues étrangères (anglais)|Langues étrangères (autres)";
  l[ch::frais_a_charge] = "Gratuit sous condition";
  l[ch::modalites_accompagnement] = "En autonomie|À distance";
  l[ch::dispositif_programmes_nationaux] = "France Services|Emmaüs Connect";
  l[ch::services] = "Aide aux démarches administratives";
  EXPECT_EQ(profils_data_inclusion(l), (std::vector<std::string>{"seniors-65", "personnes-en-situation-illettrisme",
                                                                 "public-langues-etrangeres"}));
  EXPECT_EQ(frais_data_inclusion(l), (std::vector<std::string>{"gratuit-sous-conditions"}));
  EXPECT_EQ(types_data_inclusion(l), (std::vector<std::string>{"autonomie"}));
  EXPECT_EQ(modes_accueil_data_inclusion(l), (std::vector<std::string>{"en-presentiel", "a-distance"}));
  EXPECT_EQ(labels_data_inclusion(l), (std::vector<std::string>{"france-service"}));
}

// ---- Both engines ----

class LieuxStore : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "lieux"); }
  void TearDown() override { fermer(); }

  Rapport importer_texte(const std::string& texte, const std::string& source = "") {
    std::istringstream in(texte);
    return importer(*db_, in, {.source = source, .proposer_doublons = true, .lot = 3});
  }
  std::string exporter_texte(FormatExport f) {
    std::ostringstream out;
    db_->read([&](Session& s) { exporter(s, f, out); });
    return out.str();
  }
  std::vector<store::Enregistrement> tous() {
    std::vector<store::Enregistrement> out;
    db_->read([&](Session& s) { store::parcourir(s, [&](const store::Enregistrement& e) { out.push_back(e); }); });
    return out;
  }
  std::int64_t compter_sql(const std::string& sql) {
    return db_->read_value([&](Session& s) { return coop::storage::as_int(s.query(sql).rows[0][0]); });
  }
};

TEST_P(LieuxStore, ImportIdempotentEtHistorique) {
  auto r = importer_texte(fixture("propre.csv"), "paris");
  EXPECT_EQ(r.format, "csv");
  EXPECT_EQ(r.lignes, 4);
  EXPECT_EQ(r.crees, 4);
  EXPECT_EQ(r.rejetes, 0);
  EXPECT_EQ(compter_sql("SELECT COUNT(*) FROM lieux_historique"), 4);
  auto bis = importer_texte(fixture("propre.csv"), "paris");
  EXPECT_EQ(bis.inchanges, 4);
  EXPECT_EQ(bis.crees + bis.modifies, 0);
  EXPECT_EQ(compter_sql("SELECT COUNT(*) FROM lieux_historique"), 4);
  // A changed field: one update, its history row names it.
  auto texte = fixture("propre.csv");
  auto pos = texte.find("Ateliers numériques pour tous");
  ASSERT_NE(pos, std::string::npos);
  texte.replace(pos, std::string("Ateliers numériques pour tous").size(), "Ateliers numériques gratuits");
  auto ter = importer_texte(texte, "paris");
  EXPECT_EQ(ter.modifies, 1);
  EXPECT_EQ(ter.inchanges, 3);
  auto e = db_->read_value([&](Session& s) { return store::lire_par_cle(s, "paris", "lieu-1"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->lieu[ch::presentation_resume], "Ateliers numériques gratuits");
  auto h = db_->read_value([&](Session& s) { return store::historique(s, e->id); });
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].origine, "import:paris");
  ASSERT_EQ(h[0].changements.size(), 1u);
  EXPECT_EQ(h[0].changements[0].champ, "presentation_resume");
  EXPECT_EQ(h[0].changements[0].avant, "Ateliers numériques pour tous");
  // List values are searchable rows; the lieu without services is not on the map.
  EXPECT_EQ(compter_sql("SELECT COUNT(*) FROM lieux_valeurs WHERE champ = 'services' AND valeur = "
                        "'Aide aux démarches administratives'"),
            2);
  auto sans = db_->read_value([&](Session& s) { return store::lire_par_cle(s, "paris", "lieu-4"); });
  ASSERT_TRUE(sans);
  EXPECT_FALSE(sans->sur_la_carte());
  EXPECT_EQ(sans->lieu[ch::modalites_acces], kSansPublic);
  // Filters.
  auto n = [&](store::Filtre f) { return db_->read_value([&](Session& s) { return store::compter(s, f); }); };
  EXPECT_EQ(n({.q = "mediatheque", .code_postal = "", .departement = "", .service = "", .carte_seulement = false, .apres_id = 0, .limite = 50}), 1);
  EXPECT_EQ(n({.q = "LYON", .code_postal = "", .departement = "", .service = "", .carte_seulement = false, .apres_id = 0, .limite = 50}), 1);
  EXPECT_EQ(n({.q = "", .code_postal = "", .departement = "13", .service = "", .carte_seulement = false, .apres_id = 0, .limite = 50}), 1);
  EXPECT_EQ(n({.q = "", .code_postal = "", .departement = "", .service = "Aide aux démarches administratives", .carte_seulement = false, .apres_id = 0, .limite = 50}), 2);
  EXPECT_EQ(n({.q = "", .code_postal = "", .departement = "", .service = "", .carte_seulement = true, .apres_id = 0, .limite = 50}), 3);
}

TEST_P(LieuxStore, FichierSaleRapportRejetsEtDoublons) {
  importer_texte(fixture("propre.csv"), "paris");
  auto r = importer_texte(fixture("sale.csv"));
  EXPECT_EQ(r.lignes, 7);
  EXPECT_EQ(r.crees, 3);
  EXPECT_EQ(r.rejetes, 4);
  ASSERT_EQ(r.rejets.size(), 4u);
  bool vu = false;
  for (const auto& d : r.details)
    if (d.ligne == 3) {
      vu = true;
      EXPECT_EQ(d.statut, "rejete");
      EXPECT_TRUE(contient(d.erreurs, "code_postal : 5 chiffres attendus, reçu « 7500 »"));
    }
  EXPECT_TRUE(vu);
  auto csv = rejets_csv(r);
  EXPECT_TRUE(csv.starts_with("ligne,motif,id,pivot,"));
  EXPECT_NE(csv.find("3,\"code_postal : 5 chiffres attendus, reçu « 7500 »\",s-2,"), std::string::npos);
  EXPECT_NE(csv.find("id : « s-1 » déjà présent ligne 2"), std::string::npos);
  // The copy of the Paris médiathèque from another source is proposed for merge.
  EXPECT_EQ(r.doublons, 1);
  auto ds = db_->read_value([&](Session& s) { return store::doublons(s); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].raisons.find("même SIRET/RNA"), std::string::npos);
  // Normalised values were stored.
  auto e = db_->read_value([&](Session& s) { return store::lire_par_cle(s, "Autre source", "s-1"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->lieu[ch::telephone], "+33155253030");
  EXPECT_EQ(e->lieu[ch::code_insee], "75120");
  EXPECT_EQ(e->lieu[ch::latitude], "48.8597");
  // Re-importing: nothing changes, no new proposal.
  auto bis = importer_texte(fixture("sale.csv"));
  EXPECT_EQ(bis.inchanges, 3);
  EXPECT_EQ(bis.doublons, 0);
}

TEST_P(LieuxStore, PointVirguleEtJson) {
  auto pv = importer_texte(fixture("ancien-point-virgule.csv"));
  EXPECT_EQ(pv.format, "csv-point-virgule");
  EXPECT_EQ(pv.crees, 1);
  auto j = importer_texte(fixture("propre.json"));
  EXPECT_EQ(j.format, "json");
  EXPECT_EQ(j.crees, 2);
  auto e = db_->read_value([&](Session& s) { return store::lire_par_cle(s, "Nantes Métropole", "j-1"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->lieu[ch::services], "Loisirs et créations numériques|Compréhension du monde numérique");
  EXPECT_EQ(e->lieu[ch::latitude], "47.2184");
  // Dirty JSON: numbers as text and back, `;` lists, slugs, long forms, an element that is no object.
  auto sale = importer_texte(fixture("sale.json"));
  EXPECT_EQ(sale.lignes, 4);
  EXPECT_EQ(sale.crees, 1 + 1);
  EXPECT_EQ(sale.rejetes, 2);
  EXPECT_EQ(sale.colonnes_ignorees, (std::vector<std::string>{"colonne_inconnue"}));
  ASSERT_EQ(sale.rejets.size(), 2u);
  EXPECT_NE(rejets_csv(sale).find("élément 3 : un objet est attendu"), std::string::npos);
  EXPECT_NE(rejets_csv(sale).find("pivot : champ obligatoire absent"), std::string::npos);
  auto sj = db_->read_value([&](Session& s) { return store::lire_par_cle(s, "Sale JSON", "sj-1"); });
  ASSERT_TRUE(sj);
  EXPECT_EQ(sj->lieu[ch::latitude], "47.2184");
  EXPECT_EQ(sj->lieu[ch::typologie], "EPN");
  EXPECT_EQ(sj->lieu[ch::telephone], "+33240000000");
  EXPECT_EQ(sj->lieu[ch::courriels], "atelier@nantes.fr|accueil@nantes.fr");
  EXPECT_EQ(sj->lieu[ch::date_maj], "2026-11-20");
  EXPECT_EQ(sj->lieu[ch::horaires], "Sun 10:00-18:00");  // kept as given
  EXPECT_EQ(sj->lieu[ch::frais_a_charge], "Payant");
  EXPECT_EQ(sj->lieu[ch::modalites_accompagnement], "Dans un atelier collectif");
  auto sans = db_->read_value([&](Session& s) { return store::lire_par_cle(s, "Sale JSON", "sj-3"); });
  ASSERT_TRUE(sans);
  EXPECT_EQ(sans->lieu[ch::publics_specifiquement_adresses], "");
  EXPECT_EQ(sans->lieu[ch::modalites_acces], kSansPublic);
  // A BOM is tolerated; LF line ends as well as CRLF.
  auto bom = importer_texte("\xEF\xBB\xBF" + fixture("propre.csv"), "bom");
  EXPECT_EQ(bom.format, "csv");
  EXPECT_EQ(bom.crees, 4);
  EXPECT_EQ(bom.colonnes_absentes.size(), 0u);
  // Invalid UTF-8 in a field: the row is rejected, the report and the rejects stay valid text.
  auto mal = importer_texte(entete_csv() + "\r\nu-1,12345678900011,Caf\xE9,Lyon,69003,,1 rue,,,,,,,,,,,,,,2026-11-01\r\n");
  EXPECT_EQ(mal.rejetes, 1);
  ASSERT_EQ(mal.details.size(), 1u);
  EXPECT_TRUE(contient(mal.details[0].erreurs, "nom : texte mal encodé (UTF-8 attendu)"));
  EXPECT_TRUE(coop::core::valid_utf8(rejets_csv(mal)));
  EXPECT_NE(rejets_csv(mal).find("Caf\xEF\xBF\xBD"), std::string::npos);
  EXPECT_THROW(importer_texte("{\"pas\": \"un tableau\"}"), ErreurImport);
  EXPECT_THROW(importer_texte("x,y,z\n1,2,3\n"), ErreurImport);
}

TEST_P(LieuxStore, AllerRetourCsvEtJson) {
  importer_texte(fixture("propre.csv"), "paris");
  importer_texte(fixture("propre.json"), "nantes");
  auto avant = tous();
  ASSERT_EQ(avant.size(), 6u);
  for (auto f : {FormatExport::csv, FormatExport::json}) {
    auto texte = exporter_texte(f);
    if (f == FormatExport::csv) {
      EXPECT_TRUE(texte.starts_with(entete_csv() + "\r\n"));
    }
    // Into another source: the same 32 values.
    auto r = importer_texte(texte, f == FormatExport::csv ? "retour-csv" : "retour-json");
    EXPECT_EQ(r.crees, 6);
    EXPECT_EQ(r.avertissements, 0);
    std::map<std::string, Lieu> retour;
    for (const auto& e : tous())
      if (e.cle_source.starts_with("retour")) retour[e.cle_source + e.lieu[ch::id]] = e.lieu;
    for (const auto& e : avant) {
      auto it = retour.find((f == FormatExport::csv ? "retour-csv" : "retour-json") + e.lieu[ch::id]);
      ASSERT_NE(it, retour.end()) << e.lieu[ch::id];
      EXPECT_EQ(it->second.valeurs, e.lieu.valeurs) << e.lieu[ch::id];
    }
  }
  // data.inclusion: one structure per lieu, one service per service.
  auto di = boost::json::parse(exporter_texte(FormatExport::data_inclusion));
  EXPECT_EQ(di.at("structures").as_array().size(), 18u);
  const auto& s0 = di.at("structures").as_array()[0].as_object();
  EXPECT_EQ(s0.at("siret").as_string(), "21750001600019");
  const auto& sv = di.at("services").as_array()[0].as_object();
  EXPECT_EQ(sv.at("thematiques").as_array()[0].as_string(), "numerique--maitrise-des-outils-numeriques-du-quotidien");
  EXPECT_EQ(sv.at("profils").as_array()[0].as_string(), "seniors-65");
}

TEST_P(LieuxStore, FicheDeStructureEtEdition) {
  auto t = coop::referentiel::Territoires::from_json(
      R"([{"code":"69387","nom":"Lyon 7e Arrondissement","type":"arrondissement-municipal","departement":"69",
           "region":"84","codesPostaux":["69007"],"population":80000,"commune":"69123"},
          {"code":"69123","nom":"Lyon","type":"commune-actuelle","departement":"69","region":"84",
           "codesPostaux":["69001","69007"],"population":500000}])",
      R"([{"code":"69","nom":"Rhône","region":"84","zone":"metro"}])",
      R"([{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"}])");
  auto sid = db_->write_value([&](Session& s) {
    return coop::accounts::store::create_structure(
        s, {.id = 0, .nom = "Centre social Guillotière", .siret = "12345678900011", .adresse = "3 rue de Marseille",
            .commune_insee = "69387", .created_at = "2026-01-01T00:00:00.000Z"});
  });
  auto id = db_->write_value([&](Session& s) { return store::fiche_de_structure(s, sid, t, "2026-12-07T10:00:00.000Z"); });
  ASSERT_GT(id, 0);
  EXPECT_EQ(db_->write_value([&](Session& s) { return store::fiche_de_structure(s, sid, t, "2026-12-08T10:00:00.000Z"); }),
            id);
  auto e = db_->read_value([&](Session& s) { return store::lire(s, id); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->structure_id, sid);
  EXPECT_EQ(e->cle_source, "coop");
  EXPECT_EQ(e->lieu[ch::id], fmt::format("structure-{}", sid));
  EXPECT_EQ(e->lieu[ch::commune], "Lyon");
  EXPECT_EQ(e->lieu[ch::code_insee], "69387");
  EXPECT_EQ(e->lieu[ch::code_postal], "69007");
  EXPECT_EQ(e->lieu[ch::pivot], "12345678900011");
  EXPECT_FALSE(e->sur_la_carte());
  // Edit: services added, switch off; history row with the changes.
  auto l = e->lieu;
  l[ch::services] = "Aide aux démarches administratives";
  l[ch::modalites_acces] = "Se présenter";
  auto cs = db_->write_value([&](Session& s) {
    return store::modifier(s, id, l, std::nullopt, false, std::nullopt, "2026-12-07T11:00:00.000Z");
  });
  EXPECT_EQ(cs.size(), 3u);
  auto h = db_->read_value([&](Session& s) { return store::historique(s, id); });
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].origine, "edition");
  e = db_->read_value([&](Session& s) { return store::lire(s, id); });
  EXPECT_FALSE(e->visible_carte);
  EXPECT_GT(e->completude, 0);
  // Unchanged edit writes nothing.
  EXPECT_TRUE(db_->write_value([&](Session& s) {
                   return store::modifier(s, id, l, std::nullopt, false, std::nullopt, "2026-12-07T12:00:00.000Z");
                 }).empty());
}

TEST_P(LieuxStore, VingtMilleLignesGenerees) {
  const int n = 20000;
  std::string f = entete_csv() + "\r\n";
  const auto& services = vocabulaire_services();
  for (int i = 0; i < n; ++i) {
    Lieu l;
    l[ch::id] = fmt::format("g-{}", i);
    l[ch::pivot] = fmt::format("{:014}", 10000000000000LL + i);
    l[ch::nom] = fmt::format("Lieu généré n° {}, salle {}", i, i % 7);
    l[ch::commune] = "Commune";
    l[ch::code_postal] = fmt::format("{:05}", 1000 + (i % 90000));
    l[ch::adresse] = fmt::format("{} rue \"du Test\"", i);
    l[ch::latitude] = fmt::format("{}", 43.0 + (i % 500) * 0.01);
    l[ch::longitude] = fmt::format("{}", 1.0 + (i % 300) * 0.01);
    l[ch::date_maj] = "2026-11-30";
    l[ch::services] = std::string(services[i % 9]) + "|" + std::string(services[(i + 4) % 9]);
    l[ch::frais_a_charge] = "Gratuit";
    l[ch::horaires] = "Mo-Fr 09:00-12:00,14:00-18:00";
    if (i % 1000 == 999) l[ch::code_postal] = "123";  // 20 invalid rows
    f += ligne_csv(l) + "\r\n";
  }
  std::istringstream in(f);
  auto r = importer(*db_, in, {.source = "gen", .proposer_doublons = true, .lot = 500});
  EXPECT_EQ(r.lignes, n);
  EXPECT_EQ(r.crees, n - 20);
  EXPECT_EQ(r.rejetes, 20);
  EXPECT_EQ(compter_sql("SELECT COUNT(*) FROM lieux"), n - 20);
  EXPECT_EQ(compter_sql("SELECT COUNT(*) FROM lieux_valeurs WHERE champ = 'services'"), 2 * (n - 20));
  std::istringstream in2(f);
  auto bis = importer(*db_, in2, {.source = "gen", .proposer_doublons = true, .lot = 500});
  EXPECT_EQ(bis.inchanges, n - 20);
  EXPECT_EQ(bis.crees + bis.modifies, 0);
}

TEST_P(LieuxStore, HorairesEvaluesALImportEtRattrapes) {
  importer_texte(fixture("sale.csv"));  // s-1: « Sun 10:00-18:00 » (Su, not Sun)
  auto lire = [&] { return db_->read_value([&](Session& s) { return store::lire_par_cle(s, "Autre source", "s-1"); }); };
  EXPECT_EQ(lire()->horaires_valides, std::optional(false));
  EXPECT_EQ(db_->write_value([&](Session& s) { return store::evaluer_horaires(s); }), 0);  // all evaluated
  // A row whose validity is unknown (written by SQL) is evaluated once.
  db_->write([&](Session& s) { s.exec("UPDATE lieux SET horaires_valides = NULL WHERE id = ?", {lire()->id}); });
  EXPECT_EQ(db_->write_value([&](Session& s) { return store::evaluer_horaires(s); }), 1);
  EXPECT_EQ(db_->write_value([&](Session& s) { return store::evaluer_horaires(s); }), 0);  // done
  EXPECT_EQ(lire()->horaires_valides, std::optional(false));
  // The same file again: nothing rewritten.
  auto r = importer_texte(fixture("sale.csv"));
  EXPECT_EQ(r.modifies, 0);
  EXPECT_EQ(r.inchanges, 3);
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::historique(s, lire()->id); }).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, LieuxStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
