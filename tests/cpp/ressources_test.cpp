// Ressources: the model's rules, HTTP Range, office XML to text, subprocesses with a timeout,
// PDF text and preview, and the store's search on both engines (same ids, same order, same facets).
#include <gtest/gtest.h>

#include <fstream>

#include "base_ephemere.hpp"
#include "core/francais.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/fichiers/model.hpp"
#include "features/ressources/extraction.hpp"
#include "features/ressources/index.hpp"
#include "features/ressources/model.hpp"
#include "features/ressources/store.hpp"

namespace coop {
namespace {

namespace rs = ressources;
using fichiers::Plage;

rs::Saisie valide() {
  rs::Saisie s;
  s.titre = "  Atelier e-mail  ";
  s.thematiques = {"email", "email", "bureautique"};
  s.format = "fiche_pas_a_pas";
  s.niveau = "debutant";
  s.statut = "publie";
  return s;
}

TEST(RessourcesModel, AValidResourceIsNormalised) {
  auto s = valide();
  EXPECT_TRUE(rs::valider(s).empty());
  EXPECT_EQ(s.titre, "Atelier e-mail");
  EXPECT_EQ(s.thematiques, (std::vector<std::string>{"bureautique", "email"}));
  EXPECT_EQ(s.licence, "cc_by_sa_4");
  EXPECT_EQ(s.visibilite, "prive");
}

TEST(RessourcesModel, EachRuleNamesItsField) {
  auto s = valide();
  s.titre = " ";
  s.thematiques = {"cuisine"};
  s.publics = {"martiens"};
  s.format = "roman";
  s.niveau = "";
  s.duree_minutes = 0;
  s.licence = "gpl";
  s.visibilite = "monde";
  s.liens = {{.url = "javascript:alert(1)", .titre = "x"}, {.url = "https://ok.example/a", .titre = ""}};
  s.fichiers = {"pas-un-sha"};
  auto e = rs::valider(s);
  for (const char* f : {"titre", "thematiques", "publics", "format", "niveau", "duree_minutes", "licence", "visibilite",
                        "liens.0.url", "fichiers"})
    EXPECT_TRUE(e.count(f)) << f;
  EXPECT_FALSE(e.count("liens.1.url"));
  EXPECT_EQ(s.liens[1].titre, "https://ok.example/a");  // a link without a title shows its address
}

TEST(RessourcesModel, ADraftNeedsNoThematiqueButPublishingDoes) {
  auto s = valide();
  s.thematiques.clear();
  s.statut = "brouillon";
  EXPECT_TRUE(rs::valider(s).empty());
  s.statut = "publie";
  EXPECT_TRUE(rs::valider(s).count("thematiques"));
}

TEST(RessourcesModel, ThematiquesAreTheCraVocabulary) {
  EXPECT_TRUE(rs::connu(rs::thematiques, "aide_aux_demarches_administratives"));
  EXPECT_EQ(rs::libelle(rs::vocabulaire("format"), "diaporama"), "Diaporama");
  EXPECT_TRUE(rs::vocabulaire("inconnue").empty());
  EXPECT_EQ(rs::credit("Fiche", "Léa Martin"), "D'après « Fiche » de Léa Martin");
}

TEST(FichiersPlage, OneRangeOfEachForm) {
  auto p = fichiers::plage_demandee("bytes=0-9", 100);
  EXPECT_EQ(p.genre, Plage::Genre::partiel);
  EXPECT_EQ(p.debut, 0u);
  EXPECT_EQ(p.fin, 9u);
  p = fichiers::plage_demandee("bytes=90-", 100);
  EXPECT_EQ(p.debut, 90u);
  EXPECT_EQ(p.fin, 99u);
  p = fichiers::plage_demandee("bytes=-5", 100);
  EXPECT_EQ(p.debut, 95u);
  EXPECT_EQ(p.fin, 99u);
  p = fichiers::plage_demandee("bytes=-500", 100);  // more than the file: all of it
  EXPECT_EQ(p.debut, 0u);
  p = fichiers::plage_demandee("bytes=50-5000", 100);  // cut at the end
  EXPECT_EQ(p.fin, 99u);
  EXPECT_EQ(fichiers::plage_demandee("bytes=100-", 100).genre, Plage::Genre::insatisfiable);
  EXPECT_EQ(fichiers::plage_demandee("bytes=-0", 100).genre, Plage::Genre::insatisfiable);
  for (const char* h : {"", "items=0-1", "bytes=0-1,5-6", "bytes=9-3", "bytes=a-b", "bytes=-", "bytes=1"})
    EXPECT_EQ(fichiers::plage_demandee(h, 100).genre, Plage::Genre::entier) << h;
}

TEST(RessourcesExtraction, OfficeXmlKeepsWordsSplitOverRuns) {
  EXPECT_EQ(rs::extraction::texte_xml("<w:p><w:r><w:t>ate</w:t></w:r><w:r><w:t>lier</w:t></w:r></w:p><w:p><w:t>num&#233;rique</w:t></w:p>"),
            "atelier numérique ");
  EXPECT_EQ(rs::extraction::texte_xml("<text:p>A &amp; B<text:tab/>C&lt;D&gt;</text:p>"), "A & B C<D> ");
  EXPECT_EQ(rs::extraction::texte_xml("<a:p><a:t>Diapo</a:t></a:p><a:p>2</a:p>"), "Diapo 2 ");
}

TEST(RessourcesExtraction, ASubprocessIsKilledAfterItsDelayAndFailuresGiveNothing) {
  using namespace std::chrono_literals;
  EXPECT_EQ(rs::extraction::executer({"printf", "bonjour"}, 5s, 100), "bonjour");
  EXPECT_FALSE(rs::extraction::executer({"sleep", "30"}, 200ms, 100));  // killed, not waited for
  EXPECT_FALSE(rs::extraction::executer({"false"}, 5s, 100));
  EXPECT_FALSE(rs::extraction::executer({"coop-programme-inexistant"}, 5s, 100));
  EXPECT_FALSE(rs::extraction::executer({"printf", "0123456789"}, 5s, 5));  // too much output
}

// A one-page PDF with a text line (Helvetica, WinAnsi: "é" is \xE9).
std::string pdf(const std::string& ligne) {
  const std::string flux = "BT /F1 14 Tf 50 780 Td (" + ligne + ") Tj ET";
  std::vector<std::string> objets = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
      "<< /Length " + std::to_string(flux.size()) + " >>\nstream\n" + flux + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"};
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> pos;
  for (std::size_t i = 0; i < objets.size(); ++i) {
    pos.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objets[i] + "\nendobj\n";
  }
  const auto xref = out.size();
  out += "xref\n0 6\n0000000000 65535 f \n";
  for (auto p : pos) {
    char b[32];
    std::snprintf(b, sizeof b, "%010zu 00000 n \n", p);
    out += b;
  }
  return out + "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

TEST(RessourcesExtraction, PdfTextAndFirstPagePreview) {
  if (!rs::extraction::executer({"pdftotext", "-v"}, std::chrono::seconds(5), 10000) &&
      !rs::extraction::executer({"sh", "-c", "command -v pdftotext"}, std::chrono::seconds(5), 10000))
    GTEST_FAIL() << "pdftotext (poppler-utils) is missing: scripts/setup.sh installs it";
  const auto doc = pdf("Atelier num\xE9" "rique pour d\xE9" "butants");
  auto t = rs::extraction::texte(doc, "application/pdf", {});
  ASSERT_TRUE(t);
  EXPECT_NE(t->find("Atelier numérique pour débutants"), std::string::npos) << *t;
  auto jpeg = rs::extraction::apercu_pdf(doc, {});
  ASSERT_TRUE(jpeg);
  EXPECT_EQ(jpeg->substr(0, 3), "\xFF\xD8\xFF");
  EXPECT_FALSE(rs::extraction::texte("%PDF-1.4 cassé", "application/pdf", {}));
  EXPECT_FALSE(rs::extraction::texte("texte", "text/plain; charset=utf-8", {}));
}

// ---- The store's search, on both engines.

class RessourcesRecherche : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "ressources");
    if (HasFatalFailure() || IsSkipped()) return;
    db_->write([&](storage::Session& s) {
      auteur = accounts::store::create_user(s, {"auteur@exemple.fr", "Martin", "Léa", std::nullopt, "hash"});
      lecteur = accounts::store::create_user(s, {"lecteur@exemple.fr", "Durand", "Paul", std::nullopt, "hash"});
      auto creer = [&](std::string titre, std::string resume, std::string description, std::vector<std::string> them,
                       std::string format, std::string visibilite = "public") {
        rs::Saisie x;
        x.titre = std::move(titre);
        x.resume = std::move(resume);
        x.description = std::move(description);
        x.thematiques = std::move(them);
        x.format = std::move(format);
        x.niveau = "debutant";
        x.visibilite = std::move(visibilite);
        x.statut = "publie";
        EXPECT_TRUE(rs::valider(x).empty());
        auto id = rs::store::creer(s, {.saisie = x, .description_html = "", .auteur_id = auteur, .auteur_nom = "Léa Martin",
                                       .origine_id = {}, .origine_credit = {}});
        rs::store::reindexer(s, id);
        return id;
      };
      corps = creer("Fiche pratique", "", "Organiser des ateliers numériques en médiathèque", {"email"}, "fiche_pas_a_pas");
      titre = creer("Atelier numérique : l'e-mail", "", "", {"email", "sante"}, "atelier_cle_en_main");
      resume = creer("Guide", "Un atelier numérique pour seniors", "", {"sante"}, "diaporama");
      prive = creer("Atelier numérique privé", "", "", {"email"}, "diaporama", "prive");
      creer("Sans rapport", "Banque en ligne", "", {"banque_et_achats_en_ligne"}, "autre");
    });
  }
  void TearDown() override { fermer(); }

  rs::store::Resultat chercher(const std::string& q, std::map<std::string, std::vector<std::string>> filtres = {},
                               bool prefixe = false) {
    rs::store::Recherche r;
    r.fts5 = francais::requete_fts5(q, prefixe);
    r.tsquery = francais::requete_tsquery(q, prefixe);
    r.filtres = std::move(filtres);
    r.tri = "pertinence";
    const rs::store::Lecteur l{.user_id = lecteur, .moderateur = false, .aujourdhui = core::today()};
    return db_->read_value([&](storage::Session& s) { return index.rechercher(s, l, r); });
  }

  rs::Index index;
  std::int64_t auteur = 0, lecteur = 0, corps = 0, titre = 0, resume = 0, prive = 0;
};

TEST_P(RessourcesRecherche, VariantsWithoutAccentsRankedTitleSummaryBody) {
  auto r = chercher("ateliers numeriques");
  EXPECT_EQ(r.ids, (std::vector<std::int64_t>{titre, resume, corps}));  // never the private one
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(chercher("atelier num", {}, true).ids, r.ids);  // as you type: the last word is a prefix
  EXPECT_TRUE(chercher("atelier num").ids.empty());
  EXPECT_EQ(chercher("MÉDIATHÈQUES").ids, (std::vector<std::int64_t>{corps}));
}

TEST_P(RessourcesRecherche, FacetsCountEveryOtherFilter) {
  auto r = chercher("atelier", {{"format", {"diaporama"}}});
  EXPECT_EQ(r.ids, (std::vector<std::int64_t>{resume}));
  using V = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(r.facettes["format"], (V{{"fiche_pas_a_pas", 1}, {"atelier_cle_en_main", 1}, {"diaporama", 1}}));
  EXPECT_EQ(r.facettes["thematique"], (V{{"sante", 1}}));
  r = chercher("atelier", {{"thematique", {"email"}}});
  EXPECT_EQ(r.ids, (std::vector<std::int64_t>{titre, corps}));
  EXPECT_EQ(r.facettes["thematique"], (V{{"email", 2}, {"sante", 2}}));
}

TEST_P(RessourcesRecherche, DeletingDropsTheIndex) {
  db_->write([&](storage::Session& s) { rs::store::supprimer(s, titre); });
  EXPECT_EQ(chercher("atelier numerique").ids, (std::vector<std::int64_t>{resume, corps}));
}

INSTANTIATE_TEST_SUITE_P(Engines, RessourcesRecherche, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace coop
