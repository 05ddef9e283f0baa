#include "features/coordination/store.hpp"

#include "core/time.hpp"

namespace coop::coordination::store {

using storage::as_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Params;
using storage::Value;

namespace {

constexpr const char* kColumns =
    "id, coordinateur_id, type, date, duree, titre, notes, participants, created_at, updated_at "
    "FROM coordination_activites";

Row from(const std::vector<Value>& r) {
  Row row;
  row.id = as_int(r[0]);
  row.coordinateur_id = as_int(r[1]);
  row.d.type = as_text(r[2]);
  row.d.date = as_text(r[3]);
  row.d.duree = as_int(r[4]);
  row.d.titre = as_text(r[5]);
  row.d.notes = as_opt_text(r[6]);
  row.d.participants = as_int(r[7]);
  row.created_at = as_text(r[8]);
  row.updated_at = as_text(r[9]);
  return row;
}

}  // namespace

std::int64_t create(Session& s, std::int64_t coordinateur_id, const Draft& d) {
  auto now = core::now_iso();
  return s.insert(
      "INSERT INTO coordination_activites (coordinateur_id, type, date, duree, titre, notes, participants, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {coordinateur_id, d.type, d.date, d.duree, d.titre, d.notes ? Value(*d.notes) : Value(nullptr), d.participants,
       now, now});
}

std::optional<Row> by_id(Session& s, std::int64_t id) {
  auto rows = s.query(std::string("SELECT ") + kColumns + " WHERE id = ? AND deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  return from(rows.rows[0]);
}

std::pair<std::vector<Row>, std::int64_t> list(Session& s, std::int64_t coordinateur_id, const Filter& f,
                                               std::int64_t page, std::int64_t per_page) {
  std::string where = " WHERE coordinateur_id = ? AND deleted_at IS NULL";
  Params params{coordinateur_id};
  if (f.du) {
    where += " AND date >= ?";
    params.emplace_back(*f.du);
  }
  if (f.au) {
    where += " AND date <= ?";
    params.emplace_back(*f.au);
  }
  if (f.type) {
    where += " AND type = ?";
    params.emplace_back(*f.type);
  }
  auto total = as_int(s.query("SELECT COUNT(*) FROM coordination_activites" + where, params).rows.at(0).at(0));
  params.emplace_back(per_page);
  params.emplace_back((page - 1) * per_page);
  std::vector<Row> out;
  for (auto& r : s.query(std::string("SELECT ") + kColumns + where + " ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
                         params)
                     .rows)
    out.push_back(from(r));
  return {std::move(out), total};
}

bool soft_delete(Session& s, std::int64_t id) {
  auto now = core::now_iso();
  return s.exec("UPDATE coordination_activites SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                {now, now, id}) > 0;
}

}  // namespace coop::coordination::store
