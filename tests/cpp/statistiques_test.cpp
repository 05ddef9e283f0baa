// Statistics: largest-remainder percentages, and the property test of the in-memory engine —
// random data inserted with SQL, random filter and scope combinations, EVERY figure of the
// engine's Tableau compared with the plain-SQL reference, then random updates applied through the
// engine's update API and compared again. Runs on SQLite and on PostgreSQL (COOP_TEST_PG_URL, as
// in storage_test.cpp; COOP_TEST_NO_PG=1 skips it explicitly).
// The seed is random unless COOP_STATS_SEED is set; it is printed with every failure.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "features/activites/model.hpp"
#include "features/lieux/model.hpp"
#include "features/statistiques/engine.hpp"
#include "features/statistiques/model.hpp"
#include "features/statistiques/reference.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "base_ephemere.hpp"

namespace fs = std::filesystem;
using namespace coop::statistiques;
using coop::storage::as_int;
using coop::storage::Database;
using coop::storage::Params;
using coop::storage::Session;
using coop::storage::Value;
namespace act = coop::activites;

// ---- percentages ----

namespace {
Repartition rep(std::vector<std::pair<std::string, std::int64_t>> v) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> m;
  for (auto& [k, x] : v) m[k] = {x, 0};
  return repartition(m);
}
std::vector<int> pct(const Repartition& r) {
  std::vector<int> out;
  for (auto& l : r.lignes) out.push_back(l.pourcentage);
  return out;
}
}  // namespace

TEST(StatistiquesPourcentages, LargestRemainderAddsToExactly100) {
  EXPECT_EQ(pct(rep({{"a", 1}, {"b", 1}, {"c", 1}})), (std::vector<int>{34, 33, 33}));  // tie → smaller cle
  EXPECT_EQ(pct(rep({{"a", 1}, {"b", 2}})), (std::vector<int>{33, 67}));
  EXPECT_EQ(pct(rep({{"a", 2}, {"b", 1}, {"c", 1}, {"d", 2}})), (std::vector<int>{33, 17, 17, 33}));
  // equal remainders, larger value first: 1/7 and 2/7… remainders of 100·v/7
  EXPECT_EQ(pct(rep({{"a", 1}, {"b", 3}, {"c", 3}})), (std::vector<int>{14, 43, 43}));
  EXPECT_EQ(pct(rep({{"a", 5}})), (std::vector<int>{100}));
  EXPECT_EQ(pct(rep({{"a", 0}, {"b", 0}})), (std::vector<int>{}));  // zero lines dropped
  Repartition zero{{{"a", 0, 3, 0}}};
  pourcentages(zero);
  EXPECT_EQ(zero.lignes[0].pourcentage, 0);
  std::mt19937_64 rng(42);
  for (int n = 0; n < 2000; ++n) {
    std::vector<std::pair<std::string, std::int64_t>> v;
    int k = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < k; ++i) v.emplace_back(fmt::format("{:03}", i), 1 + static_cast<std::int64_t>(rng() % 1000));
    auto r = rep(v);
    int total = 0;
    for (auto& l : r.lignes) {
      total += l.pourcentage;
      EXPECT_GE(l.pourcentage, 0);
    }
    EXPECT_EQ(total, 100);
  }
}

TEST(StatistiquesJours, DaysMonthsAndDepartements) {
  EXPECT_EQ(jour_of("2020-01-01"), 0);
  EXPECT_EQ(jour_of("2020-03-01"), 60);  // leap year
  EXPECT_FALSE(jour_of("2021-02-29"));
  EXPECT_FALSE(jour_of("2021-2-01"));
  EXPECT_EQ(date_of(*jour_of("2026-11-28")), "2026-11-28");
  EXPECT_EQ(mois_of(*jour_of("2026-11-28")), 6 * 12 + 10);
  EXPECT_EQ(mois_texte(6 * 12 + 10), "2026-11");
  EXPECT_EQ(date_of(premier_jour(-1)), "2019-12-01");
  EXPECT_EQ(departement_of("69123"), "69");
  EXPECT_EQ(departement_of("2A004"), "2A");
  EXPECT_EQ(departement_of("97411"), "974");
  EXPECT_EQ(bucket_duree(29), "moins_30");
  EXPECT_EQ(bucket_duree(30), "30_60");
  EXPECT_EQ(bucket_duree(119), "60_120");
  EXPECT_EQ(bucket_duree(120), "120_plus");
}

// ---- property test ----

namespace {

using coop::tests::env;

const Regions kRegions = {{"69", "84"}, {"01", "84"}, {"38", "84"}, {"75", "11"}, {"13", "93"}, {"2A", "94"}, {"974", "04"}};
const std::vector<std::string> kCommunes = {"69123", "69381", "01001", "38185", "75056", "13055", "2A004", "97411", "33063"};
const std::string kAujourdhui = "2026-11-28";

std::string diff(const Tableau& e, const Tableau& r) {
  std::ostringstream o;
  auto num = [&](const char* n, std::int64_t a, std::int64_t b) {
    if (a != b) o << "  " << n << ": engine " << a << ", sql " << b << "\n";
  };
  num("activites", e.activites, r.activites);
  num("accompagnements", e.accompagnements, r.accompagnements);
  num("individuels", e.individuels, r.individuels);
  num("ateliers", e.ateliers, r.ateliers);
  num("participants_ateliers", e.participants_ateliers, r.participants_ateliers);
  num("beneficiaires", e.beneficiaires, r.beneficiaires);
  num("nouveaux", e.nouveaux, r.nouveaux);
  num("suivis", e.suivis, r.suivis);
  num("anonymes", e.anonymes, r.anonymes);
  num("duree_totale", e.duree_totale, r.duree_totale);
  auto series = [&](const char* n, const auto& a, const auto& b) {
    if (a != b) {
      o << "  " << n << ":\n    engine";
      for (auto& [k, v] : a) o << " " << k << "=" << v;
      o << "\n    sql   ";
      for (auto& [k, v] : b) o << " " << k << "=" << v;
      o << "\n";
    }
  };
  series("par_mois", e.par_mois, r.par_mois);
  series("par_jour", e.par_jour, r.par_jour);
  auto brk = [&](const char* n, const Repartition& a, const Repartition& b) {
    if (a != b) {
      o << "  " << n << ":\n    engine";
      for (auto& l : a.lignes) o << " [" << l.cle << " " << l.valeur << "/" << l.activites << " " << l.pourcentage << "%]";
      o << "\n    sql   ";
      for (auto& l : b.lignes) o << " [" << l.cle << " " << l.valeur << "/" << l.activites << " " << l.pourcentage << "%]";
      o << "\n";
    }
  };
  brk("types", e.types, r.types);
  brk("thematiques", e.thematiques, r.thematiques);
  brk("demarches", e.demarches, r.demarches);
  brk("materiel", e.materiel, r.materiel);
  brk("canaux", e.canaux, r.canaux);
  brk("durees", e.durees, r.durees);
  brk("autonomie", e.autonomie, r.autonomie);
  brk("orientation", e.orientation, r.orientation);
  brk("redirections", e.redirections, r.redirections);
  brk("lieux", e.lieux, r.lieux);
  brk("communes", e.communes, r.communes);
  brk("tags", e.tags, r.tags);
  brk("orientations_lieux", e.orientations_lieux, r.orientations_lieux);
  brk("orientations_services", e.orientations_services, r.orientations_services);
  brk("genres", e.genres, r.genres);
  brk("tranches_age", e.tranches_age, r.tranches_age);
  brk("statuts", e.statuts, r.statuts);
  brk("communes_residence", e.communes_residence, r.communes_residence);
  for (std::size_t i = 0; i < std::max(e.coordination.size(), r.coordination.size()); ++i)
    if (i >= e.coordination.size() || i >= r.coordination.size() || !(e.coordination[i] == r.coordination[i]))
      o << "  coordination[" << i << "] differs\n";
  if (o.str().empty() && !(e == r)) o << "  (some other field differs)\n";
  return o.str();
}

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  std::mt19937_64 rng;
  int n(int k) { return static_cast<int>(rng() % static_cast<std::uint64_t>(k)); }
  bool p(double x) { return std::uniform_real_distribution<>(0, 1)(rng) < x; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(n(static_cast<int>(v.size())))]; }
  // Dates in 2024-01-01 … 2026-11-28, often on month boundaries.
  std::string date() {
    Jour lo = *jour_of("2024-01-01"), hi = *jour_of(kAujourdhui);
    Jour d = lo + n(hi - lo + 1);
    if (p(0.3)) {
      int m = mois_of(d);
      d = p(0.5) ? premier_jour(m) : premier_jour(m + 1) - 1;
      d = std::min(d, hi);
    }
    return date_of(d);
  }
  template <std::size_t N>
  std::string codes(const act::Code (&list)[N], int max, bool at_least_one) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < N; ++i)
      if (n(static_cast<int>(N)) < max) out.emplace_back(list[i].code);
    if (out.empty() && at_least_one) out.emplace_back(list[n(static_cast<int>(N))].code);
    return act::join_codes(out);
  }
  template <std::size_t N>
  Value code_or_null(const act::Code (&list)[N], double null_p) {
    if (p(null_p)) return nullptr;
    return std::string(list[n(static_cast<int>(N))].code);
  }
};

struct Donnees {
  std::vector<std::int64_t> users, structures, tags, suivis, coordinateurs, lieux;
  std::vector<std::int64_t> activites;  // every activity id ever inserted
};

class StatistiquesTest : public ::testing::TestWithParam<std::string>, protected coop::tests::BaseEphemere {
 protected:
  void SetUp() override {
    ouvrir(GetParam(), "stats");
    if (HasFatalFailure() || IsSkipped()) return;
    std::string s = env("COOP_STATS_SEED");
    seed_ = s.empty() ? std::random_device{}() : std::stoull(s);
  }
  void TearDown() override { fermer(); }

  std::int64_t insert_activite(Session& s, Gen& g, Donnees& d) {
    bool collectif = g.p(0.3);
    std::int64_t med = g.pick(d.users);
    std::string type_lieu = g.pick(std::vector<std::string>{"lieu_activite", "lieu_activite", "domicile", "a_distance", "autre"});
    Value lieu = nullptr, commune = nullptr;
    if (type_lieu == "lieu_activite") lieu = g.pick(d.structures);
    else if (!g.p(0.15)) commune = g.pick(kCommunes);
    std::string them = g.codes(act::thematiques, 3, true);
    std::string dem = them.find("aide_aux_demarches") != std::string::npos ? g.codes(act::demarches, 2, false) : "";
    // anonymous counts of an atelier: each breakdown sums to the total
    std::vector<std::int64_t> anon(20, 0);  // total, 3 genre, 8 age, 5 statut, 3 deja
    if (collectif) {
      anon[0] = g.n(9);
      auto split = [&](int from, int k) {
        for (int i = 0; i < anon[0]; ++i) anon[from + g.n(k)]++;
      };
      split(1, 3), split(4, 8), split(12, 5), split(17, 3);
    }
    Params p{med, std::string(collectif ? "collectif" : "individuel"), g.date(), std::int64_t{1 + g.n(g.p(0.5) ? 60 : 240)},
             type_lieu, lieu, commune, g.codes(act::materiels, 1, false), them, dem};
    if (!collectif) {
      p.push_back(g.code_or_null(act::autonomies, 0.2));
      bool oriente = g.p(0.3);
      p.push_back(std::int64_t{oriente});
      p.push_back(oriente ? g.code_or_null(act::structures_redirection, 0.2) : Value(nullptr));
    } else {
      p.push_back(nullptr), p.push_back(std::int64_t{0}), p.push_back(nullptr);
    }
    for (auto v : anon) p.push_back(v);
    p.push_back(g.p(0.1) ? Value(std::string("2026-11-01T10:00:00Z")) : Value(nullptr));
    std::int64_t id = s.insert(
        "INSERT INTO activites (mediateur_id, type, date, duree, type_lieu, lieu_activite_id, commune_insee, materiel, "
        "thematiques, demarches, autonomie, oriente_vers_structure, structure_de_redirection, anonymes_total, "
        "genre_masculin, genre_feminin, genre_non_communique, age_moins_de_douze, age_douze_dix_huit, "
        "age_dix_huit_vingt_quatre, age_vingt_cinq_trente_neuf, age_quarante_cinquante_neuf, age_soixante_soixante_neuf, "
        "age_soixante_dix_plus, age_non_communique, statut_scolarise, statut_sans_emploi, statut_en_emploi, "
        "statut_retraite, statut_non_communique, deja_accompagne_oui, deja_accompagne_non, deja_accompagne_non_communique, "
        "deleted_at, created_at, updated_at) VALUES (" +
            std::string("?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?") +
            ", '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        p);
    auto lien = [&](std::int64_t b) {
      s.exec("INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id, premier_accompagnement) VALUES (?, ?, ?)",
             {id, b, std::int64_t{g.p(0.4)}});
    };
    if (!collectif) {
      lien(g.p(0.5) ? g.pick(d.suivis) : insert_beneficiaire(s, g, true));
    } else {
      std::set<std::int64_t> ps;
      for (int k = g.n(5); k > 0; --k) ps.insert(g.pick(d.suivis));
      for (auto b : ps) lien(b);
    }
    std::set<std::int64_t> ts;
    for (int k = g.n(3); k > 0; --k) ts.insert(g.pick(d.tags));
    for (auto t : ts) s.exec("INSERT INTO activite_tags (activite_id, tag_id) VALUES (?, ?)", {id, t});
    // An orientation (lieu + 0 to 2 matched services) on some individual CRAs.
    if (!collectif && !d.lieux.empty() && g.p(0.3)) {
      const auto& voc = coop::lieux::vocabulaire_services();
      std::set<std::string> services;
      for (int k = g.n(3); k > 0; --k) services.insert(std::string(voc[static_cast<std::size_t>(g.n(static_cast<int>(voc.size())))]));
      s.exec("UPDATE activites SET orientation_lieu_id = ?, orientation_services = ? WHERE id = ?",
             {g.pick(d.lieux), coop::lieux::joindre({services.begin(), services.end()}), id});
    }
    d.activites.push_back(id);
    return id;
  }

  std::int64_t insert_beneficiaire(Session& s, Gen& g, bool anonyme) {
    return s.insert(
        "INSERT INTO beneficiaires (mediateur_id, anonyme, prenom, nom, genre, tranche_age, statut_social, commune_insee, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        {donnees_.users.front(), std::int64_t{anonyme}, anonyme ? Value(nullptr) : Value(std::string("Camille")),
         anonyme ? Value(nullptr) : Value(std::string("Martin")), g.code_or_null(act::genres, 0.3),
         g.code_or_null(act::tranches_age, 0.3), g.code_or_null(act::statuts_social, 0.3),
         g.p(0.3) ? Value(nullptr) : Value(g.pick(kCommunes))});
  }

  void generer(Gen& g, int n_activites) {
    Donnees& d = donnees_;
    db_->write([&](Session& s) {
      for (int i = 0; i < 10; ++i)
        d.users.push_back(s.insert("INSERT INTO users (email, nom, created_at, updated_at) VALUES (?, 'M', 'x', 'x')",
                                   {fmt::format("u{}@coop.test", i)}));
      d.coordinateurs = {d.users[0], d.users[1]};
      for (int i = 0; i < 7; ++i)
        d.structures.push_back(s.insert(
            "INSERT INTO structures (nom, commune_insee, created_at, updated_at) VALUES ('S', ?, 'x', 'x')", {g.pick(kCommunes)}));
      for (auto u : d.users) {
        if (g.p(0.5))
          s.exec("INSERT INTO user_roles (user_id, role, conseiller_numerique, created_at) VALUES (?, 'mediateur', ?, 'x')",
                 {u, std::int64_t{g.p(0.5)}});
        for (int k = g.n(3); k > 0; --k) insert_employment(s, g, u);
      }
      for (int i = 0; i < 6; ++i)
        d.tags.push_back(s.insert("INSERT INTO tags (nom, portee, owner_id, created_at) VALUES ('t', 'personnel', ?, 'x')",
                                  {g.pick(d.users)}));
      for (int i = 0; i < 30; ++i) d.suivis.push_back(insert_beneficiaire(s, g, false));
      for (int i = 0; i < 4; ++i)
        d.lieux.push_back(s.insert("INSERT INTO lieux (cle_source, ident, nom, cree_le, modifie_le) VALUES ('t', ?, 'L', 'x', 'x')",
                                   {fmt::format("l{}", i)}));
      for (int i = 0; i < n_activites; ++i) insert_activite(s, g, d);
      for (int i = 0; i < 25; ++i) insert_coordination(s, g);
    });
  }
  void insert_employment(Session& s, Gen& g, std::int64_t u) {
    std::string a = g.date(), b = g.date();
    if (b < a) std::swap(a, b);
    s.exec("INSERT INTO employments (user_id, structure_id, debut, fin, created_at) VALUES (?, ?, ?, ?, 'x')",
           {u, g.pick(donnees_.structures), a, g.p(0.4) ? Value(nullptr) : Value(b)});
  }
  std::int64_t insert_coordination(Session& s, Gen& g) {
    return s.insert(
        "INSERT INTO coordination_activites (coordinateur_id, type, date, duree, titre, participants, created_at, updated_at, "
        "deleted_at) VALUES (?, ?, ?, ?, 'r', ?, 'x', 'x', ?)",
        {g.pick(donnees_.users), g.pick(std::vector<std::string>{"animation", "evenement", "partenariat"}), g.date(),
         std::int64_t{1 + g.n(200)}, std::int64_t{g.n(30)}, g.p(0.1) ? Value(std::string("x")) : Value(nullptr)});
  }

  Filtres filtres(Gen& g) {
    Filtres f;
    if (g.p(0.8)) f.du = g.date();
    if (g.p(0.8)) f.au = g.date();
    if (f.du && f.au && *f.au < *f.du && g.p(0.8)) std::swap(*f.du, *f.au);
    auto some = [&](auto& out, const auto& from, double prob) {
      if (!g.p(prob)) return;
      for (int k = 1 + g.n(3); k > 0; --k) out.push_back(g.pick(from));
    };
    some(f.types, std::vector<std::string>{"individuel", "collectif"}, 0.2);
    some(f.mediateurs, donnees_.users, 0.2);
    some(f.beneficiaires, donnees_.suivis, 0.1);
    some(f.lieux, donnees_.structures, 0.15);
    some(f.communes, kCommunes, 0.15);
    some(f.departements, std::vector<std::string>{"69", "75", "2A", "974", "33", "01"}, 0.15);
    some(f.regions, std::vector<std::string>{"84", "11", "94", "04", "75"}, 0.1);
    std::vector<std::string> them;
    for (auto& c : act::thematiques) them.emplace_back(c.code);
    some(f.thematiques, them, 0.2);
    some(f.tags, donnees_.tags, 0.15);
    if (g.p(0.2)) f.conseiller_numerique = g.p(0.5) ? Conseiller::oui : Conseiller::non;
    some(f.structures_employeuses, donnees_.structures, 0.15);
    return f;
  }
  Perimetre perimetre(Gen& g) {
    Perimetre p;
    switch (g.n(6)) {
      case 0: break;
      case 1:
        p.kind = Perimetre::Kind::mediateurs;
        for (int k = 1 + g.n(4); k > 0; --k) {
          MediateurPeriode m{g.pick(donnees_.users), std::nullopt, std::nullopt};
          if (g.p(0.4)) m.depuis = g.date();
          if (g.p(0.4)) m.jusqua = g.date();
          p.mediateurs.push_back(m);
        }
        p.coordinateurs = {g.pick(donnees_.coordinateurs)};
        break;
      case 2: p.kind = Perimetre::Kind::structure, p.structure_id = g.pick(donnees_.structures); break;
      case 3: p.kind = Perimetre::Kind::departements, p.codes = {g.p(0.5) ? "69" : "75", "974"}; break;
      case 4: p.kind = Perimetre::Kind::regions, p.codes = {g.p(0.5) ? "84" : "93"}; break;
      case 5:  // a local network: 0 to 3 member structures (features/reseaux)
        p.kind = Perimetre::Kind::reseau;
        for (int k = g.n(4); k > 0; --k) p.structures.push_back(g.pick(donnees_.structures));
        if (g.p(0.5)) p.coordinateurs = {g.pick(donnees_.coordinateurs)};
        break;
    }
    return p;
  }

  // Compares two engines on `n` random queries (filters and scope).
  void memes_chiffres(Engine& a, Engine& b, Gen& g, int n, const char* quoi) {
    for (int i = 0; i < n && !HasFailure(); ++i) {
      Filtres f = filtres(g);
      Perimetre p = perimetre(g);
      std::string d = diff(a.calculer(f, p, kAujourdhui), b.calculer(f, p, kAujourdhui));
      EXPECT_TRUE(d.empty()) << quoi << " (COOP_STATS_SEED=" << seed_ << ")\n" << d;
    }
  }

  // Compares engine and SQL on `rounds` random queries; returns the number of non-empty results.
  int comparer(Engine& e, Gen& g, int rounds, const char* phase) {
    int non_vides = 0;
    for (int i = 0; i < rounds; ++i) {
      Filtres f = i == 0 ? Filtres{} : filtres(g);
      Perimetre p = i == 0 ? Perimetre::national() : perimetre(g);
      Tableau te = e.calculer(f, p, kAujourdhui);
      Tableau ts = db_->read_value([&](Session& s) { return calculer_sql(s, f, p, kRegions, kAujourdhui); });
      std::string d = diff(te, ts);
      EXPECT_TRUE(d.empty()) << phase << " query " << i << " (COOP_STATS_SEED=" << seed_ << ")\n" << d;
      if (!d.empty()) return non_vides;
      if (te.activites > 0) ++non_vides;
    }
    return non_vides;
  }

  // Writes of modifier(): serialised by a mutex when several threads run it (PostgreSQL would
  // otherwise detect deadlocks between two random transactions); the engine calls are not.
  void ecrire(const std::function<void(Session&)>& fn) {
    std::lock_guard l(ecritures_);
    db_->write(fn);
  }
  std::int64_t ecrire_valeur(const std::function<std::int64_t(Session&)>& fn) {
    std::lock_guard l(ecritures_);
    return db_->write_value(fn);
  }

  void modifier(Engine& e, Gen& g) { modifier(e, g, donnees_, 60); }
  void modifier(Engine& e, Gen& g, Donnees& d, int n) {
    for (int i = 0; i < n; ++i) {
      int what = g.n(11);
      std::int64_t a = g.pick(d.activites);
      switch (what) {
        case 0: {  // new activity
          std::int64_t id = ecrire_valeur([&](Session& s) { return insert_activite(s, g, d); });
          e.appliquer(id);
          break;
        }
        case 1:  // soft delete / restore
          ecrire([&](Session& s) {
            s.exec("UPDATE activites SET deleted_at = CASE WHEN deleted_at IS NULL THEN 'x' ELSE NULL END WHERE id = ?", {a});
          });
          e.appliquer(a);
          break;
        case 2:  // hard delete
          ecrire([&](Session& s) { s.exec("DELETE FROM activites WHERE id = ?", {a}); });
          e.appliquer(a);
          break;
        case 3:  // moved to another month, other duration and place
          ecrire([&](Session& s) {
            s.exec("UPDATE activites SET date = ?, duree = ?, type_lieu = 'autre', lieu_activite_id = NULL, commune_insee = ? "
                   "WHERE id = ?",
                   {g.date(), std::int64_t{1 + g.n(300)}, g.pick(kCommunes), a});
          });
          e.appliquer(a);
          break;
        case 4:  // participants, tags and premier flags of an atelier or individual changed
          ecrire([&](Session& s) {
            auto t = s.query("SELECT type FROM activites WHERE id = ?", {a});
            if (t.empty()) return;
            if (coop::storage::as_text(t.rows[0][0]) == "collectif") {
              s.exec("DELETE FROM activite_beneficiaires WHERE activite_id = ?", {a});
              for (int k = g.n(4); k > 0; --k)
                s.exec("INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id, premier_accompagnement) "
                       "VALUES (?, ?, 1) ON CONFLICT DO NOTHING",
                       {a, g.pick(d.suivis)});
              s.exec("UPDATE activites SET anonymes_total = 0, genre_masculin = 0, genre_feminin = 0, "
                     "genre_non_communique = 0, age_moins_de_douze = 0, age_douze_dix_huit = 0, "
                     "age_dix_huit_vingt_quatre = 0, age_vingt_cinq_trente_neuf = 0, age_quarante_cinquante_neuf = 0, "
                     "age_soixante_soixante_neuf = 0, age_soixante_dix_plus = 0, age_non_communique = 0, "
                     "statut_scolarise = 0, statut_sans_emploi = 0, statut_en_emploi = 0, statut_retraite = 0, "
                     "statut_non_communique = 0, deja_accompagne_non = 0 WHERE id = ?",
                     {a});
            } else {
              s.exec("UPDATE activite_beneficiaires SET premier_accompagnement = 1 - premier_accompagnement "
                     "WHERE activite_id = ?",
                     {a});
            }
            s.exec("DELETE FROM activite_tags WHERE activite_id = ?", {a});
            s.exec("INSERT INTO activite_tags (activite_id, tag_id) VALUES (?, ?)", {a, g.pick(d.tags)});
          });
          e.appliquer(a);
          break;
        case 5: {  // beneficiary attributes changed
          std::int64_t b = g.pick(d.suivis);
          ecrire([&](Session& s) {
            s.exec("UPDATE beneficiaires SET genre = ?, tranche_age = ?, commune_insee = ?, anonyme = ? WHERE id = ?",
                   {g.code_or_null(act::genres, 0.3), g.code_or_null(act::tranches_age, 0.3), g.pick(kCommunes),
                    std::int64_t{g.p(0.2)}, b});
          });
          e.appliquer_beneficiaire(b);
          break;
        }
        case 6: {  // merge: links of the source move to the target
          std::int64_t src = g.pick(d.suivis), dst = g.pick(d.suivis);
          if (src == dst) break;
          ecrire([&](Session& s) {
            s.exec("DELETE FROM activite_beneficiaires WHERE beneficiaire_id = ? AND activite_id IN "
                   "(SELECT activite_id FROM activite_beneficiaires WHERE beneficiaire_id = ?)",
                   {src, dst});
            s.exec("UPDATE activite_beneficiaires SET beneficiaire_id = ? WHERE beneficiaire_id = ?", {dst, src});
            s.exec("UPDATE beneficiaires SET deleted_at = 'x', merged_into_id = ? WHERE id = ?", {dst, src});
          });
          e.appliquer_beneficiaire(src);
          break;
        }
        case 7: {  // employment / conseiller changes
          std::int64_t u = g.pick(d.users);
          ecrire([&](Session& s) {
            if (g.p(0.5)) insert_employment(s, g, u);
            else s.exec("DELETE FROM employments WHERE user_id = ?", {u});
            s.exec("UPDATE user_roles SET conseiller_numerique = 1 - conseiller_numerique WHERE user_id = ?", {u});
          });
          e.appliquer_mediateur(u);
          break;
        }
        case 8: {  // a lieu's commune changed
          std::int64_t st = g.pick(d.structures);
          ecrire([&](Session& s) { s.exec("UPDATE structures SET commune_insee = ? WHERE id = ?", {g.pick(kCommunes), st}); });
          e.appliquer_structure(st);
          break;
        }
        case 9: {  // coordination activity created or deleted
          std::int64_t c = ecrire_valeur([&](Session& s) { return insert_coordination(s, g); });
          e.appliquer_coordination(c);
          std::int64_t old = 1 + g.n(static_cast<int>(c));
          ecrire([&](Session& s) { s.exec("UPDATE coordination_activites SET deleted_at = 'x' WHERE id = ?", {old}); });
          e.appliquer_coordination(old);
          break;
        }
        case 10: {  // type changed individuel ↔ collectif with its links
          ecrire([&](Session& s) {
            s.exec("UPDATE activites SET type = CASE WHEN type = 'individuel' THEN 'collectif' ELSE 'individuel' END, "
                   "autonomie = NULL, oriente_vers_structure = 0, structure_de_redirection = NULL WHERE id = ?",
                   {a});
            if (s.query("SELECT id FROM activites WHERE id = ?", {a}).empty()) return;
            s.exec("DELETE FROM activite_beneficiaires WHERE activite_id = ?", {a});
            s.exec("INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id, premier_accompagnement) VALUES (?, ?, 0)",
                   {a, g.pick(d.suivis)});
          });
          e.appliquer(a);
          break;
        }
      }
    }
  }

  std::uint64_t seed_ = 0;
  Donnees donnees_;
  std::mutex ecritures_;
};

}  // namespace

TEST_P(StatistiquesTest, EngineEqualsSqlOnEveryFigureBeforeAndAfterUpdates) {
  SCOPED_TRACE(fmt::format("COOP_STATS_SEED={}", seed_));
  Gen g(seed_);
  generer(g, 600);
  Engine e(*db_, kRegions);
  e.construire();
  auto st = e.stats();
  EXPECT_GT(st.activites, 400);
  int non_vides = comparer(e, g, 120, "after build");
  EXPECT_GT(non_vides, 30) << "the random queries should not all be empty";
  {
    // The orientations breakdowns are compared on real data, not on empty ones.
    auto national = e.calculer({}, Perimetre::national(), kAujourdhui);
    EXPECT_FALSE(national.orientations_lieux.lignes.empty());
    EXPECT_FALSE(national.orientations_services.lignes.empty());
  }
  if (HasFailure()) return;
  for (int round = 0; round < 3 && !HasFailure(); ++round) {
    modifier(e, g);
    comparer(e, g, 40, "after updates");
  }
  // A fresh build from the database gives the same figures as the updated engine.
  Engine fresh(*db_, kRegions);
  fresh.construire();
  memes_chiffres(e, fresh, g, 20, "updated vs rebuilt");
}

// The multi-threaded scan (forced on small data: 3 threads, a piece as small as one slot) gives
// exactly the SQL figures too: a beneficiary seen by two threads counts once (union of the
// threads' bitsets), partial counts add up, before and after updates.
TEST_P(StatistiquesTest, MultiThreadedScanEqualsSql) {
  SCOPED_TRACE(fmt::format("COOP_STATS_SEED={}", seed_));
  Gen g(seed_ + 7);
  generer(g, 600);
  Engine e(*db_, kRegions, EngineOptions{.threads = 3, .activites_par_thread = 1});
  e.construire();
  EXPECT_EQ(e.stats().threads, 3);
  int non_vides = comparer(e, g, 120, "3 threads, after build");
  EXPECT_GT(non_vides, 30) << "the random queries should not all be empty";
  if (HasFailure()) return;
  modifier(e, g);
  comparer(e, g, 40, "3 threads, after updates");
  // and the same figures as one thread
  Engine seul(*db_, kRegions, EngineOptions{.threads = 1});
  seul.construire();
  memes_chiffres(e, seul, g, 20, "3 threads vs 1");
}

// construire() on an engine already in use (a rebuild: another instance's "rebuild everything",
// a purge) gets new dictionaries that may index the same communes in another order: the sort
// orders derived from the old ones must not be reused (the breakdowns come out sorted by key).
TEST_P(StatistiquesTest, RebuildOfAnEngineInUseKeepsBreakdownsSorted) {
  SCOPED_TRACE(fmt::format("COOP_STATS_SEED={}", seed_));
  Gen g(seed_);
  generer(g, 0);
  std::int64_t a1 = db_->write_value([&](Session& s) { return insert_activite(s, g, donnees_); });
  db_->write([&](Session& s) { insert_activite(s, g, donnees_); });
  // Two activities away from any lieu, two communes, no beneficiary's commune: the dictionary
  // holds just these two, in the order the build reads the activities.
  auto communes = [&](const char* c1, const char* c2) {
    db_->write([&](Session& s) {
      s.exec("UPDATE beneficiaires SET commune_insee = NULL");
      s.exec("UPDATE activites SET type_lieu = 'domicile', lieu_activite_id = NULL, deleted_at = NULL, "
             "date = '2026-06-01', commune_insee = CASE WHEN id = ? THEN ? ELSE ? END",
             {a1, std::string(c1), std::string(c2)});
    });
  };
  auto cles = [&](const Engine& e) {
    std::vector<std::string> v;
    for (auto& l : e.calculer({}, Perimetre::national(), kAujourdhui).communes.lignes) v.push_back(l.cle);
    return v;
  };
  const std::vector<std::string> attendu{"69123", "75056"};
  communes("69123", "75056");
  Engine e(*db_, kRegions);
  e.construire();
  EXPECT_EQ(cles(e), attendu);
  communes("75056", "69123");
  e.construire();
  EXPECT_EQ(cles(e), attendu);
  Tableau ts = db_->read_value([&](Session& s) { return calculer_sql(s, {}, Perimetre::national(), kRegions, kAujourdhui); });
  EXPECT_EQ(diff(e.calculer({}, Perimetre::national(), kAujourdhui), ts), "");
}

TEST_P(StatistiquesTest, ConcurrentReadersWhileWriting) {
  SCOPED_TRACE(fmt::format("COOP_STATS_SEED={}", seed_));
  Gen g(seed_);
  generer(g, 200);
  Engine e(*db_, kRegions);
  e.construire();
  std::atomic<bool> stop{false};
  std::atomic<int> queries{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!stop) {
        Tableau tb = e.calculer({}, Perimetre::national(), kAujourdhui);
        int total = 0;
        for (auto& l : tb.types.lignes) total += l.pourcentage;
        if (tb.accompagnements > 0) {
          EXPECT_EQ(total, 100);
        }
        ++queries;
      }
    });
  Gen w(seed_ + 1);
  modifier(e, w);
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(queries.load(), 0);
  Tableau te = e.calculer({}, Perimetre::national(), kAujourdhui);
  Tableau ts = db_->read_value([&](Session& s) { return calculer_sql(s, {}, Perimetre::national(), kRegions, kAujourdhui); });
  EXPECT_EQ(diff(te, ts), "");
}

// Writers on several threads, all editing the same few activities: each commits, then calls the
// engine, whose reads overlap and whose patches are ordered by tickets. The result must be the
// state of the database (a rebuilt engine and the SQL reference), never a stale read applied last.
TEST_P(StatistiquesTest, ConcurrentWritersEndInTheDatabaseState) {
  SCOPED_TRACE(fmt::format("COOP_STATS_SEED={}", seed_));
  Gen g(seed_);
  generer(g, 150);
  Engine e(*db_, kRegions);
  e.construire();
  // A random pause between each write's read and its patch lets the writers overtake each other.
  std::atomic<std::uint64_t> pauses{seed_};
  e.apres_lecture_pour_tests([&] {
    std::this_thread::sleep_for(std::chrono::microseconds((pauses.fetch_add(0x9E3779B97F4A7C15ull) >> 40) % 3000));
  });
  // Several rounds: a stale read applied last shows at the end of a round, when nobody re-reads.
  std::vector<Donnees> donnees(6, donnees_);  // each thread's own ids; 3 activities shared by all
  for (auto& d : donnees) d.activites.assign(donnees_.activites.begin(), donnees_.activites.begin() + 3);
  for (int round = 0; round < 8 && !HasFailure(); ++round) {
    std::vector<std::thread> writers;
    for (int t = 0; t < 6; ++t)
      writers.emplace_back([&, t] {
        Gen w(seed_ + 100 * static_cast<std::uint64_t>(round + 1) + static_cast<std::uint64_t>(t));
        modifier(e, w, donnees[t], 10);
      });
    for (auto& t : writers) t.join();
    Engine fresh(*db_, kRegions);
    fresh.construire();
    EXPECT_EQ(e.stats().activites, fresh.stats().activites) << "round " << round;
    int requetes = round == 7 ? 40 : 6;
    for (int i = 0; i < requetes && !HasFailure(); ++i) {
      Filtres f = i == 0 ? Filtres{} : filtres(g);
      Perimetre p = i == 0 ? Perimetre::national() : perimetre(g);
      Tableau te = e.calculer(f, p, kAujourdhui);
      std::string d = diff(te, fresh.calculer(f, p, kAujourdhui));
      EXPECT_TRUE(d.empty()) << "round " << round << ", concurrent updates vs rebuilt, query " << i << "\n" << d;
      Tableau ts = db_->read_value([&](Session& s) { return calculer_sql(s, f, p, kRegions, kAujourdhui); });
      d = diff(te, ts);
      EXPECT_TRUE(d.empty()) << "round " << round << ", concurrent updates vs SQL, query " << i << "\n" << d;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, StatistiquesTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
