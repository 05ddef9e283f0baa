#include "features/evaluation/store.hpp"

namespace coop::evaluation::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;
using storage::nullable;

namespace {

constexpr const char* kSelect =
    "SELECT id, user_id, perimetre, statut, etat, question_servie_le, commence_le, modifie_le, termine_le, pix_total "
    "FROM evaluation_tests ";

std::vector<Test> lire(const storage::Rows& rows) {
  std::vector<Test> out;
  for (const auto& r : rows.rows)
    out.push_back(Test{.id = as_int(r[0]),
                       .user_id = as_int(r[1]),
                       .perimetre = as_text(r[2]),
                       .statut = as_text(r[3]),
                       .etat = as_text(r[4]),
                       .question_servie_le = as_opt_text(r[5]),
                       .commence_le = as_text(r[6]),
                       .modifie_le = as_text(r[7]),
                       .termine_le = as_opt_text(r[8]),
                       .pix_total = as_opt_int(r[9])});
  return out;
}

std::optional<Test> premier(const storage::Rows& rows) {
  auto v = lire(rows);
  if (v.empty()) return std::nullopt;
  return v.front();
}

}  // namespace

std::int64_t creer_test(Session& s, std::int64_t user_id, const std::string& perimetre, const std::string& etat,
                        const std::string& maintenant) {
  return s.insert(
      "INSERT INTO evaluation_tests (user_id, perimetre, statut, etat, commence_le, modifie_le) "
      "VALUES (?, ?, 'en_cours', ?, ?, ?)",
      {user_id, perimetre, etat, maintenant, maintenant});
}

std::optional<Test> test(Session& s, std::int64_t id) {
  return premier(s.query(std::string(kSelect) + "WHERE id = ?", {id}));
}

std::optional<Test> test_en_cours(Session& s, std::int64_t user_id) {
  return premier(s.query(std::string(kSelect) + "WHERE user_id = ? AND statut = 'en_cours' ORDER BY id DESC", {user_id}));
}

std::vector<Test> tests_termines(Session& s, std::int64_t user_id) {
  return lire(s.query(std::string(kSelect) + "WHERE user_id = ? AND statut = 'termine' ORDER BY termine_le, id", {user_id}));
}

void enregistrer_etat(Session& s, std::int64_t id, const std::string& etat,
                      const std::optional<std::string>& question_servie_le, const std::string& maintenant) {
  s.exec("UPDATE evaluation_tests SET etat = ?, question_servie_le = ?, modifie_le = ? WHERE id = ?",
         {etat, nullable(question_servie_le), maintenant, id});
}

void terminer(Session& s, const Test& t, const std::string& etat, std::int64_t pix_total,
              const std::vector<ResultatCompetence>& resultats, const std::string& maintenant) {
  s.exec(
      "UPDATE evaluation_tests SET etat = ?, statut = 'termine', question_servie_le = NULL, modifie_le = ?, "
      "termine_le = ?, pix_total = ? WHERE id = ?",
      {etat, maintenant, maintenant, pix_total, t.id});
  for (const auto& r : resultats)
    s.insert("INSERT INTO evaluation_resultats (user_id, test_id, competence, niveau, pix, obtenu_le) VALUES (?, ?, ?, ?, ?, ?)",
             {t.user_id, t.id, r.competence, static_cast<std::int64_t>(r.niveau), static_cast<std::int64_t>(r.pix), maintenant});
}

void ajouter_reponse(Session& s, std::int64_t test_id, const ReponseEnregistree& r) {
  s.exec(
      "INSERT INTO evaluation_reponses (test_id, rang, item_id, resultat, reponse, temps_depasse, repondu_le) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {test_id, static_cast<std::int64_t>(r.rang), r.item_id, r.resultat, r.reponse,
       static_cast<std::int64_t>(r.temps_depasse ? 1 : 0), r.repondu_le});
}

std::vector<ReponseEnregistree> reponses(Session& s, std::int64_t test_id) {
  std::vector<ReponseEnregistree> out;
  for (const auto& r : s.query("SELECT rang, item_id, resultat, reponse, temps_depasse, repondu_le FROM evaluation_reponses "
                               "WHERE test_id = ? ORDER BY rang",
                               {test_id})
                           .rows)
    out.push_back(ReponseEnregistree{.rang = static_cast<int>(as_int(r[0])),
                                     .item_id = as_text(r[1]),
                                     .resultat = as_text(r[2]),
                                     .reponse = as_text(r[3]),
                                     .repondu_le = as_text(r[5]),
                                     .temps_depasse = as_int(r[4]) != 0});
  return out;
}

moteur::Expositions expositions(Session& s, const std::vector<moteur::Item>& items) {
  std::map<std::string, std::uint64_t> n;
  for (const auto& r : s.query("SELECT cle, nombre FROM evaluation_expositions").rows)
    n[as_text(r[0])] = static_cast<std::uint64_t>(as_int(r[1]));
  moteur::Expositions e;
  e.tests = n["#tests"];
  e.items.reserve(items.size());
  for (const auto& it : items) {
    const auto f = n.find(it.id);
    e.items.push_back(f == n.end() ? 0 : f->second);
  }
  return e;
}

void compter_item(Session& s, const std::string& cle) {
  s.exec(
      "INSERT INTO evaluation_expositions (cle, nombre) VALUES (?, 1) "
      "ON CONFLICT (cle) DO UPDATE SET nombre = evaluation_expositions.nombre + 1",
      {cle});
}

void compter_test(Session& s) { compter_item(s, "#tests"); }

std::vector<ResultatCompetence> resultats(Session& s, std::int64_t user_id) {
  std::vector<ResultatCompetence> out;
  for (const auto& r : s.query("SELECT test_id, competence, niveau, pix, obtenu_le FROM evaluation_resultats "
                               "WHERE user_id = ? ORDER BY obtenu_le, id",
                               {user_id})
                           .rows)
    out.push_back(ResultatCompetence{.test_id = as_int(r[0]),
                                     .competence = as_text(r[1]),
                                     .niveau = static_cast<int>(as_int(r[2])),
                                     .pix = static_cast<int>(as_int(r[3])),
                                     .obtenu_le = as_text(r[4])});
  return out;
}

std::optional<std::string> dernier_termine(Session& s, std::int64_t user_id, const std::string& perimetre) {
  const auto rows = s.query(
      "SELECT MAX(termine_le) FROM evaluation_tests WHERE user_id = ? AND perimetre = ? AND statut = 'termine'",
      {user_id, perimetre});
  if (rows.rows.empty()) return std::nullopt;
  return as_opt_text(rows.rows[0][0]);
}

}  // namespace coop::evaluation::store
