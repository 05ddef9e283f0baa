#include "features/motdepasse/store.hpp"

#include "features/motdepasse/model.hpp"

namespace coop::motdepasse::store {

using storage::as_int;
using storage::as_opt_text;
using storage::as_text;

std::int64_t creer_lien(Session& s, const std::string& token_hash, std::int64_t user_id, const std::string& created_at,
                        const std::string& expires_at, const std::string& ip) {
  return s.insert(
      "INSERT INTO reinitialisations_mot_de_passe (token_hash, user_id, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?)",
      {token_hash, user_id, created_at, expires_at, ip});
}

std::optional<LienStocke> lien_par_hash(Session& s, const std::string& token_hash) {
  auto rows = s.query(
      "SELECT id, user_id, created_at, expires_at, used_at, revoked_at FROM reinitialisations_mot_de_passe "
      "WHERE token_hash = ?",
      {token_hash});
  if (rows.empty()) return std::nullopt;
  auto& r = rows.rows[0];
  return LienStocke{as_int(r[0]), as_int(r[1]), as_text(r[2]), as_text(r[3]), as_opt_text(r[4]), as_opt_text(r[5])};
}

bool marquer_utilise(Session& s, std::int64_t id, const std::string& at) {
  return s.exec("UPDATE reinitialisations_mot_de_passe SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL "
                "AND expires_at > ?",
                {at, id, at}) == 1;
}

std::int64_t annuler_liens(Session& s, std::int64_t user_id, const std::string& at) {
  return s.exec(
      "UPDATE reinitialisations_mot_de_passe SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL",
      {at, user_id});
}

std::int64_t liens_envoyes(Session& s, std::int64_t user_id, const std::string& since) {
  return as_int(s.query("SELECT COUNT(*) FROM reinitialisations_mot_de_passe WHERE user_id = ? AND created_at >= ?",
                        {user_id, since})
                    .rows.at(0)
                    .at(0));
}

std::int64_t demandes_pour_adresse(Session& s, const std::string& email, const std::string& since) {
  return as_int(s.query("SELECT COUNT(*) FROM audit_log WHERE event = ? AND subject_email = ? AND at >= ?",
                        {std::string(evt_demande), email, since})
                    .rows.at(0)
                    .at(0));
}

// Requests answered normally (whatever was done for the address) or limited per address or per
// account: all of them answered 202. Those refused with 429 do not count, so that the limit is
// lifted an hour after the last request it let through.
std::int64_t demandes_depuis_ip(Session& s, const std::string& ip, const std::string& since) {
  return as_int(s.query("SELECT COUNT(*) FROM audit_log WHERE event IN (?, ?) AND ip = ? AND at >= ? AND detail <> 'ip'",
                        {std::string(evt_demande), std::string(evt_limite), ip, since})
                    .rows.at(0)
                    .at(0));
}

std::int64_t liens_refuses_depuis_ip(Session& s, const std::string& ip, const std::string& since) {
  return as_int(s.query("SELECT COUNT(*) FROM audit_log WHERE event = ? AND ip = ? AND at >= ? AND detail <> 'ip'",
                        {std::string(evt_lien_refuse), ip, since})
                    .rows.at(0)
                    .at(0));
}

}  // namespace coop::motdepasse::store
