// `coop import mattermost FILE`: a Mattermost bulk export (lecture.hpp) into Coop's discussion
// space with the rules of model.hpp. Users are matched by e-mail to existing Coop accounts;
// messages keep their author, date, reactions and pin; every channel, topic and message gets its
// source key in discussion_sources (migration 0018), so a second import of the same file changes
// nothing, and an export cut off and re-run completes what is missing. Each thread is one
// transaction. Imported history counts as read for the members (no avalanche of unread
// messages), and no real-time event is sent for it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "features/mattermost/lecture.hpp"
#include "storage/database.hpp"

namespace coop::referentiel {
class Territoires;
}

namespace coop::mattermost {

struct Rapport {
  std::size_t lignes = 0;
  std::size_t canaux_crees = 0, canaux_retrouves = 0;
  std::size_t sujets_crees = 0;
  std::size_t messages_importes = 0, messages_deja_la = 0;
  std::size_t reactions = 0, epingles = 0, conversations = 0, adhesions = 0;
  std::size_t utilisateurs_trouves = 0;
  std::size_t pieces_jointes = 0;  // files attached to imported messages
  std::vector<Probleme> problemes;  // what could not be read or mapped, with its line
};

// Attachments ("attachments":[{"path"}] of posts and replies) are read from `dossier` (the
// export's folder; a path leaving it is refused), stored in the file store (features/fichiers)
// as uploaded by the message's author, and attached to the message; a missing, unreadable or
// too large (over `taille_max` bytes) file is a problem of its line, the message is imported.
struct PiecesJointes {
  std::filesystem::path dossier;
  std::size_t taille_max = 10u << 20;
};
Rapport importer(storage::Database& db, const referentiel::Territoires& t, const Export& e, const std::string& public_url,
                 const PiecesJointes& pj = {});

// The report in French, one line per figure then one per problem.
std::string decrire(const Rapport& r);

}  // namespace coop::mattermost
