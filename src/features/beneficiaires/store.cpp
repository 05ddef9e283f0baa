#include "features/beneficiaires/store.hpp"

#include <set>

#include "core/time.hpp"

namespace coop::beneficiaires::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {

Value flag(bool b) { return std::int64_t(b ? 1 : 0); }

constexpr const char* kColumns =
    "b.id, b.mediateur_id, b.version, b.anonyme, b.prenom, b.nom, b.annee_naissance, b.telephone, "
    "b.pas_de_telephone, b.email, b.adresse, b.commune_insee, b.code_postal, b.genre, b.tranche_age, "
    "b.statut_social, b.notes, b.created_at, b.updated_at";
constexpr int kColumnCount = 19;

// Live activities linked to b.id: count and latest date (correlated sub-queries).
constexpr const char* kSuiviColumns =
    "(SELECT COUNT(*) FROM activite_beneficiaires ab JOIN activites a ON a.id = ab.activite_id "
    "  WHERE ab.beneficiaire_id = b.id AND a.deleted_at IS NULL), "
    "(SELECT MAX(a.date) FROM activite_beneficiaires ab JOIN activites a ON a.id = ab.activite_id "
    "  WHERE ab.beneficiaire_id = b.id AND a.deleted_at IS NULL)";

Beneficiaire from(const std::vector<Value>& r) {
  Beneficiaire b;
  b.id = as_int(r[0]);
  b.mediateur_id = as_int(r[1]);
  b.version = as_int(r[2]);
  b.anonyme = as_int(r[3]) != 0;
  b.prenom = as_opt_text(r[4]);
  b.nom = as_opt_text(r[5]);
  b.annee_naissance = as_opt_int(r[6]);
  b.telephone = as_opt_text(r[7]);
  b.pas_de_telephone = as_int(r[8]) != 0;
  b.email = as_opt_text(r[9]);
  b.adresse = as_opt_text(r[10]);
  b.commune_insee = as_opt_text(r[11]);
  b.code_postal = as_opt_text(r[12]);
  b.genre = as_opt_text(r[13]);
  b.tranche_age = as_opt_text(r[14]);
  b.statut_social = as_opt_text(r[15]);
  b.notes = as_opt_text(r[16]);
  b.created_at = as_text(r[17]);
  b.updated_at = as_text(r[18]);
  return b;
}

}  // namespace

std::optional<Beneficiaire> by_id(Session& s, std::int64_t mediateur_id, std::int64_t id) {
  auto rows = s.query(std::string("SELECT ") + kColumns +
                          " FROM beneficiaires b WHERE b.id = ? AND b.mediateur_id = ? AND b.deleted_at IS NULL",
                      {id, mediateur_id});
  if (rows.empty()) return std::nullopt;
  return from(rows.rows[0]);
}

std::int64_t create(Session& s, const Beneficiaire& b) {
  auto now = core::now_iso();
  return s.insert(
      "INSERT INTO beneficiaires (mediateur_id, anonyme, prenom, nom, nom_recherche, annee_naissance, telephone, "
      "pas_de_telephone, email, adresse, commune_insee, code_postal, genre, tranche_age, statut_social, notes, "
      "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
      {b.mediateur_id, flag(b.anonyme), storage::nullable(b.prenom), storage::nullable(b.nom), search_key(b), storage::nullable(b.annee_naissance),
       storage::nullable(b.telephone), flag(b.pas_de_telephone), storage::nullable(b.email), storage::nullable(b.adresse), storage::nullable(b.commune_insee),
       storage::nullable(b.code_postal), storage::nullable(b.genre), storage::nullable(b.tranche_age), storage::nullable(b.statut_social), storage::nullable(b.notes), now, now});
}

bool update(Session& s, const Beneficiaire& b) {
  return s.exec(
             "UPDATE beneficiaires SET anonyme = ?, prenom = ?, nom = ?, nom_recherche = ?, annee_naissance = ?, "
             "telephone = ?, pas_de_telephone = ?, email = ?, adresse = ?, commune_insee = ?, code_postal = ?, "
             "genre = ?, tranche_age = ?, statut_social = ?, notes = ?, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND mediateur_id = ? AND version = ? AND deleted_at IS NULL",
             {flag(b.anonyme), storage::nullable(b.prenom), storage::nullable(b.nom), search_key(b), storage::nullable(b.annee_naissance), storage::nullable(b.telephone),
              flag(b.pas_de_telephone), storage::nullable(b.email), storage::nullable(b.adresse), storage::nullable(b.commune_insee), storage::nullable(b.code_postal),
              storage::nullable(b.genre), storage::nullable(b.tranche_age), storage::nullable(b.statut_social), storage::nullable(b.notes), core::now_iso(), b.id,
              b.mediateur_id, b.version}) == 1;
}

std::pair<std::vector<Listed>, std::int64_t> list(Session& s, std::int64_t mediateur_id, const std::string& folded_q,
                                                  std::int64_t page, std::int64_t per_page, bool anonymes) {
  std::string where = " FROM beneficiaires b WHERE b.mediateur_id = ? AND b.deleted_at IS NULL";
  if (!anonymes) where += " AND b.anonyme = 0";
  const std::string pattern = storage::like_contains(folded_q);
  if (!folded_q.empty()) where += " AND b.nom_recherche LIKE ? ESCAPE '\\'";
  // Built whole rather than grown with push_back (GCC 12 -Wmaybe-uninitialized false positive).
  const std::int64_t offset = (page - 1) * per_page;
  const Params count_params = folded_q.empty() ? Params{mediateur_id} : Params{mediateur_id, pattern};
  const Params page_params =
      folded_q.empty() ? Params{mediateur_id, per_page, offset} : Params{mediateur_id, pattern, per_page, offset};
  auto total = as_int(s.query("SELECT COUNT(*)" + where, count_params).rows.at(0).at(0));
  auto rows = s.query(std::string("SELECT ") + kColumns + ", " + kSuiviColumns + where +
                          " ORDER BY b.anonyme, b.nom_recherche, b.id LIMIT ? OFFSET ?",
                      page_params);
  std::vector<Listed> out;
  for (auto& r : rows.rows) out.push_back({from(r), {as_int(r[kColumnCount]), as_opt_text(r[kColumnCount + 1])}});
  return {std::move(out), total};
}

Suivi suivi(Session& s, std::int64_t beneficiaire_id) {
  auto rows = s.query(std::string("SELECT ") + kSuiviColumns + " FROM beneficiaires b WHERE b.id = ?",
                      {beneficiaire_id});
  if (rows.empty()) return {};
  return {as_int(rows.rows[0][0]), as_opt_text(rows.rows[0][1])};
}

std::vector<Beneficiaire> all_followed(Session& s, std::int64_t mediateur_id) {
  auto rows = s.query(std::string("SELECT ") + kColumns +
                          " FROM beneficiaires b WHERE b.mediateur_id = ? AND b.deleted_at IS NULL AND b.anonyme = 0 "
                          "ORDER BY b.nom_recherche, b.id",
                      {mediateur_id});
  std::vector<Beneficiaire> out;
  out.reserve(rows.size());
  for (auto& r : rows.rows) out.push_back(from(r));
  return out;
}

std::vector<HistoryItem> history(Session& s, std::int64_t beneficiaire_id) {
  auto rows = s.query(
      "SELECT a.id, a.date, a.type, a.type_lieu, a.thematiques, a.demarches, a.materiel, a.duree, a.commune_insee, "
      "a.autonomie, a.titre_atelier, a.notes, ab.premier_accompagnement "
      "FROM activite_beneficiaires ab JOIN activites a ON a.id = ab.activite_id "
      "WHERE ab.beneficiaire_id = ? AND a.deleted_at IS NULL ORDER BY a.date DESC, a.id DESC",
      {beneficiaire_id});
  std::vector<HistoryItem> out;
  for (auto& r : rows.rows) {
    HistoryItem h;
    h.id = as_int(r[0]);
    h.date = as_text(r[1]);
    h.type = as_text(r[2]);
    h.type_lieu = as_text(r[3]);
    h.thematiques = as_text(r[4]);
    h.demarches = as_text(r[5]);
    h.materiel = as_text(r[6]);
    h.duree = as_int(r[7]);
    h.commune_insee = as_opt_text(r[8]);
    h.autonomie = as_opt_text(r[9]);
    h.titre_atelier = as_opt_text(r[10]);
    h.notes = as_opt_text(r[11]);
    h.premier_accompagnement = as_int(r[12]) != 0;
    out.push_back(std::move(h));
  }
  return out;
}

std::int64_t soft_delete(Session& s, std::int64_t mediateur_id, const std::vector<std::int64_t>& ids) {
  std::int64_t n = 0;
  const auto now = core::now_iso();
  for (auto id : std::set<std::int64_t>(ids.begin(), ids.end()))
    n += s.exec(
        "UPDATE beneficiaires SET deleted_at = ?, updated_at = ?, version = version + 1 "
        "WHERE id = ? AND mediateur_id = ? AND deleted_at IS NULL",
        {now, now, id, mediateur_id});
  return n;
}

std::vector<Supprime> corbeille(Session& s, std::int64_t mediateur_id, const std::string& since) {
  auto rows = s.query(std::string("SELECT ") + kColumns + ", " + kSuiviColumns + ", b.deleted_at" +
                          " FROM beneficiaires b WHERE b.mediateur_id = ? AND b.deleted_at IS NOT NULL AND b.deleted_at >= ?"
                          " AND b.anonyme = 0 AND b.efface_at IS NULL AND b.merged_into_id IS NULL"
                          " ORDER BY b.deleted_at DESC, b.id DESC LIMIT 1000",
                      {mediateur_id, since});
  std::vector<Supprime> out;
  out.reserve(rows.size());
  for (auto& r : rows.rows)
    out.push_back({from(r), {as_int(r[kColumnCount]), as_opt_text(r[kColumnCount + 1])}, as_text(r[kColumnCount + 2])});
  return out;
}

std::optional<NonRestorable> check_restorable(Session& s, std::int64_t mediateur_id, std::int64_t id,
                                              const std::string& since) {
  auto rows = s.query(
      "SELECT deleted_at, efface_at, merged_into_id, anonyme FROM beneficiaires WHERE id = ? AND mediateur_id = ? "
      "AND deleted_at IS NOT NULL",
      {id, mediateur_id});
  if (rows.empty()) return NonRestorable::introuvable;
  auto& r = rows.rows[0];
  if (!storage::is_null(r[1])) return NonRestorable::efface;
  if (!storage::is_null(r[2])) return NonRestorable::fusionne;
  if (as_int(r[3]) != 0) return NonRestorable::anonyme;
  if (as_text(r[0]) < since) return NonRestorable::trop_ancien;
  return std::nullopt;
}

bool restore(Session& s, std::int64_t mediateur_id, std::int64_t id, const std::string& since) {
  return s.exec(
             "UPDATE beneficiaires SET deleted_at = NULL, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND mediateur_id = ? AND deleted_at IS NOT NULL AND deleted_at >= ? "
             "AND efface_at IS NULL AND merged_into_id IS NULL AND anonyme = 0",
             {core::now_iso(), id, mediateur_id, since}) == 1;
}

PurgeCounts purge_deleted(Session& s, const std::string& before, std::int64_t limit) {
  PurgeCounts out;
  // Still needed: linked to an activity (live or in the bin), or the target of a merge trace.
  constexpr const char* kNeeded =
      "(EXISTS (SELECT 1 FROM activite_beneficiaires ab WHERE ab.beneficiaire_id = b.id) OR "
      "EXISTS (SELECT 1 FROM beneficiaire_fusions f WHERE f.cible_id = b.id))";
  auto rows = s.query(std::string("SELECT b.id, b.mediateur_id, CASE WHEN ") + kNeeded + " THEN 1 ELSE 0 END" +
                          " FROM beneficiaires b WHERE b.deleted_at IS NOT NULL AND b.deleted_at < ?"
                          " AND (b.efface_at IS NULL OR NOT " + kNeeded + ") ORDER BY b.id LIMIT ?",
                      {before, limit});
  out.examines = static_cast<std::int64_t>(rows.size());
  for (auto& r : rows.rows) {
    const auto id = as_int(r[0]);
    if (as_int(r[2]) != 0) {
      // erase() also erases the rows merged into this one earlier; they are deleted too, so older.
      if (erase(s, as_int(r[1]), id)) ++out.anonymises;
    } else {
      out.supprimes += s.exec("DELETE FROM beneficiaires WHERE id = ? AND deleted_at IS NOT NULL AND deleted_at < ?",
                              {id, before});
    }
  }
  return out;
}

std::optional<MergeOutcome> merge_links(Session& s, std::int64_t mediateur_id, std::int64_t target_id,
                                        std::int64_t source_id, const std::vector<std::string>& champs_completes) {
  const auto now = core::now_iso();
  if (s.exec("UPDATE beneficiaires SET deleted_at = ?, merged_into_id = ?, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND mediateur_id = ? AND deleted_at IS NULL",
             {now, target_id, now, source_id, mediateur_id}) != 1)
    return std::nullopt;
  MergeOutcome out;
  // Links of the source to activities the target is not already linked to move; the others go.
  out.activites_deplacees = s.exec(
      "UPDATE activite_beneficiaires SET beneficiaire_id = ? WHERE beneficiaire_id = ? AND activite_id NOT IN "
      "(SELECT activite_id FROM activite_beneficiaires WHERE beneficiaire_id = ?)",
      {target_id, source_id, target_id});
  s.exec("DELETE FROM activite_beneficiaires WHERE beneficiaire_id = ?", {source_id});
  // One person has one first accompaniment: the earliest live activity (then the smallest id).
  s.exec("UPDATE activite_beneficiaires SET premier_accompagnement = 0 WHERE beneficiaire_id = ?", {target_id});
  s.exec(
      "UPDATE activite_beneficiaires SET premier_accompagnement = 1 WHERE beneficiaire_id = ? AND activite_id = "
      "(SELECT a.id FROM activite_beneficiaires ab JOIN activites a ON a.id = ab.activite_id "
      " WHERE ab.beneficiaire_id = ? AND a.deleted_at IS NULL ORDER BY a.date, a.id LIMIT 1)",
      {target_id, target_id});
  std::string champs;
  for (auto& c : champs_completes) champs += (champs.empty() ? "" : ",") + c;
  s.insert(
      "INSERT INTO beneficiaire_fusions (mediateur_id, source_id, cible_id, activites_deplacees, champs_completes, at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {mediateur_id, source_id, target_id, out.activites_deplacees, champs, now});
  return out;
}

bool erase(Session& s, std::int64_t mediateur_id, std::int64_t id) {
  // The person, and the records merged into them earlier (same person, still holding data).
  std::vector<std::int64_t> ids{id};
  for (std::size_t i = 0; i < ids.size() && i < 1000; ++i) {
    auto rows = s.query("SELECT id FROM beneficiaires WHERE merged_into_id = ? AND mediateur_id = ?",
                        {ids[i], mediateur_id});
    for (auto& r : rows.rows) ids.push_back(as_int(r[0]));
  }
  const auto now = core::now_iso();
  bool erased = false;
  for (auto bid : ids) {
    auto n = s.exec(
        "UPDATE beneficiaires SET anonyme = 1, prenom = NULL, nom = NULL, nom_recherche = '', "
        "annee_naissance = NULL, telephone = NULL, pas_de_telephone = 0, email = NULL, adresse = NULL, notes = NULL, "
        "efface_at = ?, deleted_at = COALESCE(deleted_at, ?), updated_at = ?, version = version + 1 "
        "WHERE id = ? AND mediateur_id = ? AND efface_at IS NULL",
        {now, now, now, bid, mediateur_id});
    if (bid == id) erased = n == 1;
  }
  return erased;
}

std::int64_t save_import(Session& s, std::int64_t mediateur_id, const std::string& payload, std::int64_t lignes,
                         const std::string& expires_at) {
  return s.insert(
      "INSERT INTO imports_beneficiaires (mediateur_id, payload, lignes, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {mediateur_id, payload, lignes, core::now_iso(), expires_at});
}

std::optional<PendingImport> import_by_id(Session& s, std::int64_t mediateur_id, std::int64_t id) {
  auto rows = s.query(
      "SELECT id, payload, expires_at, confirmed_at FROM imports_beneficiaires WHERE id = ? AND mediateur_id = ?",
      {id, mediateur_id});
  if (rows.empty()) return std::nullopt;
  auto& r = rows.rows[0];
  return PendingImport{as_int(r[0]), as_text(r[1]), as_text(r[2]), as_opt_text(r[3])};
}

bool confirm_import(Session& s, std::int64_t id) {
  return s.exec(
             "UPDATE imports_beneficiaires SET confirmed_at = ?, payload = '' WHERE id = ? AND confirmed_at IS NULL",
             {core::now_iso(), id}) == 1;
}

std::int64_t cap_pending_imports(Session& s, std::int64_t mediateur_id, std::int64_t keep, const std::string& now) {
  // Key space "CoopImp" + mediator id: never the migrations' key ("CoopMigr").
  if (s.dialect() == storage::Dialect::postgres)
    s.query("SELECT pg_advisory_xact_lock(?)", {std::int64_t{0x436f6f70496d7000} + mediateur_id});
  // This mediator's expired analyses need their payload no more (the hourly purge does it for all).
  s.exec("UPDATE imports_beneficiaires SET payload = '' WHERE mediateur_id = ? AND expires_at <= ? AND payload <> ''",
         {mediateur_id, now});
  return s.exec(
      "UPDATE imports_beneficiaires SET payload = '', expires_at = created_at "
      "WHERE mediateur_id = ? AND confirmed_at IS NULL AND expires_at > ? AND id NOT IN ("
      " SELECT id FROM imports_beneficiaires WHERE mediateur_id = ? AND confirmed_at IS NULL AND expires_at > ?"
      " ORDER BY id DESC LIMIT ?)",
      {mediateur_id, now, mediateur_id, now, keep});
}

std::int64_t purge_expired_imports(Session& s, const std::string& now, const std::string& forget_before) {
  s.exec("UPDATE imports_beneficiaires SET payload = '' WHERE expires_at <= ? AND payload <> ''", {now});
  return s.exec("DELETE FROM imports_beneficiaires WHERE expires_at < ?", {forget_before});
}

}  // namespace coop::beneficiaires::store
