// Statistics engine vs plain SQL on an existing database (e.g. one filled by
// `coop demo --activites 1000000`): build time, bytes per activity, then for the national scope
// (last 12 months), one département, one team (former members up to the day they left) and one
// mediator, each without and with two extra filters (type individuel + the most used thématique),
// p50/p95 of the full Tableau from the engine and from the SQL reference, and a check that both
// give the same Tableau.
//
//   build-x/coop_bench_stats sqlite:/tmp/x.db [engine repetitions=50] [sql repetitions=3, 0: engine only]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/statistiques/engine.hpp"
#include "features/statistiques/reference.hpp"
#include "storage/database.hpp"

using namespace coop::statistiques;
using coop::storage::as_int;
using coop::storage::as_opt_text;
using coop::storage::as_text;
using coop::storage::Session;

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
std::pair<double, double> p50_p95(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
  return {at(0.5), at(0.95)};
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} DATABASE_URL [engine_reps=50] [sql_reps=3]\n", argv[0]);
    return 2;
  }
  int reps = argc > 2 ? std::atoi(argv[2]) : 50, sql_reps = argc > 3 ? std::atoi(argv[3]) : 3;
  auto db = coop::storage::open_database(argv[1]);
  // Régions: the demo data uses real communes; départements map to régions through the data
  // itself is not stored, so régions are not benchmarked here (départements are).
  Engine engine(*db);
  engine.construire();
  auto st = engine.stats();
  fmt::print("engine: {} activities, {:.1f} bytes/activity ({:.1f} MB), built in {:.0f} ms, {} month partitions\n",
             st.activites, st.octets_par_activite, static_cast<double>(st.octets) / 1e6, st.construction_ms, st.partitions);

  const std::string today = coop::core::today();
  const std::string du = coop::core::date_plus_days(today, -364);
  // scenario parameters from the data
  std::string dep, them;
  std::int64_t mediateur = 0, coordinateur = 0;
  Perimetre equipe;
  equipe.kind = Perimetre::Kind::mediateurs;
  {
    Filtres f;
    f.du = du, f.au = today;
    Tableau t = engine.calculer(f, Perimetre::national(), today);
    std::int64_t best = -1;
    for (auto& l : t.communes.lignes)
      if (!l.cle.empty() && l.valeur > best) best = l.valeur, dep = departement_of(l.cle);
    best = -1;
    for (auto& l : t.thematiques.lignes)
      if (l.valeur > best) best = l.valeur, them = l.cle;
  }
  db->read([&](Session& s) {
    auto m = s.query("SELECT mediateur_id FROM activites GROUP BY mediateur_id ORDER BY COUNT(*) DESC LIMIT 1");
    if (!m.empty()) mediateur = as_int(m.rows[0][0]);
    auto c = s.query("SELECT coordinateur_id FROM team_members GROUP BY coordinateur_id ORDER BY COUNT(*) DESC LIMIT 1");
    if (!c.empty()) coordinateur = as_int(c.rows[0][0]);
    for (auto& r : s.query("SELECT mediateur_id, debut, fin FROM team_members WHERE coordinateur_id = ?", {coordinateur}).rows)
      equipe.mediateurs.push_back({as_int(r[0]), as_text(r[1]), as_opt_text(r[2])});
    equipe.coordinateurs = {coordinateur};
  });
  Perimetre departement;
  departement.kind = Perimetre::Kind::departements;
  departement.codes = {dep};
  Perimetre moi;
  moi.kind = Perimetre::Kind::mediateurs;
  moi.mediateurs = {{mediateur, std::nullopt, std::nullopt}};

  struct Cas {
    std::string nom;
    Perimetre p;
  };
  std::vector<Cas> cas = {{"national", Perimetre::national()},
                          {"département " + dep, departement},
                          {fmt::format("équipe {} ({} adhésions)", coordinateur, equipe.mediateurs.size()), equipe},
                          {fmt::format("médiateur {}", mediateur), moi}};
  fmt::print("\n{:<34} {:>9} {:>12} {:>12} {:>12} {:>12} {:>8}  {}\n", "scenario (last 12 months)", "activités",
             "engine p50", "engine p95", "SQL p50", "SQL p95", "ratio", "same");
  int mismatches = 0;
  for (auto& c : cas)
    for (bool extra : {false, true}) {
      Filtres f;
      f.du = du, f.au = today;
      if (extra) f.types = {"individuel"}, f.thematiques = {them};
      std::vector<double> e, q;
      Tableau te;
      for (int i = 0; i < reps; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        te = engine.calculer(f, c.p, today);
        e.push_back(ms_since(t0));
      }
      Tableau ts;
      for (int i = 0; i < sql_reps; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        ts = db->read_value([&](Session& s) { return calculer_sql(s, f, c.p, {}, today); });
        q.push_back(ms_since(t0));
      }
      bool same = sql_reps == 0 || te == ts;
      mismatches += same ? 0 : 1;
      auto [e50, e95] = p50_p95(e);
      auto [q50, q95] = sql_reps ? p50_p95(q) : std::pair<double, double>{0, 0};
      fmt::print("{:<34} {:>9} {:>10.2f}ms {:>10.2f}ms {:>10.0f}ms {:>10.0f}ms {:>7.0f}x  {}\n",
                 c.nom + (extra ? " +2 filtres" : ""), te.activites, e50, e95, q50, q95, q50 / std::max(e50, 1e-6),
                 same ? "yes" : "NO");
    }
  fmt::print("\n(engine: in-process Engine::calculer, full Tableau; SQL: calculer_sql on the same database)\n");
  return mismatches ? 1 : 0;
}
