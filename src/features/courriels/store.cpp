#include "features/courriels/store.hpp"

#include "core/time.hpp"

namespace coop::courriels::store {

using storage::as_int;
using storage::as_opt_int;
using storage::as_opt_text;
using storage::as_text;

namespace {

constexpr const char* kColonnes =
    "id, modele, destinataire, user_id, sujet, statut, essais, derniere_erreur, created_at, prochain_essai_at, "
    "envoye_at, bail_jusqu_a";

Ligne ligne(const std::vector<storage::Value>& r, bool corps) {
  Ligne l;
  l.id = as_int(r[0]);
  l.courriel.modele = as_text(r[1]);
  l.courriel.destinataire = as_text(r[2]);
  l.courriel.user_id = as_opt_int(r[3]);
  l.courriel.sujet = as_text(r[4]);
  l.statut = as_text(r[5]);
  l.essais = as_int(r[6]);
  l.derniere_erreur = as_text(r[7]);
  l.created_at = as_text(r[8]);
  l.prochain_essai_at = as_text(r[9]);
  l.envoye_at = as_opt_text(r[10]);
  l.bail_jusqu_a = as_opt_text(r[11]);
  if (corps) {
    l.courriel.texte = as_text(r[12]);
    l.courriel.html = as_text(r[13]);
  }
  return l;
}

}  // namespace

std::int64_t mettre_en_file(storage::Session& s, const Courriel& m) {
  const std::string now = core::now_iso();
  return s.insert(
      "INSERT INTO courriels (modele, destinataire, user_id, sujet, texte, html, statut, essais, "
      "created_at, prochain_essai_at) VALUES (?, ?, ?, ?, ?, ?, 'en_attente', 0, ?, ?)",
      {m.modele, m.destinataire, storage::nullable(m.user_id), m.sujet, m.texte, m.html, now, now});
}

std::optional<Ligne> par_id(storage::Session& s, std::int64_t id) {
  auto r = s.query(std::string("SELECT ") + kColonnes + ", texte, html FROM courriels WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return ligne(r.rows[0], true);
}

std::vector<std::int64_t> a_envoyer(storage::Session& s, const std::string& now, int limite) {
  auto r = s.query(
      "SELECT id FROM courriels WHERE statut = 'en_attente' AND prochain_essai_at <= ? "
      "AND (bail_jusqu_a IS NULL OR bail_jusqu_a < ?) ORDER BY prochain_essai_at, id LIMIT ?",
      {now, now, std::int64_t(limite)});
  std::vector<std::int64_t> out;
  for (auto& row : r.rows) out.push_back(as_int(row[0]));
  return out;
}

bool reserver(storage::Session& s, std::int64_t id, const std::string& instance, const std::string& now,
              const std::string& bail_jusqu_a) {
  return s.exec(
             "UPDATE courriels SET bail_jusqu_a = ?, bail_par = ? WHERE id = ? AND statut = 'en_attente' "
             "AND prochain_essai_at <= ? AND (bail_jusqu_a IS NULL OR bail_jusqu_a < ?)",
             {bail_jusqu_a, instance, id, now, now}) == 1;
}

bool marquer_envoye(storage::Session& s, std::int64_t id, const std::string& instance, const std::string& now) {
  return s.exec(
             "UPDATE courriels SET statut = 'envoye', envoye_at = ?, essais = essais + 1, derniere_erreur = '', "
             "bail_jusqu_a = NULL, bail_par = NULL WHERE id = ? AND bail_par = ? AND statut = 'en_attente'",
             {now, id, instance}) == 1;
}

bool marquer_echec(storage::Session& s, std::int64_t id, const std::string& instance, const std::string& erreur,
                   const std::string& prochain, bool abandonne) {
  return s.exec(
             "UPDATE courriels SET statut = ?, essais = essais + 1, derniere_erreur = ?, prochain_essai_at = ?, "
             "bail_jusqu_a = NULL, bail_par = NULL WHERE id = ? AND bail_par = ? AND statut = 'en_attente'",
             {std::string(abandonne ? "abandonne" : "en_attente"), erreur, prochain, id, instance}) == 1;
}

std::vector<Ligne> a_journaliser(storage::Session& s, int limite) {
  auto r = s.query(std::string("SELECT ") + kColonnes +
                       ", texte, html FROM courriels WHERE statut = 'en_attente' AND journalise = 0 ORDER BY id LIMIT ?",
                   {std::int64_t(limite)});
  std::vector<Ligne> out;
  for (auto& row : r.rows) out.push_back(ligne(row, true));
  return out;
}

bool marquer_journalise(storage::Session& s, std::int64_t id) {
  return s.exec("UPDATE courriels SET journalise = 1 WHERE id = ? AND journalise = 0", {id}) == 1;
}

Compteurs compter(storage::Session& s) {
  auto r = s.query("SELECT statut, COUNT(*) FROM courriels WHERE statut IN ('en_attente', 'abandonne') GROUP BY statut");
  Compteurs c;
  for (auto& row : r.rows) (as_text(row[0]) == "en_attente" ? c.en_attente : c.abandonnes) = as_int(row[1]);
  return c;
}

Page lister(storage::Session& s, const Filtre& f, std::int64_t page, std::int64_t per_page) {
  std::string where = " WHERE 1 = 1";
  storage::Params p;
  if (!f.statut.empty()) {
    where += " AND statut = ?";
    p.emplace_back(f.statut);
  }
  if (!f.modele.empty()) {
    where += " AND modele = ?";
    p.emplace_back(f.modele);
  }
  if (!f.destinataire.empty()) {
    where += " AND destinataire LIKE ? ESCAPE '\\'";
    p.emplace_back(storage::like_contains(f.destinataire));
  }
  Page out;
  out.total = as_int(s.query("SELECT COUNT(*) FROM courriels" + where, p).rows[0][0]);
  p.emplace_back(per_page);
  p.emplace_back((page - 1) * per_page);
  auto r = s.query(std::string("SELECT ") + kColonnes + " FROM courriels" + where + " ORDER BY id DESC LIMIT ? OFFSET ?", p);
  for (auto& row : r.rows) out.items.push_back(ligne(row, false));
  return out;
}

bool renvoyer(storage::Session& s, std::int64_t id, const std::string& now) {
  return s.exec(
             "UPDATE courriels SET statut = 'en_attente', essais = 0, prochain_essai_at = ?, bail_jusqu_a = NULL, "
             "bail_par = NULL WHERE id = ? AND statut = 'abandonne'",
             {now, id}) == 1;
}

std::int64_t purger(storage::Session& s, const std::string& avant, std::int64_t limite) {
  return s.exec(
      "DELETE FROM courriels WHERE id IN (SELECT id FROM courriels WHERE statut IN ('envoye', 'abandonne') "
      "AND created_at < ? ORDER BY id LIMIT ?)",
      {avant, limite});
}

}  // namespace coop::courriels::store
