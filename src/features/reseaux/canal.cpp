#include "features/reseaux/canal.hpp"

#include <boost/json.hpp>

#include <map>
#include <set>

#include "features/discussion/evenements.hpp"
#include "features/discussion/store.hpp"
#include "features/reseaux/model.hpp"
#include "features/reseaux/store.hpp"

namespace coop::reseaux {

using storage::as_int;

std::int64_t creer_canal(storage::Session& s, std::int64_t reseau_id, const std::string& nom_reseau, std::int64_t par) {
  auto id = discussion::store::creer_canal(s, "groupe", "", nom_du_canal(nom_reseau),
                                           "Canal du réseau local « " + nom_reseau + " ».", par);
  store::lier_canal(s, reseau_id, id);
  return id;
}

int synchroniser_canal(storage::Session& s, std::int64_t reseau_id, const std::string& today, discussion::Journal* journal) {
  auto r = store::lire(s, reseau_id);
  if (!r || !r->canal_id) return 0;
  const auto canal_id = *r->canal_id;
  std::map<std::int64_t, std::string> voulus;  // user → channel role
  for (const auto& p : store::personnes(s, store::ids_structures(s, reseau_id), today)) voulus.emplace(p.user_id, "membre");
  for (const auto& a : store::animateurs(s, reseau_id)) voulus[a.user_id] = "moderateur";
  std::map<std::int64_t, std::pair<bool, std::string>> actuels;  // user → (automatique, role)
  for (const auto& row : s.query("SELECT user_id, automatique, role FROM discussion_membres WHERE canal_id = ?", {canal_id}).rows)
    actuels[as_int(row[0])] = {as_int(row[1]) != 0, storage::as_text(row[2])};
  int changes = 0;
  for (const auto& [uid, role] : voulus) {
    auto it = actuels.find(uid);
    if (it == actuels.end()) {
      if (discussion::store::ajouter_membre(s, canal_id, uid, role, true, "reseau", std::nullopt)) {
        ++changes;
        if (journal) journal->canal(s, canal_id, "membre", boost::json::object{{"action", "entree"}, {"user_id", uid}});
      }
    } else if (it->second.first && it->second.second != role) {
      discussion::store::modifier_membre(s, canal_id, uid, role, std::nullopt);
      ++changes;
    }
  }
  for (const auto& [uid, etat] : actuels) {
    if (!etat.first || voulus.contains(uid)) continue;
    if (discussion::store::retirer_membre(s, canal_id, uid, "reseau", std::nullopt)) {
      ++changes;
      if (journal) {
        boost::json::object data{{"action", "sortie"}, {"user_id", uid}};
        journal->canal(s, canal_id, "membre", data);
        journal->personnel(s, uid, canal_id, "membre", data);
      }
    }
  }
  return changes;
}

int synchroniser_personne(storage::Session& s, std::int64_t user_id, const std::string& today, discussion::Journal* journal) {
  std::set<std::int64_t> reseaux;
  for (const auto& r : store::de_utilisateur(s, user_id, today)) reseaux.insert(r.id);
  for (const auto& row : s.query("SELECT r.id FROM reseaux r JOIN discussion_membres m ON m.canal_id = r.canal_id "
                                 "WHERE m.user_id = ? AND m.automatique = 1",
                                 {user_id})
                             .rows)
    reseaux.insert(as_int(row[0]));
  int n = 0;
  for (auto id : reseaux) n += synchroniser_canal(s, id, today, journal);
  return n;
}

}  // namespace coop::reseaux
