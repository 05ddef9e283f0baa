#include "features/discussion/adhesions.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/store.hpp"
#include "features/discussion/evenements.hpp"
#include "features/discussion/model.hpp"
#include "features/discussion/store.hpp"
#include "features/referentiel/territoires.hpp"
#include "features/reseaux/canal.hpp"

namespace coop::discussion {

using storage::as_int;

std::set<std::pair<std::string, std::string>> canaux_automatiques(storage::Session& s,
                                                                  const referentiel::Territoires& t,
                                                                  std::int64_t user_id, const std::string& today) {
  std::set<std::pair<std::string, std::string>> out{{"general", ""}};
  std::set<std::int64_t> structures;
  for (auto id : accounts::store::structures_employing(s, user_id, today)) structures.insert(id);
  for (auto& g : accounts::store::roles_of(s, user_id)) {
    if (g.role == accounts::Role::gestionnaire_structure && g.structure_id) structures.insert(*g.structure_id);
    if (g.role == accounts::Role::territorial && g.territoire)
      if (auto terr = accounts::parse_territoire(*g.territoire)) {
        if (terr->niveau == "departement" && t.departement(terr->code)) {
          out.insert({"departement", t.departement(terr->code)->code});
          out.insert({"region", t.departement(terr->code)->region});
        } else if (terr->niveau == "region" && t.region(terr->code)) {
          out.insert({"region", terr->code});
        }
      }
  }
  for (auto id : structures) {
    auto st = accounts::store::structure_by_id(s, id);
    if (!st) continue;
    auto* c = t.commune(st->commune_insee);
    if (!c) continue;
    out.insert({"departement", c->departement});
    out.insert({"region", c->region});
  }
  return out;
}

namespace {
std::string nom_canal(const referentiel::Territoires& t, const std::string& type, const std::string& code) {
  if (type == "general") return "Général";
  if (type == "region") {
    auto* r = t.region(code);
    return r ? r->nom : "Région " + code;
  }
  auto* d = t.departement(code);
  return nom_departement(code, d ? d->nom : "Département");
}
}  // namespace

bool synchroniser(storage::Session& s, const referentiel::Territoires& t, std::int64_t user_id,
                  const std::string& today, Journal* journal) {
  auto voulus = canaux_automatiques(s, t, user_id, today);
  auto actuels = store::adhesions_de(s, user_id);
  bool change = false;
  std::set<std::int64_t> gardes;
  for (auto& [type, code] : voulus) {
    auto id = store::canal_fixe(s, type, code, nom_canal(t, type, code));
    gardes.insert(id);
    if (actuels.contains(id)) continue;
    if (store::ajouter_membre(s, id, user_id, "membre", true, "automatique", std::nullopt)) {
      change = true;
      if (journal)
        journal->canal(s, id, "membre", boost::json::object{{"action", "entree"}, {"user_id", user_id}});
    }
  }
  for (auto& [canal_id, m] : actuels) {
    if (!m.automatique || gardes.contains(canal_id)) continue;
    auto c = store::canal(s, canal_id);
    if (!c || (c->type != "region" && c->type != "departement")) continue;
    if (store::retirer_membre(s, canal_id, user_id, "automatique", std::nullopt)) {
      change = true;
      if (journal) {
        boost::json::object data{{"action", "sortie"}, {"user_id", user_id}};
        journal->canal(s, canal_id, "membre", data);
        journal->personnel(s, user_id, canal_id, "membre", data);
      }
    }
  }
  return change;
}

bool a_jour(storage::Session& s, const referentiel::Territoires& t, std::int64_t user_id, const std::string& today) {
  auto voulus = canaux_automatiques(s, t, user_id, today);
  auto actuels = store::adhesions_de(s, user_id);
  std::set<std::int64_t> gardes;
  for (auto& [type, code] : voulus) {
    auto c = store::canal_par_code(s, type, code);
    if (!c || !actuels.contains(c->id)) return false;
    gardes.insert(c->id);
  }
  for (auto& [canal_id, m] : actuels) {
    if (!m.automatique || gardes.contains(canal_id)) continue;
    auto c = store::canal(s, canal_id);
    if (c && (c->type == "region" || c->type == "departement")) return false;
  }
  return true;
}

void resynchroniser(storage::Database& db, events::Bus& bus, const referentiel::Territoires& t, std::int64_t user_id) {
  try {
    Journal j;
    db.write([&](storage::Session& s) {
      j.vider();
      synchroniser(s, t, user_id, core::today(), &j);
      // The channels of the local networks follow the same employments (features/reseaux).
      reseaux::synchroniser_personne(s, user_id, core::today(), &j);
    });
    j.publier(bus);
  } catch (const std::exception& e) {
    spdlog::error("discussion: memberships of user {} not synchronised: {}", user_id, e.what());
  }
}

void synchroniser_tous(storage::Database& db, const referentiel::Territoires& t) {
  // The folded names of public channels older than migration 0019 (their uniqueness).
  const auto restes = db.write_value([&](storage::Session& s) { return store::plier_noms_publics(s); });
  if (restes > 0)
    spdlog::warn("discussion : {} canal(aux) public(s) portent le nom d'un canal plus ancien (renommez-les)", restes);
  std::vector<std::int64_t> users;
  db.read([&](storage::Session& s) {
    users.clear();
    for (auto& r : s.query("SELECT id FROM users WHERE disabled = 0 ORDER BY id").rows) users.push_back(as_int(r[0]));
  });
  const auto today = core::today();
  // A few hundred users per transaction: one long write would hold the writer.
  for (std::size_t i = 0; i < users.size(); i += 200) {
    db.write([&](storage::Session& s) {
      for (std::size_t k = i; k < std::min(users.size(), i + 200); ++k) synchroniser(s, t, users[k], today);
    });
  }
}

}  // namespace coop::discussion
