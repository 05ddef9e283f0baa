#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "features/exports/table.hpp"

namespace coop::exports {

namespace {

// A temporary file removed when this goes out of scope.
struct TempFile {
  std::string path;
  TempFile() {
    auto dir = std::filesystem::temp_directory_path().string();
    std::string templ = dir + "/coop-export-XXXXXX.xlsx";
    int fd = mkstemps(templ.data(), 5);
    if (fd < 0) throw std::runtime_error("export XLSX : fichier temporaire impossible à créer");
    close(fd);
    path = templ;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

void check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR) throw std::runtime_error(std::string("export XLSX : ") + what + " : " + lxw_strerror(e));
}

}  // namespace

std::string to_xlsx(const Table& t, const std::string& sheet_name) {
  TempFile file;
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // rows are streamed to disk as they are written
  lxw_workbook* wb = workbook_new_opt(file.path.c_str(), &options);
  if (!wb) throw std::runtime_error("export XLSX : classeur impossible à créer");
  struct Closer {
    lxw_workbook* wb;
    bool closed = false;
    ~Closer() {
      if (!closed) workbook_close(wb);
    }
  } closer{wb};

  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  if (!ws) throw std::runtime_error("export XLSX : feuille impossible à créer");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_text_wrap(bold);
  format_set_align(bold, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");

  const auto ncols = static_cast<lxw_col_t>(t.columns.size());
  for (lxw_col_t c = 0; c < ncols; ++c)
    check(worksheet_set_column(ws, c, c, t.columns[c].width, nullptr), "largeur de colonne");
  worksheet_freeze_panes(ws, 1, 0);
  for (lxw_col_t c = 0; c < ncols; ++c)
    check(worksheet_write_string(ws, 0, c, t.columns[c].header.c_str(), bold), "en-tête");

  lxw_row_t r = 1;
  for (auto& row : t.rows) {
    for (lxw_col_t c = 0; c < ncols && c < row.size(); ++c) {
      const Cell& cell = row[c];
      if (auto* n = std::get_if<std::int64_t>(&cell)) {
        check(worksheet_write_number(ws, r, c, static_cast<double>(*n), nullptr), "nombre");
      } else if (auto* s = std::get_if<std::string>(&cell)) {
        if (t.columns[c].kind == Column::Kind::date && s->size() == 10) {
          lxw_datetime dt{to_int(std::string_view(*s).substr(0, 4)), to_int(std::string_view(*s).substr(5, 2)),
                          to_int(std::string_view(*s).substr(8, 2)), 0, 0, 0.0};
          check(worksheet_write_datetime(ws, r, c, &dt, date), "date");
        } else if (!s->empty()) {
          check(worksheet_write_string(ws, r, c, s->c_str(), nullptr), "texte");
        }
      }
    }
    ++r;
  }
  if (ncols > 0) check(worksheet_autofilter(ws, 0, 0, r - 1, ncols - 1), "filtre");
  closer.closed = true;
  check(workbook_close(wb), "écriture du classeur");

  std::ifstream in(file.path, std::ios::binary);
  if (!in) throw std::runtime_error("export XLSX : classeur illisible");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace coop::exports
