#include "features/lieux/import.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <sstream>
#include <unordered_map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/lieux/store.hpp"

namespace coop::lieux {

namespace {

// A header cell → field: the exact name, else ignoring case, accents and separators.
std::optional<Champ> champ_entete(std::string_view cellule) {
  auto t = core::trim(cellule);
  if (auto c = champ_nomme(t)) return c;
  auto k = core::fold(t);
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    std::string nom(champs()[i].nom);
    for (auto& ch : nom)
      if (ch == '_') ch = ' ';
    if (k == nom) return static_cast<Champ>(i);
  }
  return std::nullopt;
}

std::string csv_champ(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Invalid UTF-8 bytes → U+FFFD, so that the report and the CSV of rejects stay valid text (the row
// itself was rejected by the model: « texte mal encodé »).
std::string propre_utf8(const std::string& v) {
  if (core::valid_utf8(v)) return v;
  std::string out;
  std::size_t len = 0;
  for (std::size_t i = 0; i < v.size(); i += len) {
    if (core::decode_utf8(v, i, len) == core::kInvalidCodePoint) out += "\xEF\xBF\xBD";
    else out.append(v, i, len);
  }
  return out;
}

struct Entree {
  std::int64_t ligne = 0;
  std::string cle;
  std::array<std::string, kNbChamps> brut;
  Analyse analyse;
};

class Importateur {
 public:
  Importateur(storage::Database& db, const OptionsImport& o) : db_(db), o_(o) {}

  void ligne(std::int64_t numero, std::array<std::string, kNbChamps> brut) {
    bool vide = true;
    for (const auto& v : brut)
      if (!core::trim(v).empty()) vide = false;
    if (vide) return;
    ++r.lignes;
    Entree e{.ligne = numero, .cle = {}, .brut = std::move(brut), .analyse = {}};
    e.analyse = analyser(e.brut);
    for (auto& v : e.brut) v = propre_utf8(v);
    e.cle = !o_.source.empty() ? o_.source : !e.analyse.lieu[ch::source].empty() ? e.analyse.lieu[ch::source] : "import";
    const auto& ident = e.analyse.lieu[ch::id];
    if (!ident.empty()) {
      auto [it, neuf] = vus_.try_emplace(e.cle + '\x1f' + ident, numero);
      if (!neuf)
        e.analyse.erreurs.push_back(
            {"id", fmt::format("id : « {} » déjà présent ligne {} de ce fichier (source « {} »)", ident, it->second, e.cle)});
    }
    lot_.push_back(std::move(e));
    if (lot_.size() >= o_.lot) vider();
  }

  void vider() {
    if (lot_.empty()) return;
    const auto maintenant = core::now_iso();
    std::vector<std::string> statuts(lot_.size());
    int doublons = 0;
    db_.write([&](storage::Session& s) {
      doublons = 0;
      std::vector<std::int64_t> a_comparer;
      for (std::size_t i = 0; i < lot_.size(); ++i) {
        auto& e = lot_[i];
        if (!e.analyse.ok()) {
          statuts[i] = "rejete";
          continue;
        }
        std::int64_t id = 0;
        auto res = store::enregistrer(s,
                                      {.cle_source = e.cle,
                                       .lieu = e.analyse.lieu,
                                       .horaires_valides = e.analyse.horaires_valides,
                                       .auteur_id = std::nullopt,
                                       .origine = "import:" + e.cle,
                                       .maintenant = maintenant},
                                      &id);
        statuts[i] = res == store::Resultat::cree ? "cree" : res == store::Resultat::modifie ? "modifie" : "inchange";
        if (res != store::Resultat::inchange) a_comparer.push_back(id);
      }
      if (o_.proposer_doublons)
        for (auto id : a_comparer) doublons += store::proposer_doublons(s, id, maintenant);
    });
    r.doublons += doublons;
    for (std::size_t i = 0; i < lot_.size(); ++i) {
      auto& e = lot_[i];
      const auto& st = statuts[i];
      if (st == "cree") ++r.crees;
      else if (st == "modifie") ++r.modifies;
      else if (st == "inchange") ++r.inchanges;
      else ++r.rejetes;
      r.avertissements += static_cast<std::int64_t>(e.analyse.avertissements.size());
      if (!e.analyse.erreurs.empty() || !e.analyse.avertissements.empty())
        r.details.push_back({.ligne = e.ligne,
                             .ident = core::trim(e.brut[ch::id]),
                             .statut = st,
                             .erreurs = e.analyse.erreurs,
                             .avertissements = e.analyse.avertissements});
      if (st == "rejete") {
        std::string motif;
        for (const auto& err : e.analyse.erreurs) motif += (motif.empty() ? "" : " ; ") + err.message;
        r.rejets.emplace_back(std::move(e.brut), std::move(motif));
      }
    }
    lot_.clear();
  }

  Rapport r;

 private:
  storage::Database& db_;
  const OptionsImport& o_;
  std::vector<Entree> lot_;
  std::unordered_map<std::string, std::int64_t> vus_;
};

std::string texte_json(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string: return std::string(v.get_string());
    case boost::json::kind::int64: return std::to_string(v.get_int64());
    case boost::json::kind::uint64: return std::to_string(v.get_uint64());
    case boost::json::kind::double_: return fmt::format("{}", v.get_double());
    case boost::json::kind::bool_: return v.get_bool() ? "true" : "false";
    case boost::json::kind::array: {
      std::string out;
      for (const auto& x : v.get_array()) out += (out.empty() ? "" : "|") + texte_json(x);
      return out;
    }
    default: return "";
  }
}

}  // namespace

LecteurCsv::LecteurCsv(std::istream& in, char separateur) : in_(in), sep_(separateur) {}

bool LecteurCsv::suivant(std::vector<std::string>& cellules, std::int64_t& ligne) {
  cellules.clear();
  auto* buf = in_.rdbuf();
  using T = std::char_traits<char>;
  int c = buf->sgetc();
  if (c == T::eof()) return false;
  std::string champ;
  bool guillemets = false, commence = false;
  for (;;) {
    c = buf->sbumpc();
    if (c == T::eof()) {
      if (guillemets) throw ErreurImport(fmt::format("ligne {} : guillemet non fermé", numero_ + 1));
      break;
    }
    char x = static_cast<char>(c);
    if (guillemets) {
      if (x == '"') {
        if (buf->sgetc() == '"') {
          buf->sbumpc();
          champ += '"';
        } else {
          guillemets = false;
        }
      } else {
        champ += x;
      }
      continue;
    }
    if (x == '"' && !commence) {
      guillemets = commence = true;
    } else if (x == sep_) {
      cellules.push_back(std::move(champ));
      champ.clear();
      commence = false;
    } else if (x == '\r' || x == '\n') {
      if (x == '\r' && buf->sgetc() == '\n') buf->sbumpc();
      break;
    } else {
      champ += x;
      commence = true;
    }
  }
  cellules.push_back(std::move(champ));
  ligne = ++numero_;
  return true;
}

char separateur_entete(const std::string& ligne) {
  auto compter = [&](char sep) {
    int n = 0;
    std::istringstream in(ligne);
    LecteurCsv l(in, sep);
    std::vector<std::string> cs;
    std::int64_t num = 0;
    if (l.suivant(cs, num))
      for (const auto& c : cs)
        if (champ_entete(c)) ++n;
    return n;
  };
  return compter(';') > compter(',') ? ';' : ',';
}

Rapport importer(storage::Database& db, std::istream& in, const OptionsImport& options) {
  Importateur imp(db, options);
  // BOM, then the first meaningful character tells JSON from CSV.
  if (in.peek() == 0xEF) {
    char bom[3];
    in.read(bom, 3);
    if (std::string_view(bom, 3) != "\xEF\xBB\xBF") throw ErreurImport("fichier illisible : ni UTF-8, ni JSON, ni CSV");
  }
  while (in.peek() == ' ' || in.peek() == '\n' || in.peek() == '\r' || in.peek() == '\t') in.get();
  if (in.peek() == '[') {
    imp.r.format = "json";
    std::string texte((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    boost::system::error_code ec;
    auto v = boost::json::parse(texte, ec);
    if (ec || !v.is_array())
      throw ErreurImport("JSON invalide : un tableau d'objets aux champs du standard est attendu");
    std::int64_t n = 0;
    std::map<std::string, bool> ignorees;
    for (const auto& o : v.get_array()) {
      ++n;
      std::array<std::string, kNbChamps> brut;
      if (!o.is_object()) {
        imp.vider();
        imp.r.rejets.emplace_back(brut, fmt::format("élément {} : un objet est attendu", n));
        imp.r.details.push_back({.ligne = n,
                                 .ident = "",
                                 .statut = "rejete",
                                 .erreurs = {{"", fmt::format("élément {} : un objet est attendu", n)}},
                                 .avertissements = {}});
        ++imp.r.lignes;
        ++imp.r.rejetes;
        continue;
      }
      for (const auto& [k, val] : o.get_object()) {
        auto c = champ_entete(k);
        if (c) brut[*c] = texte_json(val);
        else ignorees[std::string(k)] = true;
      }
      imp.ligne(n, std::move(brut));
    }
    for (const auto& [k, _] : ignorees) imp.r.colonnes_ignorees.push_back(k);
    imp.vider();
    return std::move(imp.r);
  }
  // CSV: the header line decides the separator.
  std::string entete;
  std::getline(in, entete);
  if (!entete.empty() && entete.back() == '\r') entete.pop_back();
  if (!core::valid_utf8(entete)) throw ErreurImport("le fichier n'est pas encodé en UTF-8");
  const char sep = separateur_entete(entete);
  imp.r.format = sep == ';' ? "csv-point-virgule" : "csv";
  std::vector<std::string> cellules;
  std::int64_t numero = 0;
  {
    std::istringstream h(entete);
    LecteurCsv l(h, sep);
    l.suivant(cellules, numero);
  }
  std::vector<std::optional<Champ>> colonnes;
  std::array<bool, kNbChamps> presentes{};
  for (const auto& c : cellules) {
    auto f = champ_entete(c);
    if (f && presentes[*f]) f.reset();
    colonnes.push_back(f);
    if (f) presentes[*f] = true;
    else if (!core::trim(c).empty()) imp.r.colonnes_ignorees.push_back(core::trim(c));
  }
  if (std::count(presentes.begin(), presentes.end(), true) < 3)
    throw ErreurImport("en-tête du standard introuvable : la première ligne doit nommer les colonnes (id, pivot, nom, "
                       "commune, code_postal, adresse, date_maj…)");
  for (std::size_t i = 0; i < kNbChamps; ++i)
    if (!presentes[i]) imp.r.colonnes_absentes.emplace_back(champs()[i].nom);
  LecteurCsv lecteur(in, sep);
  while (lecteur.suivant(cellules, numero)) {
    const std::int64_t ligne = numero + 1;  // the header is line 1
    std::array<std::string, kNbChamps> brut;
    for (std::size_t i = 0; i < cellules.size() && i < colonnes.size(); ++i)
      if (colonnes[i]) brut[*colonnes[i]] = std::move(cellules[i]);
    if (cellules.size() > colonnes.size()) {
      bool excedent = false;
      for (std::size_t i = colonnes.size(); i < cellules.size(); ++i)
        if (!core::trim(cellules[i]).empty()) excedent = true;
      if (excedent) {
        imp.vider();
        ++imp.r.lignes;
        ++imp.r.rejetes;
        std::string motif = fmt::format("{} colonnes au lieu des {} de l'en-tête (séparateur ou guillemets mal placés)",
                                        cellules.size(), colonnes.size());
        imp.r.details.push_back(
            {.ligne = ligne, .ident = core::trim(brut[ch::id]), .statut = "rejete", .erreurs = {{"", motif}}, .avertissements = {}});
        imp.r.rejets.emplace_back(std::move(brut), motif);
        continue;
      }
    }
    imp.ligne(ligne, std::move(brut));
  }
  imp.vider();
  return std::move(imp.r);
}

std::string decrire(const Rapport& r, std::size_t max_details) {
  std::string out = fmt::format(
      "Import des lieux ({}) : {} ligne(s) lue(s) — {} créée(s), {} modifiée(s), {} inchangée(s), {} rejetée(s) ; "
      "{} avertissement(s) ; {} doublon(s) proposé(s) à la fusion.\n",
      r.format == "json" ? "JSON" : r.format == "csv" ? "CSV" : "CSV séparé par « ; »", r.lignes, r.crees, r.modifies,
      r.inchanges, r.rejetes, r.avertissements, r.doublons);
  if (!r.colonnes_ignorees.empty()) {
    out += "Colonnes ignorées (hors du standard) :";
    for (const auto& c : r.colonnes_ignorees) out += " « " + c + " »";
    out += "\n";
  }
  if (!r.colonnes_absentes.empty()) {
    out += "Colonnes absentes du fichier :";
    for (const auto& c : r.colonnes_absentes) out += " " + c;
    out += "\n";
  }
  static const std::map<std::string, std::string> statuts = {
      {"cree", "créée"}, {"modifie", "modifiée"}, {"inchange", "inchangée"}, {"rejete", "REJETÉE"}};
  std::size_t n = 0;
  for (const auto& d : r.details) {
    if (n++ >= max_details) {
      out += fmt::format("… et {} autre(s) ligne(s) signalée(s).\n", r.details.size() - max_details);
      break;
    }
    out += fmt::format("Ligne {}{} : {}\n", d.ligne, d.ident.empty() ? "" : " (id « " + d.ident + " »)",
                       statuts.at(d.statut));
    for (const auto& e : d.erreurs) out += "  erreur — " + e.message + "\n";
    for (const auto& a : d.avertissements) out += "  corrigé — " + a.message + "\n";
  }
  return out;
}

std::string rejets_csv(const Rapport& r) {
  std::string out = "ligne,motif";
  for (const auto& c : champs()) out += "," + std::string(c.nom);
  out += "\r\n";
  std::size_t i = 0;
  for (const auto& d : r.details) {
    if (d.statut != "rejete") continue;
    if (i >= r.rejets.size()) break;
    const auto& [brut, motif] = r.rejets[i++];
    out += std::to_string(d.ligne) + "," + csv_champ(motif);
    for (const auto& v : brut) out += "," + csv_champ(v);
    out += "\r\n";
  }
  return out;
}

}  // namespace coop::lieux
