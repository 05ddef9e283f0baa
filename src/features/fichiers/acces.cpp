#include "features/fichiers/acces.hpp"

#include <map>
#include <mutex>

#include "features/accounts/policy.hpp"
#include "features/fichiers/store.hpp"

namespace coop::fichiers {
namespace {

std::mutex registre_mutex;
std::map<std::string, Verificateur, std::less<>>& registre() {
  static std::map<std::string, Verificateur, std::less<>> r;
  return r;
}

std::optional<Verificateur> verificateur(std::string_view domaine) {
  std::lock_guard lock(registre_mutex);
  auto it = registre().find(domaine);
  if (it == registre().end()) return std::nullopt;
  return it->second;
}

}  // namespace

void autoriser_domaine(const std::string& domaine, Verificateur v) {
  std::lock_guard lock(registre_mutex);
  registre()[domaine] = std::move(v);
}

std::optional<std::string> peut_lire(storage::Session& s, const accounts::Principal& p, const std::string& sha256) {
  if (auto nom = store::nom_televerse(s, sha256, p.user_id); accounts::can_read_fichier(p, nom.has_value(), false))
    return nom;
  for (const auto& ref : store::references(s, sha256, kReferencesExaminees)) {
    auto v = verificateur(ref.domaine);
    if (accounts::can_read_fichier(p, false, v && (*v)(s, p, ref.objet_id))) return ref.nom;
  }
  return std::nullopt;
}

}  // namespace coop::fichiers
