#include "features/statistiques/reference.hpp"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "features/activites/model.hpp"
#include "features/lieux/model.hpp"

namespace coop::statistiques {

namespace act = coop::activites;
using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {

using Cumul = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

constexpr const char* kDep =
    "(CASE WHEN substr(b.commune, 1, 2) IN ('97', '98') THEN substr(b.commune, 1, 3) ELSE substr(b.commune, 1, 2) END)";

std::string marks(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}
template <class T>
std::string in_list(const std::string& expr, const std::vector<T>& values, Params& params) {
  if (values.empty()) return "1 = 0";
  for (auto& v : values) params.emplace_back(v);
  return expr + " IN (" + marks(values.size()) + ")";
}

std::vector<std::string> deps_of_regions(const std::vector<std::string>& regions, const Regions& map) {
  std::vector<std::string> out;
  for (auto& [dep, reg] : map)
    if (std::find(regions.begin(), regions.end(), reg) != regions.end()) out.push_back(dep);
  return out;
}

void check_date(const std::optional<std::string>& d) {
  if (d && !jour_of(*d)) throw std::invalid_argument(fmt::format("date invalide: {}", *d));
}

// The filtered activities as a CTE named f (with its weight `poids` = accompagnements).
// periode: the filters' du/au; otherwise [evol_du, evol_au].
std::string cte(const Filtres& f, const Perimetre& p, const Regions& regions, bool periode, const std::string& evol_du,
                const std::string& evol_au, Params& params) {
  std::vector<std::string> c;
  if (periode) {
    if (f.du) c.push_back("b.date >= ?"), params.emplace_back(*f.du);
    if (f.au) c.push_back("b.date <= ?"), params.emplace_back(*f.au);
  } else {
    c.push_back("b.date >= ?"), params.emplace_back(evol_du);
    c.push_back("b.date <= ?"), params.emplace_back(evol_au);
  }
  if (!f.types.empty()) c.push_back(in_list("b.type", f.types, params));
  if (!f.mediateurs.empty()) c.push_back(in_list("b.mediateur_id", f.mediateurs, params));
  if (!f.beneficiaires.empty())
    c.push_back("EXISTS (SELECT 1 FROM activite_beneficiaires x WHERE x.activite_id = b.id AND " +
                in_list("x.beneficiaire_id", f.beneficiaires, params) + ")");
  if (!f.lieux.empty()) c.push_back(in_list("b.lieu_activite_id", f.lieux, params));
  if (!f.communes.empty()) c.push_back(in_list("b.commune", f.communes, params));
  if (!f.departements.empty()) c.push_back(in_list(kDep, f.departements, params));
  if (!f.regions.empty()) c.push_back(in_list(kDep, deps_of_regions(f.regions, regions), params));
  if (!f.thematiques.empty()) {
    std::string any;
    for (auto& t : f.thematiques) {
      any += any.empty() ? "(" : " OR ";
      any += "',' || b.thematiques || ',' LIKE ? ESCAPE '\\'";
      params.emplace_back(storage::like_contains("," + t + ","));
    }
    c.push_back(any + ")");
  }
  if (!f.tags.empty())
    c.push_back("EXISTS (SELECT 1 FROM activite_tags x WHERE x.activite_id = b.id AND " + in_list("x.tag_id", f.tags, params) +
                ")");
  if (f.conseiller_numerique != Conseiller::indifferent)
    c.push_back(std::string(f.conseiller_numerique == Conseiller::oui ? "" : "NOT ") +
                "EXISTS (SELECT 1 FROM user_roles x WHERE x.user_id = b.mediateur_id AND x.conseiller_numerique = 1)");
  if (!f.structures_employeuses.empty()) c.push_back(in_list("b.employeur", f.structures_employeuses, params));
  switch (p.kind) {
    case Perimetre::Kind::national: break;
    case Perimetre::Kind::mediateurs: {
      std::string any;
      for (auto& m : p.mediateurs) {
        any += any.empty() ? "(" : " OR ";
        any += "(b.mediateur_id = ?";
        params.emplace_back(m.mediateur_id);
        if (m.depuis) any += " AND b.date >= ?", params.emplace_back(*m.depuis);
        if (m.jusqua) any += " AND b.date < ?", params.emplace_back(*m.jusqua);
        any += ")";
      }
      c.push_back(any.empty() ? "1 = 0" : any + ")");
      break;
    }
    case Perimetre::Kind::structure:
      c.push_back("b.employeur = ?");
      params.emplace_back(p.structure_id);
      break;
    case Perimetre::Kind::reseau: c.push_back(in_list("b.employeur", p.structures, params)); break;
    case Perimetre::Kind::departements: c.push_back(in_list(kDep, p.codes, params)); break;
    case Perimetre::Kind::regions: c.push_back(in_list(kDep, deps_of_regions(p.codes, regions), params)); break;
  }
  std::string where;
  for (auto& x : c) where += " AND " + x;
  return "WITH b AS (SELECT a.id, a.mediateur_id, a.type, a.date, a.duree, a.type_lieu, a.lieu_activite_id, a.materiel, "
         "a.thematiques, a.demarches, a.autonomie, a.oriente_vers_structure, a.structure_de_redirection, a.anonymes_total, "
         "a.genre_masculin, a.genre_feminin, a.genre_non_communique, a.age_moins_de_douze, a.age_douze_dix_huit, "
         "a.age_dix_huit_vingt_quatre, a.age_vingt_cinq_trente_neuf, a.age_quarante_cinquante_neuf, "
         "a.age_soixante_soixante_neuf, a.age_soixante_dix_plus, a.age_non_communique, a.statut_scolarise, "
         "a.statut_sans_emploi, a.statut_en_emploi, a.statut_retraite, a.statut_non_communique, a.deja_accompagne_non, "
         "a.orientation_lieu_id, a.orientation_services, "
         "COALESCE(ls.commune_insee, a.commune_insee) AS commune, "
         "(SELECT e.structure_id FROM employments e WHERE e.user_id = a.mediateur_id AND e.statut = 'confirme' AND e.debut <= a.date "
         "AND (e.fin IS NULL OR e.fin >= a.date) ORDER BY e.debut DESC, e.id DESC LIMIT 1) AS employeur "
         "FROM activites a LEFT JOIN structures ls ON ls.id = a.lieu_activite_id WHERE a.deleted_at IS NULL), "
         "f AS (SELECT b.*, CASE WHEN b.type = 'individuel' THEN 1 ELSE b.anonymes_total + "
         "(SELECT COUNT(*) FROM activite_beneficiaires x WHERE x.activite_id = b.id) END AS poids "
         "FROM b WHERE 1 = 1" +
         where + ") ";
}

std::string sum(const std::string& e) { return "CAST(COALESCE(SUM(" + e + "), 0) AS BIGINT)"; }

std::string key_of(const Value& v) {
  if (storage::is_null(v)) return "";
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return std::to_string(as_int(v));
}

}  // namespace

Tableau calculer_sql(storage::Session& s, const Filtres& f, const Perimetre& p, const Regions& regions,
                     std::string_view aujourdhui) {
  check_date(f.du);
  check_date(f.au);
  for (auto& m : p.mediateurs) check_date(m.depuis), check_date(m.jusqua);
  Params base;
  const std::string with = cte(f, p, regions, true, "", "", base);
  auto q = [&](const std::string& tail, const Params& extra = {}) {
    Params all = base;
    all.insert(all.end(), extra.begin(), extra.end());
    return s.query(with + tail, all);
  };
  // key, valeur, activites rows → breakdown
  auto grouped = [&](const std::string& tail) {
    Cumul c;
    for (auto& r : q(tail).rows) {
      auto& x = c[key_of(r[0])];
      x.first += as_int(r[1]);
      x.second += as_int(r[2]);
    }
    return c;
  };

  Tableau t;
  {
    auto r = q("SELECT COUNT(*), " + sum("poids") + ", " + sum("CASE WHEN type = 'individuel' THEN 1 ELSE 0 END") + ", " +
               sum("CASE WHEN type = 'collectif' THEN 1 ELSE 0 END") + ", " +
               sum("CASE WHEN type = 'collectif' THEN poids ELSE 0 END") + ", " + sum("duree") + ", " +
               sum("CASE WHEN type = 'collectif' THEN anonymes_total ELSE 0 END") + ", " +
               sum("CASE WHEN type = 'collectif' THEN deja_accompagne_non ELSE 0 END") + " FROM f")
                 .rows[0];
    t.activites = as_int(r[0]);
    t.accompagnements = as_int(r[1]);
    t.individuels = as_int(r[2]);
    t.ateliers = as_int(r[3]);
    t.participants_ateliers = as_int(r[4]);
    t.duree_totale = as_int(r[5]);
    t.anonymes = as_int(r[6]);
    t.nouveaux = as_int(r[7]);
  }
  const std::string liens =
      " FROM f JOIN activite_beneficiaires ab ON ab.activite_id = f.id JOIN beneficiaires bn ON bn.id = ab.beneficiaire_id ";
  {
    auto r = q("SELECT COUNT(DISTINCT CASE WHEN bn.anonyme = 0 THEN bn.id END), "
               "COUNT(DISTINCT CASE WHEN bn.anonyme <> 0 THEN bn.id END), "
               "COUNT(DISTINCT CASE WHEN ab.premier_accompagnement = 1 THEN bn.id END)" +
               liens)
                 .rows[0];
    t.suivis = as_int(r[0]);
    t.anonymes += as_int(r[1]);
    t.nouveaux += as_int(r[2]);
    t.beneficiaires = t.suivis + t.anonymes;
  }

  // evolution: 12 months ending with the period's end (or today), other filters unchanged
  {
    auto fin = jour_of(f.au ? *f.au : std::string(aujourdhui));
    if (!fin) throw std::invalid_argument(fmt::format("date invalide: {}", aujourdhui));
    int m_fin = mois_of(*fin);
    Params ep;
    std::string evol = cte(f, p, regions, false, date_of(premier_jour(m_fin - 11)), date_of(premier_jour(m_fin + 1) - 1), ep);
    std::map<std::string, std::int64_t> par;
    for (auto& r : s.query(evol + "SELECT substr(date, 1, 7), " + sum("poids") + " FROM f GROUP BY substr(date, 1, 7)", ep).rows)
      par[as_text(r[0])] = as_int(r[1]);
    for (int k = m_fin - 11; k <= m_fin; ++k) t.par_mois.emplace_back(mois_texte(k), par[mois_texte(k)]);
  }
  for (auto& r : q("SELECT date, " + sum("poids") + " FROM f GROUP BY date ORDER BY date").rows)
    if (as_int(r[1]) > 0) t.par_jour.emplace_back(as_text(r[0]), as_int(r[1]));

  t.types = repartition(grouped("SELECT type, " + sum("poids") + ", COUNT(*) FROM f GROUP BY type"));
  // multi-valued code lists: one SUM(CASE …) pair per code
  auto codes = [&](const std::string& column, const auto& list) {
    std::string sel;
    Params extra;
    for (auto& c : list) {
      std::string like = "',' || " + column + " || ',' LIKE ? ESCAPE '\\'";
      sel += std::string(sel.empty() ? "" : ", ") + sum("CASE WHEN " + like + " THEN poids ELSE 0 END") + ", " +
             sum("CASE WHEN " + like + " THEN 1 ELSE 0 END");
      std::string pattern = storage::like_contains("," + std::string(c.code) + ",");
      extra.emplace_back(pattern);
      extra.emplace_back(pattern);
    }
    auto r = q("SELECT " + sel + " FROM f", extra).rows[0];
    Cumul m;
    for (std::size_t i = 0; i < std::size(list); ++i) m[std::string(list[i].code)] = {as_int(r[2 * i]), as_int(r[2 * i + 1])};
    return repartition(std::move(m));
  };
  t.thematiques = codes("thematiques", act::thematiques);
  t.demarches = codes("demarches", act::demarches);
  t.materiel = codes("materiel", act::materiels);
  t.canaux = repartition(grouped("SELECT type_lieu, " + sum("poids") + ", COUNT(*) FROM f GROUP BY type_lieu"));
  t.durees = repartition(grouped(
      "SELECT CASE WHEN duree < 30 THEN 'moins_30' WHEN duree < 60 THEN '30_60' WHEN duree < 120 THEN '60_120' "
      "ELSE '120_plus' END AS k, " +
      sum("poids") + ", COUNT(*) FROM f GROUP BY 1"));
  t.autonomie = repartition(
      grouped("SELECT autonomie, COUNT(*), COUNT(*) FROM f WHERE type = 'individuel' GROUP BY autonomie"));
  {
    Cumul m;
    for (auto& [k, v] :
         grouped("SELECT oriente_vers_structure, COUNT(*), COUNT(*) FROM f WHERE type = 'individuel' GROUP BY oriente_vers_structure"))
      m[k == "0" ? "non" : "oui"] = v;
    t.orientation = repartition(std::move(m));
  }
  t.redirections = repartition(grouped("SELECT structure_de_redirection, COUNT(*), COUNT(*) FROM f WHERE type = 'individuel' "
                                       "AND oriente_vers_structure = 1 GROUP BY structure_de_redirection"));
  t.lieux = repartition(grouped("SELECT lieu_activite_id, " + sum("poids") + ", COUNT(*) FROM f GROUP BY lieu_activite_id"));
  t.communes = repartition(grouped("SELECT commune, " + sum("poids") + ", COUNT(*) FROM f GROUP BY commune"));
  t.tags = repartition(grouped("SELECT x.tag_id, " + sum("f.poids") +
                               ", COUNT(*) FROM f JOIN activite_tags x ON x.activite_id = f.id GROUP BY x.tag_id"));
  // orientations: one activity counts once per lieu and once per matched service
  t.orientations_lieux = repartition(grouped("SELECT orientation_lieu_id, COUNT(*), COUNT(*) FROM f "
                                             "WHERE orientation_lieu_id IS NOT NULL GROUP BY orientation_lieu_id"));
  {
    Cumul m;
    for (auto service : lieux::vocabulaire_services()) {
      Params extra{storage::like_contains("|" + std::string(service) + "|")};
      auto n = as_int(q("SELECT COUNT(*) FROM f WHERE '|' || orientation_services || '|' LIKE ? ESCAPE '\\'", extra).rows[0][0]);
      m[std::string(service)] = {n, n};
    }
    t.orientations_services = repartition(std::move(m));
  }

  // beneficiaries by attribute: distinct linked rows + anonymous participants of ateliers
  auto attribut = [&](const std::string& column, const std::string& null_as, const std::vector<std::string>& anon_cols,
                      const auto& list) {
    Cumul m;
    for (auto& r : q("SELECT COALESCE(bn." + column + ", '" + null_as + "'), COUNT(DISTINCT bn.id), 0" + liens +
                     "GROUP BY COALESCE(bn." + column + ", '" + null_as + "')")
                       .rows)
      m[key_of(r[0])].first += as_int(r[1]);
    std::string sel;
    for (auto& c : anon_cols) sel += std::string(sel.empty() ? "" : ", ") + sum(c);
    auto r = q("SELECT " + sel + " FROM f WHERE type = 'collectif'").rows[0];
    for (std::size_t i = 0; i < anon_cols.size(); ++i) m[std::string(list[i].code)].first += as_int(r[i]);
    return repartition(std::move(m));
  };
  t.genres = attribut("genre", "non_communique", {"genre_masculin", "genre_feminin", "genre_non_communique"}, act::genres);
  t.tranches_age = attribut("tranche_age", "non_communique",
                            {"age_moins_de_douze", "age_douze_dix_huit", "age_dix_huit_vingt_quatre",
                             "age_vingt_cinq_trente_neuf", "age_quarante_cinquante_neuf", "age_soixante_soixante_neuf",
                             "age_soixante_dix_plus", "age_non_communique"},
                            act::tranches_age);
  t.statuts = attribut("statut_social", "non_communique",
                       {"statut_scolarise", "statut_sans_emploi", "statut_en_emploi", "statut_retraite",
                        "statut_non_communique"},
                       act::statuts_social);
  {
    static constexpr act::Code vide[] = {{"", ""}};
    t.communes_residence = attribut("commune_insee", "", {"anonymes_total"}, vide);
  }

  // coordination activities: period and scope only
  {
    std::string sql = "SELECT type, COUNT(*), " + sum("duree") + ", " + sum("participants") +
                      " FROM coordination_activites WHERE deleted_at IS NULL";
    Params cp;
    if (f.du) sql += " AND date >= ?", cp.emplace_back(*f.du);
    if (f.au) sql += " AND date <= ?", cp.emplace_back(*f.au);
    if (p.kind != Perimetre::Kind::national) sql += " AND " + in_list("coordinateur_id", p.coordinateurs, cp);
    std::map<std::string, Coordination> m;
    for (auto& r : s.query(sql + " GROUP BY type", cp).rows)
      m[as_text(r[0])] = {as_text(r[0]), as_int(r[1]), as_int(r[2]), as_int(r[3])};
    for (auto type : {"animation", "evenement", "partenariat"}) {
      Coordination c = m.count(type) ? m[type] : Coordination{type};
      c.type = type;
      t.coordination.push_back(c);
    }
  }
  return t;
}

}  // namespace coop::statistiques
