#include "features/courriels/store.hpp"

#include "core/time.hpp"

namespace coop::courriels::store {

std::int64_t mettre_en_file(storage::Session& s, const Courriel& m) {
  const std::string now = core::now_iso();
  return s.insert(
      "INSERT INTO courriels (modele, destinataire, user_id, sujet, texte, html, statut, essais, "
      "created_at, prochain_essai_at) VALUES (?, ?, ?, ?, ?, ?, 'en_attente', 0, ?, ?)",
      {m.modele, m.destinataire, storage::nullable(m.user_id), m.sujet, m.texte, m.html, now, now});
}

}  // namespace coop::courriels::store
