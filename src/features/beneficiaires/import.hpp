// Spreadsheet import of beneficiaries: CSV and XLSX readers (written here: a zip central
// directory walk + zlib raw inflate + a minimal XML scanner), header recognition and the
// analysis of each row into a Beneficiaire or per-field French errors. Pure: no I/O, no SQL.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "features/beneficiaires/model.hpp"

namespace coop::beneficiaires {

// A sheet: rows of cells, each row with its number as the spreadsheet shows it (1-based).
struct SheetRow {
  std::int64_t numero = 0;
  std::vector<std::string> cells;
};
using Sheet = std::vector<SheetRow>;

// Thrown when the file cannot be read at all (French message for the user).
struct ImportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// CSV: UTF-8 with or without BOM; separator `;` or `,` (the one more frequent outside quotes in
// the first line); RFC 4180 quotes ("" inside a quoted field), CRLF or LF, line breaks inside
// quotes. Row numbers count records (header = 1). Throws ImportError on invalid UTF-8 or an
// unterminated quote.
Sheet parse_csv(std::string_view text);

// XLSX (Office Open XML): the first worksheet of the workbook (xl/workbook.xml order, through
// xl/_rels/workbook.xml.rels), with shared strings, inline strings, numbers and booleans.
// Row numbers come from <row r="…">, columns from the cell references. Throws ImportError when
// the file is not a readable XLSX (limits: 20 Mio uncompressed per part).
Sheet read_xlsx(std::string_view bytes);

// Raw zip access (exposed for tests): the uncompressed content of one member, or ImportError.
std::string zip_member(std::string_view zip, std::string_view name);

// Canonical field of a header label (case, accents, spaces, `_`, `-` ignored), or "" when
// unknown: prenom, nom, annee_naissance, telephone, email, adresse, code_postal, commune,
// commune_insee, genre, tranche_age, statut_social, notes.
std::string header_field(std::string_view label);

struct AnalysedRow {
  std::int64_t numero = 0;
  std::map<std::string, std::string> valeurs;  // canonical field → raw text
  FieldErrors erreurs;
  Beneficiaire beneficiaire;  // meaningful when erreurs is empty
};

struct Analysis {
  std::vector<AnalysedRow> lignes;  // blank rows are skipped
  std::vector<std::string> colonnes_ignorees;
};

// Header row = first non-blank row. Throws ImportError when no column is recognised or when the
// header lacks both prenom and nom.
Analysis analyse(const Sheet& sheet, const referentiel::Territoires& territoires, int current_year);

inline constexpr std::size_t kMaxImportRows = 5000;

}  // namespace coop::beneficiaires
