// Merging duplicate lieux (issue 12 point 2): the default survivor and values (pure), and on
// both engines the merge (values, history, references: the structure's sheet, mappings), the
// re-import after a merge (idempotent; a changed source field reaches the survivor), the
// dismissal (never proposed again), and every foreign key to lieux known to the merge.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "base_ephemere.hpp"
#include "features/accounts/store.hpp"
#include "features/lieux/fusion.hpp"
#include "features/lieux/import.hpp"
#include "features/lieux/model.hpp"
#include "features/lieux/store.hpp"

namespace {

namespace fs = std::filesystem;
using namespace coop::lieux;
using coop::storage::Session;
using fusion::Cote;

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

Lieu lieu(std::string id, std::string date) {
  Lieu l;
  l[ch::id] = std::move(id);
  l[ch::pivot] = "21750001600019";
  l[ch::nom] = "Médiathèque";
  l[ch::commune] = "Paris";
  l[ch::code_postal] = "75020";
  l[ch::adresse] = "115 rue de Bagnolet";
  l[ch::date_maj] = std::move(date);
  return l;
}

TEST(LieuxFusionModele, SurvivantParDefaut) {
  auto a = lieu("a", "2026-01-01"), b = lieu("b", "2026-06-01");
  fusion::Candidat ca{.lieu = &a, .completude = 40, .structure = false},
      cb{.lieu = &b, .completude = 40, .structure = false};
  EXPECT_EQ(fusion::survivant_par_defaut(ca, cb), Cote::autre);  // more recent
  ca.completude = 60;
  EXPECT_EQ(fusion::survivant_par_defaut(ca, cb), Cote::lieu);  // more complete
  cb.structure = true;
  EXPECT_EQ(fusion::survivant_par_defaut(ca, cb), Cote::autre);  // a Coop structure's sheet
}

TEST(LieuxFusionModele, ChoixParDefautEtValeurs) {
  auto a = lieu("a", "2026-01-01"), b = lieu("b", "2026-06-01");
  a[ch::telephone] = "+33155253030";  // only a
  b[ch::site_web] = "https://b.fr";   // only b
  a[ch::nom] = "Médiathèque Duras";
  b[ch::nom] = "Médiathèque Marguerite Duras";  // both: b is more recent
  a[ch::services] = "Aide aux démarches administratives|Utilisation sécurisée du numérique";
  b[ch::services] = "Aide aux démarches administratives";  // a has more items, although older
  fusion::Candidat ca{.lieu = &a, .completude = 50, .structure = false},
      cb{.lieu = &b, .completude = 40, .structure = false};
  auto c = fusion::choix_par_defaut(ca, cb, Cote::lieu);
  EXPECT_EQ(c[ch::id], Cote::lieu);
  EXPECT_EQ(c[ch::telephone], Cote::lieu);
  EXPECT_EQ(c[ch::site_web], Cote::autre);
  EXPECT_EQ(c[ch::nom], Cote::autre);
  EXPECT_EQ(c[ch::services], Cote::lieu);
  EXPECT_EQ(c[ch::date_maj], Cote::autre);
  EXPECT_EQ(c[ch::pivot], Cote::lieu);  // equal: the survivor
  c[ch::id] = Cote::autre;              // ignored: the survivor keeps its key
  c[ch::nom] = Cote::lieu;
  auto v = fusion::valeurs_fusionnees(a, b, c, Cote::lieu);
  EXPECT_EQ(v[ch::id], "a");
  EXPECT_EQ(v[ch::nom], "Médiathèque Duras");
  EXPECT_EQ(v[ch::site_web], "https://b.fr");
  EXPECT_EQ(v[ch::telephone], "+33155253030");
  EXPECT_EQ(v[ch::date_maj], "2026-06-01");
}

class LieuxFusion : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "lieux_fusion"); }
  void TearDown() override { fermer(); }

  Rapport importer_texte(const std::string& texte, const std::string& source = "") {
    std::istringstream in(texte);
    return importer(*db_, in, {.source = source, .proposer_doublons = true, .lot = 3});
  }
  std::int64_t compter(const std::string& sql) {
    return db_->read_value([&](Session& s) { return coop::storage::as_int(s.query(sql).rows[0][0]); });
  }
  std::optional<store::Enregistrement> par_cle(const std::string& source, const std::string& id) {
    return db_->read_value([&](Session& s) { return store::lire_par_cle(s, source, id); });
  }
};

TEST_P(LieuxFusion, FusionReferencesEtReimportIdempotent) {
  importer_texte(fixture("propre.csv"), "paris");
  importer_texte(fixture("sale.csv"));
  auto ds = db_->read_value([&](Session& s) { return store::doublons(s); });
  ASSERT_EQ(ds.size(), 1u);
  auto paris = par_cle("paris", "lieu-1");
  auto copie = par_cle("Autre source", "s-1");
  ASSERT_TRUE(paris && copie);
  // The Paris lieu is the sheet of a Coop structure with a mediator's lieu d'activité there.
  auto sid = db_->write_value([&](Session& s) {
    auto id = coop::accounts::store::create_structure(s, {.id = 0,
                                                          .nom = "Médiathèque Duras",
                                                          .siret = "21750001600019",
                                                          .adresse = "115 rue de Bagnolet",
                                                          .commune_insee = "75120",
                                                          .created_at = "2026-11-01T00:00:00Z"});
    s.exec("UPDATE lieux SET structure_id = ? WHERE id = ?", {id, paris->id});
    return id;
  });
  const auto lignes_historique = compter("SELECT COUNT(*) FROM lieux_historique");
  const auto nb_lieux = compter("SELECT COUNT(*) FROM lieux");
  // The copy survives (the admin's choice); the name and the hours are Paris's.
  Lieu valeurs = copie->lieu;
  valeurs[ch::nom] = paris->lieu[ch::nom];
  valeurs[ch::horaires] = paris->lieu[ch::horaires];
  auto f = db_->write_value([&](Session& s) {
    return store::fusionner(s, copie->id, paris->id, valeurs, true, std::nullopt, "2026-12-08T02:00:00Z");
  });
  EXPECT_EQ(f.survivant_id, copie->id);
  EXPECT_EQ(f.retire_id, paris->id);
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux"), nb_lieux - 1);
  EXPECT_FALSE(par_cle("paris", "lieu-1"));
  auto apres = db_->read_value([&](Session& s) { return store::lire(s, copie->id); });
  ASSERT_TRUE(apres);
  EXPECT_EQ(apres->lieu[ch::nom], "Médiathèque Marguerite Duras");
  EXPECT_EQ(apres->lieu[ch::id], "s-1");
  EXPECT_EQ(apres->horaires_valides, std::optional(true));
  // The structure's sheet is the survivor now; the retired id leads to it.
  EXPECT_EQ(apres->structure_id, std::optional(sid));
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::lire_par_structure(s, sid); })->id, copie->id);
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::survivant_de(s, paris->id); }), std::optional(copie->id));
  // History: both lieux' rows plus the merge.
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux_historique"), lignes_historique + 1);
  auto h = db_->read_value([&](Session& s) { return store::historique(s, copie->id); });
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h[0].origine, "fusion");
  ASSERT_GE(h[0].changements.size(), 2u);
  EXPECT_EQ(h[0].changements[0].champ, "fusion");
  EXPECT_NE(h[0].changements[0].apres.find("lieu-1"), std::string::npos);
  EXPECT_EQ(h[0].changements[1].champ, "nom");
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux_doublons WHERE statut = 'propose'"), 0);
  // Re-importing both files: nothing created, nothing changed, no proposal.
  auto r1 = importer_texte(fixture("propre.csv"), "paris");
  EXPECT_EQ(r1.crees, 0);
  EXPECT_EQ(r1.modifies, 0);
  EXPECT_EQ(r1.inchanges, 4);
  auto r2 = importer_texte(fixture("sale.csv"));
  EXPECT_EQ(r2.crees + r2.modifies, 0);
  EXPECT_EQ(r2.doublons + r1.doublons, 0);
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux"), nb_lieux - 1);
  // The retired source changes a field: it reaches the survivor (once).
  auto texte = fixture("propre.csv");
  auto pos = texte.find("+33155253030");
  ASSERT_NE(pos, std::string::npos);
  texte.replace(pos, 12, "+33155253031");
  auto r3 = importer_texte(texte, "paris");
  EXPECT_EQ(r3.modifies, 1);
  EXPECT_EQ(r3.crees, 0);
  apres = db_->read_value([&](Session& s) { return store::lire(s, copie->id); });
  EXPECT_EQ(apres->lieu[ch::telephone], "+33155253031");
  EXPECT_EQ(apres->lieu[ch::nom], "Médiathèque Marguerite Duras");  // untouched fields stay
  EXPECT_EQ(importer_texte(texte, "paris").modifies, 0);
}

// A survivor merged again: every key that led to it leads to the new survivor, with the values
// last read from its source kept (re-imports still change nothing).
TEST_P(LieuxFusion, FusionsEnChaine) {
  importer_texte(fixture("propre.csv"), "paris");
  importer_texte(fixture("sale.csv"));
  importer_texte(fixture("sale.csv"), "troisieme");
  auto p = par_cle("paris", "lieu-1");
  auto a = par_cle("Autre source", "s-1");
  auto t = par_cle("troisieme", "s-1");
  ASSERT_TRUE(p && a && t);
  const auto nb = compter("SELECT COUNT(*) FROM lieux");
  Lieu v = a->lieu;
  v[ch::nom] = p->lieu[ch::nom];
  db_->write([&](Session& s) {
    store::fusionner(s, a->id, p->id, v, a->horaires_valides, std::nullopt, "2026-12-08T02:00:00Z");
  });
  Lieu w = t->lieu;
  w[ch::nom] = "Médiathèque Duras";
  db_->write([&](Session& s) {
    store::fusionner(s, t->id, a->id, w, t->horaires_valides, std::nullopt, "2026-12-08T02:01:00Z");
  });
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux"), nb - 2);
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::survivant_de(s, p->id); }), std::optional(t->id));
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::survivant_de(s, a->id); }), std::optional(t->id));
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux_fusions"), 3);  // paris/lieu-1, Autre source/s-1, troisieme/s-1
  for (auto [fichier, source] :
       {std::pair("propre.csv", "paris"), std::pair("sale.csv", ""), std::pair("sale.csv", "troisieme")}) {
    auto r = importer_texte(fixture(fichier), source);
    EXPECT_EQ(r.crees + r.modifies, 0) << fichier << " " << source;
  }
  EXPECT_EQ(compter("SELECT COUNT(*) FROM lieux"), nb - 2);
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::lire(s, t->id); })->lieu[ch::nom], "Médiathèque Duras");
  // The history of the last survivor holds the three lieux' rows and both merges.
  auto h = db_->read_value([&](Session& s) { return store::historique(s, t->id); });
  int fusions = 0;
  for (const auto& x : h) fusions += x.origine == "fusion";
  EXPECT_EQ(fusions, 2);
  EXPECT_EQ(h.size(), 5u);
}

TEST_P(LieuxFusion, DeuxFichesDeStructuresNeSeFusionnentPas) {
  importer_texte(fixture("propre.csv"), "paris");
  importer_texte(fixture("sale.csv"));
  auto paris = par_cle("paris", "lieu-1");
  auto copie = par_cle("Autre source", "s-1");
  db_->write([&](Session& s) {
    for (auto id : {paris->id, copie->id}) {
      auto sid = coop::accounts::store::create_structure(s, {.id = 0,
                                                             .nom = "S",
                                                             .siret = "",
                                                             .adresse = "1 rue",
                                                             .commune_insee = "75120",
                                                             .created_at = "2026-11-01T00:00:00Z"});
      s.exec("UPDATE lieux SET structure_id = ? WHERE id = ?", {sid, id});
    }
  });
  EXPECT_THROW(db_->write([&](Session& s) {
    store::fusionner(s, copie->id, paris->id, copie->lieu, std::nullopt, std::nullopt, "x");
  }),
               store::ErreurFusion);
  EXPECT_TRUE(par_cle("paris", "lieu-1"));
}

TEST_P(LieuxFusion, PaireEcarteeJamaisReproposee) {
  importer_texte(fixture("propre.csv"), "paris");
  importer_texte(fixture("sale.csv"));
  auto ds = db_->read_value([&](Session& s) { return store::doublons(s); });
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(db_->write_value([&](Session& s) { return store::ecarter_doublon(s, ds[0].id); }));
  EXPECT_FALSE(db_->write_value([&](Session& s) { return store::ecarter_doublon(s, ds[0].id); }));
  // A changed row is compared again: the pair stays dismissed.
  auto texte = fixture("sale.csv");
  auto pos = texte.find("Médiathèque Duras (copie)");
  ASSERT_NE(pos, std::string::npos);
  texte.replace(pos, std::string("Médiathèque Duras (copie)").size(), "Médiathèque Marguerite Duras");
  auto r = importer_texte(texte);
  EXPECT_EQ(r.modifies, 1);
  EXPECT_EQ(r.doublons, 0);
  EXPECT_TRUE(db_->read_value([&](Session& s) { return store::doublons(s); }).empty());
  EXPECT_EQ(db_->read_value([&](Session& s) { return store::doublons(s, "ecarte"); }).size(), 1u);
}

TEST_P(LieuxFusion, ToutesLesClesEtrangeresVersLieuxSontTraitees) {
  const bool sqlite = GetParam() == "sqlite";
  auto r = db_->read_value([&](Session& s) {
    return s.query(sqlite
                       ? "SELECT m.name, p.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p "
                         "WHERE m.type = 'table' AND p.\"table\" = 'lieux'"
                       : "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc "
                         "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
                         "AND kcu.table_schema = tc.table_schema JOIN information_schema.constraint_column_usage ccu "
                         "ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema "
                         "WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'lieux' "
                         "AND tc.table_schema = current_schema()");
  });
  std::set<std::string> schema, connues;
  for (const auto& row : r.rows) schema.insert(coop::storage::as_text(row[0]) + "." + coop::storage::as_text(row[1]));
  for (const auto& ref : store::kReferencesLieux)
    connues.insert(std::string(ref.table) + "." + std::string(ref.colonne));
  EXPECT_EQ(schema, connues) << "a table references lieux(id): say in store::kReferencesLieux (and store::fusionner) "
                                "what a merge does with it";
}

INSTANTIATE_TEST_SUITE_P(Engines, LieuxFusion, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
