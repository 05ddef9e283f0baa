#include "features/activites/store.hpp"

#include <algorithm>
#include <charconv>

#include "core/time.hpp"
#include "features/lieux/model.hpp"

namespace coop::activites::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {


std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

// The anonymous-count columns, in the order of ParticipantsAnonymes.
constexpr const char* kCountColumns[] = {
    "anonymes_total",
    "genre_masculin", "genre_feminin", "genre_non_communique",
    "age_moins_de_douze", "age_douze_dix_huit", "age_dix_huit_vingt_quatre", "age_vingt_cinq_trente_neuf",
    "age_quarante_cinquante_neuf", "age_soixante_soixante_neuf", "age_soixante_dix_plus", "age_non_communique",
    "statut_scolarise", "statut_sans_emploi", "statut_en_emploi", "statut_retraite", "statut_non_communique",
    "deja_accompagne_oui", "deja_accompagne_non", "deja_accompagne_non_communique",
};
constexpr std::size_t kCounts = std::size(kCountColumns);
static_assert(kCounts == 1 + std::size(genres) + std::size(tranches_age) + std::size(statuts_social) +
                             std::size(deja_accompagnes));

std::vector<std::int64_t*> count_refs(ParticipantsAnonymes& n) {
  std::vector<std::int64_t*> out{&n.total};
  for (auto& x : n.genre) out.push_back(&x);
  for (auto& x : n.tranche_age) out.push_back(&x);
  for (auto& x : n.statut_social) out.push_back(&x);
  for (auto& x : n.deja_accompagne) out.push_back(&x);
  return out;
}

// Data columns (everything but id, mediateur_id, version and the timestamps), in insert order.
constexpr const char* kDataColumns[] = {
    "type", "date", "duree", "type_lieu", "lieu_activite_id", "commune_insee", "code_postal", "materiel",
    "thematiques", "demarches", "precisions_demarche", "notes", "autonomie", "oriente_vers_structure",
    "structure_de_redirection", "titre_atelier", "niveau", "orientation_lieu_id", "orientation_services",
};

Params data_params(const Activite& a) {
  Params p{a.type, a.date, a.duree, a.type_lieu, storage::nullable(a.lieu_activite_id), storage::nullable(a.commune_insee), storage::nullable(a.code_postal),
           join_codes(a.materiel), join_codes(a.thematiques), join_codes(a.demarches), storage::nullable(a.precisions_demarche),
           storage::nullable(a.notes), storage::nullable(a.autonomie), std::int64_t(a.oriente_vers_structure ? 1 : 0),
           storage::nullable(a.structure_de_redirection), storage::nullable(a.titre_atelier), storage::nullable(a.niveau),
           storage::nullable(a.orientation_lieu_id), lieux::joindre(a.orientation_services)};
  auto n = a.anonymes;
  auto counts = count_refs(n);
  // Built apart then appended: GCC 12 -O2 warns (maybe-uninitialized, a false positive) about the
  // variants moved when push_back reallocates here.
  Params tail(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) tail[i] = *counts[i];
  p.insert(p.end(), tail.begin(), tail.end());
  return p;
}

std::string select_columns() {
  std::string s = "a.id, a.mediateur_id, a.version, a.created_at, a.updated_at, a.deleted_at, st.nom, st.commune_insee, "
                  "ol.nom, ol.commune, ol.code_postal";
  for (auto* c : kDataColumns) s += std::string(", a.") + c;
  for (auto* c : kCountColumns) s += std::string(", a.") + c;
  return s;
}

const std::string kSelect =
    "SELECT " + select_columns() +
    " FROM activites a LEFT JOIN structures st ON st.id = a.lieu_activite_id LEFT JOIN lieux ol ON ol.id = a.orientation_lieu_id ";

Vue vue_from(const std::vector<Value>& r) {
  Vue v;
  Activite& a = v.a;
  std::size_t i = 0;
  a.id = as_int(r[i++]);
  a.mediateur_id = as_int(r[i++]);
  a.version = as_int(r[i++]);
  a.created_at = as_text(r[i++]);
  a.updated_at = as_text(r[i++]);
  a.deleted_at = as_opt_text(r[i++]);
  v.lieu_nom = as_opt_text(r[i++]);
  v.lieu_commune_insee = as_opt_text(r[i++]);
  v.orientation_lieu_nom = as_opt_text(r[i++]);
  v.orientation_lieu_commune = as_opt_text(r[i++]);
  v.orientation_lieu_code_postal = as_opt_text(r[i++]);
  a.type = as_text(r[i++]);
  a.date = as_text(r[i++]);
  a.duree = as_int(r[i++]);
  a.type_lieu = as_text(r[i++]);
  a.lieu_activite_id = as_opt_int(r[i++]);
  a.commune_insee = as_opt_text(r[i++]);
  a.code_postal = as_opt_text(r[i++]);
  a.materiel = split_codes(as_text(r[i++]));
  a.thematiques = split_codes(as_text(r[i++]));
  a.demarches = split_codes(as_text(r[i++]));
  a.precisions_demarche = as_opt_text(r[i++]);
  a.notes = as_opt_text(r[i++]);
  a.autonomie = as_opt_text(r[i++]);
  a.oriente_vers_structure = as_int(r[i++]) != 0;
  a.structure_de_redirection = as_opt_text(r[i++]);
  a.titre_atelier = as_opt_text(r[i++]);
  a.niveau = as_opt_text(r[i++]);
  a.orientation_lieu_id = as_opt_int(r[i++]);
  a.orientation_services = lieux::separer(as_text(r[i++]));
  for (auto* x : count_refs(a.anonymes)) *x = as_int(r[i++]);
  return v;
}

// Participants, beneficiary and tags of a page of activities, in two queries.
void load_links(Session& s, std::vector<Vue>& vues) {
  if (vues.empty()) return;
  Params ids;
  for (auto& v : vues) ids.push_back(v.a.id);
  auto find = [&](std::int64_t id) -> Vue* {
    for (auto& v : vues)
      if (v.a.id == id) return &v;
    return nullptr;
  };
  auto rows = s.query("SELECT ab.activite_id, b.id, b.anonyme, b.prenom, b.nom, b.genre, b.tranche_age, "
                      "b.statut_social, b.commune_insee, b.code_postal FROM activite_beneficiaires ab "
                      "JOIN beneficiaires b ON b.id = ab.beneficiaire_id WHERE ab.activite_id IN (" +
                          placeholders(ids.size()) + ") ORDER BY ab.activite_id, b.id",
                      ids);
  for (auto& r : rows.rows) {
    Vue* v = find(as_int(r[0]));
    if (!v) continue;
    Personne p{as_int(r[1]), as_int(r[2]) != 0, as_opt_text(r[3]), as_opt_text(r[4])};
    if (v->a.type == "individuel") {
      v->beneficiaire = p;
      // An anonymous beneficiary is shown as its profile (never as an id to choose again).
      if (p.anonyme)
        v->a.beneficiaire_anonyme =
            ProfilAnonyme{as_opt_text(r[5]), as_opt_text(r[6]), as_opt_text(r[7]), as_opt_text(r[8]), as_opt_text(r[9])};
      else
        v->a.beneficiaire_id = p.id;
    } else {
      v->participants.push_back(p);
      v->a.participants.push_back(p.id);
    }
  }
  auto tags = s.query("SELECT at.activite_id, t.id, t.nom, t.portee, t.departement FROM activite_tags at "
                      "JOIN tags t ON t.id = at.tag_id WHERE at.activite_id IN (" +
                          placeholders(ids.size()) + ") ORDER BY at.activite_id, t.nom, t.id",
                      ids);
  for (auto& r : tags.rows) {
    Vue* v = find(as_int(r[0]));
    if (!v) continue;
    v->tags.push_back({as_int(r[1]), as_text(r[2]), as_text(r[3]), as_opt_text(r[4])});
    v->a.tag_ids.push_back(as_int(r[1]));
  }
}

// The anonymous beneficiary row that belongs to this activity: anonymous, neither erased (RGPD)
// nor merged, and linked to no other activity.
std::optional<std::int64_t> own_anonymous(Session& s, std::int64_t activite_id) {
  auto rows = s.query("SELECT b.id FROM activite_beneficiaires ab JOIN beneficiaires b ON b.id = ab.beneficiaire_id "
                      "WHERE ab.activite_id = ? AND b.anonyme = 1 AND b.efface_at IS NULL AND b.merged_into_id IS NULL "
                      "AND NOT EXISTS (SELECT 1 FROM activite_beneficiaires o WHERE o.beneficiaire_id = b.id "
                      "AND o.activite_id <> ?) ORDER BY b.id LIMIT 1",
                      {activite_id, activite_id});
  if (rows.empty()) return std::nullopt;
  return as_int(rows.rows[0][0]);
}

// An individual activity without a followed beneficiary gets an anonymous one (created, or its
// own row updated); any other activity loses the anonymous row it had.
std::optional<std::int64_t> write_anonymous(Session& s, const Activite& a) {
  auto own = own_anonymous(s, a.id);
  if (a.type == "individuel" && !a.beneficiaire_id) {
    const ProfilAnonyme p = a.beneficiaire_anonyme.value_or(ProfilAnonyme{});
    const auto now = core::now_iso();
    if (own) {
      s.exec("UPDATE beneficiaires SET genre = ?, tranche_age = ?, statut_social = ?, commune_insee = ?, "
             "code_postal = ?, updated_at = ?, version = version + 1 WHERE id = ?",
             {storage::nullable(p.genre), storage::nullable(p.tranche_age), storage::nullable(p.statut_social),
              storage::nullable(p.commune_insee), storage::nullable(p.code_postal), now, *own});
      return own;
    }
    return s.insert("INSERT INTO beneficiaires (mediateur_id, anonyme, nom_recherche, genre, tranche_age, "
                    "statut_social, commune_insee, code_postal, created_at, updated_at, version) "
                    "VALUES (?, 1, '', ?, ?, ?, ?, ?, ?, ?, 1)",
                    {a.mediateur_id, storage::nullable(p.genre), storage::nullable(p.tranche_age),
                     storage::nullable(p.statut_social), storage::nullable(p.commune_insee),
                     storage::nullable(p.code_postal), now, now});
  }
  const bool still_linked = own && ((a.beneficiaire_id && *a.beneficiaire_id == *own) ||
                                    std::find(a.participants.begin(), a.participants.end(), *own) != a.participants.end());
  if (own && !still_linked) s.exec("DELETE FROM beneficiaires WHERE id = ?", {*own});
  return std::nullopt;
}

void write_links(Session& s, const Activite& a) {
  const auto anonymous = write_anonymous(s, a);
  s.exec("DELETE FROM activite_beneficiaires WHERE activite_id = ?", {a.id});
  s.exec("DELETE FROM activite_tags WHERE activite_id = ?", {a.id});
  std::vector<std::int64_t> people = a.participants;
  if (a.beneficiaire_id) people.push_back(*a.beneficiaire_id);
  for (auto b : people)
    s.exec("INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id, premier_accompagnement) VALUES (?, ?, 0)",
           {a.id, b});
  // Its only activity: always a first accompaniment.
  if (anonymous)
    s.exec("INSERT INTO activite_beneficiaires (activite_id, beneficiaire_id, premier_accompagnement) VALUES (?, ?, 1)",
           {a.id, *anonymous});
  for (auto t : a.tag_ids) s.exec("INSERT INTO activite_tags (activite_id, tag_id) VALUES (?, ?)", {a.id, t});
}

Lieu lieu_from(const std::vector<Value>& r) {
  return {as_int(r[0]), as_int(r[1]), as_int(r[2]), as_text(r[3]), as_text(r[4]),
          as_text(r[5]), as_text(r[6]), as_opt_text(r[7])};
}
constexpr const char* kLieuSelect =
    "SELECT l.id, l.mediateur_id, l.structure_id, st.nom, st.adresse, st.commune_insee, l.debut, l.fin "
    "FROM lieux_activite l JOIN structures st ON st.id = l.structure_id ";

}  // namespace

// ---- Lieux ----

std::vector<Lieu> lieux_of(Session& s, std::int64_t mediateur_id) {
  auto rows = s.query(std::string(kLieuSelect) + "WHERE l.mediateur_id = ? ORDER BY st.nom, l.debut, l.id", {mediateur_id});
  std::vector<Lieu> out;
  for (auto& r : rows.rows) out.push_back(lieu_from(r));
  return out;
}

std::optional<Lieu> lieu_by_id(Session& s, std::int64_t id) {
  auto rows = s.query(std::string(kLieuSelect) + "WHERE l.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return lieu_from(rows.rows[0]);
}

std::int64_t create_lieu(Session& s, std::int64_t mediateur_id, std::int64_t structure_id, const std::string& debut,
                         const std::optional<std::string>& fin) {
  auto now = core::now_iso();
  return s.insert(
      "INSERT INTO lieux_activite (mediateur_id, structure_id, debut, fin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      {mediateur_id, structure_id, debut, storage::nullable(fin), now, now});
}

void update_lieu(Session& s, std::int64_t id, const std::string& debut, const std::optional<std::string>& fin) {
  s.exec("UPDATE lieux_activite SET debut = ?, fin = ?, updated_at = ? WHERE id = ?",
         {debut, storage::nullable(fin), core::now_iso(), id});
}

std::vector<LieuPeriode> periodes(const std::vector<Lieu>& lieux) {
  std::vector<LieuPeriode> out;
  for (auto& l : lieux) out.push_back({l.structure_id, l.debut, l.fin});
  return out;
}

// ---- Activities ----

std::int64_t insert_activite(Session& s, const Activite& a) {
  std::string cols = "mediateur_id, version, created_at, updated_at";
  for (auto* c : kDataColumns) cols += std::string(", ") + c;
  for (auto* c : kCountColumns) cols += std::string(", ") + c;
  auto now = core::now_iso();
  Params p{a.mediateur_id, std::int64_t{1}, now, now};
  for (auto& v : data_params(a)) p.push_back(v);
  auto id = s.insert("INSERT INTO activites (" + cols + ") VALUES (" + placeholders(p.size()) + ")", p);
  Activite copy = a;
  copy.id = id;
  write_links(s, copy);
  return id;
}

bool update_activite(Session& s, const Activite& a) {
  std::string set = "version = version + 1, updated_at = ?";
  for (auto* c : kDataColumns) set += std::string(", ") + c + " = ?";
  for (auto* c : kCountColumns) set += std::string(", ") + c + " = ?";
  Params p{core::now_iso()};
  for (auto& v : data_params(a)) p.push_back(v);
  p.push_back(a.id);
  p.push_back(a.mediateur_id);
  p.push_back(a.version);
  auto n = s.exec("UPDATE activites SET " + set + " WHERE id = ? AND mediateur_id = ? AND version = ? AND deleted_at IS NULL",
                  p);
  if (n == 0) return false;
  write_links(s, a);
  return true;
}

std::optional<Vue> activite_by_id(Session& s, std::int64_t id, bool include_deleted) {
  auto rows = s.query(kSelect + "WHERE a.id = ?" + (include_deleted ? "" : " AND a.deleted_at IS NULL"), {id});
  if (rows.empty()) return std::nullopt;
  std::vector<Vue> v{vue_from(rows.rows[0])};
  load_links(s, v);
  return std::move(v[0]);
}

bool soft_delete(Session& s, std::int64_t id, std::int64_t mediateur_id) {
  auto now = core::now_iso();
  if (s.exec("UPDATE activites SET deleted_at = ?, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND mediateur_id = ? AND deleted_at IS NULL",
             {now, now, id, mediateur_id}) == 0)
    return false;
  // Its anonymous beneficiary goes to the bin with it (and comes back with it).
  if (auto own = own_anonymous(s, id))
    s.exec("UPDATE beneficiaires SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
           {now, now, *own});
  return true;
}

bool restore(Session& s, std::int64_t id, std::int64_t mediateur_id, const std::string& deleted_since) {
  auto now = core::now_iso();
  if (s.exec("UPDATE activites SET deleted_at = NULL, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND mediateur_id = ? AND deleted_at IS NOT NULL AND deleted_at >= ?",
             {now, id, mediateur_id, deleted_since}) == 0)
    return false;
  if (auto own = own_anonymous(s, id))
    s.exec("UPDATE beneficiaires SET deleted_at = NULL, updated_at = ?, version = version + 1 "
           "WHERE id = ? AND deleted_at IS NOT NULL",
           {now, *own});
  return true;
}

std::optional<std::int64_t> beneficiaire_anonyme_of(Session& s, std::int64_t activite_id) {
  return own_anonymous(s, activite_id);
}

Page list(Session& s, const Filtres& f) {
  std::string where = "WHERE a.mediateur_id = ? AND a.deleted_at IS NULL";
  Params p{f.mediateur_id};
  if (f.du) { where += " AND a.date >= ?"; p.push_back(*f.du); }
  if (f.au) { where += " AND a.date <= ?"; p.push_back(*f.au); }
  auto in_list = [&](const char* col, const auto& values) {
    if (values.empty()) return;
    where += std::string(" AND ") + col + " IN (" + placeholders(values.size()) + ")";
    for (auto& v : values) p.push_back(v);
  };
  in_list("a.type", f.types);
  in_list("a.lieu_activite_id", f.lieux);
  if (!f.thematiques.empty()) {
    where += " AND (";
    for (std::size_t i = 0; i < f.thematiques.size(); ++i) {
      where += i ? " OR " : "";
      where += "',' || a.thematiques || ',' LIKE ?";
      p.push_back("%," + f.thematiques[i] + ",%");
    }
    where += ")";
  }
  if (!f.communes.empty()) {
    // the CRA's commune, else the commune of its lieu d'activité
    where += " AND (a.commune_insee IN (" + placeholders(f.communes.size()) + ") OR st.commune_insee IN (" +
             placeholders(f.communes.size()) + "))";
    for (auto& c : f.communes) p.push_back(c);
    for (auto& c : f.communes) p.push_back(c);
  }
  if (!f.beneficiaires.empty()) {
    where += " AND EXISTS (SELECT 1 FROM activite_beneficiaires ab WHERE ab.activite_id = a.id AND ab.beneficiaire_id IN (" +
             placeholders(f.beneficiaires.size()) + "))";
    for (auto b : f.beneficiaires) p.push_back(b);
  }
  if (!f.tags.empty()) {
    where += " AND EXISTS (SELECT 1 FROM activite_tags at WHERE at.activite_id = a.id AND at.tag_id IN (" +
             placeholders(f.tags.size()) + "))";
    for (auto t : f.tags) p.push_back(t);
  }
  Page page;
  // The join to structures only when a commune filter needs it: COUNT(*) then reads the index alone.
  page.total = as_int(s.query(std::string("SELECT COUNT(*) FROM activites a ") +
                                  (f.communes.empty() ? "" : "LEFT JOIN structures st ON st.id = a.lieu_activite_id ") +
                                  where,
                              p)
                          .rows[0][0]);

  bool desc = !f.tri.empty() && f.tri[0] == '-';
  std::string key = f.tri.substr(desc ? 1 : 0);
  const char* col = key == "duree" ? "a.duree" : key == "type" ? "a.type" : "a.date";
  if (f.apres) {
    auto tilde = f.apres->rfind('~');
    std::string value = f.apres->substr(0, tilde);
    std::int64_t id = 0;
    auto idtext = f.apres->substr(tilde + 1);
    std::from_chars(idtext.data(), idtext.data() + idtext.size(), id);
    // A row-value comparison: both engines seek the index to the cursor (PostgreSQL only turns
    // this form, not "col < ? OR (col = ? AND id < ?)", into an index bound; with the OR form a
    // page 500 deep read the 10,000 entries before it — bench/activites/list.sh).
    where += std::string(" AND (") + col + ", a.id) " + (desc ? "<" : ">") + " (?, ?)";
    if (key == "duree") {
      std::int64_t d = 0;
      std::from_chars(value.data(), value.data() + value.size(), d);
      p.push_back(d);
    } else {
      p.push_back(value);
    }
    p.push_back(id);
  }
  std::string dir = desc ? " DESC" : " ASC";
  p.push_back(f.limite + 1);
  auto rows = s.query(kSelect + where + " ORDER BY " + col + dir + ", a.id" + dir + " LIMIT ?", p);
  for (auto& r : rows.rows) page.items.push_back(vue_from(r));
  if (static_cast<std::int64_t>(page.items.size()) > f.limite) {
    page.items.resize(f.limite);
    auto& last = page.items.back().a;
    std::string v = key == "duree" ? std::to_string(last.duree) : key == "type" ? last.type : last.date;
    page.suivant = v + "~" + std::to_string(last.id);
  }
  load_links(s, page.items);
  return page;
}

std::int64_t purge_deleted(Session& s, const std::string& before, std::int64_t limit) {
  auto rows = s.query("SELECT id FROM activites WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY id LIMIT ?",
                      {before, limit});
  std::int64_t n = 0;
  for (auto& r : rows.rows) {
    const Value id = as_int(r[0]);
    // The foreign keys cascade too; explicit so that the rule does not hide in the schema.
    s.exec("DELETE FROM activite_beneficiaires WHERE activite_id = ?", {id});
    s.exec("DELETE FROM activite_tags WHERE activite_id = ?", {id});
    s.exec("DELETE FROM activites_cles WHERE activite_id = ?", {id});
    n += s.exec("DELETE FROM activites WHERE id = ? AND deleted_at IS NOT NULL AND deleted_at < ?", {id, before});
  }
  return n;
}

std::optional<std::int64_t> activite_par_cle(Session& s, std::int64_t mediateur_id, const std::string& cle) {
  auto rows = s.query("SELECT activite_id FROM activites_cles WHERE mediateur_id = ? AND cle = ?", {mediateur_id, cle});
  if (rows.empty()) return std::nullopt;
  return as_int(rows.rows[0][0]);
}

void enregistrer_cle(Session& s, std::int64_t mediateur_id, const std::string& cle, std::int64_t activite_id) {
  s.exec("INSERT INTO activites_cles (mediateur_id, cle, activite_id, created_at) VALUES (?, ?, ?, ?)",
         {mediateur_id, cle, activite_id, core::now_iso()});
}

std::vector<Vue> corbeille(Session& s, std::int64_t mediateur_id, const std::string& since) {
  auto rows = s.query(kSelect + "WHERE a.mediateur_id = ? AND a.deleted_at IS NOT NULL AND a.deleted_at >= ? "
                                "ORDER BY a.deleted_at DESC, a.id DESC LIMIT 1000",
                      {mediateur_id, since});
  std::vector<Vue> out;
  for (auto& r : rows.rows) out.push_back(vue_from(r));
  load_links(s, out);
  return out;
}

std::vector<std::int64_t> durees_frequentes(Session& s, std::int64_t mediateur_id, int threshold) {
  auto rows = s.query("SELECT duree, COUNT(*) AS n FROM activites WHERE mediateur_id = ? AND deleted_at IS NULL "
                      "GROUP BY duree HAVING COUNT(*) > ? ORDER BY n DESC, duree LIMIT 12",
                      {mediateur_id, std::int64_t{threshold}});
  std::vector<std::int64_t> out;
  for (auto& r : rows.rows) out.push_back(as_int(r[0]));
  return out;
}

std::optional<std::int64_t> dernier_lieu(Session& s, std::int64_t mediateur_id) {
  auto rows = s.query("SELECT lieu_activite_id FROM activites WHERE mediateur_id = ? AND deleted_at IS NULL "
                      "AND lieu_activite_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1",
                      {mediateur_id});
  if (rows.empty()) return std::nullopt;
  return as_opt_int(rows.rows[0][0]);
}

std::vector<Personne> beneficiaires_of(Session& s, std::int64_t mediateur_id, const std::vector<std::int64_t>& ids) {
  std::vector<Personne> out;
  if (ids.empty()) return out;
  Params p{mediateur_id};
  for (auto id : ids) p.push_back(id);
  auto rows = s.query("SELECT id, anonyme, prenom, nom FROM beneficiaires WHERE mediateur_id = ? AND deleted_at IS NULL "
                      "AND id IN (" + placeholders(ids.size()) + ") ORDER BY id",
                      p);
  for (auto& r : rows.rows) out.push_back({as_int(r[0]), as_int(r[1]) != 0, as_opt_text(r[2]), as_opt_text(r[3])});
  return out;
}

void recompute_premier(Session& s, const std::vector<std::int64_t>& beneficiaire_ids) {
  for (auto b : beneficiaire_ids) {
    auto first = s.query("SELECT a.id FROM activite_beneficiaires ab JOIN activites a ON a.id = ab.activite_id "
                         "WHERE ab.beneficiaire_id = ? AND a.deleted_at IS NULL ORDER BY a.date, a.id LIMIT 1",
                         {b});
    std::int64_t first_id = first.empty() ? 0 : as_int(first.rows[0][0]);
    s.exec("UPDATE activite_beneficiaires SET premier_accompagnement = CASE WHEN activite_id = ? THEN 1 ELSE 0 END "
           "WHERE beneficiaire_id = ? AND premier_accompagnement <> CASE WHEN activite_id = ? THEN 1 ELSE 0 END",
           {first_id, b, first_id});
  }
}

std::vector<std::int64_t> beneficiaires_of_activite(Session& s, std::int64_t activite_id) {
  auto rows = s.query("SELECT beneficiaire_id FROM activite_beneficiaires WHERE activite_id = ?", {activite_id});
  std::vector<std::int64_t> out;
  for (auto& r : rows.rows) out.push_back(as_int(r[0]));
  return out;
}

std::vector<std::int64_t> deplacer_orientations(Session& s, std::int64_t retire, std::int64_t survivant) {
  std::vector<std::int64_t> ids;
  for (auto& r : s.query("SELECT id FROM activites WHERE orientation_lieu_id = ? ORDER BY id", {retire}).rows)
    ids.push_back(as_int(r[0]));
  if (!ids.empty())
    s.exec("UPDATE activites SET orientation_lieu_id = ?, updated_at = ?, version = version + 1 WHERE orientation_lieu_id = ?",
           {survivant, core::now_iso(), retire});
  return ids;
}

std::optional<std::vector<std::string>> services_du_lieu(Session& s, std::int64_t lieu_id) {
  auto rows = s.query("SELECT services FROM lieux WHERE id = ?", {lieu_id});
  if (rows.empty()) return std::nullopt;
  return lieux::separer(as_text(rows.rows[0][0]));
}

std::int64_t create_tag(Session& s, const std::string& nom, const std::string& portee, std::optional<std::int64_t> owner_id,
                        const std::optional<std::string>& departement) {
  return s.insert("INSERT INTO tags (nom, portee, owner_id, departement, created_at) VALUES (?, ?, ?, ?, ?)",
                  {nom, portee, storage::nullable(owner_id), storage::nullable(departement), core::now_iso()});
}

}  // namespace coop::activites::store
