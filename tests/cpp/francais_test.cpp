// core/francais: folding, words, stems, index text and queries; then the same queries run on a
// real FTS5 table (SQLite) and a real tsvector column (PostgreSQL at COOP_TEST_PG_URL, as in
// storage_test.cpp; COOP_TEST_NO_PG=1 skips it) find the same rows.
#include "core/francais.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base_ephemere.hpp"
#include "storage/database.hpp"

namespace fr = coop::francais;

using Mots = std::vector<std::string>;

TEST(Francais, PlierFoldsCaseAccentsLigaturesAndApostrophes) {
  EXPECT_EQ(fr::plier("L’Œuvre À Cœur"), "l'oeuvre a coeur");
  EXPECT_EQ(fr::plier("ÉCOLE Élève été où ça NOËL"), "ecole eleve ete ou ca noel");
  EXPECT_EQ(fr::plier("Æsop ægir Straße"), "aesop aegir strasse");
  EXPECT_EQ(fr::plier("ﬁnance ﬂeur eﬀort"), "finance fleur effort");
  EXPECT_EQ(fr::plier("e\xCC\x81t\xC3\xA9"), "ete");  // decomposed é (e + U+0301) and composed é
  EXPECT_EQ(fr::plier("ПРИВЕТ Ёж ΑΘΗΝΑ"), "привет ёж αθηνα");
  EXPECT_EQ(fr::plier("l‘a ʼb"), "l'a 'b");
  EXPECT_EQ(fr::plier("a-b (c) 1,5 € 日本"), "a-b (c) 1,5 € 日本");  // punctuation and other scripts kept
  EXPECT_EQ(fr::plier("ok\xFF\xC3"), "ok");                        // invalid bytes dropped
  EXPECT_EQ(fr::plier(""), "");
  EXPECT_EQ(fr::plier(fr::plier("Ça ŒUVRE")), fr::plier("Ça ŒUVRE"));
}

TEST(Francais, MotsSplitsOnPunctuationHyphensAndElisions) {
  EXPECT_EQ(fr::mots("L'atelier d'Élise"), (Mots{"atelier", "elise"}));
  EXPECT_EQ(fr::mots("l’atelier qu’il jusqu'au lorsqu'elle"), (Mots{"atelier", "il", "au", "elle"}));
  EXPECT_EQ(fr::mots("Saint-Étienne, porte-monnaie !"), (Mots{"saint", "etienne", "porte", "monnaie"}));
  EXPECT_EQ(fr::mots("«Bonjour» — c’est l’été… 2024 ; 3,5 %"),
            (Mots{"bonjour", "est", "ete", "2024", "3", "5"}));
  EXPECT_EQ(fr::mots("aujourd'hui"), (Mots{"aujourd", "hui"}));
  EXPECT_EQ(fr::mots("snake_case a.b@c.fr"), (Mots{"snake", "case", "a", "b", "c", "fr"}));
  EXPECT_EQ(fr::mots("😀 café☕thé 日本語 Привет"), (Mots{"cafe", "the", "日本語", "привет"}));
  EXPECT_EQ(fr::mots("a\xC2\xA0" "b\xE2\x80\xAF" "c"), (Mots{"a", "b", "c"}));
  EXPECT_TRUE(fr::mots("").empty());
  EXPECT_TRUE(fr::mots(" ' - ... l' ").empty());
}

TEST(Francais, PluralsAndVerbFormsShareTheirStem) {
  EXPECT_EQ(fr::racine("atelier"), fr::racine("ateliers"));
  EXPECT_EQ(fr::racine("numérique"), fr::racine("numériques"));
  EXPECT_EQ(fr::racine("numérique"), fr::racine("NUMERIQUE"));
  EXPECT_EQ(fr::racine("accompagner"), fr::racine("accompagnement"));
  EXPECT_EQ(fr::racine("accompagner"), fr::racine("accompagné"));
  EXPECT_EQ(fr::racine("accompagner"), fr::racine("accompagnait"));
  EXPECT_EQ(fr::racine("accompagner"), fr::racine("accompagnera"));
  EXPECT_EQ(fr::racine("activité"), fr::racine("activités"));
  EXPECT_EQ(fr::racine("médiatrice"), fr::racine("médiatrices"));
  EXPECT_EQ(fr::racine("démarche"), fr::racine("démarches"));
  EXPECT_EQ(fr::racine("Œuvre"), fr::racine("oeuvres"));
  EXPECT_NE(fr::racine("atelier"), fr::racine("numérique"));
  EXPECT_EQ(fr::racine("ateliers"), "ateli");
  EXPECT_EQ(fr::racine(""), "");
  EXPECT_EQ(fr::racine("2024"), "2024");
}

TEST(Francais, IndexerStemsWithoutStopWords) {
  EXPECT_EQ(fr::indexer("L'atelier du numérique à Saint-Étienne : mise en place d'un accompagnement — 2024 !"),
            "ateli numer saint etien mis plac accompagn 2024");
  EXPECT_EQ(fr::indexer("Les ateliers numériques"), fr::indexer("atelier NUMÉRIQUE"));
  EXPECT_EQ(fr::indexer("le la les de et"), "");
  EXPECT_EQ(fr::indexer(std::string(81, 'x') + " court"), "court");
  EXPECT_EQ(fr::indexer(""), "");
}

TEST(Francais, RequeteFts5) {
  EXPECT_EQ(fr::requete_fts5("ateliers numériques", false), "\"ateli\" AND \"numer\"");
  EXPECT_EQ(fr::requete_fts5("ateliers numériques", true), "\"ateli\" AND \"numer\"*");
  EXPECT_EQ(fr::requete_fts5("l'atelier", false), "\"ateli\"");
  EXPECT_EQ(fr::requete_fts5("\"mise en place\" atelier", true), "\"mis plac\" AND \"ateli\"*");
  EXPECT_EQ(fr::requete_fts5("« mise en place »", true), "\"mis plac\"");  // a phrase is never a prefix
  EXPECT_EQ(fr::requete_fts5("Saint-Étienne", false), "\"saint etien\"");
  EXPECT_EQ(fr::requete_fts5("atelier de", true), "\"ateli\" AND \"de\"*");  // "de" of "demande"
  EXPECT_EQ(fr::requete_fts5("atelier de", false), "\"ateli\"");
  EXPECT_EQ(fr::requete_fts5("de numérique", true), "\"numer\"*");
  EXPECT_EQ(fr::requete_fts5("atelier atelier ateliers", false), "\"ateli\"");
  EXPECT_EQ(fr::requete_fts5("", true), "");
  EXPECT_EQ(fr::requete_fts5("   ", true), "");
  EXPECT_EQ(fr::requete_fts5("le la les", false), "");
  EXPECT_EQ(fr::requete_fts5("* : & | ! ( ) \" ^ -", true), "");
  EXPECT_EQ(fr::requete_fts5("NEAR(a b) OR c*", false), "\"near\" AND \"b\" AND \"or\" AND \"c\"");
  EXPECT_EQ(fr::requete_fts5("col:val", false), "\"col val\"");
  std::string longue;
  for (int i = 0; i < 40; ++i) longue += "mot" + std::to_string(i) + " ";
  const std::string q = fr::requete_fts5(longue + "dernier", true);
  EXPECT_EQ(std::count(q.begin(), q.end(), '"'), 32);  // 16 terms
  EXPECT_TRUE(q.ends_with("\"derni\"*")) << q;          // the word being typed stays
}

TEST(Francais, RequeteTsquery) {
  EXPECT_EQ(fr::requete_tsquery("ateliers numériques", false), "'ateli' & 'numer'");
  EXPECT_EQ(fr::requete_tsquery("ateliers numériques", true), "'ateli' & 'numer':*");
  EXPECT_EQ(fr::requete_tsquery("\"mise en place\" atelier", true), "('mis' <-> 'plac') & 'ateli':*");
  EXPECT_EQ(fr::requete_tsquery("saint-éti", true), "('saint' <-> 'eti':*)");
  EXPECT_EQ(fr::requete_tsquery("x:* & !y | (z", false), "'x' & 'z'");
  EXPECT_EQ(fr::requete_tsquery("it's o'neil \\'", false), "('it' <-> 's') & ('o' <-> 'neil')");
  EXPECT_EQ(fr::requete_tsquery("", false), "");
}

// What a query may be made of: quoted stems, the operators we write, nothing the user typed.
TEST(Francais, QueriesNeverCarryTheUsersSyntax) {
  const std::vector<std::string> hostiles = {
      "\"", "\"\"", "'", "''", "\\", "\\'", "a\"b", "a'b", "(", ")", "((a", "a))", "*", "a*", "*a", ":", "a:b",
      "a:*", "&", "|", "!", "!!a", "a & | b", "<->", "a <-> b", "<2>", "^a", "-a", "+a", "NOT", "AND OR NOT",
      "NEAR(", "NEAR/2", "{a b}", "a:(b c)", "\"mise en", "« sans fin", "» x «", "\x01\x02", "\xff\xfe",
      "\xc3", "%", "_", ";", "--", "/*", "日本語", "😀", "Привет", "ﬁ", "e\xCC\x81", "tab\tnl\ncr\r",
      "a\xC2\xA0" "b", "col:val*", "\"a\" * \"b\"", "'a':*B", "l'", "qu'", std::string(5000, 'a'),
      std::string(300, '"'), std::string(300, '('), "\xF0\x9F\x98\x80\xF0\x9F\x98"};
  for (const std::string& h : hostiles) {
    for (bool prefixe : {false, true}) {
      for (const std::string& q : {fr::requete_fts5(h, prefixe), fr::requete_fts5("atelier " + h + " x", prefixe),
                                   fr::requete_tsquery(h, prefixe), fr::requete_tsquery("atelier " + h + " x", prefixe)}) {
        SCOPED_TRACE(h);
        // Outside quotes only our operators and spaces.
        std::string dehors;
        char guillemet = 0;
        for (char c : q) {
          if (guillemet) {
            if (c == guillemet) guillemet = 0;
            else EXPECT_TRUE(c != '\'' && c != '"' && c != '\\' && c != '*' && c != ':' && c != '(' && c != ')') << q;
          } else if (c == '"' || c == '\'') {
            guillemet = c;
          } else {
            dehors.push_back(c);
          }
        }
        EXPECT_EQ(guillemet, 0) << q;
        for (const std::string op : {" AND ", " & ", " <-> ", ":*", "*", "(", ")"}) {
          for (std::size_t p = dehors.find(op); p != std::string::npos; p = dehors.find(op)) dehors.erase(p, op.size());
        }
        EXPECT_EQ(dehors, "") << q;
      }
    }
  }
}

// ---- The same rows on both engines ----

namespace {

const std::vector<std::string> kTextes = {
    "L'atelier du numérique ouvre à Saint-Étienne",
    "Les ateliers numériques reprennent lundi",
    "Mise en place d'un accompagnement aux démarches",
    "Elle accompagnait les usagers pour leurs démarches en ligne",
    "Œuvre collective : le cœur du projet",
    "Atelier « mise en place » de l'espace",
    "Привет, 日本語 et emoji 😀 dans le texte",
    "Le porte-monnaie de la médiatrice",
    "Saint Étienne et Lyon, pas Saint-Denis",
    "Rendez-vous d'accompagnement numérique demain",
};

const std::vector<std::pair<std::string, bool>> kRequetes = {
    {"atelier", false}, {"ateliers numériques", false}, {"l'atelier", false}, {"accompagner", false},
    {"démarche", false}, {"\"mise en place\"", false}, {"saint-étienne", false}, {"« Saint Étienne »", false},
    {"oeuvre coeur", false}, {"ŒUVRE", false}, {"numér", true}, {"accomp", true}, {"de", true},
    {"atel", true}, {"привет", false}, {"日本語", false}, {"porte-monnaie", false}, {"x:* & !y | (z", false},
    {"NEAR(atelier) OR \"", false}, {"'; DROP TABLE t; --", false}, {"rendez-vous", true}, {"saint denis", false},
};

class FrancaisMoteurs : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override { ouvrir(GetParam(), "francais"); }
  void TearDown() override { fermer(); }

  std::vector<std::int64_t> chercher(const std::string& q, bool prefixe) {
    std::vector<std::int64_t> ids;
    db_->read([&](coop::storage::Session& s) {
      coop::storage::Rows rows;
      if (s.dialect() == coop::storage::Dialect::sqlite) {
        const std::string m = fr::requete_fts5(q, prefixe);
        if (m.empty()) return;
        rows = s.query("SELECT rowid FROM fr_test WHERE fr_test MATCH ? ORDER BY rowid", {m});
      } else {
        const std::string m = fr::requete_tsquery(q, prefixe);
        if (m.empty()) return;
        rows = s.query("SELECT id FROM fr_test WHERE doc @@ to_tsquery('simple', ?) ORDER BY id", {m});
      }
      for (const auto& r : rows.rows) ids.push_back(coop::storage::as_int(r[0]));
    });
    return ids;
  }
};

}  // namespace

TEST_P(FrancaisMoteurs, FtsFindsWhatTheStemsSay) {
  if (HasFatalFailure() || IsSkipped()) return;
  db_->write([&](coop::storage::Session& s) {
    if (s.dialect() == coop::storage::Dialect::sqlite) {
      s.exec_script("CREATE VIRTUAL TABLE fr_test USING fts5(texte, tokenize = 'unicode61 remove_diacritics 2')");
    } else {
      s.exec_script("CREATE TABLE fr_test (id BIGINT PRIMARY KEY, texte TEXT NOT NULL, doc TSVECTOR NOT NULL);"
                    "CREATE INDEX fr_test_doc ON fr_test USING GIN (doc)");
    }
    for (std::size_t i = 0; i < kTextes.size(); ++i) {
      const auto id = static_cast<std::int64_t>(i + 1);
      if (s.dialect() == coop::storage::Dialect::sqlite) {
        s.exec("INSERT INTO fr_test (rowid, texte) VALUES (?, ?)", {id, fr::indexer(kTextes[i])});
      } else {
        s.exec("INSERT INTO fr_test (id, texte, doc) VALUES (?, ?, to_tsvector('simple', ?))",
               {id, kTextes[i], fr::indexer(kTextes[i])});
      }
    }
  });
  using Ids = std::vector<std::int64_t>;
  // The expected rows, written by hand: both engines must give exactly these.
  EXPECT_EQ(chercher("atelier", false), (Ids{1, 2, 6}));
  EXPECT_EQ(chercher("ateliers numériques", false), (Ids{1, 2}));
  EXPECT_EQ(chercher("l'atelier", false), (Ids{1, 2, 6}));
  EXPECT_EQ(chercher("accompagner", false), (Ids{3, 4, 10}));
  EXPECT_EQ(chercher("démarche", false), (Ids{3, 4}));
  EXPECT_EQ(chercher("\"mise en place\"", false), (Ids{3, 6}));
  EXPECT_EQ(chercher("saint-étienne", false), (Ids{1, 9}));
  EXPECT_EQ(chercher("oeuvre coeur", false), (Ids{5}));
  EXPECT_EQ(chercher("numér", true), (Ids{1, 2, 10}));
  EXPECT_EQ(chercher("accomp", true), (Ids{3, 4, 10}));
  EXPECT_EQ(chercher("de", true), (Ids{3, 4, 9, 10}));  // démarches, Denis, demain (as typed)
  EXPECT_EQ(chercher("привет", false), (Ids{7}));
  EXPECT_EQ(chercher("日本語", false), (Ids{7}));
  EXPECT_EQ(chercher("porte-monnaie", false), (Ids{8}));
  EXPECT_EQ(chercher("saint denis", false), (Ids{9}));
  EXPECT_EQ(chercher("x:* & !y | (z", false), (Ids{}));
  // Whatever the query: no syntax error on either engine (chercher throws on one).
  for (const auto& [q, p] : kRequetes) EXPECT_NO_THROW(chercher(q, p)) << q;
  for (const std::string h : {"\"", "'", "(", "*", ":", "&", "|", "!", "<->", "NEAR(", "\\", "a:b*", "\xff", "^"}) {
    EXPECT_NO_THROW(chercher(h, true)) << h;
    EXPECT_NO_THROW(chercher("atelier " + h, false)) << h;
  }
}

INSTANTIATE_TEST_SUITE_P(Moteurs, FrancaisMoteurs, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
