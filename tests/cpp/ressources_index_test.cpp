// Ressources: the search's in-memory index (features/ressources/index.hpp), on both engines.
// - It gives what the search's SQL definition gives (visibility for each kind of viewer, every
//   filter, facets counting every other filter, the four sorts, pages): 300 random resources,
//   400 random searches, compared with that definition written here as SQL.
// - It sees the writes of another connection (another instance), including, on PostgreSQL, those
//   of a transaction that was still open when the index last looked.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <random>
#include <thread>

#include "base_ephemere.hpp"
#include "core/francais.hpp"
#include "core/time.hpp"
#include "features/accounts/store.hpp"
#include "features/ressources/index.hpp"
#include "features/ressources/model.hpp"
#include "features/ressources/store.hpp"
#include "features/ressources/store_sql.hpp"

namespace coop {
namespace {

namespace rs = ressources;
using storage::as_int;
using storage::as_text;
using storage::Params;
using storage::Session;

// ---- The search's definition in SQL (what the server ran before the index).
std::string condition(Session& s, const rs::store::Lecteur& l, const rs::store::Recherche& q, std::string_view sauf, Params& p) {
  const bool pg = s.dialect() == storage::Dialect::postgres;
  std::string w = rs::store::sql_visible(l, p);
  if (!q.fts5.empty()) {
    if (pg) {
      w += " AND r.id IN (SELECT id FROM ressources_recherche WHERE recherche @@ to_tsquery('simple', ?))";
      p.emplace_back(q.tsquery);
    } else {
      w += " AND r.id IN (SELECT rowid FROM ressources_recherche WHERE ressources_recherche MATCH ?)";
      p.emplace_back(q.fts5);
    }
  }
  if (q.miennes) {
    w += " AND r.auteur_id = ?";
    p.emplace_back(l.user_id);
  } else {
    w += " AND r.statut = 'publie'";
  }
  if (q.auteur_id) { w += " AND r.auteur_id = ?"; p.emplace_back(*q.auteur_id); }
  if (q.structure_id) { w += " AND r.structure_id = ?"; p.emplace_back(*q.structure_id); }
  if (q.collection_id) {
    w += " AND r.id IN (SELECT ressource_id FROM ressources_collection_elements WHERE collection_id = ?)";
    p.emplace_back(*q.collection_id);
  }
  if (q.favoris) {
    w += " AND r.id IN (SELECT ressource_id FROM ressources_favoris WHERE user_id = ?)";
    p.emplace_back(l.user_id);
  }
  for (const auto& [facette, codes] : q.filtres) {
    if (codes.empty() || facette == sauf) continue;
    std::string in;
    for (const auto& c : codes) {
      in += in.empty() ? "?" : ", ?";
      p.emplace_back(c);
    }
    if (facette == "thematique") w += " AND r.id IN (SELECT ressource_id FROM ressources_thematiques WHERE code IN (" + in + "))";
    else if (facette == "public") w += " AND r.id IN (SELECT ressource_id FROM ressources_publics WHERE code IN (" + in + "))";
    else w += " AND r." + facette + " IN (" + in + ")";
  }
  return w;
}

rs::store::Resultat definition(Session& s, const rs::store::Lecteur& l, const rs::store::Recherche& q) {
  const bool pg = s.dialect() == storage::Dialect::postgres;
  rs::store::Resultat out;
  Params p;
  const std::string where = condition(s, l, q, "", p);
  out.total = as_int(s.query("SELECT COUNT(*) FROM ressources r WHERE " + where, p).rows[0][0]);
  std::string score = "0";
  Params ps;
  if (!q.fts5.empty()) {
    if (pg) {
      score = "(CASE WHEN r.id IN (SELECT id FROM ressources_recherche WHERE recherche_titre @@ to_tsquery('simple', ?)) "
              "THEN 4 ELSE 0 END + CASE WHEN r.id IN (SELECT id FROM ressources_recherche WHERE recherche_resume @@ "
              "to_tsquery('simple', ?)) THEN 2 ELSE 0 END + 1)";
      ps = {q.tsquery, q.tsquery};
    } else {
      score = "(CASE WHEN r.id IN (SELECT rowid FROM ressources_recherche WHERE ressources_recherche MATCH ?) THEN 4 ELSE 0 END + "
              "CASE WHEN r.id IN (SELECT rowid FROM ressources_recherche WHERE ressources_recherche MATCH ?) THEN 2 ELSE 0 END + 1)";
      ps = {"{titre} : (" + q.fts5 + ")", "{resume} : (" + q.fts5 + ")"};
    }
  }
  const std::string recent = "COALESCE(r.publie_le, r.modifie_le) DESC, r.id DESC";
  std::string ordre;
  if (q.tri == "pertinence" && !q.fts5.empty()) ordre = "score DESC, r.utiles DESC, " + recent;
  else if (q.tri == "utiles") ordre = "r.utiles DESC, " + recent;
  else if (q.tri == "populaires") ordre = "r.telechargements + r.vues DESC, r.utiles DESC, " + recent;
  else ordre = recent;
  Params pp = ps;
  pp.insert(pp.end(), p.begin(), p.end());
  pp.emplace_back(q.par_page);
  pp.emplace_back((q.page - 1) * q.par_page);
  for (auto& r : s.query("SELECT r.id, " + score + " AS score FROM ressources r WHERE " + where + " ORDER BY " + ordre +
                             " LIMIT ? OFFSET ?",
                         pp).rows)
    out.ids.push_back(as_int(r[0]));
  for (std::string_view f : rs::facettes) {
    Params pf;
    const std::string w = condition(s, l, q, f, pf);
    std::string sql;
    if (f == "thematique") sql = "SELECT code, COUNT(*) FROM ressources_thematiques WHERE ressource_id IN (SELECT r.id FROM ressources r WHERE " + w + ") GROUP BY code";
    else if (f == "public") sql = "SELECT code, COUNT(*) FROM ressources_publics WHERE ressource_id IN (SELECT r.id FROM ressources r WHERE " + w + ") GROUP BY code";
    else sql = "SELECT r." + std::string(f) + ", COUNT(*) FROM ressources r WHERE " + w + " GROUP BY r." + std::string(f);
    std::map<std::string, std::int64_t> n;
    for (auto& r : s.query(sql, pf).rows) n[as_text(r[0])] = as_int(r[1]);
    auto& v = out.facettes[std::string(f)];
    for (const auto& c : rs::vocabulaire(f))
      if (auto it = n.find(std::string(c.code)); it != n.end()) v.emplace_back(it->first, it->second);
  }
  return out;
}

rs::store::Recherche texte(const std::string& t, bool prefixe = false) {
  rs::store::Recherche q;
  q.fts5 = francais::requete_fts5(t, prefixe);
  q.tsquery = francais::requete_tsquery(t, prefixe);
  q.tri = q.fts5.empty() ? "recent" : "pertinence";
  return q;
}

class RessourcesIndex : public ::testing::TestWithParam<std::string>, protected tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "ressources_index");
    if (HasFatalFailure() || IsSkipped()) return;
    db_->write([&](Session& s) {
      const auto t = core::now_iso();
      for (int i = 0; i < 5; ++i)
        users.push_back(accounts::store::create_user(
            s, {"u" + std::to_string(i) + "@exemple.fr", "Nom" + std::to_string(i), "", std::nullopt, "hash"}));
      for (int i = 0; i < 2; ++i)
        structures.push_back(s.insert("INSERT INTO structures (nom, commune_insee, created_at, updated_at) VALUES (?, '75056', ?, ?)",
                                      {"Structure " + std::to_string(i), t, t}));
      // users[0] (the reader) works in structure 0 with users[1]; users[2] coordinates users[0];
      // users[3] once worked in structure 0 (ended); users[4] is nobody to them.
      auto emploi = [&](std::int64_t u, std::int64_t st, const char* debut, std::optional<std::string> fin) {
        Params p{u, st, std::string(debut)};
        p.emplace_back(fin ? storage::Value(*fin) : storage::Value(nullptr));
        p.emplace_back(t);
        s.insert("INSERT INTO employments (user_id, structure_id, debut, fin, created_at) VALUES (?, ?, ?, ?, ?)", p);
      };
      emploi(users[0], structures[0], "2024-01-01", std::nullopt);
      emploi(users[1], structures[0], "2024-01-01", std::nullopt);
      emploi(users[3], structures[0], "2020-01-01", std::string("2021-01-01"));
      emploi(users[4], structures[1], "2024-01-01", std::nullopt);
      s.insert("INSERT INTO team_members (coordinateur_id, mediateur_id, debut, created_at) VALUES (?, ?, '2024-01-01', ?)",
               {users[2], users[0], t});
    });
  }
  void TearDown() override { fermer(); }

  std::int64_t creer(Session& s, const std::string& titre, const std::string& format = "fiche_pas_a_pas",
                     const std::string& visibilite = "public", std::int64_t auteur = 0) {
    rs::Saisie x;
    x.titre = titre;
    x.thematiques = {"email"};
    x.format = format;
    x.niveau = "debutant";
    x.visibilite = visibilite;
    x.statut = "publie";
    EXPECT_TRUE(rs::valider(x).empty());
    auto id = rs::store::creer(s, {.saisie = x, .description_html = "", .auteur_id = auteur ? auteur : users[1],
                                   .auteur_nom = "Auteur", .origine_id = {}, .origine_credit = {}});
    rs::store::reindexer(s, id);
    return id;
  }

  std::vector<std::int64_t> users, structures;
};

TEST_P(RessourcesIndex, GivesWhatTheSqlDefinitionGives) {
  std::mt19937_64 g(42);
  const std::vector<std::string> mots = {"atelier", "ateliers", "numérique", "smartphone", "démarches", "courriel",
                                         "sécurité", "tablette", "impôts", "seniors", "parents", "banque"};
  auto un = [&](auto const& v) -> const auto& { return v[g() % std::size(v)]; };
  std::vector<std::int64_t> ids;
  db_->write([&](Session& s) {
    for (int i = 0; i < 300; ++i) {
      rs::Saisie x;
      for (int k = 0, n = 1 + static_cast<int>(g() % 3); k < n; ++k) x.titre += un(mots) + " ";
      for (int k = 0, n = static_cast<int>(g() % 4); k < n; ++k) x.resume += un(mots) + " ";
      for (int k = 0, n = static_cast<int>(g() % 8); k < n; ++k) x.description += un(mots) + " ";
      for (int k = 0, n = 1 + static_cast<int>(g() % 3); k < n; ++k) x.thematiques.emplace_back(un(rs::thematiques).code);
      for (int k = 0, n = static_cast<int>(g() % 3); k < n; ++k) x.publics.emplace_back(un(rs::publics).code);
      x.format = std::string(un(rs::formats).code);
      x.niveau = std::string(un(rs::niveaux).code);
      x.licence = std::string(un(rs::licences).code);
      x.visibilite = std::string(un(rs::visibilites).code);
      x.statut = g() % 5 ? "publie" : "brouillon";
      ASSERT_TRUE(rs::valider(x).empty()) << x.titre;
      const auto auteur = users[g() % users.size()];
      const auto id = rs::store::creer(s, {.saisie = x, .description_html = "", .auteur_id = auteur, .auteur_nom = "A",
                                          .origine_id = {}, .origine_credit = {}});
      rs::store::reindexer(s, id);
      s.exec("UPDATE ressources SET utiles = ?, vues = ?, telechargements = ?, structure_id = ? WHERE id = ?",
             {static_cast<std::int64_t>(g() % 4), static_cast<std::int64_t>(g() % 6), static_cast<std::int64_t>(g() % 3),
              g() % 3 ? storage::Value(structures[g() % 2]) : storage::Value(nullptr), id});
      // The same date for some: the order's last keys decide.
      if (g() % 4 == 0) s.exec("UPDATE ressources SET publie_le = '2026-01-01T00:00:00.000Z' WHERE id = ?", {id});
      if (g() % 15 == 0) s.exec("UPDATE ressources SET masque_le = ? WHERE id = ?", {core::now_iso(), id});
      ids.push_back(id);
    }
    const auto c = s.insert("INSERT INTO ressources_collections (titre, description, proprietaire_id, publique, cree_le, modifie_le) "
                            "VALUES ('Mes ateliers', '', ?, 1, ?, ?)",
                            {users[0], core::now_iso(), core::now_iso()});
    for (int i = 0; i < 40; ++i)
      s.exec("INSERT INTO ressources_collection_elements (collection_id, ressource_id, ajoute_le) VALUES (?, ?, ?) "
             "ON CONFLICT DO NOTHING",
             {c, ids[g() % ids.size()], core::now_iso()});
    for (int i = 0; i < 30; ++i)
      s.exec("INSERT INTO ressources_favoris (user_id, ressource_id, cree_le) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
             {users[0], ids[g() % ids.size()], core::now_iso()});
  });
  if (HasFatalFailure()) return;
  const auto collection = db_->read_value(
      [](Session& s) { return as_int(s.query("SELECT MIN(id) FROM ressources_collections").rows.at(0).at(0)); });
  const std::vector<rs::store::Lecteur> lecteurs = {{.user_id = 0, .moderateur = false, .aujourdhui = core::today()},
                                                    {.user_id = users[0], .moderateur = false, .aujourdhui = core::today()},
                                                    {.user_id = users[3], .moderateur = false, .aujourdhui = core::today()},
                                                    {.user_id = users[4], .moderateur = true, .aujourdhui = core::today()}};
  const std::vector<std::string> tris = {"pertinence", "recent", "utiles", "populaires"};
  rs::Index index;
  int avec_resultats = 0;
  for (int i = 0; i < 400; ++i) {
    const auto& l = lecteurs[g() % lecteurs.size()];
    std::string t;
    switch (g() % 4) {
      case 0: break;
      case 1: t = un(mots); break;
      case 2: t = un(mots) + " " + un(mots); break;
      default: t = un(mots).substr(0, 3); break;
    }
    auto q = texte(francais::plier(t), g() % 2 == 0);
    q.tri = tris[g() % tris.size()];
    for (std::size_t f = 0; f < std::size(rs::facettes); ++f)
      if (g() % 3 == 0) {
        const auto voc = rs::vocabulaire(rs::facettes[f]);
        for (int k = 0, n = 1 + static_cast<int>(g() % 2); k < n; ++k)
          q.filtres[std::string(rs::facettes[f])].emplace_back(voc[g() % voc.size()].code);
      }
    if (l.user_id && g() % 5 == 0) q.miennes = true;
    if (g() % 8 == 0) q.auteur_id = users[g() % users.size()];
    if (g() % 8 == 0) q.structure_id = structures[g() % 2];
    if (g() % 8 == 0) q.collection_id = collection;
    if (l.user_id == users[0] && g() % 6 == 0) q.favoris = true;
    q.par_page = 1 + static_cast<std::int64_t>(g() % 25);
    q.page = 1 + static_cast<std::int64_t>(g() % 3);
    const auto attendu = db_->read_value([&](Session& s) { return definition(s, l, q); });
    const auto obtenu = db_->read_value([&](Session& s) { return index.rechercher(s, l, q); });
    const std::string quoi = "search " + std::to_string(i) + " « " + t + " » tri " + q.tri + " lecteur " + std::to_string(l.user_id);
    ASSERT_EQ(obtenu.total, attendu.total) << quoi;
    ASSERT_EQ(obtenu.ids, attendu.ids) << quoi;
    ASSERT_EQ(obtenu.facettes, attendu.facettes) << quoi;
    avec_resultats += attendu.total > 0;
  }
  EXPECT_GT(avec_resultats, 150);  // the searches were not all empty
}

TEST_P(RessourcesIndex, SeesTheWritesOfAnotherConnection) {
  rs::Index index;
  const rs::store::Lecteur l{.user_id = users[0], .moderateur = false, .aujourdhui = core::today()};
  auto chercher = [&](rs::store::Recherche q) { return db_->read_value([&](Session& s) { return index.rechercher(s, l, q); }); };
  const auto a = db_->write_value([&](Session& s) { return creer(s, "Atelier courriel"); });
  EXPECT_EQ(chercher(texte("atelier")).ids, (std::vector<std::int64_t>{a}));

  // Another instance: its own connections to the same database.
  auto autre = storage::open_database(url_);
  const auto b = autre->write_value([&](Session& s) { return creer(s, "Atelier tablette", "diaporama"); });
  auto q = texte("atelier");
  q.filtres["format"] = {"diaporama"};
  EXPECT_EQ(chercher(q).ids, (std::vector<std::int64_t>{b}));
  autre->write([&](Session& s) {
    s.exec("UPDATE ressources SET format = 'autre' WHERE id = ?", {b});
    s.exec("DELETE FROM ressources_thematiques WHERE ressource_id = ?", {a});
  });
  EXPECT_TRUE(chercher(q).ids.empty());
  auto qt = texte("");
  qt.filtres["thematique"] = {"email"};
  EXPECT_EQ(chercher(qt).ids, (std::vector<std::int64_t>{b}));
  // Hidden, then a team resource of a colleague, then deleted.
  autre->write([&](Session& s) { rs::store::masquer(s, a, users[4], "test"); });
  EXPECT_EQ(chercher(texte("atelier")).ids, (std::vector<std::int64_t>{b}));
  const auto c = autre->write_value([&](Session& s) { return creer(s, "Atelier équipe", "autre", "equipe", users[1]); });
  const auto d = autre->write_value([&](Session& s) { return creer(s, "Atelier inconnu", "autre", "equipe", users[4]); });
  EXPECT_EQ(chercher(texte("atelier")).total, 2);  // b and c, not d (users[4] is not in the reader's network)
  autre->write([&](Session& s) { rs::store::supprimer(s, b); });
  EXPECT_EQ(chercher(texte("atelier")).ids, (std::vector<std::int64_t>{c}));
  // The « utiles » order follows the votes counted elsewhere.
  autre->write([&](Session& s) { s.exec("UPDATE ressources SET utiles = 3 WHERE id = ?", {d}); });
  auto qu = texte("");
  qu.tri = "utiles";
  const rs::store::Lecteur mod{.user_id = users[4], .moderateur = true, .aujourdhui = core::today()};
  auto ids = db_->read_value([&](Session& s) { return index.rechercher(s, mod, qu); }).ids;
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), d);

  if (GetParam() == "postgres") {
    // A transaction that began (and took its id) before a search and commits after it: the
    // search after the commit sees it, though its seq may be lower than others already applied.
    std::promise<void> ecrit, continuer;
    std::int64_t e = 0;
    std::thread t([&] {
      autre->write([&](Session& s) {
        e = creer(s, "Atelier lent", "autre");
        ecrit.set_value();
        continuer.get_future().wait();
      });
    });
    ecrit.get_future().wait();
    const auto f = autre->write_value([&](Session& s) { return creer(s, "Atelier rapide", "autre"); });
    auto avant = chercher(texte("atelier"));
    EXPECT_EQ(std::count(avant.ids.begin(), avant.ids.end(), f), 1);
    EXPECT_EQ(std::count(avant.ids.begin(), avant.ids.end(), e), 0);
    continuer.set_value();
    t.join();
    auto apres = chercher(texte("atelier"));
    EXPECT_EQ(std::count(apres.ids.begin(), apres.ids.end(), e), 1);
  }
  autre->close();
  EXPECT_GT(index.etat().rechargements, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, RessourcesIndex, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace coop
