#include "features/exports/table.hpp"

namespace coop::exports {

std::string csv_field(std::string_view s) {
  bool quote = s.find_first_of(";\"\r\n") != std::string_view::npos;
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

std::string neutralised(const std::string& s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    return "'" + s;
  return s;
}

}  // namespace

std::string to_csv(const Table& t) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i) out += ';';
    out += csv_field(t.columns[i].header);
  }
  out += "\r\n";
  for (auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ';';
      if (auto* n = std::get_if<std::int64_t>(&row[i])) out += std::to_string(*n);
      else if (auto* s = std::get_if<std::string>(&row[i])) out += csv_field(neutralised(*s));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace coop::exports
