#include "features/referentiel/territoires.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <boost/json.hpp>

#include "core/text.hpp"

namespace coop::referentiel {
namespace {

namespace json = boost::json;

[[noreturn]] void invalid(std::string_view file, std::string_view reason) {
  throw std::runtime_error("données de référence invalides: " + std::string(file) + ": " +
                           std::string(reason));
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw std::runtime_error("données de référence introuvables: " + path.string() +
                             " (lancez npm ci dans web/)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) invalid(path.string(), "lecture impossible");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) invalid(path.string(), "lecture impossible");
  return std::move(ss).str();
}

const json::array& parse_array(std::string_view text, std::string_view file, json::value& holder) {
  std::error_code ec;
  holder = json::parse(text, ec);
  if (ec) invalid(file, "JSON mal formé (" + ec.message() + ")");
  const json::array* arr = holder.if_array();
  if (!arr) invalid(file, "un tableau JSON est attendu");
  return *arr;
}

std::string str_field(const json::object& o, std::string_view key) {
  if (const json::value* v = o.if_contains(key)) {
    if (const json::string* s = v->if_string()) return std::string(s->data(), s->size());
  }
  return {};
}

std::string required(const json::object& o, std::string_view key, std::string_view file,
                     std::size_t i) {
  std::string v = str_field(o, key);
  if (v.empty()) {
    invalid(file, "élément " + std::to_string(i) + ": champ \"" + std::string(key) + "\" manquant");
  }
  return v;
}

std::int64_t int_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) {
    return static_cast<std::int64_t>(
        std::min<std::uint64_t>(v->get_uint64(), std::numeric_limits<std::int64_t>::max()));
  }
  if (v->is_double() && std::isfinite(v->get_double())) return std::llround(v->get_double());
  return 0;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// core::fold, then whole words "st"/"ste" become "saint"/"sainte". When last_complete is false
// the last word is a prefix still being typed and is left alone ("st" may be "strasbourg").
std::string canonical(std::string_view text, bool last_complete) {
  const std::string f = core::fold(text);
  std::string out;
  out.reserve(f.size() + 8);
  std::size_t pos = 0;
  while (pos < f.size()) {
    std::size_t end = f.find(' ', pos);
    const bool last = end == std::string::npos;
    if (last) end = f.size();
    const std::string_view word(f.data() + pos, end - pos);
    if (!out.empty()) out.push_back(' ');
    if (!last || last_complete) {
      if (word == "st") {
        out += "saint";
      } else if (word == "ste") {
        out += "sainte";
      } else {
        out += word;
      }
    } else {
      out += word;
    }
    pos = end + 1;
  }
  return out;
}

bool is_article(std::string_view w) { return w == "l" || w == "le" || w == "la" || w == "les"; }

// Per-thread dedup scratch: best key per commune index, plus the list of indexes touched, so
// that resetting costs O(candidates) instead of O(communes).
struct Scratch {
  std::vector<std::uint64_t> best;
  std::vector<std::uint32_t> touched;
};

constexpr std::uint64_t kUnset = std::numeric_limits<std::uint64_t>::max();

class Collector {
 public:
  explicit Collector(std::size_t n) : s_(scratch()) {
    if (s_.best.size() < n) s_.best.resize(n, kUnset);
    s_.touched.clear();
  }
  ~Collector() { reset(); }
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  void add(std::uint32_t idx, std::uint64_t key) {
    std::uint64_t& b = s_.best[idx];
    if (b == kUnset) s_.touched.push_back(idx);
    if (key < b) b = key;
  }
  std::size_t distinct() const { return s_.touched.size(); }

  std::vector<const Commune*> take(const std::vector<Commune>& communes, std::size_t limit) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> v;
    v.reserve(s_.touched.size());
    for (std::uint32_t idx : s_.touched) v.emplace_back(s_.best[idx], idx);
    reset();
    const std::size_t k = std::min(limit, v.size());
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    std::vector<const Commune*> out;
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) out.push_back(&communes[v[i].second]);
    return out;
  }

 private:
  static Scratch& scratch() {
    thread_local Scratch s;
    return s;
  }
  void reset() {
    for (std::uint32_t idx : s_.touched) s_.best[idx] = kUnset;
    s_.touched.clear();
  }
  Scratch& s_;
};

std::uint64_t make_key(std::uint64_t tier, std::uint32_t rank) { return (tier << 32) | rank; }

}  // namespace

Territoires Territoires::load(const std::string& data_dir) {
  const std::filesystem::path dir(data_dir);
  const auto communes_path = dir / "communes.json";
  const auto departements_path = dir / "departements.json";
  const auto regions_path = dir / "regions.json";
  // Read all three first so that a missing file is reported before any parse work.
  const std::string communes = read_file(communes_path);
  const std::string departements = read_file(departements_path);
  const std::string regions = read_file(regions_path);
  return parse(communes, communes_path.string(), departements, departements_path.string(),
               regions, regions_path.string());
}

Territoires Territoires::from_json(std::string_view communes_json,
                                   std::string_view departements_json,
                                   std::string_view regions_json) {
  return parse(communes_json, "communes.json", departements_json, "departements.json",
               regions_json, "regions.json");
}

Territoires Territoires::parse(std::string_view communes_json, std::string_view communes_label,
                               std::string_view departements_json,
                               std::string_view departements_label,
                               std::string_view regions_json, std::string_view regions_label) {
  auto object_at = [](const json::array& arr, std::size_t i,
                      std::string_view label) -> const json::object& {
    const json::object* o = arr[i].if_object();
    if (!o) invalid(label, "élément " + std::to_string(i) + ": objet attendu");
    return *o;
  };

  Territoires t;
  json::value holder;
  {
    const auto& arr = parse_array(regions_json, regions_label, holder);
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const json::object& o = object_at(arr, i, regions_label);
      Region r{required(o, "code", regions_label, i), required(o, "nom", regions_label, i),
               str_field(o, "zone")};
      (r.zone == "com" ? t.regions_com_ : t.regions_).push_back(std::move(r));
    }
  }
  {
    const auto& arr = parse_array(departements_json, departements_label, holder);
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const json::object& o = object_at(arr, i, departements_label);
      Departement d{required(o, "code", departements_label, i),
                    required(o, "nom", departements_label, i), str_field(o, "region"),
                    str_field(o, "zone")};
      (d.zone == "com" ? t.departements_com_ : t.departements_).push_back(std::move(d));
    }
  }
  {
    const auto& arr = parse_array(communes_json, communes_label, holder);
    if (arr.size() >= std::numeric_limits<std::uint32_t>::max()) {
      invalid(communes_label, "trop d'éléments");
    }
    t.communes_.reserve(arr.size());
    std::vector<Commune> arrondissements;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const json::object& o = object_at(arr, i, communes_label);
      std::string type = str_field(o, "type");
      const bool arrondissement = type == kTypeArrondissement;
      if (type != kTypeCommune && !arrondissement) continue;  // déléguées, associées
      Commune c;
      c.code = upper_ascii(required(o, "code", communes_label, i));
      c.nom = required(o, "nom", communes_label, i);
      if (const json::value* v = o.if_contains("codesPostaux")) {
        if (const json::array* cps = v->if_array()) {
          for (const json::value& cp : *cps) {
            const json::string* s = cp.if_string();
            if (s && !s->empty()) c.codes_postaux.emplace_back(s->data(), s->size());
          }
        }
      }
      c.departement = str_field(o, "departement");
      c.region = str_field(o, "region");
      c.population = int_field(o, "population");
      c.type = std::move(type);
      if (arrondissement) c.commune_parente = str_field(o, "commune");
      (arrondissement ? arrondissements : t.communes_).push_back(std::move(c));
    }
    t.commune_count_ = t.communes_.size();
    for (Commune& c : arrondissements) t.communes_.push_back(std::move(c));
    t.communes_.shrink_to_fit();
  }
  t.build_index();
  return t;
}

std::string_view Territoires::key_text(const Key& k) const {
  return std::string_view(folded_[k.idx]).substr(k.off);
}

void Territoires::build_index() {
  const auto n = static_cast<std::uint32_t>(communes_.size());
  folded_.clear();
  folded_.reserve(n);
  for (const Commune& c : communes_) folded_.push_back(canonical(c.nom, true));

  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Commune& ca = communes_[a];
    const Commune& cb = communes_[b];
    const bool aa = ca.arrondissement();
    const bool ab = cb.arrondissement();
    if (aa != ab) return !aa;
    if (ca.population != cb.population) return ca.population > cb.population;
    if (folded_[a] != folded_[b]) return folded_[a] < folded_[b];
    return ca.code < cb.code;
  });
  rank_.assign(n, 0);
  for (std::uint32_t r = 0; r < n; ++r) rank_[order[r]] = r;

  by_code_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) by_code_[i] = i;
  std::sort(by_code_.begin(), by_code_.end(),
            [&](std::uint32_t a, std::uint32_t b) { return communes_[a].code < communes_[b].code; });

  names_.clear();
  words_.clear();
  postal_.clear();
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string& f = folded_[i];
    if (f.empty()) continue;
    names_.push_back(Key{i, 0});
    const std::size_t first_space = f.find(' ');
    if (first_space != std::string::npos && is_article(std::string_view(f).substr(0, first_space))) {
      names_.push_back(Key{i, static_cast<std::uint32_t>(first_space + 1)});
    }
    for (std::size_t p = 1; p < f.size(); ++p) {
      if (f[p - 1] == ' ') words_.push_back(Key{i, static_cast<std::uint32_t>(p)});
    }
    for (const std::string& cp : communes_[i].codes_postaux) postal_.push_back(Postal{cp, i});
  }
  auto key_less = [&](const Key& a, const Key& b) {
    const std::string_view ta = key_text(a);
    const std::string_view tb = key_text(b);
    if (ta != tb) return ta < tb;
    return a.idx < b.idx;
  };
  std::sort(names_.begin(), names_.end(), key_less);
  std::sort(words_.begin(), words_.end(), key_less);
  std::sort(postal_.begin(), postal_.end(), [](const Postal& a, const Postal& b) {
    if (a.code != b.code) return a.code < b.code;
    return a.idx < b.idx;
  });
  postal_.erase(std::unique(postal_.begin(), postal_.end(),
                            [](const Postal& a, const Postal& b) {
                              return a.code == b.code && a.idx == b.idx;
                            }),
                postal_.end());
  names_.shrink_to_fit();
  words_.shrink_to_fit();
  postal_.shrink_to_fit();
}

const Commune* Territoires::commune(std::string_view code) const {
  const std::string key = upper_ascii(core::trim(code));
  auto it = std::lower_bound(
      by_code_.begin(), by_code_.end(), key,
      [&](std::uint32_t idx, const std::string& k) { return communes_[idx].code < k; });
  if (it == by_code_.end() || communes_[*it].code != key) return nullptr;
  return &communes_[*it];
}

const Departement* Territoires::departement(std::string_view code) const {
  const std::string key = upper_ascii(core::trim(code));
  for (const auto* list : {&departements_, &departements_com_}) {
    for (const Departement& d : *list) {
      if (d.code == key) return &d;
    }
  }
  return nullptr;
}

const Region* Territoires::region(std::string_view code) const {
  const std::string key = core::trim(code);
  for (const auto* list : {&regions_, &regions_com_}) {
    for (const Region& r : *list) {
      if (r.code == key) return &r;
    }
  }
  return nullptr;
}

std::vector<const Commune*> Territoires::search(std::string_view query, std::size_t limit) const {
  const std::string q = core::trim(query);
  if (q.empty() || limit == 0 || communes_.empty()) return {};
  const bool corse = q.size() == 5 && (q[0] == '2') && (q[1] == 'A' || q[1] == 'a' ||
                                                        q[1] == 'B' || q[1] == 'b') &&
                     is_digits(std::string_view(q).substr(2));
  if (corse || (is_digits(q) && q.size() >= 2 && q.size() <= 5)) return search_postal(q, limit);

  // The last word counts as complete ("st " = "saint ") when the query ends with a separator.
  const unsigned char last = static_cast<unsigned char>(query.back());
  const bool last_complete =
      last < 0x80 && !((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z') ||
                       (last >= '0' && last <= '9'));
  const std::string folded = canonical(query, last_complete);
  if (folded.empty()) return {};
  return search_name(folded, last_complete, limit);
}

std::vector<const Commune*> Territoires::search_postal(std::string_view q,
                                                       std::size_t limit) const {
  Collector col(communes_.size());
  const std::string code = upper_ascii(q);
  auto it = std::lower_bound(postal_.begin(), postal_.end(), code,
                             [](const Postal& p, const std::string& k) { return p.code < k; });
  if (code.size() == 5) {
    for (; it != postal_.end() && it->code == code; ++it) col.add(it->idx, make_key(0, rank_[it->idx]));
    if (const Commune* c = commune(code)) {
      const auto idx = static_cast<std::uint32_t>(c - communes_.data());
      col.add(idx, make_key(1, rank_[idx]));
    }
  } else {
    for (; it != postal_.end() && starts_with(it->code, code); ++it) {
      col.add(it->idx, make_key(0, rank_[it->idx]));
    }
  }
  return col.take(communes_, limit);
}

std::vector<const Commune*> Territoires::search_name(std::string_view q, bool whole_word,
                                                     std::size_t limit) const {
  Collector col(communes_.size());
  auto scan = [&](const std::vector<Key>& index, auto&& tier_of) {
    auto it = std::lower_bound(index.begin(), index.end(), q,
                               [&](const Key& k, std::string_view v) { return key_text(k) < v; });
    for (; it != index.end(); ++it) {
      const std::string_view text = key_text(*it);
      if (!starts_with(text, q)) break;
      // "lyon " (typed with a trailing separator) must not match "lyons la foret".
      if (whole_word && text.size() > q.size() && text[q.size()] != ' ') continue;
      col.add(it->idx, make_key(tier_of(*it, text), rank_[it->idx]));
    }
  };
  // 0: exact name, 1: exact name without article, 2: prefix of the name (with or without article)
  scan(names_, [&](const Key& k, std::string_view text) -> std::uint64_t {
    if (text.size() == q.size()) return k.off == 0 ? 0 : 1;
    return 2;
  });
  // 3: a later word starts with the query. Those rank after every tier 0-2 candidate, so they
  // are only needed when tiers 0-2 did not fill the page.
  if (col.distinct() < limit) {
    scan(words_, [](const Key&, std::string_view) -> std::uint64_t { return 3; });
  }
  return col.take(communes_, limit);
}

}  // namespace coop::referentiel
