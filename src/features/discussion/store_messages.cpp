// Messages, reactions, mentions, search, the event log and reports.
#include <algorithm>
#include <optional>

#include "core/time.hpp"

// GCC 12 at -O2 reports a false -Wmaybe-uninitialized in std::variant's move when a Params
// (vector of variants) grows with push_back; the filters here are appended one by one.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "features/discussion/store.hpp"
#include "features/discussion/store_sql.hpp"

namespace coop::discussion::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::Dialect;
using storage::Params;
using storage::Value;

namespace {

constexpr const char* select_message =
    "SELECT m.id, m.canal_id, m.sujet_id, m.auteur_id, COALESCE(TRIM(u.prenom || ' ' || u.nom), ''), m.texte, m.html, "
    "m.liens, m.cree_le, m.modifie_le, m.supprime_le, m.epingle_le, t.titre FROM discussion_messages m "
    "JOIN discussion_sujets t ON t.id = m.sujet_id LEFT JOIN users u ON u.id = m.auteur_id ";

Message message_de(const std::vector<Value>& r) {
  return {.id = as_int(r[0]),
          .canal_id = as_int(r[1]),
          .sujet_id = as_int(r[2]),
          .auteur_id = as_opt_int(r[3]),
          .auteur_nom = as_text(r[4]),
          .texte = as_text(r[5]),
          .html = as_text(r[6]),
          .liens = as_text(r[7]),
          .cree_le = as_text(r[8]),
          .modifie_le = as_opt_text(r[9]),
          .supprime_le = as_opt_text(r[10]),
          .epingle_le = as_opt_text(r[11]),
          .sujet_titre = as_text(r[12])};
}

std::vector<Message> liste(Session& s, const std::string& sql, const Params& p) {
  std::vector<Message> out;
  for (auto& r : s.query(sql, p).rows) out.push_back(message_de(r));
  return out;
}

void indexer(Session& s, std::int64_t id, const std::string& index) {
  if (s.dialect() == Dialect::postgres) {
    s.exec("UPDATE discussion_messages SET recherche = to_tsvector('simple', ?) WHERE id = ?", {index, id});
  } else {
    s.exec("DELETE FROM discussion_recherche WHERE rowid = ?", {id});
    s.exec("INSERT INTO discussion_recherche (rowid, contenu) VALUES (?, ?)", {id, index});
  }
}

void desindexer(Session& s, std::int64_t id) {
  if (s.dialect() == Dialect::postgres)
    s.exec("UPDATE discussion_messages SET recherche = NULL WHERE id = ?", {id});
  else
    s.exec("DELETE FROM discussion_recherche WHERE rowid = ?", {id});
}

}  // namespace

std::int64_t creer_message(Session& s, const NouveauMessage& m) {
  const auto now = core::now_iso();
  auto id = s.insert(
      "INSERT INTO discussion_messages (canal_id, sujet_id, auteur_id, texte, html, liens, cree_le) VALUES (?, ?, ?, ?, ?, "
      "?, ?)",
      {m.canal_id, m.sujet_id, m.auteur_id, m.texte, m.html, m.liens, now});
  s.exec("UPDATE discussion_sujets SET nb_messages = nb_messages + 1, dernier_message_id = ?, dernier_message_le = ?, "
         "dernier_auteur_id = ? WHERE id = ?",
         {id, now, m.auteur_id, m.sujet_id});
  s.exec("UPDATE discussion_canaux SET dernier_message_id = ?, dernier_message_le = ? WHERE id = ?", {id, now, m.canal_id});
  indexer(s, id, m.index);
  return id;
}

std::optional<Message> message(Session& s, std::int64_t id) {
  auto v = liste(s, std::string(select_message) + "WHERE m.id = ?", {id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<Message> messages(Session& s, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  auto v = liste(s, std::string(select_message) + "WHERE m.id IN (" + places(ids.size()) + ")", valeurs(ids));
  std::map<std::int64_t, Message> par_id;
  for (auto& m : v) par_id[m.id] = std::move(m);
  std::vector<Message> out;
  for (auto id : ids)
    if (auto it = par_id.find(id); it != par_id.end()) out.push_back(it->second);
  return out;
}

std::vector<Message> page(Session& s, std::int64_t canal_id, std::optional<std::int64_t> sujet_id, Sens sens,
                          std::int64_t ancre, std::int64_t limite) {
  auto sql = std::string(select_message) + "WHERE m.canal_id = ?";
  Params p{canal_id};
  if (sujet_id) {
    sql += " AND m.sujet_id = ?";
    p.push_back(*sujet_id);
  }
  if (sens == Sens::avant) {
    sql += " AND m.id < ?";
    p.push_back(ancre);
  } else if (sens == Sens::apres) {
    sql += " AND m.id > ?";
    p.push_back(ancre);
  }
  sql += sens == Sens::apres ? " ORDER BY m.id ASC LIMIT ?" : " ORDER BY m.id DESC LIMIT ?";
  p.push_back(limite);
  auto v = liste(s, sql, p);
  if (sens != Sens::apres) std::reverse(v.begin(), v.end());
  return v;
}

bool existe(Session& s, std::int64_t canal_id, std::optional<std::int64_t> sujet_id, bool avant, std::int64_t id) {
  auto sql = std::string("SELECT 1 FROM discussion_messages WHERE canal_id = ? AND id ") + (avant ? "<" : ">") + " ?";
  Params p{canal_id, id};
  if (sujet_id) {
    sql += " AND sujet_id = ?";
    p.push_back(*sujet_id);
  }
  return !s.query(sql + " LIMIT 1", p).empty();
}

void modifier_message(Session& s, std::int64_t id, const std::string& texte, const std::string& html,
                      const std::string& liens, const std::string& index) {
  s.exec("UPDATE discussion_messages SET texte = ?, html = ?, liens = ?, modifie_le = ? WHERE id = ?",
         {texte, html, liens, core::now_iso(), id});
  indexer(s, id, index);
}

void supprimer_message(Session& s, std::int64_t id, std::int64_t par) {
  s.exec("UPDATE discussion_messages SET supprime_le = ?, supprime_par = ?, epingle_le = NULL, epingle_par = NULL WHERE id = ?",
         {core::now_iso(), par, id});
  s.exec("DELETE FROM discussion_reactions WHERE message_id = ?", {id});
  s.exec("DELETE FROM discussion_mentions WHERE message_id = ?", {id});
  desindexer(s, id);
}

void epingler(Session& s, std::int64_t id, std::optional<std::int64_t> par) {
  s.exec("UPDATE discussion_messages SET epingle_le = ?, epingle_par = ? WHERE id = ?",
         {par ? Value(core::now_iso()) : Value(nullptr), storage::nullable(par), id});
}

std::vector<Message> epingles(Session& s, std::int64_t canal_id) {
  return liste(s, std::string(select_message) + "WHERE m.canal_id = ? AND m.epingle_le IS NOT NULL ORDER BY m.epingle_le DESC, m.id DESC",
               {canal_id});
}

void deplacer(Session& s, const std::vector<std::int64_t>& ids, std::int64_t sujet_id) {
  if (ids.empty()) return;
  std::set<std::int64_t> anciens;
  for (auto& r : s.query("SELECT DISTINCT sujet_id FROM discussion_messages WHERE id IN (" + places(ids.size()) + ")",
                         valeurs(ids))
                     .rows)
    anciens.insert(as_int(r[0]));
  auto p = premier_puis(sujet_id, ids);
  s.exec("UPDATE discussion_messages SET sujet_id = ? WHERE id IN (" + places(ids.size()) + ")", p);
  anciens.insert(sujet_id);
  for (auto t : anciens) recalculer_sujet(s, t);
}

std::int64_t messages_depuis(Session& s, std::int64_t auteur_id, const std::string& depuis) {
  return as_int(
      s.query("SELECT COUNT(*) FROM discussion_messages WHERE auteur_id = ? AND cree_le > ?", {auteur_id, depuis}).rows[0][0]);
}

// ---- Reactions

std::map<std::int64_t, std::vector<Reaction>> reactions(Session& s, const std::vector<std::int64_t>& ids,
                                                        std::int64_t moi) {
  std::map<std::int64_t, std::vector<Reaction>> out;
  if (ids.empty()) return out;
  auto p = premier_puis(moi, ids);
  for (auto& r : s.query("SELECT message_id, emoji, COUNT(*), SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END), MIN(cree_le) "
                         "FROM discussion_reactions WHERE message_id IN (" +
                             places(ids.size()) + ") GROUP BY message_id, emoji ORDER BY message_id, MIN(cree_le), emoji",
                         p)
                     .rows)
    out[as_int(r[0])].push_back({.emoji = as_text(r[1]), .nb = as_int(r[2]), .moi = as_int(r[3]) > 0});
  return out;
}

bool reagir(Session& s, std::int64_t message_id, std::int64_t user_id, const std::string& emoji) {
  return s.exec("INSERT INTO discussion_reactions (message_id, user_id, emoji, cree_le) VALUES (?, ?, ?, ?) ON CONFLICT DO "
                "NOTHING",
                {message_id, user_id, emoji, core::now_iso()}) > 0;
}

bool retirer_reaction(Session& s, std::int64_t message_id, std::int64_t user_id, const std::string& emoji) {
  return s.exec("DELETE FROM discussion_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?",
                {message_id, user_id, emoji}) > 0;
}

// ---- Mentions

void mentionner(Session& s, std::int64_t message_id, std::int64_t canal_id, const std::vector<std::int64_t>& users) {
  for (auto u : users)
    s.exec("INSERT INTO discussion_mentions (message_id, user_id, canal_id, lu) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
           {message_id, u, canal_id});
}

std::map<std::int64_t, std::int64_t> mentions_non_lues_par_canal(Session& s, std::int64_t user_id) {
  std::map<std::int64_t, std::int64_t> out;
  for (auto& r : s.query("SELECT canal_id, COUNT(*) FROM discussion_mentions WHERE user_id = ? AND lu = 0 GROUP BY canal_id",
                         {user_id})
                     .rows)
    out[as_int(r[0])] = as_int(r[1]);
  return out;
}

void lire_mentions(Session& s, std::int64_t user_id, std::int64_t canal_id, std::optional<std::int64_t> sujet_id,
                   std::int64_t jusqu_a) {
  if (sujet_id)
    s.exec("UPDATE discussion_mentions SET lu = 1 WHERE user_id = ? AND canal_id = ? AND lu = 0 AND message_id <= ? AND "
           "message_id IN (SELECT id FROM discussion_messages WHERE sujet_id = ?)",
           {user_id, canal_id, jusqu_a, *sujet_id});
  else
    s.exec("UPDATE discussion_mentions SET lu = 1 WHERE user_id = ? AND canal_id = ? AND lu = 0 AND message_id <= ?",
           {user_id, canal_id, jusqu_a});
}

void rouvrir_mentions(Session& s, std::int64_t user_id, std::int64_t sujet_id, std::int64_t depuis) {
  s.exec("UPDATE discussion_mentions SET lu = 0 WHERE user_id = ? AND lu = 1 AND message_id >= ? AND message_id IN "
         "(SELECT id FROM discussion_messages WHERE sujet_id = ?)",
         {user_id, depuis, sujet_id});
}

std::vector<std::int64_t> mentions(Session& s, std::int64_t user_id, std::optional<std::int64_t> avant,
                                   std::int64_t limite) {
  std::vector<std::int64_t> out;
  auto sql = std::string(
      "SELECT x.message_id FROM discussion_mentions x JOIN discussion_membres mb ON mb.canal_id = x.canal_id AND "
      "mb.user_id = x.user_id WHERE x.user_id = ?");
  Params p{user_id};
  if (avant) {
    sql += " AND x.message_id < ?";
    p.push_back(*avant);
  }
  sql += " ORDER BY x.message_id DESC LIMIT ?";
  p.push_back(limite);
  for (auto& r : s.query(sql, p).rows) out.push_back(as_int(r[0]));
  return out;
}

std::set<std::int64_t> mentionne(Session& s, std::int64_t user_id, const std::vector<std::int64_t>& ids) {
  std::set<std::int64_t> out;
  if (ids.empty()) return out;
  auto p = premier_puis(user_id, ids);
  for (auto& r : s.query("SELECT message_id FROM discussion_mentions WHERE user_id = ? AND message_id IN (" +
                             places(ids.size()) + ")",
                         p)
                     .rows)
    out.insert(as_int(r[0]));
  return out;
}

std::set<std::int64_t> mentionnes(Session& s, std::int64_t message_id) {
  std::set<std::int64_t> out;
  for (auto& r : s.query("SELECT user_id FROM discussion_mentions WHERE message_id = ?", {message_id}).rows)
    out.insert(as_int(r[0]));
  return out;
}

// ---- Search

namespace {

// SQLite: FTS5 reads its doclists newest first (rowid order), so the LIMITs stop the scans.
std::pair<std::vector<std::int64_t>, std::int64_t> rechercher_sqlite(Session& s, std::int64_t user_id,
                                                                     const Filtres& f) {
  std::string from = " FROM discussion_recherche r JOIN discussion_messages m ON m.id = r.rowid ";
  from += "JOIN discussion_membres mb ON mb.canal_id = m.canal_id AND mb.user_id = ? WHERE ";
  from += "discussion_recherche MATCH ? AND m.supprime_le IS NULL";
  Params p{user_id, f.expression};
  if (f.canal_id) { from += " AND m.canal_id = ?"; p.push_back(*f.canal_id); }
  if (f.auteur_id) { from += " AND m.auteur_id = ?"; p.push_back(*f.auteur_id); }
  if (f.sujet_id) { from += " AND m.sujet_id = ?"; p.push_back(*f.sujet_id); }
  if (f.du) { from += " AND m.cree_le >= ?"; p.push_back(*f.du); }
  if (f.au) { from += " AND m.cree_le < ?"; p.push_back(core::date_plus_days(*f.au, 1)); }
  // Newest first, ordered by the FTS5 rowid (= m.id), which FTS5 reads from its index in that
  // order, so the LIMIT stops the scan; ORDER BY m.id would sort every match first. The total is
  // counted up to kRechercheTotalMax + 1 matches only, in the same order.
  const char* ordre = " ORDER BY r.rowid DESC LIMIT ?";
  auto pc = p;
  pc.push_back(kRechercheTotalMax + 1);
  auto total = as_int(s.query("SELECT COUNT(*) FROM (SELECT 1" + from + ordre + ") t", pc).rows[0][0]);
  if (f.avant) { from += " AND m.id < ?"; p.push_back(*f.avant); }
  p.push_back(f.limite);
  std::vector<std::int64_t> ids;
  for (auto& r : s.query("SELECT m.id" + from + ordre, p).rows) ids.push_back(as_int(r[0]));
  return {ids, total};
}

// PostgreSQL: a GIN index answers a bitmap of every match, unordered: for a common word (10 % of
// 1,000,000 messages) building it and reading the matches' rows to keep the visible ones costs far
// more than the page needs, and the planner cannot tell a common word from a rare one (it
// multiplies the words' frequencies as if independent: off by 100 on mediators' messages). So:
//  1. the window: the newest r.fenetre messages of the user's channels (one backward scan of the
//     (canal_id, id) index per channel, merged: r.fenetre rows read), each tested against the
//     query and the filters. Enough matches there, or the window is all the messages: the page.
//  2. the count (up to kRechercheTotalMax + 1): from the window when it holds every message; for a
//     common query (r.dense_pour_mille of the window matches), counted in the last r.pages pages
//     of the table (a TID range scan, stopping at the bound, the channel tested before the text);
//     otherwise, or when those pages hold fewer, from the GIN index.
//  3. a page the window could not fill: from the GIN index, newest first.
// Every path gives the same ids and total as an exact search would, hence as SQLite.
std::pair<std::vector<std::int64_t>, std::int64_t> rechercher_pg(Session& s, std::int64_t user_id, const Filtres& f,
                                                                 const Reglages& r) {
  // Plans for the query's own words (prepared statements would fall back to a generic plan, in
  // which to_tsquery(?) is evaluated for every row and every word has the same frequency).
  s.exec("SET LOCAL plan_cache_mode = force_custom_plan");
  std::vector<std::int64_t> canaux;
  {
    std::string q = "SELECT canal_id FROM discussion_membres WHERE user_id = ?";
    Params p{user_id};
    if (f.canal_id) { q += " AND canal_id = ?"; p.push_back(*f.canal_id); }
    for (auto& row : s.query(q + " ORDER BY canal_id", p).rows) canaux.push_back(as_int(row[0]));
  }
  if (canaux.empty()) return {{}, 0};
  // The filters other than the channel and the cursor, on the alias w (window) or m.
  auto filtres = [&](const char* a, Params& p) {
    std::string out;
    const std::string t(a);
    if (f.auteur_id) { out += " AND " + t + ".auteur_id = ?"; p.push_back(*f.auteur_id); }
    if (f.sujet_id) { out += " AND " + t + ".sujet_id = ?"; p.push_back(*f.sujet_id); }
    if (f.du) { out += " AND " + t + ".cree_le >= ?"; p.push_back(*f.du); }
    if (f.au) { out += " AND " + t + ".cree_le < ?"; p.push_back(core::date_plus_days(*f.au, 1)); }
    return out;
  };
  const std::string tsq = "to_tsquery('simple', ?)";

  // 1. The window.
  Params pw{f.expression};
  std::string sql = "SELECT w.id, CASE WHEN w.supprime_le IS NULL AND w.recherche @@ " + tsq + filtres("w", pw) +
                    " THEN 1 ELSE 0 END FROM (";
  for (std::size_t i = 0; i < canaux.size(); ++i) {
    if (i > 0) sql += " UNION ALL ";
    sql += "(SELECT m.id, m.supprime_le, m.recherche, m.auteur_id, m.sujet_id, m.cree_le FROM discussion_messages m "
           "WHERE m.canal_id = ?";
    pw.push_back(canaux[i]);
    if (f.avant) { sql += " AND m.id < ?"; pw.push_back(*f.avant); }
    sql += " ORDER BY m.id DESC LIMIT ?)";
    pw.push_back(r.fenetre);
  }
  sql += ") w ORDER BY w.id DESC LIMIT ?";
  pw.push_back(r.fenetre);
  std::vector<std::int64_t> trouves;
  std::int64_t lus = 0;
  for (auto& row : s.query(sql, pw).rows) {
    ++lus;
    if (as_int(row[1]) == 1) trouves.push_back(as_int(row[0]));
  }
  const bool tout_lu = lus < r.fenetre;  // every message of the channels (from the cursor on)
  const auto n = static_cast<std::int64_t>(trouves.size());

  // The GIN queries' common part.
  Params pg_params{f.expression};
  std::string gin = " FROM discussion_messages m WHERE m.recherche @@ " + tsq + " AND m.supprime_le IS NULL" +
                    " AND m.canal_id IN (" + places(canaux.size()) + ")";
  for (auto c : canaux) pg_params.push_back(c);
  gin += filtres("m", pg_params);

  // 2. The count, over every message (the cursor aside).
  std::int64_t total = 0;
  if (tout_lu && !f.avant) {
    total = std::min(n, kRechercheTotalMax + 1);
  } else {
    std::optional<std::int64_t> compte;
    if (n * 1000 >= r.dense_pour_mille * r.fenetre) {
      const auto taille = as_int(s.query("SELECT pg_relation_size('discussion_messages') / "
                                         "current_setting('block_size')::bigint").rows[0][0]);
      const auto debut = std::max<std::int64_t>(0, taille - r.pages);
      Params pp{"(" + std::to_string(debut) + ",0)"};
      for (auto c : canaux) pp.push_back(c);
      std::string q = "SELECT COUNT(*) FROM (SELECT 1 FROM discussion_messages m WHERE m.ctid >= CAST(? AS tid) "
                      "AND CASE WHEN m.canal_id IN (" + places(canaux.size()) + ") AND m.supprime_le IS NULL";
      q += filtres("m", pp);
      q += " THEN m.recherche @@ " + tsq + " ELSE false END LIMIT ?) t";
      pp.push_back(f.expression);
      pp.push_back(kRechercheTotalMax + 1);
      const auto c = as_int(s.query(q, pp).rows[0][0]);
      // Every page read (a table smaller than the bound) or the bound reached: the count.
      if (debut == 0 || c > kRechercheTotalMax) compte = c;
    }
    if (!compte) {
      auto pc = pg_params;
      pc.push_back(kRechercheTotalMax + 1);
      compte = as_int(s.query("SELECT COUNT(*) FROM (SELECT 1" + gin + " LIMIT ?) t", pc).rows[0][0]);
    }
    total = *compte;
  }

  // 3. The page.
  if (n >= f.limite || tout_lu) {
    if (n > f.limite) trouves.resize(static_cast<std::size_t>(f.limite));
    return {trouves, total};
  }
  auto pi = pg_params;
  if (f.avant) { gin += " AND m.id < ?"; pi.push_back(*f.avant); }
  pi.push_back(f.limite);
  std::vector<std::int64_t> ids;
  for (auto& row : s.query("SELECT m.id" + gin + " ORDER BY m.id DESC LIMIT ?", pi).rows) ids.push_back(as_int(row[0]));
  return {ids, total};
}

}  // namespace

std::pair<std::vector<std::int64_t>, std::int64_t> rechercher(Session& s, std::int64_t user_id, const Filtres& f,
                                                              const Reglages& r) {
  return s.dialect() == Dialect::postgres ? rechercher_pg(s, user_id, f, r) : rechercher_sqlite(s, user_id, f);
}

// ---- Event log

std::int64_t evenement(Session& s, std::optional<std::int64_t> canal_id, std::optional<std::int64_t> user_id,
                       const std::string& type, const std::string& donnees) {
  // PostgreSQL hands out identity values before commit: two transactions could commit their
  // events out of seq order, and a client resuming from the higher one would miss the lower.
  // The lock (held until commit) makes seq order the commit order. SQLite has one writer.
  if (s.dialect() == Dialect::postgres) s.query("SELECT pg_advisory_xact_lock(?)", {std::int64_t{0x636F6F7064697363}});
  return s.insert("INSERT INTO discussion_evenements (canal_id, user_id, type, donnees, cree_le) VALUES (?, ?, ?, ?, ?)",
                  {storage::nullable(canal_id), storage::nullable(user_id), type, donnees, core::now_iso()});
}

std::int64_t dernier_seq(Session& s) {
  return as_opt_int(s.query("SELECT MAX(id) FROM discussion_evenements").rows[0][0]).value_or(0);
}

namespace {
Evenement evenement_de(const std::vector<Value>& r) {
  return {.seq = as_int(r[0]),
          .canal_id = as_opt_int(r[1]),
          .user_id = as_opt_int(r[2]),
          .type = as_text(r[3]),
          .donnees = as_text(r[4])};
}
}  // namespace

std::vector<Evenement> evenements_depuis(Session& s, std::int64_t user_id, std::int64_t depuis, std::int64_t limite) {
  std::vector<Evenement> out;
  for (auto& r : s.query("SELECT e.id, e.canal_id, e.user_id, e.type, e.donnees FROM discussion_evenements e WHERE e.id > ? "
                         "AND (e.user_id = ? OR (e.user_id IS NULL AND e.canal_id IN (SELECT canal_id FROM "
                         "discussion_membres WHERE user_id = ?))) ORDER BY e.id LIMIT ?",
                         {depuis, user_id, user_id, limite})
                     .rows)
    out.push_back(evenement_de(r));
  return out;
}

std::optional<std::int64_t> premier_seq(Session& s) {
  return as_opt_int(s.query("SELECT MIN(id) FROM discussion_evenements").rows[0][0]);
}

std::int64_t purger_evenements(Session& s, const std::string& avant, std::int64_t limite) {
  // The oldest `limite` by seq (the primary key: no scan of the whole log when nothing is old
  // enough; seq order is creation order), of which those created before `avant`.
  return s.exec("DELETE FROM discussion_evenements WHERE id IN (SELECT id FROM discussion_evenements WHERE id < "
                "(SELECT MAX(id) FROM discussion_evenements) ORDER BY id LIMIT ?) AND cree_le < ?",
                {limite, avant});
}

std::optional<Evenement> evenement_par_seq(Session& s, std::int64_t seq) {
  auto r = s.query("SELECT id, canal_id, user_id, type, donnees FROM discussion_evenements WHERE id = ?", {seq});
  if (r.empty()) return std::nullopt;
  return evenement_de(r.rows[0]);
}

// ---- Reports

namespace {
constexpr const char* select_signalement =
    "SELECT g.id, g.message_id, g.canal_id, g.signale_par, COALESCE(TRIM(u.prenom || ' ' || u.nom), ''), g.motif, "
    "g.cree_le, g.decision, g.decide_le FROM discussion_signalements g LEFT JOIN users u ON u.id = g.signale_par ";
Signalement signalement_de(const std::vector<Value>& r) {
  return {.id = as_int(r[0]),
          .message_id = as_int(r[1]),
          .canal_id = as_int(r[2]),
          .signale_par = as_opt_int(r[3]),
          .signale_par_nom = as_text(r[4]),
          .motif = as_text(r[5]),
          .cree_le = as_text(r[6]),
          .decision = as_opt_text(r[7]),
          .decide_le = as_opt_text(r[8])};
}
}  // namespace

std::int64_t signaler(Session& s, std::int64_t message_id, std::int64_t canal_id, std::int64_t par,
                      const std::string& motif) {
  return s.insert("INSERT INTO discussion_signalements (message_id, canal_id, signale_par, motif, cree_le) VALUES (?, ?, ?, "
                  "?, ?) ON CONFLICT DO NOTHING",
                  {message_id, canal_id, par, motif, core::now_iso()});
}

std::optional<Signalement> signalement(Session& s, std::int64_t id) {
  auto r = s.query(std::string(select_signalement) + "WHERE g.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return signalement_de(r.rows[0]);
}

std::vector<Signalement> signalements(Session& s, bool tous, const std::vector<std::int64_t>& canaux) {
  std::vector<Signalement> out;
  auto sql = std::string(select_signalement) + "WHERE g.decision IS NULL";
  Params p;
  if (!tous) {
    sql += " AND g.canal_id IN (" + places(canaux.size()) + ")";
    p = valeurs(canaux);
  }
  for (auto& r : s.query(sql + " ORDER BY g.id", p).rows) out.push_back(signalement_de(r));
  return out;
}

void decider(Session& s, std::int64_t id, const std::string& decision, std::int64_t par) {
  s.exec("UPDATE discussion_signalements SET decision = ?, decide_par = ?, decide_le = ? WHERE id = ?",
         {decision, par, core::now_iso(), id});
}

std::vector<std::int64_t> canaux_moderes(Session& s, std::int64_t user_id) {
  std::vector<std::int64_t> out;
  for (auto& r : s.query("SELECT canal_id FROM discussion_membres WHERE user_id = ? AND role = 'moderateur'", {user_id}).rows)
    out.push_back(as_int(r[0]));
  return out;
}

void antidater(Session& s, std::int64_t id, const std::string& cree_le) {
  s.exec("UPDATE discussion_messages SET cree_le = ? WHERE id = ?", {cree_le, id});
  s.exec("UPDATE discussion_sujets SET dernier_message_le = ? WHERE dernier_message_id = ?", {cree_le, id});
  s.exec("UPDATE discussion_canaux SET dernier_message_le = ? WHERE dernier_message_id = ?", {cree_le, id});
}

}  // namespace coop::discussion::store
