// CSV and XLSX writers of the exports (features/exports/table.hpp), national columns (national.hpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "features/exports/national.hpp"
#include "features/exports/table.hpp"
#include "features/referentiel/territoires.hpp"

using namespace coop::exports;

namespace {

Table sample() {
  Table t;
  t.columns = {{"Date", Column::Kind::date, 12}, {"Type", Column::Kind::text, 12}, {"Durée (min)", Column::Kind::integer, 8},
               {"Thématiques", Column::Kind::text, 30}};
  t.rows.push_back({std::string("2026-03-14"), std::string("individuel"), std::int64_t{45}, std::string("email, sante")});
  t.rows.push_back({std::string("2026-03-15"), std::string("collectif"), std::int64_t{90}, std::monostate{}});
  return t;
}

std::uint32_t le32(const std::string& s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
std::uint16_t le16(const std::string& s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8);
}

// Names of the entries of a zip archive, read from its central directory (empty when the
// archive is not a well-formed zip).
std::set<std::string> zip_entries(const std::string& zip) {
  std::set<std::string> names;
  if (zip.size() < 22) return names;
  std::size_t eocd = std::string::npos;
  for (std::size_t i = zip.size() - 22 + 1; i-- > 0;)
    if (le32(zip, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos) return names;
  std::size_t count = le16(zip, eocd + 10);
  std::size_t at = le32(zip, eocd + 16);
  for (std::size_t n = 0; n < count; ++n) {
    if (at + 46 > zip.size() || le32(zip, at) != 0x02014b50) return {};
    std::size_t name_len = le16(zip, at + 28), extra = le16(zip, at + 30), comment = le16(zip, at + 32);
    std::size_t local = le32(zip, at + 42);
    if (local + 4 > zip.size() || le32(zip, local) != 0x04034b50) return {};
    names.insert(zip.substr(at + 46, name_len));
    at += 46 + name_len + extra + comment;
  }
  return names;
}

}  // namespace

TEST(Csv, BomSemicolonsCrlfAndFrenchHeader) {
  auto csv = to_csv(sample());
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3), "Date;Type;Durée (min);Thématiques\r\n"
                           "2026-03-14;individuel;45;email, sante\r\n"
                           "2026-03-15;collectif;90;\r\n");
}

TEST(Csv, Rfc4180Quoting) {
  EXPECT_EQ(csv_field("simple"), "simple");
  EXPECT_EQ(csv_field("a;b"), "\"a;b\"");
  EXPECT_EQ(csv_field("il a dit \"bonjour\""), "\"il a dit \"\"bonjour\"\"\"");
  EXPECT_EQ(csv_field("deux\nlignes"), "\"deux\nlignes\"");
  EXPECT_EQ(csv_field("retour\r"), "\"retour\r\"");
  EXPECT_EQ(csv_field("virgule, pas de guillemets"), "virgule, pas de guillemets");
  EXPECT_EQ(csv_field(""), "");
}

TEST(Csv, FormulasAreNeutralised) {
  Table t;
  t.columns = {{"Titre"}, {"Nombre", Column::Kind::integer}};
  t.rows.push_back({std::string("=HYPERLINK(\"http://x\")"), std::int64_t{-3}});
  t.rows.push_back({std::string("+33"), std::int64_t{0}});
  t.rows.push_back({std::string("@SUM(A1)"), std::monostate{}});
  auto csv = to_csv(t).substr(3);
  EXPECT_EQ(csv, "Titre;Nombre\r\n"
                 "\"'=HYPERLINK(\"\"http://x\"\")\";-3\r\n"
                 "'+33;0\r\n"
                 "'@SUM(A1);\r\n");
}

TEST(Xlsx, IsAZipWithTheWorksheet) {
  auto xlsx = to_xlsx(sample(), "Activités");
  ASSERT_GT(xlsx.size(), 100u);
  EXPECT_EQ(xlsx.substr(0, 4), std::string("PK\x03\x04", 4));
  auto names = zip_entries(xlsx);
  EXPECT_TRUE(names.count("xl/worksheets/sheet1.xml")) << names.size() << " entries";
  EXPECT_TRUE(names.count("xl/workbook.xml"));
  EXPECT_TRUE(names.count("[Content_Types].xml"));
  EXPECT_TRUE(names.count("xl/styles.xml"));
}

TEST(Xlsx, EmptyTableAndManyRows) {
  Table empty;
  empty.columns = {{"Date", Column::Kind::date}};
  EXPECT_TRUE(zip_entries(to_xlsx(empty, "Vide")).count("xl/worksheets/sheet1.xml"));

  Table big = sample();
  for (int i = 0; i < 5000; ++i)
    big.rows.push_back({std::string("2025-01-01"), std::string("individuel \"é\" <&>"), std::int64_t{i}, std::string("x;y")});
  auto xlsx = to_xlsx(big, "Activités");
  EXPECT_TRUE(zip_entries(xlsx).count("xl/worksheets/sheet1.xml"));
}

// ---- National columns: the anonymous beneficiary of an individual CRA ----

namespace {

coop::activites::Activite individuel_cra() {
  coop::activites::Activite a;
  a.id = 1;
  a.type = "individuel";
  a.date = "2026-03-14";
  a.duree = 30;
  a.type_lieu = "a_distance";
  a.thematiques = {"email"};
  return a;
}

}  // namespace

TEST(National, AnonymousBeneficiaryCountsAsAnonymousWithItsProfile) {
  Suivi anonyme{"feminin", "soixante_dix_plus", "retraite", true, true, "69266"};
  auto c = comptes(individuel_cra(), {anonyme});
  EXPECT_EQ(c.total, 1);
  EXPECT_EQ(c.anonymes, 1);
  EXPECT_EQ(c.suivis, 0);
  EXPECT_EQ(c.genre[1], 1);        // feminin
  EXPECT_EQ(c.tranche_age[6], 1);  // soixante_dix_plus
  EXPECT_EQ(c.statut_social[3], 1);
  EXPECT_EQ(c.deja_accompagne[1], 1) << "first accompaniment: « jamais accompagné »";
  Suivi suivi{"masculin", std::nullopt, std::nullopt, false, false, std::nullopt};
  c = comptes(individuel_cra(), {suivi});
  EXPECT_EQ(c.suivis, 1);
  EXPECT_EQ(c.anonymes, 0);
  EXPECT_EQ(c.tranche_age.back(), 1) << "unknown → non communiqué";
  // No link at all (rows recorded before anonymous beneficiaries existed): one unknown person.
  c = comptes(individuel_cra(), {});
  EXPECT_EQ(c.total, 1);
  EXPECT_EQ(c.anonymes, 1);
  EXPECT_EQ(c.genre.back(), 1);
}

TEST(National, CommuneOfTheIndividualBeneficiaryHasItsColumn) {
  static const auto territoires = coop::referentiel::Territoires::from_json("[]", "[]", "[]");
  Ligne l{individuel_cra(), std::nullopt, std::nullopt, {}, {Suivi{"feminin", std::nullopt, std::nullopt, true, true, "69266"}}, std::nullopt};
  auto t = activites_table({l}, territoires);
  std::size_t col = 0;
  while (col < t.columns.size() && t.columns[col].header != "Commune du bénéficiaire (code INSEE)") ++col;
  ASSERT_LT(col, t.columns.size());
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(t.rows[0][col]), "69266");
  std::size_t anon = 0;
  while (anon < t.columns.size() && t.columns[anon].header != "Participants anonymes") ++anon;
  EXPECT_EQ(std::get<std::int64_t>(t.rows[0][anon]), 1);
}

TEST(National, OrientationLieuAndServicesHaveTheirColumns) {
  static const auto territoires = coop::referentiel::Territoires::from_json("[]", "[]", "[]");
  Ligne oriente{individuel_cra(), std::nullopt, std::nullopt, {}, {}, std::string("Médiathèque du Parc")};
  oriente.a.orientation_lieu_id = 12;
  oriente.a.orientation_services = {"Aide aux démarches administratives", "Utilisation sécurisée du numérique"};
  Ligne sans{individuel_cra(), std::nullopt, std::nullopt, {}, {}, std::nullopt};
  auto t = activites_table({oriente, sans}, territoires);
  auto colonne = [&](const std::string& h) {
    std::size_t c = 0;
    while (c < t.columns.size() && t.columns[c].header != h) ++c;
    return c;
  };
  const auto lieu = colonne("Lieu d'orientation"), services = colonne("Services de l'orientation");
  ASSERT_LT(lieu, t.columns.size());
  ASSERT_LT(services, t.columns.size());
  for (auto& row : t.rows) ASSERT_EQ(row.size(), t.columns.size());
  EXPECT_EQ(std::get<std::string>(t.rows[0][lieu]), "Médiathèque du Parc");
  EXPECT_EQ(std::get<std::string>(t.rows[0][services]), "Aide aux démarches administratives, Utilisation sécurisée du numérique");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(t.rows[1][lieu]));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(t.rows[1][services]));
}
