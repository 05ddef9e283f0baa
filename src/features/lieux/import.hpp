// Import of lieux files in the national standard: CSV (`,` and RFC 4180 quotes, UTF-8, BOM
// tolerated; older `;`-separated files recognised from their header line) streamed row by row,
// and JSON (an array of objects named by the standard's fields; list values as `|` text or
// arrays, positions as numbers or text). Each row goes through model::analyser: valid rows are
// written (idempotent on source + id: an unchanged row is not rewritten), invalid rows are
// reported per field and kept for the CSV of rejected rows. Duplicates across sources are
// proposed (store::proposer_doublons).
#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "features/lieux/model.hpp"
#include "storage/database.hpp"

namespace coop::lieux {

// The file cannot be read at all (French message).
struct ErreurImport : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Streaming CSV records (RFC 4180: quotes, "" inside quotes, CRLF or LF, line breaks inside
// quotes). Throws ErreurImport on an unterminated quote. Bytes are returned as read: invalid
// UTF-8 is the model's to report (analyser), field by field.
class LecteurCsv {
 public:
  LecteurCsv(std::istream& in, char separateur);
  // Next record; false at the end. `ligne` is the record's number (header = 1).
  bool suivant(std::vector<std::string>& cellules, std::int64_t& ligne);

 private:
  std::istream& in_;
  char sep_;
  std::int64_t numero_ = 0;
};

// The separator of a header line: the one of `,` and `;` that splits it into more field names
// of the standard (`,` when equal).
char separateur_entete(const std::string& ligne);

struct LigneRapport {
  std::int64_t ligne = 0;  // CSV record number (header = 1) or JSON array index + 1
  std::string ident;       // the row's id (may be empty)
  std::string statut;      // "cree" | "modifie" | "inchange" | "rejete"
  std::vector<Remarque> erreurs, avertissements;
};

struct Rapport {
  std::string format;  // "csv" | "csv-point-virgule" | "json"
  std::int64_t lignes = 0, crees = 0, modifies = 0, inchanges = 0, rejetes = 0, avertissements = 0, doublons = 0;
  std::vector<std::string> colonnes_ignorees, colonnes_absentes;
  // Rows with an error or a warning (others are only counted), in file order.
  std::vector<LigneRapport> details;
  // Rejected rows as read (fields in the standard's order) and their reasons.
  std::vector<std::pair<std::array<std::string, kNbChamps>, std::string>> rejets;
};

struct OptionsImport {
  // The source the rows are keyed on (with their id). Empty: each row's `source` field, or
  // "import" when that is empty too.
  std::string source;
  bool proposer_doublons = true;
  std::size_t lot = 500;  // rows per write transaction
};

// Reads `in` (format guessed from its first character: `[` → JSON) and imports it. Throws
// ErreurImport when the file is not readable as CSV or JSON, or lacks a header of the standard.
Rapport importer(storage::Database& db, std::istream& in, const OptionsImport& options);

// The report in French, for the command line (every detail line, at most `max_details`).
std::string decrire(const Rapport& r, std::size_t max_details = 1000);
// The rejected rows as a CSV of the standard (same columns) with `ligne` and `motif` first.
std::string rejets_csv(const Rapport& r);

}  // namespace coop::lieux
