// Beneficiaries: validation rules, duplicate criteria, merge rule, CSV parser, XLSX reader (on
// an XLSX built here with zlib), import analysis.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>

#include "features/beneficiaires/import.hpp"
#include "features/beneficiaires/model.hpp"
#include "features/referentiel/territoires.hpp"

using namespace coop::beneficiaires;
using coop::referentiel::Territoires;

namespace {

const Territoires& territoires() {
  static const Territoires t = Territoires::from_json(
      R"([{"code":"69123","nom":"Lyon","type":"commune-actuelle","departement":"69","region":"84",
           "codesPostaux":["69001","69002"],"population":500000},
          {"code":"42218","nom":"Saint-Étienne","type":"commune-actuelle","departement":"42","region":"84",
           "codesPostaux":["42000","42100"],"population":170000},
          {"code":"19272","nom":"Tulle","type":"commune-actuelle","departement":"19","region":"75",
           "codesPostaux":["19000"],"population":14000},
          {"code":"01002","nom":"Bourg","type":"commune-actuelle","departement":"01","region":"84",
           "codesPostaux":["01400"],"population":5000},
          {"code":"01003","nom":"Autre","type":"commune-actuelle","departement":"01","region":"84",
           "codesPostaux":["01400"],"population":4000}])",
      R"([{"code":"69","nom":"Rhône","region":"84","zone":"metro"},{"code":"42","nom":"Loire","region":"84","zone":"metro"},
          {"code":"19","nom":"Corrèze","region":"75","zone":"metro"},{"code":"01","nom":"Ain","region":"84","zone":"metro"}])",
      R"([{"code":"84","nom":"Auvergne-Rhône-Alpes","zone":"metro"},{"code":"75","nom":"Nouvelle-Aquitaine","zone":"metro"}])");
  return t;
}

constexpr int kYear = 2026;

Beneficiaire suivi(std::string prenom, std::string nom) {
  Beneficiaire b;
  b.anonyme = false;
  b.prenom = std::move(prenom);
  b.nom = std::move(nom);
  return b;
}

FieldErrors errors_of(Beneficiaire b) {
  normalize(b, territoires());
  return validate(b, territoires(), kYear);
}

bool has(const FieldErrors& e, const std::string& field) { return e.count(field) == 1; }

}  // namespace

// ---- Validation ----

TEST(BenefModel, FollowedNeedsFirstAndLastName) {
  EXPECT_TRUE(errors_of(suivi("Hélène", "Durand")).empty());
  auto e = errors_of(suivi("", "Durand"));
  ASSERT_TRUE(has(e, "prenom"));
  EXPECT_NE(e["prenom"].find("prénom"), std::string::npos);
  e = errors_of(suivi("Hélène", "  "));
  ASSERT_TRUE(has(e, "nom"));
  EXPECT_NE(e["nom"].find("nom"), std::string::npos);
}

TEST(BenefModel, AnonymousHasNoPersonalData) {
  Beneficiaire a;
  a.genre = "feminin";
  a.tranche_age = "soixante_dix_plus";
  a.commune_insee = "69123";
  EXPECT_TRUE(errors_of(a).empty());
  a.nom = "Durand";
  a.telephone = "06 12 34 56 78";
  auto e = errors_of(a);
  EXPECT_TRUE(has(e, "nom"));
  EXPECT_TRUE(has(e, "telephone"));
}

TEST(BenefModel, BirthYearBetween1900AndThisYear) {
  auto b = suivi("Jean", "Martin");
  for (std::int64_t ok : {1900, 1985, kYear}) {
    b.annee_naissance = ok;
    EXPECT_TRUE(errors_of(b).empty()) << ok;
  }
  for (std::int64_t bad : {1899, kYear + 1, 0}) {
    b.annee_naissance = bad;
    auto e = errors_of(b);
    ASSERT_TRUE(has(e, "annee_naissance")) << bad;
    EXPECT_NE(e["annee_naissance"].find("1900"), std::string::npos);
  }
}

TEST(BenefModel, PhoneFrenchFormatUnlessNoPhone) {
  auto b = suivi("Jean", "Martin");
  b.telephone = "+33 6 12 34 56 78";
  EXPECT_TRUE(errors_of(b).empty());
  normalize(b, territoires());
  EXPECT_EQ(*b.telephone, "06 12 34 56 78");
  b.telephone = "12 34";
  auto e = errors_of(b);
  ASSERT_TRUE(has(e, "telephone"));
  EXPECT_NE(e["telephone"].find("Téléphone"), std::string::npos);
  b.telephone = "06 12 34 56 78";
  b.pas_de_telephone = true;
  EXPECT_TRUE(has(errors_of(b), "telephone"));  // both: contradictory
  b.telephone.reset();
  EXPECT_TRUE(errors_of(b).empty());
}

TEST(BenefModel, EmailChecked) {
  auto b = suivi("Jean", "Martin");
  b.email = "Jean.Martin@Exemple.FR";
  EXPECT_TRUE(errors_of(b).empty());
  normalize(b, territoires());
  EXPECT_EQ(*b.email, "jean.martin@exemple.fr");
  b.email = "pas-une-adresse";
  auto e = errors_of(b);
  ASSERT_TRUE(has(e, "email"));
  EXPECT_NE(e["email"].find("E-mail"), std::string::npos);
}

TEST(BenefModel, CommuneKnownAndPostalCodeOfIt) {
  auto b = suivi("Jean", "Martin");
  b.commune_insee = "69123";
  b.code_postal = "69002";
  EXPECT_TRUE(errors_of(b).empty());
  b.code_postal = "42000";
  EXPECT_TRUE(has(errors_of(b), "code_postal"));
  b.commune_insee = "99999";
  b.code_postal.reset();
  EXPECT_TRUE(has(errors_of(b), "commune_insee"));
  b.commune_insee.reset();
  b.code_postal = "69001";
  EXPECT_TRUE(has(errors_of(b), "commune_insee"));
  // A commune with one postal code gets it by default.
  Beneficiaire t = suivi("A", "B");
  t.commune_insee = "19272";
  normalize(t, territoires());
  EXPECT_EQ(t.code_postal.value_or(""), "19000");
}

TEST(BenefModel, NationalCodes) {
  auto b = suivi("Jean", "Martin");
  b.genre = "feminin";
  b.tranche_age = "quarante_cinquante_neuf";
  b.statut_social = "retraite";
  EXPECT_TRUE(errors_of(b).empty());
  b.genre = "femme";
  b.tranche_age = "40-59";
  b.statut_social = "chomeur";
  auto e = errors_of(b);
  EXPECT_TRUE(has(e, "genre"));
  EXPECT_TRUE(has(e, "tranche_age"));
  EXPECT_TRUE(has(e, "statut_social"));
}

TEST(BenefModel, SearchKeyIsFolded) {
  EXPECT_EQ(search_key(suivi("Hélène", "Lefèvre-Müller")), "helene lefevre muller");
}

// ---- Duplicates ----

TEST(BenefDuplicates, Levenshtein) {
  EXPECT_EQ(levenshtein("martin", "martin", 2), 0u);
  EXPECT_EQ(levenshtein("martin", "martine", 2), 1u);
  EXPECT_EQ(levenshtein("jean martin", "jaen martin", 2), 2u);
  EXPECT_EQ(levenshtein("abc", "xyz", 2), 3u);  // bounded: max + 1
  EXPECT_EQ(levenshtein("", "abcdef", 2), 3u);
}

TEST(BenefDuplicates, NamesSimilarIgnoringAccentsCaseSwapAndTypos) {
  auto a = suivi("Hélène", "Durand");
  auto has_nom = [](const Beneficiaire& x, const Beneficiaire& y) {
    auto c = duplicate_criteria(x, y);
    return std::find(c.begin(), c.end(), "nom") != c.end();
  };
  EXPECT_TRUE(has_nom(a, suivi("HELENE", "durand")));
  EXPECT_TRUE(has_nom(a, suivi("Durand", "Hélène")));  // swapped
  EXPECT_TRUE(has_nom(a, suivi("Helen", "Durant")));   // distance 2
  EXPECT_FALSE(has_nom(a, suivi("Hélène", "Dupont")));
  EXPECT_FALSE(has_nom(Beneficiaire{}, Beneficiaire{}));  // anonymous: no name
}

TEST(BenefDuplicates, TwoOfFourCriteria) {
  auto a = suivi("Hélène", "Durand");
  a.telephone = "06 12 34 56 78";
  a.email = "helene@exemple.fr";
  a.annee_naissance = 1950;

  auto b = suivi("Hélène", "Durand");  // name only: 1 criterion
  EXPECT_FALSE(probable_duplicates(a, b));
  b.annee_naissance = 1950;  // name + year
  EXPECT_TRUE(probable_duplicates(a, b));
  EXPECT_EQ(duplicate_criteria(a, b), (std::vector<std::string>{"nom", "annee_naissance"}));

  auto c = suivi("Paul", "Other");  // phone + email, different names
  c.telephone = "+33612345678";
  c.email = "HELENE@exemple.fr";
  EXPECT_EQ(duplicate_criteria(a, c), (std::vector<std::string>{"telephone", "email"}));
  EXPECT_TRUE(probable_duplicates(a, c));

  auto d = suivi("Paul", "Other");  // year only
  d.annee_naissance = 1950;
  EXPECT_FALSE(probable_duplicates(a, d));
}

TEST(BenefDuplicates, FindDuplicatesListsPairsOnce) {
  std::vector<Beneficiaire> list;
  auto add = [&](std::int64_t id, std::string p, std::string n, std::optional<std::int64_t> year,
                 std::optional<std::string> tel) {
    auto b = suivi(std::move(p), std::move(n));
    b.id = id;
    b.annee_naissance = year;
    b.telephone = std::move(tel);
    list.push_back(b);
  };
  add(3, "Hélène", "Durand", 1950, "06 12 34 56 78");
  add(1, "Helene", "DURAND", 1950, "0612345678");  // 3 criteria with #3
  add(2, "Jean", "Martin", 1950, std::nullopt);     // same year only
  add(4, "Jean", "Martín", 1950, std::nullopt);     // name + year with #2
  Beneficiaire anon;
  anon.id = 5;
  anon.annee_naissance = 1950;
  list.push_back(anon);
  auto pairs = find_duplicates(list);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].a, 1);
  EXPECT_EQ(pairs[0].b, 3);
  EXPECT_EQ(pairs[0].criteria, (std::vector<std::string>{"nom", "telephone", "annee_naissance"}));
  EXPECT_EQ(pairs[1].a, 2);
  EXPECT_EQ(pairs[1].b, 4);
}

// ---- Merge ----

TEST(BenefMerge, TargetKeepsItsValuesBlanksFilledFromSource) {
  auto target = suivi("Hélène", "Durand");
  target.email = "helene@exemple.fr";
  target.genre = "feminin";
  auto source = suivi("Helene", "DURAND");
  source.email = "autre@exemple.fr";
  source.telephone = "06 12 34 56 78";
  source.annee_naissance = 1950;
  source.commune_insee = "69123";
  source.code_postal = "69002";
  source.genre = "non_communique";
  source.notes = "Vient le mardi";
  auto filled = merge_into(target, source);
  EXPECT_EQ(*target.prenom, "Hélène");
  EXPECT_EQ(*target.email, "helene@exemple.fr");
  EXPECT_EQ(*target.genre, "feminin");
  EXPECT_EQ(*target.telephone, "06 12 34 56 78");
  EXPECT_EQ(*target.annee_naissance, 1950);
  EXPECT_EQ(*target.commune_insee, "69123");
  EXPECT_EQ(*target.code_postal, "69002");
  EXPECT_EQ(*target.notes, "Vient le mardi");
  EXPECT_EQ(filled, (std::vector<std::string>{"annee_naissance", "telephone", "commune_insee", "notes"}));
}

TEST(BenefMerge, NoPhoneIsAValueAndAnonymousTargetBecomesFollowed) {
  auto target = suivi("A", "B");
  target.pas_de_telephone = true;
  auto source = suivi("A", "B");
  source.telephone = "06 12 34 56 78";
  merge_into(target, source);
  EXPECT_FALSE(target.telephone.has_value());
  EXPECT_TRUE(target.pas_de_telephone);

  Beneficiaire anon;
  anon.genre = "masculin";
  auto filled = merge_into(anon, suivi("Paul", "Dupont"));
  EXPECT_FALSE(anon.anonyme);
  EXPECT_EQ(*anon.nom, "Dupont");
  EXPECT_EQ(*anon.genre, "masculin");
  EXPECT_EQ(filled, (std::vector<std::string>{"prenom", "nom"}));
}

// ---- CSV ----

TEST(BenefCsv, SemicolonBomQuotesAndNewlines) {
  auto sheet = parse_csv("\xEF\xBB\xBFprenom;nom;notes\r\nH\xC3\xA9l\xC3\xA8ne;Durand;\"dit \"\"Lili\"\"; vient\r\nle mardi\"\r\n"
                         "Jean;Martin;\r\n");
  ASSERT_EQ(sheet.size(), 3u);
  EXPECT_EQ(sheet[0].cells, (std::vector<std::string>{"prenom", "nom", "notes"}));
  EXPECT_EQ(sheet[1].numero, 2);
  EXPECT_EQ(sheet[1].cells[0], "Hélène");
  EXPECT_EQ(sheet[1].cells[2], "dit \"Lili\"; vient\r\nle mardi");
  EXPECT_EQ(sheet[2].numero, 3);
  EXPECT_EQ(sheet[2].cells, (std::vector<std::string>{"Jean", "Martin", ""}));
}

TEST(BenefCsv, CommaSeparatedWithoutFinalNewline) {
  auto sheet = parse_csv("prenom,nom,telephone\nJean,\"Martin, fils\",0612345678");
  ASSERT_EQ(sheet.size(), 2u);
  EXPECT_EQ(sheet[1].cells, (std::vector<std::string>{"Jean", "Martin, fils", "0612345678"}));
}

TEST(BenefCsv, InvalidInputIsAnImportError) {
  EXPECT_THROW(parse_csv("prenom;nom\n\"Jean;Martin\n"), ImportError);
  EXPECT_THROW(parse_csv("prenom;nom\n\xE9;x\n"), ImportError);  // Latin-1, not UTF-8
}

TEST(BenefCsv, HeaderLabelsAreCaseAndAccentInsensitive) {
  EXPECT_EQ(header_field("Prénom"), "prenom");
  EXPECT_EQ(header_field("NOM"), "nom");
  EXPECT_EQ(header_field("Année de naissance"), "annee_naissance");
  EXPECT_EQ(header_field("Téléphone"), "telephone");
  EXPECT_EQ(header_field("E-mail"), "email");
  EXPECT_EQ(header_field("Code postal"), "code_postal");
  EXPECT_EQ(header_field("Tranche d'âge"), "tranche_age");
  EXPECT_EQ(header_field("statut_social"), "statut_social");
  EXPECT_EQ(header_field("Couleur préférée"), "");
}

// ---- XLSX (built here: zip with deflated and stored members) ----

namespace {

struct ZipEntry {
  std::string name, data;
  bool deflate = true;
};

void put16(std::string& s, std::uint32_t v) { s += char(v & 0xFF), s += char((v >> 8) & 0xFF); }
void put32(std::string& s, std::uint32_t v) { put16(s, v & 0xFFFF), put16(s, v >> 16); }

std::string raw_deflate(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string make_zip(const std::vector<ZipEntry>& entries) {
  std::string zip, central;
  for (auto& e : entries) {
    std::string data = e.deflate ? raw_deflate(e.data) : e.data;
    auto crc = crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size()));
    std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
    put32(zip, 0x04034b50), put16(zip, 20), put16(zip, 0), put16(zip, e.deflate ? 8 : 0), put16(zip, 0),
        put16(zip, 0), put32(zip, crc), put32(zip, data.size()), put32(zip, e.data.size()),
        put16(zip, e.name.size()), put16(zip, 0);
    zip += e.name + data;
    put32(central, 0x02014b50), put16(central, 20), put16(central, 20), put16(central, 0),
        put16(central, e.deflate ? 8 : 0), put16(central, 0), put16(central, 0), put32(central, crc),
        put32(central, data.size()), put32(central, e.data.size()), put16(central, e.name.size()), put16(central, 0),
        put16(central, 0), put16(central, 0), put16(central, 0), put32(central, 0), put32(central, offset);
    central += e.name;
  }
  std::uint32_t cd_offset = static_cast<std::uint32_t>(zip.size());
  zip += central;
  put32(zip, 0x06054b50), put16(zip, 0), put16(zip, 0), put16(zip, entries.size()), put16(zip, entries.size()),
      put32(zip, central.size()), put32(zip, cd_offset), put16(zip, 0);
  return zip;
}

std::string tiny_xlsx() {
  const std::string workbook =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Bénéficiaires" sheetId="1" r:id="rId3"/><sheet name="Autre" sheetId="2" r:id="rId4"/></sheets></workbook>)";
  const std::string rels =
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId4" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="worksheet" Target="/xl/worksheets/donnees.xml"/></Relationships>)";
  const std::string shared =
      R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6"><si><t>Prénom</t></si><si><t>Nom</t></si><si><t>Hélène</t></si><si><r><rPr><b/></rPr><t>Du</t></r><r><t xml:space="preserve">rand &amp; fils</t></r></si><si><t>Année de naissance</t></si><si><t>Téléphone</t></si></sst>)";
  const std::string sheet =
      R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>4</v></c><c r="D1" t="s"><v>5</v></c></row>)"
      R"(<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c><c r="C3"><v>1950</v></c><c r="D3"><v>612345678</v></c></row>)"
      R"(<row r="4"><c r="A4" t="inlineStr"><is><t>Jean</t></is></c><c r="D4" t="str"><v>12</v></c></row>)"
      R"(</sheetData></worksheet>)";
  const std::string other =
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>pas celle-ci</t></is></c></row></sheetData></worksheet>)";
  return make_zip({{"[Content_Types].xml", "<Types/>", false},
                   {"xl/workbook.xml", workbook},
                   {"xl/_rels/workbook.xml.rels", rels},
                   {"xl/sharedStrings.xml", shared},
                   {"xl/worksheets/sheet1.xml", other},
                   {"xl/worksheets/donnees.xml", sheet, false}});
}

}  // namespace

TEST(BenefXlsx, ZipMembersDeflatedAndStored) {
  auto zip = tiny_xlsx();
  EXPECT_EQ(zip_member(zip, "[Content_Types].xml"), "<Types/>");
  EXPECT_NE(zip_member(zip, "xl/sharedStrings.xml").find("Hélène"), std::string::npos);
  EXPECT_THROW(zip_member(zip, "absent.xml"), ImportError);
  EXPECT_THROW(zip_member("pas un zip du tout, vraiment pas", "x"), ImportError);
  EXPECT_THROW(read_xlsx(zip.substr(0, zip.size() / 2)), ImportError);
}

TEST(BenefXlsx, FirstSheetWithSharedInlineAndNumberCells) {
  auto sheet = read_xlsx(tiny_xlsx());
  ASSERT_EQ(sheet.size(), 3u);
  EXPECT_EQ(sheet[0].numero, 1);
  EXPECT_EQ(sheet[0].cells, (std::vector<std::string>{"Prénom", "Nom", "Année de naissance", "Téléphone"}));
  EXPECT_EQ(sheet[1].numero, 3);  // row 2 is missing: numbers as in the spreadsheet
  EXPECT_EQ(sheet[1].cells, (std::vector<std::string>{"Hélène", "Durand & fils", "1950", "612345678"}));
  EXPECT_EQ(sheet[2].numero, 4);
  EXPECT_EQ(sheet[2].cells, (std::vector<std::string>{"Jean", "", "", "12"}));
}

TEST(BenefImport, AnalysisReportsRowErrorsWithSpreadsheetRowNumbers) {
  auto a = analyse(read_xlsx(tiny_xlsx()), territoires(), kYear);
  ASSERT_EQ(a.lignes.size(), 2u);
  EXPECT_EQ(a.lignes[0].numero, 3);
  EXPECT_TRUE(a.lignes[0].erreurs.empty()) << a.lignes[0].erreurs.begin()->second;
  EXPECT_EQ(*a.lignes[0].beneficiaire.telephone, "06 12 34 56 78");  // leading zero restored
  EXPECT_EQ(*a.lignes[0].beneficiaire.nom, "Durand & fils");
  EXPECT_EQ(a.lignes[1].numero, 4);
  EXPECT_TRUE(a.lignes[1].erreurs.count("nom"));
  EXPECT_TRUE(a.lignes[1].erreurs.count("telephone"));
}

TEST(BenefImport, CsvAnalysisCommuneLabelsAndErrors) {
  auto sheet = parse_csv(
      "Prénom;Nom;Code postal;Commune;Genre;Tranche d'âge;Statut;Email;Couleur\n"
      "Hélène;Durand;69002;Lyon;Femme;70 ans et plus;Retraité;h@exemple.fr;bleu\n"
      ";;;;;;;;\n"
      "Paul;Dupont;01400;;masculin;;;;\n"
      "Léa;Petit;;Tulle;F;;;pas-un-mail;\n"
      "Zoé;Roux;;Atlantide;x;;;;\n");
  auto a = analyse(sheet, territoires(), kYear);
  EXPECT_EQ(a.colonnes_ignorees, (std::vector<std::string>{"Couleur"}));
  ASSERT_EQ(a.lignes.size(), 4u);  // blank row 3 skipped
  auto& l2 = a.lignes[0];
  EXPECT_EQ(l2.numero, 2);
  EXPECT_TRUE(l2.erreurs.empty());
  EXPECT_EQ(*l2.beneficiaire.commune_insee, "69123");
  EXPECT_EQ(*l2.beneficiaire.genre, "feminin");
  EXPECT_EQ(*l2.beneficiaire.tranche_age, "soixante_dix_plus");
  EXPECT_EQ(*l2.beneficiaire.statut_social, "retraite");
  EXPECT_EQ(l2.valeurs.at("prenom"), "Hélène");
  auto& l4 = a.lignes[1];
  EXPECT_EQ(l4.numero, 4);
  EXPECT_TRUE(l4.erreurs.count("commune"));  // two communes share 01400
  auto& l5 = a.lignes[2];
  EXPECT_EQ(l5.numero, 5);
  EXPECT_EQ(*l5.beneficiaire.commune_insee, "19272");
  EXPECT_TRUE(l5.erreurs.count("email"));
  auto& l6 = a.lignes[3];
  EXPECT_TRUE(l6.erreurs.count("commune"));
  EXPECT_TRUE(l6.erreurs.count("genre"));
}

TEST(BenefImport, HeaderWithoutNamesIsRefused) {
  EXPECT_THROW(analyse(parse_csv("telephone;email\n0612345678;a@b.fr\n"), territoires(), kYear), ImportError);
  EXPECT_THROW(analyse(parse_csv("a;b\n1;2\n"), territoires(), kYear), ImportError);
  EXPECT_THROW(analyse(parse_csv(""), territoires(), kYear), ImportError);
}
