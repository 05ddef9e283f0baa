#include "features/fichiers/store.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace coop::fichiers::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_text;
using storage::Dialect;
using storage::Session;
using storage::Value;

namespace {

// Bytes as a bound value: raw on SQLite (binary-safe text binding into a BLOB column), the
// bytea hex input form on PostgreSQL (a text parameter cannot hold NUL bytes).
Value octets(Session& s, std::string_view data) {
  if (s.dialect() == Dialect::sqlite) return std::string(data);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + data.size() * 2);
  for (char ch : data) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A BLOB / bytea column back to bytes (PostgreSQL answers bytea as "\x…" hex text).
std::string lire_octets(Session& s, const Value& v) {
  std::string t = as_text(v);
  if (s.dialect() == Dialect::sqlite) return t;
  if (!t.starts_with("\\x")) throw storage::DbError(storage::DbError::Kind::other, "bytea: unexpected output format");
  std::string out;
  out.reserve((t.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < t.size(); i += 2) {
    const int hi = hex(t[i]), lo = hex(t[i + 1]);
    if (hi < 0 || lo < 0) throw storage::DbError(storage::DbError::Kind::other, "bytea: bad hex");
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

constexpr const char* kColonnes = "f.sha256, f.type, f.taille, f.largeur, f.hauteur, CASE WHEN f.apercu IS NULL THEN 0 ELSE 1 END, f.cree_le";

Fichier fichier_de(const std::vector<Value>& r) {
  return Fichier{.sha256 = as_text(r[0]),
                 .type = as_text(r[1]),
                 .taille = as_int(r[2]),
                 .largeur = as_opt_int(r[3]),
                 .hauteur = as_opt_int(r[4]),
                 .apercu = as_int(r[5]) != 0,
                 .cree_le = as_text(r[6])};
}

}  // namespace

Fichier enregistrer(Session& s, const Nouveau& f, const std::string& sha256, std::int64_t user_id, const std::string& nom) {
  const std::string maintenant = core::now_iso();
  // The bytes in pieces of kMorceau (fichiers_morceaux): a download reads one piece at a time.
  const auto n = static_cast<std::int64_t>((f.contenu.size() + kMorceau - 1) / kMorceau);
  const auto ajoute = s.exec(
      "INSERT INTO fichiers (sha256, type, taille, largeur, hauteur, contenu, apercu, cree_le, morceaux) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
      {sha256, f.type, static_cast<std::int64_t>(f.contenu.size()), storage::nullable(f.largeur),
       storage::nullable(f.hauteur), octets(s, ""), f.apercu ? octets(s, *f.apercu) : Value(nullptr), maintenant, n});
  if (ajoute > 0)
    for (std::int64_t i = 0; i < n; ++i)
      s.exec("INSERT INTO fichiers_morceaux (sha256, rang, octets) VALUES (?, ?, ?)",
             {sha256, i, octets(s, std::string_view(f.contenu).substr(static_cast<std::size_t>(i) * kMorceau, kMorceau))});
  s.exec(
      "INSERT INTO fichiers_televersements (sha256, user_id, nom, cree_le) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (sha256, user_id) DO UPDATE SET nom = excluded.nom, cree_le = excluded.cree_le",
      {sha256, user_id, nom, maintenant});
  return *infos(s, sha256);
}

std::optional<Fichier> infos(Session& s, const std::string& sha256) {
  auto rows = s.query(std::string("SELECT ") + kColonnes + " FROM fichiers f WHERE f.sha256 = ?", {sha256});
  if (rows.empty()) return std::nullopt;
  return fichier_de(rows.rows[0]);
}

std::int64_t volume_televerse(Session& s, std::int64_t user_id, const std::string& depuis, const std::string& sauf) {
  auto rows = s.query(
      "SELECT COALESCE(SUM(f.taille), 0) FROM fichiers_televersements t JOIN fichiers f ON f.sha256 = t.sha256 "
      "WHERE t.user_id = ? AND t.cree_le >= ? AND t.sha256 <> ?",
      {user_id, depuis, sauf});
  return as_int(rows.rows[0][0]);
}

std::optional<std::string> contenu(Session& s, const std::string& sha256, bool apercu) {
  auto rows = s.query("SELECT morceaux, taille, CASE WHEN apercu IS NULL THEN 0 ELSE 1 END FROM fichiers WHERE sha256 = ?", {sha256});
  if (rows.empty()) return std::nullopt;
  if (apercu && as_int(rows.rows[0][2]) == 1)
    return lire_octets(s, s.query("SELECT apercu FROM fichiers WHERE sha256 = ?", {sha256}).rows[0][0]);
  return plage(s, sha256, 0, static_cast<std::uint64_t>(as_int(rows.rows[0][1])));
}

std::optional<std::string> plage(Session& s, const std::string& sha256, std::uint64_t debut, std::uint64_t n) {
  auto rows = s.query("SELECT morceaux, taille FROM fichiers WHERE sha256 = ?", {sha256});
  if (rows.empty()) return std::nullopt;
  const auto taille = static_cast<std::uint64_t>(as_int(rows.rows[0][1]));
  if (debut >= taille || n == 0) return std::string();
  n = std::min(n, taille - debut);
  if (as_int(rows.rows[0][0]) == 0) {  // a file stored before the pieces: a slice of contenu
    const char* sql = s.dialect() == Dialect::sqlite ? "SELECT substr(contenu, ?, ?) FROM fichiers WHERE sha256 = ?"
                                                     : "SELECT substring(contenu from ? for ?) FROM fichiers WHERE sha256 = ?";
    return lire_octets(s, s.query(sql, {static_cast<std::int64_t>(debut + 1), static_cast<std::int64_t>(n), sha256}).rows[0][0]);
  }
  const auto premier = static_cast<std::int64_t>(debut / kMorceau), dernier = static_cast<std::int64_t>((debut + n - 1) / kMorceau);
  std::string out;
  out.reserve(n);
  for (auto& r : s.query("SELECT rang, octets FROM fichiers_morceaux WHERE sha256 = ? AND rang >= ? AND rang <= ? ORDER BY rang",
                         {sha256, premier, dernier}).rows) {
    const std::string m = lire_octets(s, r[1]);
    const std::uint64_t base = static_cast<std::uint64_t>(as_int(r[0])) * kMorceau;
    const std::uint64_t a = std::max(debut, base), b = std::min(debut + n, base + m.size());
    if (a < b) out.append(m, a - base, b - a);
  }
  if (out.size() != n) throw storage::DbError(storage::DbError::Kind::other, "fichiers: pieces missing for " + sha256);
  return out;
}

std::optional<std::string> nom_televerse(Session& s, const std::string& sha256, std::int64_t user_id) {
  auto rows = s.query("SELECT nom FROM fichiers_televersements WHERE sha256 = ? AND user_id = ?", {sha256, user_id});
  if (rows.empty()) return std::nullopt;
  return as_text(rows.rows[0][0]);
}

std::vector<Piece> televersements(Session& s, std::int64_t user_id, int limite) {
  auto rows = s.query(std::string("SELECT ") + kColonnes +
                          ", t.nom, t.cree_le FROM fichiers_televersements t JOIN fichiers f ON f.sha256 = t.sha256 "
                          "WHERE t.user_id = ? ORDER BY t.cree_le DESC, t.sha256 LIMIT ?",
                      {user_id, static_cast<std::int64_t>(limite)});
  std::vector<Piece> out;
  for (auto& r : rows.rows) out.push_back(Piece{.fichier = fichier_de(r), .nom = as_text(r[7]), .objet_id = 0, .le = as_text(r[8])});
  return out;
}

std::optional<Piece> referencer(Session& s, const std::string& sha256, std::string_view domaine, std::int64_t objet_id,
                                std::int64_t user_id) {
  auto nom = nom_televerse(s, sha256, user_id);
  if (!nom) return std::nullopt;
  const std::string maintenant = core::now_iso();
  s.exec("INSERT INTO fichiers_references (sha256, domaine, objet_id, nom, cree_le) VALUES (?, ?, ?, ?, ?) "
         "ON CONFLICT (sha256, domaine, objet_id) DO NOTHING",
         {sha256, std::string(domaine), objet_id, *nom, maintenant});
  auto rows = s.query("SELECT nom, cree_le FROM fichiers_references WHERE sha256 = ? AND domaine = ? AND objet_id = ?",
                      {sha256, std::string(domaine), objet_id});
  return Piece{.fichier = *infos(s, sha256), .nom = as_text(rows.rows[0][0]), .objet_id = objet_id, .le = as_text(rows.rows[0][1])};
}

void dereferencer(Session& s, std::string_view domaine, std::int64_t objet_id) {
  s.exec("DELETE FROM fichiers_references WHERE domaine = ? AND objet_id = ?", {std::string(domaine), objet_id});
}

std::vector<Piece> pieces(Session& s, std::string_view domaine, const std::vector<std::int64_t>& objet_ids) {
  std::vector<Piece> out;
  // In slices: one statement's parameters stay well under both engines' limits.
  for (std::size_t debut = 0; debut < objet_ids.size(); debut += 500) {
    const std::size_t fin = std::min(objet_ids.size(), debut + 500);
    std::string sql = std::string("SELECT ") + kColonnes +
                      ", r.nom, r.objet_id, r.cree_le FROM fichiers_references r JOIN fichiers f ON f.sha256 = r.sha256 "
                      "WHERE r.domaine = ? AND r.objet_id IN (";
    storage::Params p;
    p.reserve(1 + fin - debut);
    p.emplace_back(std::in_place_type<std::string>, domaine);
    for (std::size_t i = debut; i < fin; ++i) {
      sql += i == debut ? "?" : ", ?";
      p.emplace_back(std::in_place_type<std::int64_t>, objet_ids[i]);
    }
    sql += ") ORDER BY r.objet_id, r.cree_le, r.nom, f.sha256";
    for (auto& r : s.query(sql, p).rows)
      out.push_back(Piece{.fichier = fichier_de(r), .nom = as_text(r[7]), .objet_id = as_int(r[8]), .le = as_text(r[9])});
  }
  return out;
}

std::int64_t purger_orphelins(Session& s, const std::string& avant, std::int64_t limite) {
  return s.exec(
      "DELETE FROM fichiers WHERE sha256 IN (SELECT f.sha256 FROM fichiers f WHERE "
      "NOT EXISTS (SELECT 1 FROM fichiers_references r WHERE r.sha256 = f.sha256) AND "
      "NOT EXISTS (SELECT 1 FROM fichiers_televersements t WHERE t.sha256 = f.sha256 AND t.cree_le >= ?) "
      "ORDER BY f.sha256 LIMIT ?)",
      {avant, limite});
}

std::vector<Reference> references(Session& s, const std::string& sha256, int limite) {
  auto rows = s.query("SELECT domaine, objet_id, nom FROM fichiers_references WHERE sha256 = ? "
                      "ORDER BY cree_le, domaine, objet_id LIMIT ?",
                      {sha256, static_cast<std::int64_t>(limite)});
  std::vector<Reference> out;
  for (auto& r : rows.rows) out.push_back(Reference{.domaine = as_text(r[0]), .objet_id = as_int(r[1]), .nom = as_text(r[2])});
  return out;
}

}  // namespace coop::fichiers::store

namespace coop::fichiers::store {
void definir_apercu(Session& s, const std::string& sha256, const std::string& jpeg) {
  s.exec("UPDATE fichiers SET apercu = ? WHERE sha256 = ? AND apercu IS NULL", {octets(s, jpeg), sha256});
}
}  // namespace coop::fichiers::store
