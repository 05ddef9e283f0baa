#include "app/bench_statistiques.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

#include "core/time.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/statistiques/api.hpp"
#include "features/statistiques/engine.hpp"
#include "features/statistiques/reference.hpp"

namespace coop::app {

namespace json = boost::json;
using namespace coop::statistiques;
using Clock = std::chrono::steady_clock;

namespace {

struct Scenario {
  std::string nom;      // French, for the table
  std::string email;    // the account the HTTP side asks as
  std::string requete;  // the HTTP query string
  Filtres filtres;
  Perimetre perimetre;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::string top_cle(const Repartition& r) {
  const Ligne* best = nullptr;
  for (auto& l : r.lignes)
    if (!l.cle.empty() && (!best || l.valeur > best->valeur)) best = &l;
  return best ? best->cle : std::string();
}

}  // namespace

int bench_statistiques(storage::Database& db, const referentiel::Territoires& territoires,
                       const BenchStatistiquesOptions& o) {
  const std::string today = o.today.empty() ? core::today() : o.today;
  Regions regions;
  for (auto& d : territoires.departements()) regions.emplace(d.code, d.region);

  Engine engine(db, regions);
  engine.construire();
  auto st = engine.stats();
  fmt::print("{}\n", json::serialize(json::object{{"kind", "engine"},
                                                  {"activites", st.activites},
                                                  {"octets", st.octets},
                                                  {"octets_par_activite", st.octets_par_activite},
                                                  {"construction_ms", st.construction_ms},
                                                  {"threads", st.threads}}));
  std::fflush(stdout);

  // The last 12 months, today included.
  const Jour j_today = *jour_of(today);
  const std::string du = date_of(j_today - 364);
  Filtres periode;
  periode.du = du;
  periode.au = today;
  const std::string q_periode = "du=" + du + "&au=" + today;

  // National first: its breakdowns choose the other scenarios' département and filter values.
  Tableau national = engine.calculer(periode, Perimetre::national(), today);
  const std::string thematique = top_cle(national.thematiques);
  std::map<std::string, std::int64_t> par_departement;
  for (auto& l : national.communes.lignes)
    if (!l.cle.empty()) par_departement[departement_of(l.cle)] += l.activites;
  std::string departement;
  std::int64_t best = -1;
  for (auto& [d, n] : par_departement)
    if (n > best) best = n, departement = d;

  std::string coord_email, med_email;
  std::int64_t coord_id = 0, med_id = 0;
  std::vector<MediateurPeriode> equipe;
  db.read([&](storage::Session& s) {
    auto c = s.query(
        "SELECT t.coordinateur_id, u.email FROM team_members t JOIN users u ON u.id = t.coordinateur_id "
        "GROUP BY t.coordinateur_id, u.email ORDER BY COUNT(*) DESC, t.coordinateur_id LIMIT 1");
    if (!c.empty()) {
      coord_id = storage::as_int(c.rows[0][0]);
      coord_email = storage::as_text(c.rows[0][1]);
      equipe = membres_equipe(s, coord_id);  // as the HTTP API resolves the `equipe` scope
    }
    auto m = s.query(
        "SELECT a.mediateur_id, u.email FROM activites a JOIN users u ON u.id = a.mediateur_id "
        "WHERE a.deleted_at IS NULL AND a.date >= ? AND a.date <= ? GROUP BY a.mediateur_id, u.email "
        "ORDER BY COUNT(*) DESC, a.mediateur_id LIMIT 1",
        {du, today});
    if (!m.empty()) {
      med_id = storage::as_int(m.rows[0][0]);
      med_email = storage::as_text(m.rows[0][1]);
    }
  });

  std::vector<Scenario> scenarios;
  auto add = [&](std::string nom, std::string email, std::string perimetre_code, Perimetre p) {
    Scenario sc{nom, email, "perimetre=" + perimetre_code + "&" + q_periode, periode, p};
    scenarios.push_back(sc);
    // The same with two extra filters: individual CRAs only, and the most frequent thématique.
    sc.nom = nom + " + 2 filtres";
    sc.filtres.types = {"individuel"};
    sc.requete += "&types=individuel";
    if (!thematique.empty()) {
      sc.filtres.thematiques = {thematique};
      sc.requete += "&thematiques=" + thematique;
    }
    scenarios.push_back(std::move(sc));
  };
  add("National, 12 mois", "admin@coop.example", "national", Perimetre::national());
  if (!departement.empty()) {
    Perimetre p;
    p.kind = Perimetre::Kind::departements;
    p.codes = {departement};
    add("Département " + departement, "admin@coop.example", "departement:" + departement, p);
  }
  if (coord_id) {
    Perimetre p;
    p.kind = Perimetre::Kind::mediateurs;
    p.mediateurs = equipe;
    p.coordinateurs = {coord_id};
    add(fmt::format("Équipe ({} membres)", equipe.size()), coord_email, "equipe", p);
  }
  if (med_id) {
    Perimetre p;
    p.kind = Perimetre::Kind::mediateurs;
    p.mediateurs = {{med_id, std::nullopt, std::nullopt}};
    add("Un médiateur", med_email, "moi", p);
  }

  int status = 0;
  for (auto& sc : scenarios) {
    Tableau mine = engine.calculer(sc.filtres, sc.perimetre, today);
    std::vector<double> sql_ms, engine_ms;
    Tableau sql;
    for (int i = 0; i <= o.repetitions; ++i) {
      auto start = Clock::now();
      if (!o.sans_sql) {
        db.read([&](storage::Session& s) { sql = calculer_sql(s, sc.filtres, sc.perimetre, regions, today); });
        if (i > 0) sql_ms.push_back(ms_since(start));  // run 0 warms the caches
      }
      start = Clock::now();
      mine = engine.calculer(sc.filtres, sc.perimetre, today);
      if (i > 0) engine_ms.push_back(ms_since(start));
    }
    bool same = o.sans_sql || mine == sql;
    if (!same) status = 1;
    fmt::print("{}\n", json::serialize(json::object{{"kind", "scenario"},
                                                    {"nom", sc.nom},
                                                    {"email", sc.email},
                                                    {"requete", sc.requete},
                                                    {"activites", mine.activites},
                                                    {"identiques", o.sans_sql ? json::value(nullptr) : json::value(same)},
                                                    {"sql_p50_ms", percentile(sql_ms, 0.5)},
                                                    {"sql_p95_ms", percentile(sql_ms, 0.95)},
                                                    {"moteur_p50_ms", percentile(engine_ms, 0.5)},
                                                    {"moteur_p95_ms", percentile(engine_ms, 0.95)}}));
    std::fflush(stdout);
  }
  return status;
}

}  // namespace coop::app
