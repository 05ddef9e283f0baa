// The evaluation's framework and item bank (issue 13 points 1–2): the referentiel (5 domains, 16
// competences), the tubes and items read from the text files of `evaluation/` in the format of
// docs/evaluation-items.md, and the validator that refuses a bad item (the build runs it through
// `coop evaluation verifier`). Pure model: no HTTP, no SQL; reading a directory is its only I/O.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/evaluation/correspondance.hpp"

namespace coop::evaluation {

struct Domaine {
  std::string code;   // "1"
  std::string titre;  // "Informations et données"
};

struct Competence {
  std::string code;     // "1.1"
  std::string domaine;  // "1"
  std::string titre;    // "Mener une recherche et une veille d'information"
};

struct Referentiel {
  std::vector<Domaine> domaines;
  std::vector<Competence> competences;  // in file order (1.1 … 5.2)
  const Competence* competence(std::string_view code) const;
  const Domaine* domaine(std::string_view code) const;
};

enum class Type { qcu, qcm, qroc, qrocm_ind, qrocm_dep };
std::string_view nom(Type t);                            // "QCU", "QCM", "QROC", "QROCM-ind", "QROCM-dep"
std::optional<Type> type_depuis(std::string_view nom);  // the inverse

struct Tube {
  std::string id;          // "miseEnForme" (without the @)
  std::string titre;
  std::string competence;  // "3.1"
  std::string fichier;
  int ligne = 0;
};

struct Champ {
  std::string nom;      // [a-z0-9]+; a QROC without `champs:` has one field named "reponse"
  std::string libelle;  // may be empty (a QROC's implicit field)
};

struct Media {
  std::string chemin;  // relative to the bank's directory: "medias/x.svg"
  std::string texte;   // alt text of an image, label of an attachment
};

struct Item {
  std::string id;
  std::string competence;  // "1.1"
  std::string tube;        // "motsCles" (without the @)
  int niveau = 0;          // 1..8
  Type type = Type::qcu;
  std::string consigne;  // Markdown
  std::vector<std::string> propositions;  // QCU, QCM
  std::vector<int> reponse;               // QCU, QCM: 1-based indices, ascending
  std::vector<Champ> champs;              // QROC (one), QROCM-* (≥ 2)
  // QROC: one entry (the accepted variants). QROCM-ind: one entry per field, in the order of
  // `champs`. QROCM-dep: one entry per accepted solution (its variants).
  std::vector<std::vector<std::string>> solutions;
  bool numerique = false;
  Tolerances tolerances;
  std::optional<int> temps;  // seconds
  std::optional<Media> image, piece_jointe;
  std::string explication;  // Markdown
  std::vector<std::string> thematiques;
  std::string fichier;  // "banque/1.1.txt", as reported in errors
  int ligne = 0;        // of its `item:` line
};

struct Banque {
  Referentiel referentiel;
  std::vector<Tube> tubes;
  std::vector<Item> items;  // in competence, then file order
  std::filesystem::path dossier;  // where it was read from (media files are relative to it)

  const Item* item(std::string_view id) const;
  const Tube* tube(std::string_view id) const;
};

// One refusal: the file (relative to the bank's directory), the line (0: the whole file), the key
// concerned ("" when none) and a French message.
struct Erreur {
  std::string fichier;
  int ligne = 0;
  std::string cle;
  std::string message;
};
// "banque/1.1.txt:12: [reponse] …"
std::string format(const Erreur& e);

// `evaluation/referentiel.txt`: lines `domaine: D | titre` and `competence: D.C | titre`.
Referentiel lire_referentiel(std::string_view texte, std::string_view fichier, std::vector<Erreur>& erreurs);

// One competence file (`banque/<code>.txt`): appends its tubes and items to `banque`, and its
// syntax errors (those visible in the file alone) to `erreurs`. Call valider() once every file is
// read.
void lire_competence(std::string_view texte, std::string_view fichier, Banque& banque, std::vector<Erreur>& erreurs);

// The rules that need the whole bank or the file system: acquis naming a declared tube of the
// item's competence, unique ids across the bank, answer rules that are not ambiguous, media files
// present (`media_existe` receives the path relative to the bank's directory).
void valider(const Banque& banque, const std::function<bool(const std::string&)>& media_existe,
             std::vector<Erreur>& erreurs);

struct Chargement {
  Banque banque;
  std::vector<Erreur> erreurs;  // empty: the bank is valid
};
// Reads `dossier`/referentiel.txt and every `dossier`/banque/*.txt (in referentiel order), then
// validates. Never throws for bad content; an unreadable directory is an Erreur too.
Chargement charger(const std::filesystem::path& dossier);

}  // namespace coop::evaluation
