#include "features/beneficiaires/import.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/text.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::beneficiaires {

namespace {

bool blank_row(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return core::trim(c).empty(); });
}

// fold() then spaces → '_' : "Année de naissance" → "annee_de_naissance".
std::string key_of(std::string_view s) {
  std::string k = core::fold(s);
  std::replace(k.begin(), k.end(), ' ', '_');
  return k;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// CSV

Sheet parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!core::valid_utf8(text)) throw ImportError("Le fichier CSV n'est pas encodé en UTF-8.");
  // Separator: the more frequent of ';' and ',' outside quotes on the first line.
  std::size_t semi = 0, comma = 0;
  bool q = false;
  for (char c : text) {
    if (c == '"') q = !q;
    else if (!q && (c == '\n' || c == '\r')) break;
    else if (!q && c == ';') ++semi;
    else if (!q && c == ',') ++comma;
  }
  const char sep = semi >= comma ? ';' : ',';

  Sheet out;
  SheetRow row;
  std::string field;
  bool quoted = false, field_started = false;
  std::int64_t numero = 1;
  auto end_field = [&] {
    row.cells.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    row.numero = numero++;
    out.push_back(std::move(row));
    row = SheetRow{};
  };
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == sep) {
      end_field();
    } else if (c == '\r' || c == '\n') {
      end_row();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      field += c;
      field_started = true;
    }
    ++i;
  }
  if (quoted) throw ImportError("Fichier CSV invalide : guillemet non fermé (ligne " + std::to_string(numero) + ").");
  if (field_started || !row.cells.empty() || !field.empty()) end_row();
  return out;
}

// ---------------------------------------------------------------------------------------------
// ZIP (central directory) + raw inflate

namespace {

constexpr std::size_t kMaxPart = 20u << 20;

std::uint32_t u16(std::string_view s, std::size_t at) {
  if (at + 2 > s.size()) throw ImportError("Fichier XLSX invalide (archive tronquée).");
  return std::uint32_t(std::uint8_t(s[at])) | std::uint32_t(std::uint8_t(s[at + 1])) << 8;
}
std::uint32_t u32(std::string_view s, std::size_t at) { return u16(s, at) | u16(s, at + 2) << 16; }

std::string inflate_raw(std::string_view in, std::size_t expected) {
  if (expected > kMaxPart) throw ImportError("Fichier XLSX trop volumineux.");
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw ImportError("Décompression impossible.");
  std::string out;
  out.resize(std::max<std::size_t>(expected, 1));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (true) {
    if (zs.total_out >= out.size()) {
      if (out.size() >= kMaxPart) {
        inflateEnd(&zs);
        throw ImportError("Fichier XLSX trop volumineux.");
      }
      out.resize(std::min(out.size() * 2, kMaxPart));
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  auto total = zs.total_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw ImportError("Fichier XLSX invalide (données compressées illisibles).");
  out.resize(total);
  return out;
}

}  // namespace

std::string zip_member(std::string_view zip, std::string_view name) {
  // End of central directory: 22 bytes + comment (≤ 65535), searched from the end.
  if (zip.size() < 22) throw ImportError("Fichier XLSX invalide (ce n'est pas une archive zip).");
  std::size_t eocd = std::string_view::npos;
  std::size_t lowest = zip.size() >= 22 + 65535 ? zip.size() - 22 - 65535 : 0;
  for (std::size_t p = zip.size() - 22 + 1; p-- > lowest;)
    if (u32(zip, p) == 0x06054b50) {
      eocd = p;
      break;
    }
  if (eocd == std::string_view::npos) throw ImportError("Fichier XLSX invalide (ce n'est pas une archive zip).");
  const std::uint32_t entries = u16(zip, eocd + 10);
  std::size_t p = u32(zip, eocd + 16);
  for (std::uint32_t n = 0; n < entries; ++n) {
    if (u32(zip, p) != 0x02014b50) throw ImportError("Fichier XLSX invalide (répertoire de l'archive).");
    const std::uint32_t method = u16(zip, p + 10);
    const std::uint32_t csize = u32(zip, p + 20), usize = u32(zip, p + 24);
    const std::uint32_t nlen = u16(zip, p + 28), xlen = u16(zip, p + 30), clen = u16(zip, p + 32);
    const std::uint32_t local = u32(zip, p + 42);
    if (p + 46 + nlen > zip.size()) throw ImportError("Fichier XLSX invalide (archive tronquée).");
    std::string_view entry_name = zip.substr(p + 46, nlen);
    if (entry_name == name) {
      if (u32(zip, local) != 0x04034b50) throw ImportError("Fichier XLSX invalide (entrée de l'archive).");
      std::size_t data = std::size_t(local) + 30 + u16(zip, local + 26) + u16(zip, local + 28);
      if (data + csize > zip.size()) throw ImportError("Fichier XLSX invalide (archive tronquée).");
      std::string_view raw = zip.substr(data, csize);
      if (method == 0) {
        if (csize > kMaxPart) throw ImportError("Fichier XLSX trop volumineux.");
        return std::string(raw);
      }
      if (method == 8) return inflate_raw(raw, usize);
      throw ImportError("Fichier XLSX invalide (méthode de compression non prise en charge).");
    }
    p += 46 + nlen + xlen + clen;
  }
  throw ImportError("Fichier XLSX invalide : " + std::string(name) + " absent.");
}

static bool zip_has(std::string_view zip, std::string_view name) {
  try {
    zip_member(zip, name);
    return true;
  } catch (const ImportError&) {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Minimal XML scanning: elements found by name, attributes read from the start tag, text with
// the five predefined entities and character references decoded.

namespace {

std::string xml_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (ent.starts_with("#")) {
      std::uint32_t cp = 0;
      bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      auto digits = ent.substr(hex ? 2 : 1);
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (ec == std::errc() && ptr == digits.data() + digits.size()) core::append_utf8(out, cp);
    } else {
      out.append(s.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

// An element occurrence: [start, end) of the whole element, its start tag, and its content.
struct Elem {
  std::string_view tag;      // "<c r=\"A1\" t=\"s\">" (or self-closing)
  std::string_view content;  // between the tags ("" when self-closing)
  std::size_t end = 0;       // position after the element
};

bool name_at(std::string_view xml, std::size_t p, std::string_view name) {
  if (xml.compare(p, name.size(), name) != 0) return false;
  char after = p + name.size() < xml.size() ? xml[p + name.size()] : '>';
  return after == ' ' || after == '>' || after == '/' || after == '\t' || after == '\n' || after == '\r';
}

// Next <name …> at or after `from` (prefixes such as "x:" are accepted); elements with the
// same name do not nest in the parts we read.
std::optional<Elem> next_elem(std::string_view xml, std::string_view name, std::size_t from) {
  std::size_t p = from;
  while ((p = xml.find('<', p)) != std::string_view::npos) {
    std::size_t n = p + 1;
    auto colon = xml.find_first_of(":> /", n);
    if (colon != std::string_view::npos && xml[colon] == ':' && colon - n < 10) n = colon + 1;
    if (!name_at(xml, n, name)) {
      ++p;
      continue;
    }
    auto close = xml.find('>', n);
    if (close == std::string_view::npos) return std::nullopt;
    Elem e;
    e.tag = xml.substr(p, close - p + 1);
    if (xml[close - 1] == '/') {
      e.end = close + 1;
      return e;
    }
    // Closing tag with the same (prefixed) name.
    std::string closing = "</" + std::string(xml.substr(p + 1, n - p - 1)) + std::string(name) + ">";
    auto c = xml.find(closing, close + 1);
    if (c == std::string_view::npos) return std::nullopt;
    e.content = xml.substr(close + 1, c - close - 1);
    e.end = c + closing.size();
    return e;
  }
  return std::nullopt;
}

std::optional<std::string> attr(std::string_view tag, std::string_view name) {
  std::size_t p = 0;
  while ((p = tag.find(name, p)) != std::string_view::npos) {
    bool word_start = p > 0 && (tag[p - 1] == ' ' || tag[p - 1] == '\t' || tag[p - 1] == '\n' || tag[p - 1] == '\r');
    std::size_t eq = p + name.size();
    while (eq < tag.size() && tag[eq] == ' ') ++eq;
    if (word_start && eq < tag.size() && tag[eq] == '=') {
      std::size_t q = eq + 1;
      while (q < tag.size() && tag[q] == ' ') ++q;
      if (q < tag.size() && (tag[q] == '"' || tag[q] == '\'')) {
        auto endq = tag.find(tag[q], q + 1);
        if (endq != std::string_view::npos) return xml_text(tag.substr(q + 1, endq - q - 1));
      }
    }
    p += name.size();
  }
  return std::nullopt;
}

// Concatenated text of every <t> inside `xml` (rich-text runs), phonetic runs (<rPh>) excluded.
std::string all_t(std::string_view xml) {
  std::string without_rph;
  std::size_t p = 0;
  while (true) {
    auto r = xml.find("<rPh", p);
    if (r == std::string_view::npos) break;
    auto e = xml.find("</rPh>", r);
    if (e == std::string_view::npos) break;
    without_rph.append(xml.substr(p, r - p));
    p = e + 6;
  }
  without_rph.append(xml.substr(p));
  std::string out;
  std::string_view s = without_rph;
  p = 0;
  while (auto t = next_elem(s, "t", p)) {
    out += xml_text(t->content);
    p = t->end;
  }
  return out;
}

// "BC12" → 54 (0-based column index), or -1.
int column_of(std::string_view ref) {
  int col = 0;
  std::size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') col = col * 26 + (ref[i++] - 'A' + 1);
  if (i == 0 || col > 16384) return -1;
  return col - 1;
}

std::string resolve_target(std::string target) {
  if (target.starts_with("/")) return target.substr(1);
  if (target.starts_with("xl/")) return target;
  return "xl/" + target;
}

}  // namespace

Sheet read_xlsx(std::string_view bytes) {
  // Which part is the first sheet.
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  std::string workbook = zip_member(bytes, "xl/workbook.xml");
  if (auto sheet = next_elem(workbook, "sheet", 0)) {
    auto rid = attr(sheet->tag, "r:id");
    if (rid && zip_has(bytes, "xl/_rels/workbook.xml.rels")) {
      std::string rels = zip_member(bytes, "xl/_rels/workbook.xml.rels");
      std::size_t p = 0;
      while (auto rel = next_elem(rels, "Relationship", p)) {
        if (attr(rel->tag, "Id") == rid)
          if (auto target = attr(rel->tag, "Target")) sheet_path = resolve_target(*target);
        p = rel->end;
      }
    }
  }
  std::vector<std::string> shared;
  if (zip_has(bytes, "xl/sharedStrings.xml")) {
    std::string sst = zip_member(bytes, "xl/sharedStrings.xml");
    std::size_t p = 0;
    while (auto si = next_elem(sst, "si", p)) {
      shared.push_back(all_t(si->content));
      p = si->end;
    }
  }
  std::string xml = zip_member(bytes, sheet_path);
  Sheet out;
  std::size_t p = 0;
  std::int64_t last_row = 0;
  while (auto row = next_elem(xml, "row", p)) {
    p = row->end;
    SheetRow r;
    r.numero = last_row + 1;
    if (auto n = attr(row->tag, "r")) {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(n->data(), n->data() + n->size(), v);
      if (ec == std::errc() && ptr == n->data() + n->size() && v > 0) r.numero = v;
    }
    last_row = r.numero;
    std::size_t cp = 0;
    int next_col = 0;
    while (auto c = next_elem(row->content, "c", cp)) {
      cp = c->end;
      int col = next_col;
      if (auto ref = attr(c->tag, "r")) {
        int k = column_of(*ref);
        if (k >= 0) col = k;
      }
      next_col = col + 1;
      std::string type = attr(c->tag, "t").value_or("n");
      std::string value;
      if (type == "inlineStr") {
        if (auto is = next_elem(c->content, "is", 0)) value = all_t(is->content);
      } else if (auto v = next_elem(c->content, "v", 0)) {
        std::string raw = xml_text(v->content);
        if (type == "s") {
          std::size_t idx = 0;
          auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), idx);
          if (ec == std::errc() && idx < shared.size()) value = shared[idx];
        } else if (type == "b") {
          value = raw == "1" ? "VRAI" : "FAUX";
        } else {
          value = raw;
          if (type == "n" && value.ends_with(".0")) value.resize(value.size() - 2);
        }
      }
      if (col > 1000) continue;
      if (static_cast<std::size_t>(col) >= r.cells.size()) r.cells.resize(col + 1);
      r.cells[col] = std::move(value);
    }
    out.push_back(std::move(r));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Header and values

std::string header_field(std::string_view label) {
  static const std::map<std::string, std::string> aliases = {
      {"prenom", "prenom"},
      {"prenoms", "prenom"},
      {"nom", "nom"},
      {"nom_de_famille", "nom"},
      {"annee_naissance", "annee_naissance"},
      {"annee_de_naissance", "annee_naissance"},
      {"naissance", "annee_naissance"},
      {"telephone", "telephone"},
      {"tel", "telephone"},
      {"portable", "telephone"},
      {"email", "email"},
      {"e_mail", "email"},
      {"mail", "email"},
      {"courriel", "email"},
      {"adresse", "adresse"},
      {"code_postal", "code_postal"},
      {"cp", "code_postal"},
      {"commune", "commune"},
      {"ville", "commune"},
      {"commune_insee", "commune_insee"},
      {"code_insee", "commune_insee"},
      {"insee", "commune_insee"},
      {"genre", "genre"},
      {"sexe", "genre"},
      {"tranche_age", "tranche_age"},
      {"tranche_d_age", "tranche_age"},
      {"age", "tranche_age"},
      {"statut_social", "statut_social"},
      {"statut", "statut_social"},
      {"notes", "notes"},
      {"note", "notes"},
      {"commentaire", "notes"},
      {"commentaires", "notes"},
  };
  std::string k = key_of(label);
  auto it = aliases.find(k);
  return it == aliases.end() ? "" : it->second;
}

namespace {

// Code of a value given as a code or a French label; "" when empty; nullopt when unknown.
std::optional<std::string> code_of(std::string_view raw, const std::map<std::string, std::string>& labels) {
  std::string k = key_of(raw);
  if (k.empty()) return std::string();
  auto it = labels.find(k);
  if (it != labels.end()) return it->second;
  return std::nullopt;
}

const std::map<std::string, std::string>& genre_labels() {
  static const std::map<std::string, std::string> m = {
      {"masculin", "masculin"}, {"homme", "masculin"}, {"h", "masculin"},  {"m", "masculin"},
      {"feminin", "feminin"},   {"femme", "feminin"},  {"f", "feminin"},   {"non_communique", "non_communique"},
      {"nc", "non_communique"}, {"autre", "non_communique"}};
  return m;
}
const std::map<std::string, std::string>& tranche_labels() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> x;
    for (auto c : kTranchesAge) x[std::string(c)] = std::string(c);
    x["moins_de_12_ans"] = "moins_de_douze";
    x["12_17_ans"] = "douze_dix_huit";
    x["18_24_ans"] = "dix_huit_vingt_quatre";
    x["25_39_ans"] = "vingt_cinq_trente_neuf";
    x["40_59_ans"] = "quarante_cinquante_neuf";
    x["60_69_ans"] = "soixante_soixante_neuf";
    x["70_ans_et_plus"] = "soixante_dix_plus";
    x["70_ans_ou_plus"] = "soixante_dix_plus";
    x["nc"] = "non_communique";
    return x;
  }();
  return m;
}
const std::map<std::string, std::string>& statut_labels() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> x;
    for (auto c : kStatutsSociaux) x[std::string(c)] = std::string(c);
    x["scolarise_e"] = "scolarise";
    x["scolarisee"] = "scolarise";
    x["retraite_e"] = "retraite";
    x["retraitee"] = "retraite";
    x["nc"] = "non_communique";
    return x;
  }();
  return m;
}

std::optional<std::string> opt_text(const std::map<std::string, std::string>& v, const char* f) {
  auto it = v.find(f);
  if (it == v.end()) return std::nullopt;
  std::string s = core::trim(it->second);
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

Analysis analyse(const Sheet& sheet, const referentiel::Territoires& territoires, int current_year) {
  Analysis a;
  auto it = std::find_if(sheet.begin(), sheet.end(), [](const SheetRow& r) { return !blank_row(r.cells); });
  if (it == sheet.end()) throw ImportError("Le fichier est vide.");
  std::vector<std::string> fields;
  bool any = false;
  for (auto& label : it->cells) {
    std::string f = header_field(label);
    if (f.empty() || std::find(fields.begin(), fields.end(), f) != fields.end()) {
      if (!core::trim(label).empty()) a.colonnes_ignorees.push_back(core::trim(label));
      fields.emplace_back();
    } else {
      fields.push_back(f);
      any = true;
    }
  }
  if (!any)
    throw ImportError("Aucune colonne reconnue dans la première ligne (attendu : prenom, nom, annee_naissance, "
                      "telephone, email, adresse, code_postal, commune, genre, tranche_age, statut_social, notes).");
  if (std::find(fields.begin(), fields.end(), "prenom") == fields.end() ||
      std::find(fields.begin(), fields.end(), "nom") == fields.end())
    throw ImportError("Les colonnes « prenom » et « nom » sont obligatoires.");

  for (++it; it != sheet.end(); ++it) {
    if (blank_row(it->cells)) continue;
    if (a.lignes.size() >= kMaxImportRows)
      throw ImportError("Trop de lignes (" + std::to_string(kMaxImportRows) + " au plus par import).");
    AnalysedRow row;
    row.numero = it->numero;
    for (std::size_t i = 0; i < fields.size() && i < it->cells.size(); ++i)
      if (!fields[i].empty()) row.valeurs[fields[i]] = core::trim(it->cells[i]);
    auto& v = row.valeurs;
    auto& e = row.erreurs;
    Beneficiaire b;
    b.anonyme = false;
    b.prenom = opt_text(v, "prenom");
    b.nom = opt_text(v, "nom");
    if (auto y = opt_text(v, "annee_naissance")) {
      std::int64_t year = 0;
      auto [ptr, ec] = std::from_chars(y->data(), y->data() + y->size(), year);
      if (ec != std::errc() || ptr != y->data() + y->size())
        e["annee_naissance"] = "L'année de naissance doit être un nombre (exemple : 1985).";
      else
        b.annee_naissance = year;
    }
    if (auto t = opt_text(v, "telephone")) {
      // A spreadsheet that stored the number as a number dropped its leading zero.
      if (t->size() == 9 && std::all_of(t->begin(), t->end(), [](char c) { return c >= '0' && c <= '9'; }) &&
          (*t)[0] != '0')
        *t = "0" + *t;
      b.telephone = t;
    }
    b.email = opt_text(v, "email");
    b.adresse = opt_text(v, "adresse");
    b.notes = opt_text(v, "notes");
    auto coded = [&](const char* f, const std::map<std::string, std::string>& labels, std::optional<std::string>& dst,
                     const char* msg) {
      if (auto raw = opt_text(v, f)) {
        auto c = code_of(*raw, labels);
        if (!c) e[f] = msg;
        else if (!c->empty()) dst = *c;
      }
    };
    coded("genre", genre_labels(), b.genre, "Genre inconnu (masculin, feminin ou non_communique).");
    coded("tranche_age", tranche_labels(), b.tranche_age, "Tranche d'âge inconnue.");
    coded("statut_social", statut_labels(), b.statut_social,
          "Statut social inconnu (scolarise, sans_emploi, en_emploi, retraite ou non_communique).");
    // Commune: an INSEE code, or a postal code and/or a name.
    auto insee = opt_text(v, "commune_insee");
    auto cp = opt_text(v, "code_postal");
    auto nom_commune = opt_text(v, "commune");
    if (cp && cp->size() == 4 && std::all_of(cp->begin(), cp->end(), [](char c) { return c >= '0' && c <= '9'; }))
      *cp = "0" + *cp;  // 1000 → 01000 (number cell)
    if (insee) {
      b.commune_insee = insee;
      b.code_postal = cp;
    } else if (cp || nom_commune) {
      std::vector<const referentiel::Commune*> found;
      const std::string wanted = nom_commune ? core::fold(*nom_commune) : "";
      if (cp) {
        for (auto* c : territoires.search(*cp, 50))
          if (std::find(c->codes_postaux.begin(), c->codes_postaux.end(), *cp) != c->codes_postaux.end() &&
              (wanted.empty() || core::fold(c->nom) == wanted))
            found.push_back(c);
      } else {
        for (auto* c : territoires.search(*nom_commune, 20))
          if (core::fold(c->nom) == wanted) found.push_back(c);
      }
      if (found.size() == 1) {
        b.commune_insee = found[0]->code;
        b.code_postal = cp ? cp : std::nullopt;
      } else if (found.empty()) {
        e["commune"] = cp ? "Aucune commune " + (nom_commune ? "« " + *nom_commune + " » " : std::string()) +
                                "avec le code postal " + *cp + "."
                          : "Commune inconnue : « " + *nom_commune + " ».";
      } else {
        e["commune"] = cp ? "Plusieurs communes ont le code postal " + *cp + " : précisez la commune."
                          : "Plusieurs communes s'appellent « " + *nom_commune + " » : précisez le code postal.";
      }
    }
    normalize(b, territoires);
    for (auto& [k, msg] : validate(b, territoires, current_year)) e.emplace(k == "commune_insee" ? "commune" : k, msg);
    row.beneficiaire = std::move(b);
    a.lignes.push_back(std::move(row));
  }
  return a;
}

}  // namespace coop::beneficiaires
