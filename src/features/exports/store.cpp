#include "features/exports/store.hpp"

namespace coop::exports::store {

using storage::as_int;
using storage::as_opt_text;

std::map<std::int64_t, std::vector<Suivi>> suivis_of(storage::Session& s, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::vector<Suivi>> out;
  if (ids.empty()) return out;
  storage::Params p;
  std::string in;
  for (auto id : ids) {
    in += in.empty() ? "?" : ", ?";
    p.emplace_back(id);
  }
  auto rows = s.query("SELECT ab.activite_id, b.genre, b.tranche_age, b.statut_social, ab.premier_accompagnement, "
                      "b.anonyme, b.commune_insee "
                      "FROM activite_beneficiaires ab JOIN beneficiaires b ON b.id = ab.beneficiaire_id "
                      "WHERE ab.activite_id IN (" + in + ") ORDER BY ab.activite_id, b.id",
                      p);
  for (auto& r : rows.rows)
    out[as_int(r[0])].push_back(
        {as_opt_text(r[1]), as_opt_text(r[2]), as_opt_text(r[3]), as_int(r[4]) != 0, as_int(r[5]) != 0, as_opt_text(r[6])});
  return out;
}

}  // namespace coop::exports::store
