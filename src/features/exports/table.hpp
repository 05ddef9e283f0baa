// A table to export (header + typed cells), and its CSV and XLSX renderings. No SQL, no HTTP.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coop::exports {

struct Column {
  enum class Kind { text, integer, date };  // date: "YYYY-MM-DD" text, a real date in XLSX
  std::string header;                       // French
  Kind kind = Kind::text;
  double width = 14;                        // XLSX column width (characters)
};

using Cell = std::variant<std::monostate, std::int64_t, std::string>;  // monostate: empty

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each row has columns.size() cells
};

// CSV as French spreadsheets open it: UTF-8 with a BOM, `;` separator, CRLF line ends,
// RFC 4180 quoting (a field with `;`, `"`, CR or LF is quoted, quotes doubled). A text cell
// starting with = + - @ (or tab / CR) gets a leading apostrophe, so a spreadsheet never runs
// it as a formula (CSV injection).
std::string to_csv(const Table& t);
// One CSV field (no separator), quoted when needed.
std::string csv_field(std::string_view s);

// XLSX workbook (libxlsxwriter) with one sheet: bold header row, frozen under the header,
// auto-filter, column widths, dates as dates (dd/mm/yyyy), integers as numbers.
// Throws std::runtime_error when the workbook cannot be written.
std::string to_xlsx(const Table& t, const std::string& sheet_name);

}  // namespace coop::exports
