#include "features/public_api/store.hpp"

#include "features/exports/store.hpp"
#include "features/lieux/model.hpp"

namespace coop::public_api::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;

namespace {

// " WHERE …" of a keyset page over `table` (alias-free), filling params; the caller appends
// ORDER BY updated_at, id LIMIT ?.
// `key` is the column of the instant (updated_at), `id` the id column.
std::string keyset_where(const PageQuery& q, Params& params, const std::string& key = "updated_at",
                         const std::string& id = "id") {
  std::string where = " WHERE 1 = 1";
  if (q.depuis) {
    where += " AND " + key + " >= ?";
    params.emplace_back(*q.depuis);
  }
  if (q.after) {
    where += " AND (" + key + " > ? OR (" + key + " = ? AND " + id + " > ?))";
    params.emplace_back(q.after->updated_at);
    params.emplace_back(q.after->updated_at);
    params.emplace_back(q.after->id);
  }
  return where;
}

}  // namespace

std::vector<StructureRow> structures(Session& s, const PageQuery& q) {
  Params params;
  auto where = keyset_where(q, params);
  params.emplace_back(q.size + 1);
  auto rows = s.query(
      "SELECT id, nom, COALESCE(siret, ''), adresse, commune_insee, created_at, updated_at FROM structures" + where +
          " ORDER BY updated_at, id LIMIT ?",
      params);
  std::vector<StructureRow> out;
  for (auto& r : rows.rows)
    out.push_back({as_int(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3]), as_text(r[4]), as_text(r[5]),
                   as_text(r[6])});
  return out;
}

std::vector<LieuRow> lieux(Session& s, const PageQuery& q) {
  Params params;
  auto where = keyset_where(q, params, "l.updated_at", "l.id");
  params.emplace_back(q.size + 1);
  auto rows = s.query(
      "SELECT l.id, l.mediateur_id, l.structure_id, st.nom, st.adresse, st.commune_insee, l.debut, l.fin, l.created_at, "
      "l.updated_at FROM lieux_activite l JOIN structures st ON st.id = l.structure_id" + where +
          " ORDER BY l.updated_at, l.id LIMIT ?",
      params);
  std::vector<LieuRow> out;
  for (auto& r : rows.rows)
    out.push_back({as_int(r[0]), as_int(r[1]), as_int(r[2]), as_text(r[3]), as_text(r[4]), as_text(r[5]),
                   as_text(r[6]), as_opt_text(r[7]), as_text(r[8]), as_text(r[9])});
  return out;
}

namespace {

// The anonymous-count columns, in the order of activites::ParticipantsAnonymes.
constexpr const char* kCounts =
    "a.anonymes_total, a.genre_masculin, a.genre_feminin, a.genre_non_communique, a.age_moins_de_douze, "
    "a.age_douze_dix_huit, a.age_dix_huit_vingt_quatre, a.age_vingt_cinq_trente_neuf, a.age_quarante_cinquante_neuf, "
    "a.age_soixante_soixante_neuf, a.age_soixante_dix_plus, a.age_non_communique, a.statut_scolarise, "
    "a.statut_sans_emploi, a.statut_en_emploi, a.statut_retraite, a.statut_non_communique, a.deja_accompagne_oui, "
    "a.deja_accompagne_non, a.deja_accompagne_non_communique";

}  // namespace

std::vector<exports::Ligne> activites(Session& s, const PageQuery& q) {
  Params params;
  auto where = keyset_where(q, params, "a.updated_at", "a.id");
  params.emplace_back(q.size + 1);
  // No notes, no précisions: free text may name people.
  auto rows = s.query(
      std::string("SELECT a.id, a.mediateur_id, a.type, a.date, a.duree, a.type_lieu, a.lieu_activite_id, "
                  "a.commune_insee, a.code_postal, a.materiel, a.thematiques, a.demarches, a.autonomie, "
                  "a.oriente_vers_structure, a.structure_de_redirection, a.titre_atelier, a.niveau, "
                  "a.created_at, a.updated_at, a.deleted_at, st.nom, st.commune_insee, a.orientation_lieu_id, "
                  "a.orientation_services, ol.nom, ") +
          kCounts +
          " FROM activites a LEFT JOIN structures st ON st.id = a.lieu_activite_id "
          "LEFT JOIN lieux ol ON ol.id = a.orientation_lieu_id" +
          where +
          " ORDER BY a.updated_at, a.id LIMIT ?",
      params);
  std::vector<exports::Ligne> out;
  out.reserve(rows.size());
  for (auto& r : rows.rows) {
    exports::Ligne l;
    auto& a = l.a;
    std::size_t i = 0;
    a.id = as_int(r[i++]);
    a.mediateur_id = as_int(r[i++]);
    a.type = as_text(r[i++]);
    a.date = as_text(r[i++]);
    a.duree = as_int(r[i++]);
    a.type_lieu = as_text(r[i++]);
    a.lieu_activite_id = as_opt_int(r[i++]);
    a.commune_insee = as_opt_text(r[i++]);
    a.code_postal = as_opt_text(r[i++]);
    a.materiel = activites::split_codes(as_text(r[i++]));
    a.thematiques = activites::split_codes(as_text(r[i++]));
    a.demarches = activites::split_codes(as_text(r[i++]));
    a.autonomie = as_opt_text(r[i++]);
    a.oriente_vers_structure = as_int(r[i++]) != 0;
    a.structure_de_redirection = as_opt_text(r[i++]);
    a.titre_atelier = as_opt_text(r[i++]);
    a.niveau = as_opt_text(r[i++]);
    a.created_at = as_text(r[i++]);
    a.updated_at = as_text(r[i++]);
    a.deleted_at = as_opt_text(r[i++]);
    l.lieu_nom = as_opt_text(r[i++]);
    l.lieu_commune_insee = as_opt_text(r[i++]);
    a.orientation_lieu_id = as_opt_int(r[i++]);
    a.orientation_services = lieux::separer(as_text(r[i++]));
    l.orientation_lieu_nom = as_opt_text(r[i++]);
    auto& n = a.anonymes;
    n.total = as_int(r[i++]);
    for (auto& x : n.genre) x = as_int(r[i++]);
    for (auto& x : n.tranche_age) x = as_int(r[i++]);
    for (auto& x : n.statut_social) x = as_int(r[i++]);
    for (auto& x : n.deja_accompagne) x = as_int(r[i++]);
    out.push_back(std::move(l));
  }
  if (out.empty()) return out;
  std::vector<std::int64_t> ids;
  Params id_params;
  std::string in;
  for (auto& l : out) {
    ids.push_back(l.a.id);
    id_params.emplace_back(l.a.id);
    in += in.empty() ? "?" : ", ?";
  }
  auto find = [&](std::int64_t id) -> exports::Ligne* {
    for (auto& l : out)
      if (l.a.id == id) return &l;
    return nullptr;
  };
  for (auto& [id, suivis] : exports::store::suivis_of(s, ids))
    if (auto* l = find(id)) l->suivis = std::move(suivis);
  auto tags = s.query("SELECT at.activite_id, t.nom FROM activite_tags at JOIN tags t ON t.id = at.tag_id "
                      "WHERE t.portee <> 'personnel' AND at.activite_id IN (" + in + ") ORDER BY at.activite_id, t.nom",
                      id_params);
  for (auto& r : tags.rows)
    if (auto* l = find(as_int(r[0]))) l->tags.push_back(as_text(r[1]));
  return out;
}

}  // namespace coop::public_api::store
