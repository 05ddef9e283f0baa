#include "features/tags/store.hpp"

#include "core/time.hpp"

namespace coop::tags::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {

constexpr const char* kColumns = "t.id, t.nom, t.portee, t.owner_id, t.departement, t.created_at";

Tag from(const std::vector<Value>& r) {
  Tag t;
  t.id = as_int(r[0]);
  t.nom = as_text(r[1]);
  t.portee = as_text(r[2]);
  t.owner_id = as_opt_int(r[3]);
  t.departement = as_opt_text(r[4]);
  t.created_at = as_text(r[5]);
  if (r.size() > 6) t.utilisations = as_int(r[6]);
  return t;
}

}  // namespace

std::vector<std::string> communes_of_user(Session& s, std::int64_t user_id, const std::string& today) {
  auto rows = s.query(
      "SELECT DISTINCT st.commune_insee FROM structures st WHERE st.id IN ("
      " SELECT structure_id FROM employments WHERE user_id = ? AND statut = 'confirme' AND debut <= ? AND (fin IS NULL OR fin >= ?)"
      " UNION SELECT structure_id FROM lieux_activite WHERE mediateur_id = ? AND debut <= ? AND (fin IS NULL OR fin >= ?))",
      {user_id, today, today, user_id, today, today});
  std::vector<std::string> out;
  for (auto& r : rows.rows) out.push_back(as_text(r[0]));
  return out;
}

namespace {

// The condition of Viewer's rule on the tags row `t`, its values appended to `p`.
std::string visible_condition(const Viewer& v, Params& p) {
  for (auto x : {Value(v.user_id), Value(v.user_id), Value(v.user_id), Value(v.today), Value(v.today)}) p.push_back(x);
  std::string dep = "0 = 1";
  if (v.all_departemental) {
    dep = "1 = 1";
  } else if (!v.departements.empty()) {
    dep = "t.departement IN (";
    for (std::size_t i = 0; i < v.departements.size(); ++i) {
      dep += i ? ", ?" : "?";
      p.emplace_back(v.departements[i]);
    }
    dep += ")";
  }
  return "((t.portee = 'personnel' AND t.owner_id = ?)"
         " OR (t.portee = 'equipe' AND (t.owner_id = ? OR t.owner_id IN (SELECT coordinateur_id FROM team_members"
         "     WHERE mediateur_id = ? AND debut <= ? AND (fin IS NULL OR fin >= ?))))"
         " OR (t.portee = 'departemental' AND " + dep + "))";
}

}  // namespace

std::vector<Tag> visible(Session& s, const Viewer& v) {
  Params p;
  auto cond = visible_condition(v, p);
  auto rows = s.query(
      std::string("SELECT ") + kColumns +
          ", (SELECT COUNT(*) FROM activite_tags at JOIN activites a ON a.id = at.activite_id"
          "   WHERE at.tag_id = t.id AND a.deleted_at IS NULL)"
          " FROM tags t WHERE " + cond +
          " ORDER BY CASE t.portee WHEN 'personnel' THEN 0 WHEN 'equipe' THEN 1 ELSE 2 END, lower(t.nom), t.id",
      p);
  std::vector<Tag> out;
  for (auto& r : rows.rows) out.push_back(from(r));
  return out;
}

std::vector<std::int64_t> visible_among(Session& s, const Viewer& v, const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> out;
  if (ids.empty()) return out;
  Params p;
  std::string in;
  for (auto id : ids) {
    p.emplace_back(id);
    in += in.empty() ? "?" : ", ?";
  }
  auto cond = visible_condition(v, p);
  auto rows = s.query("SELECT t.id FROM tags t WHERE t.id IN (" + in + ") AND " + cond + " ORDER BY t.id", p);
  for (auto& r : rows.rows) out.push_back(as_int(r[0]));
  return out;
}

std::optional<Tag> by_id(Session& s, std::int64_t id) {
  auto rows = s.query(std::string("SELECT ") + kColumns + " FROM tags t WHERE t.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return from(rows.rows[0]);
}

bool exists(Session& s, const std::string& nom, const std::string& portee, std::optional<std::int64_t> owner_id,
            const std::optional<std::string>& departement) {
  if (portee == "departemental")
    return !s.query("SELECT 1 FROM tags WHERE portee = 'departemental' AND departement = ? AND lower(nom) = lower(?)",
                    {departement.value_or(""), nom})
                .empty();
  return !s.query("SELECT 1 FROM tags WHERE portee = ? AND owner_id = ? AND lower(nom) = lower(?)",
                  {portee, owner_id.value_or(0), nom})
              .empty();
}

std::int64_t create(Session& s, const std::string& nom, const std::string& portee, std::int64_t owner_id,
                    const std::optional<std::string>& departement) {
  return s.insert("INSERT INTO tags (nom, portee, owner_id, departement, created_at) VALUES (?, ?, ?, ?, ?)",
                  {nom, portee, owner_id, departement ? Value(*departement) : Value(nullptr), core::now_iso()});
}

void remove(Session& s, std::int64_t id) {
  s.exec("UPDATE activites SET updated_at = ? WHERE id IN (SELECT activite_id FROM activite_tags WHERE tag_id = ?)",
         {core::now_iso(), id});
  s.exec("DELETE FROM activite_tags WHERE tag_id = ?", {id});
  s.exec("DELETE FROM tags WHERE id = ?", {id});
}

}  // namespace coop::tags::store
