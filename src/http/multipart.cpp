#include "http/multipart.hpp"

#include <algorithm>

namespace coop::http::multipart {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 2046 bchars: DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" /
// "=" / "?" and space (not last).
bool boundary_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 5987 ext-value: charset "'" [language] "'" percent-encoded bytes. UTF-8 (or ASCII) only.
std::optional<std::string> ext_value(std::string_view v) {
  auto q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  auto q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  auto charset = to_lower(v.substr(0, q1));
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  std::string out;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    if (i + 2 >= v.size()) return std::nullopt;
    int h = hex(v[i + 1]), l = hex(v[i + 2]);
    if (h < 0 || l < 0) return std::nullopt;
    out += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return out;
}

[[noreturn]] void truncated() {
  throw ParseError("Corps multipart tronqué : le délimiteur de fin est absent (envoi interrompu ?).");
}

}  // namespace

std::optional<std::string> HeaderValue::param(std::string_view name) const {
  for (auto& [k, v] : params)
    if (k == name) return v;
  return std::nullopt;
}

HeaderValue parse_header_value(std::string_view text) {
  HeaderValue out;
  std::size_t i = 0;
  auto semi = text.find(';');
  out.value = to_lower(trim(text.substr(0, semi)));
  if (semi == std::string_view::npos) return out;
  i = semi + 1;
  while (i < text.size()) {
    while (i < text.size() && (is_space(text[i]) || text[i] == ';')) ++i;
    if (i >= text.size()) break;
    std::size_t start = i;
    while (i < text.size() && text[i] != '=' && text[i] != ';') ++i;
    std::string name = to_lower(trim(text.substr(start, i - start)));
    std::string value;
    if (i < text.size() && text[i] == '=') {
      ++i;
      while (i < text.size() && is_space(text[i])) ++i;
      if (i < text.size() && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < text.size()) c = text[i++];
          value += c;
        }
        if (!closed) throw ParseError("Paramètre « " + name + " » entre guillemets non terminé.");
        while (i < text.size() && text[i] != ';') ++i;  // anything after the closing quote
      } else {
        start = i;
        while (i < text.size() && text[i] != ';') ++i;
        value = std::string(trim(text.substr(start, i - start)));
      }
    }
    if (!name.empty()) out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

bool is_form_data(std::string_view content_type) {
  auto semi = content_type.find(';');
  return to_lower(trim(content_type.substr(0, semi))) == "multipart/form-data";
}

std::string boundary(std::string_view content_type) {
  auto hv = parse_header_value(content_type);
  if (hv.value != "multipart/form-data") throw ParseError("Type de contenu multipart/form-data attendu.");
  auto b = hv.param("boundary");
  if (!b || b->empty()) throw ParseError("Le délimiteur (boundary) manque dans l'en-tête Content-Type.");
  if (b->size() > 70 || !std::all_of(b->begin(), b->end(), boundary_char) || b->back() == ' ')
    throw ParseError("Délimiteur (boundary) invalide dans l'en-tête Content-Type.");
  return *b;
}

std::vector<Part> parse(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) throw ParseError("Délimiteur (boundary) vide.");
  const std::string delim = "--" + std::string(boundary);

  // A delimiter at `at` (start of the body or of a line) followed by "--", padding + line end, or
  // the end of the body (then truncated). Returns the position after the delimiter.
  auto delimiter_end = [&](std::size_t at) -> std::optional<std::size_t> {
    if (body.compare(at, delim.size(), delim) != 0) return std::nullopt;
    std::size_t e = at + delim.size();
    if (e >= body.size() || body[e] == '-' || body[e] == '\r' || body[e] == '\n' || is_space(body[e])) return e;
    return std::nullopt;  // a longer string that starts like the boundary
  };

  // Opening delimiter (a preamble before it is ignored).
  std::size_t pos = std::string_view::npos;
  for (std::size_t at = 0; at < body.size();) {
    if ((at == 0 || body[at - 1] == '\n') && delimiter_end(at)) {
      pos = *delimiter_end(at);
      break;
    }
    auto nl = body.find('\n', at);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  if (pos == std::string_view::npos)
    throw ParseError("Corps multipart sans délimiteur d'ouverture (le boundary ne correspond pas au corps).");

  std::vector<Part> parts;
  for (;;) {
    if (pos >= body.size()) truncated();
    if (body.compare(pos, 2, "--") == 0) return parts;  // closing delimiter; the epilogue is ignored
    if (body[pos] == '-' && pos + 1 == body.size()) truncated();
    while (pos < body.size() && is_space(body[pos])) ++pos;  // transport padding
    if (pos < body.size() && body[pos] == '\r') ++pos;
    if (pos >= body.size()) truncated();
    if (body[pos] != '\n') throw ParseError("Ligne de délimiteur multipart invalide.");
    ++pos;

    // Headers, up to an empty line.
    Part part;
    std::optional<std::string> disposition;
    const std::size_t headers_start = pos;
    std::string last_name;
    for (;;) {
      auto nl = body.find('\n', pos);
      if (nl == std::string_view::npos) truncated();
      if (nl - headers_start > kMaxHeaderBytes) throw ParseError("En-têtes d'une partie multipart trop longs.");
      std::string_view line = body.substr(pos, nl - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos = nl + 1;
      if (line.empty()) break;
      if (is_space(line.front()) && !last_name.empty()) {  // obsolete folding: continues the last header
        if (last_name == "content-disposition" && disposition) *disposition += " " + std::string(trim(line));
        continue;
      }
      auto colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0)
        throw ParseError("En-tête de partie multipart invalide (« Nom: valeur » attendu).");
      last_name = to_lower(trim(line.substr(0, colon)));
      auto value = std::string(trim(line.substr(colon + 1)));
      if (last_name == "content-disposition") {
        if (disposition) throw ParseError("En-tête Content-Disposition répété dans une partie multipart.");
        disposition = value;
      } else if (last_name == "content-type") {
        part.content_type = to_lower(trim(value.substr(0, value.find(';'))));
      }
    }
    if (!disposition) throw ParseError("Partie multipart sans en-tête Content-Disposition.");
    auto hv = parse_header_value(*disposition);
    if (hv.value != "form-data") throw ParseError("Partie multipart : Content-Disposition « form-data » attendu.");
    auto name = hv.param("name");
    if (!name || name->empty()) throw ParseError("Partie multipart sans nom de champ (name).");
    part.name = *name;
    if (auto ext = hv.param("filename*")) part.filename = ext_value(*ext);
    if (!part.filename) part.filename = hv.param("filename");

    // Data, up to the next delimiter at the start of a line. The line end before it belongs to
    // the delimiter. Searching from the header's empty line also accepts an empty part whose
    // delimiter follows that line directly.
    const std::string needle = "\n" + delim;
    std::size_t from = pos - 1;
    std::size_t at;
    for (;;) {
      at = body.find(needle, from);
      if (at == std::string_view::npos) truncated();
      if (delimiter_end(at + 1)) break;
      from = at + 1;
    }
    if (at >= pos) {
      std::size_t end = at;
      if (end > pos && body[end - 1] == '\r') --end;
      part.data = std::string(body.substr(pos, end - pos));
    }
    parts.push_back(std::move(part));
    if (parts.size() > kMaxParts)
      throw ParseError("Trop de parties dans le corps multipart (" + std::to_string(kMaxParts) + " au plus).");
    pos = *delimiter_end(at + 1);
  }
}

}  // namespace coop::http::multipart
