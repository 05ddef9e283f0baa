// File store: SQL. Files are rows of `fichiers` keyed by the SHA-256 of their bytes (stored once
// whoever uploads them), with who uploaded them under which name, and which objects of other
// features reference them (migration 0017). Bytes are bound as raw bytes on SQLite and as bytea
// hex text on PostgreSQL; the SQL is the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace coop::fichiers::store {

struct Fichier {
  std::string sha256;
  std::string type;  // sniffed MIME type
  std::int64_t taille = 0;
  std::optional<std::int64_t> largeur, hauteur;  // images
  bool apercu = false;                           // a reduced preview is stored
  std::string cree_le;
};

// A file as a user or an object sees it: with the name it was given.
struct Piece {
  Fichier fichier;
  std::string nom;
  std::int64_t objet_id = 0;  // pieces() only
  std::string le;             // when uploaded (televersements) or referenced (pieces)
};

struct Nouveau {
  std::string contenu;
  std::string type;
  std::optional<std::int64_t> largeur, hauteur;
  std::optional<std::string> apercu;  // a reduced JPEG, for large images
};

// Stores the file (once per content) and records that `user_id` uploaded it as `nom` (the last
// name given wins). Call inside write(): the file and the upload are one transaction.
Fichier enregistrer(storage::Session& s, const Nouveau& f, const std::string& sha256, std::int64_t user_id,
                    const std::string& nom);

std::optional<Fichier> infos(storage::Session& s, const std::string& sha256);
// Bytes of the files `user_id` uploaded since `depuis` (ISO-8601 UTC), `sauf` left out (the quota).
std::int64_t volume_televerse(storage::Session& s, std::int64_t user_id, const std::string& depuis, const std::string& sauf);
// Files are stored in pieces of kMorceau bytes (fichiers_morceaux, migration 0020).
inline constexpr std::size_t kMorceau = 256 * 1024;
// The bytes (or the preview's when `apercu` and there is one); nullopt when no such file.
std::optional<std::string> contenu(storage::Session& s, const std::string& sha256, bool apercu);
// Bytes [debut, debut + n) of the file (cut at its end), reading only the pieces they span;
// nullopt when no such file.
std::optional<std::string> plage(storage::Session& s, const std::string& sha256, std::uint64_t debut, std::uint64_t n);
// Stores the preview of a file that has none (a PDF's first page…).
void definir_apercu(storage::Session& s, const std::string& sha256, const std::string& jpeg);
// The name under which `user_id` uploaded the file; nullopt when they did not.
std::optional<std::string> nom_televerse(storage::Session& s, const std::string& sha256, std::int64_t user_id);
// The user's uploads, newest first.
std::vector<Piece> televersements(storage::Session& s, std::int64_t user_id, int limite);

// ---- The referencing API of other features (discussion attachments, ressources…) ----
// `objet_id` of `domaine` uses the file that `user_id` uploaded (under the name they gave it):
// readers of the object may then read the file (see acces.hpp). nullopt, and nothing recorded,
// when that user did not upload that file (a hash alone never grants anything). Idempotent.
// Call inside the write() that creates the object.
std::optional<Piece> referencer(storage::Session& s, const std::string& sha256, std::string_view domaine,
                                std::int64_t objet_id, std::int64_t user_id);
// The object no longer uses its files (deleted, or its attachments replaced).
void dereferencer(storage::Session& s, std::string_view domaine, std::int64_t objet_id);
// The files of these objects, by object, then in the order they were referenced (same instant: by
// name) (Message.fichiers…).
std::vector<Piece> pieces(storage::Session& s, std::string_view domaine, const std::vector<std::int64_t>& objet_ids);

struct Reference {
  std::string domaine;
  std::int64_t objet_id = 0;
  std::string nom;
};
// Files no object references whose last upload is before `avant` (ISO-8601 UTC): deleted with
// their uploads, at most `limite`; returns how many (the purge, features/purge).
std::int64_t purger_orphelins(storage::Session& s, const std::string& avant, std::int64_t limite);

// The objects referencing a file (at most `limite`).
std::vector<Reference> references(storage::Session& s, const std::string& sha256, int limite);

}  // namespace coop::fichiers::store
