#include "features/api_clients/store.hpp"

#include "core/time.hpp"

namespace coop::api_clients::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Value;

namespace {

constexpr const char* kColumns =
    "c.id, c.nom, c.client_id, c.secret_hash, c.scopes, c.valide_du, c.valide_au, c.created_by, "
    "COALESCE(u.prenom || ' ' || u.nom, ''), c.created_at, c.revoked_at "
    "FROM api_clients c LEFT JOIN users u ON u.id = c.created_by";

Row from(const std::vector<Value>& r) {
  Row c;
  c.id = as_int(r[0]);
  c.nom = as_text(r[1]);
  c.client_id = as_text(r[2]);
  c.secret_hash = as_text(r[3]);
  c.scopes = scopes_from_csv(as_text(r[4]));
  c.valide_du = as_text(r[5]);
  c.valide_au = as_opt_text(r[6]);
  c.created_by = as_opt_int(r[7]);
  c.created_by_nom = as_text(r[8]);
  c.created_at = as_text(r[9]);
  c.revoked_at = as_opt_text(r[10]);
  return c;
}

std::optional<Row> first(const storage::Rows& rows) {
  if (rows.empty()) return std::nullopt;
  return from(rows.rows[0]);
}

}  // namespace

std::int64_t create(Session& s, const Definition& d, const std::string& client_id, const std::string& secret_hash,
                    std::int64_t created_by) {
  return s.insert(
      "INSERT INTO api_clients (nom, client_id, secret_hash, scopes, valide_du, valide_au, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {d.nom, client_id, secret_hash, scopes_to_csv(d.scopes), d.valide_du,
       d.valide_au ? Value(*d.valide_au) : Value(nullptr), created_by, core::now_iso()});
}

std::optional<Row> by_id(Session& s, std::int64_t id) {
  return first(s.query(std::string("SELECT ") + kColumns + " WHERE c.id = ?", {id}));
}

std::optional<Row> by_client_id(Session& s, const std::string& client_id) {
  return first(s.query(std::string("SELECT ") + kColumns + " WHERE c.client_id = ?", {client_id}));
}

std::vector<Row> list(Session& s) {
  std::vector<Row> out;
  for (auto& r : s.query(std::string("SELECT ") + kColumns + " ORDER BY c.id DESC").rows) out.push_back(from(r));
  return out;
}

bool revoke(Session& s, std::int64_t id) {
  return s.exec("UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {core::now_iso(), id}) > 0;
}

}  // namespace coop::api_clients::store
