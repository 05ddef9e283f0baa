#include "features/lieux/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/lieux/horaires.hpp"

namespace coop::lieux {

namespace {

using V = std::vector<std::string_view>;

const V kServices = {"Aide aux démarches administratives",
                     "Maîtrise des outils numériques du quotidien",
                     "Insertion professionnelle via le numérique",
                     "Utilisation sécurisée du numérique",
                     "Parentalité et éducation avec le numérique",
                     "Loisirs et créations numériques",
                     "Compréhension du monde numérique",
                     "Accès internet et matériel informatique",
                     "Acquisition de matériel informatique à prix solidaire"};
const V kPublics = {"Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes"};
const V kPriseEnCharge = {"Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme",
                          "Langues étrangères (anglais)", "Langues étrangères (autres)", "Déficience visuelle"};
const V kFrais = {"Gratuit", "Gratuit sous condition", "Payant"};
const V kDispositifs = {"Aidants Connect", "Bibliothèques numérique de référence", "Certification PIX",
                        "Conseillers numériques", "Emmaüs Connect", "France Services",
                        "Grande école du numérique", "La Croix Rouge", "Point d'accès numérique CAF",
                        "Promeneurs du net", "Relais numérique (Emmaüs Connect)"};
const V kLabels = {"Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illettrisme)", "Arnia/MedNum BFC",
                   "Collectif ressources et acteurs réemploi (Normandie)", "Étapes numériques (La Poste)",
                   "Fabriques de Territoire", "Les Éclaireurs du numérique (Drôme)",
                   "Mes Papiers (Métropole de Lyon)", "ORDI 3.0", "SUD LABS (PACA)"};
const V kModalitesAcces = {"Se présenter", "Téléphoner", "Contacter par mail", "Prendre un RDV en ligne",
                           std::string_view(kSansPublic), "Envoyer un mail avec une fiche de prescription"};
const V kModalitesAccompagnement = {"En autonomie", "Accompagnement individuel", "Dans un atelier collectif",
                                    "À distance"};
const V kItinerance = {"Itinérant", "Fixe"};

const std::array<DescriptionChamp, kNbChamps> kChamps = {{
    {"id", Genre::texte, true, nullptr},
    {"pivot", Genre::texte, true, nullptr},
    {"nom", Genre::texte, true, nullptr},
    {"commune", Genre::texte, true, nullptr},
    {"code_postal", Genre::texte, true, nullptr},
    {"code_insee", Genre::texte, false, nullptr},
    {"adresse", Genre::texte, true, nullptr},
    {"complement_adresse", Genre::texte, false, nullptr},
    {"latitude", Genre::nombre, false, nullptr},
    {"longitude", Genre::nombre, false, nullptr},
    {"typologie", Genre::liste, false, nullptr},
    {"telephone", Genre::texte, false, nullptr},
    {"courriels", Genre::liste, false, nullptr},
    {"site_web", Genre::liste, false, nullptr},
    {"horaires", Genre::texte, false, nullptr},
    {"presentation_resume", Genre::texte, false, nullptr},
    {"presentation_detail", Genre::texte, false, nullptr},
    {"source", Genre::texte, false, nullptr},
    {"itinerance", Genre::liste, false, &kItinerance},
    {"structure_parente", Genre::texte, false, nullptr},
    {"date_maj", Genre::texte, true, nullptr},
    {"services", Genre::liste, false, &kServices},
    {"publics_specifiquement_adresses", Genre::liste, false, &kPublics},
    {"prise_en_charge_specifique", Genre::liste, false, &kPriseEnCharge},
    {"frais_a_charge", Genre::liste, false, &kFrais},
    {"dispositif_programmes_nationaux", Genre::liste, false, &kDispositifs},
    {"formations_labels", Genre::liste, false, &kLabels},
    {"autres_formations_labels", Genre::texte, false, nullptr},
    {"modalites_acces", Genre::liste, false, &kModalitesAcces},
    {"modalites_accompagnement", Genre::liste, false, &kModalitesAccompagnement},
    {"fiche_acces_libre", Genre::texte, false, nullptr},
    {"prise_rdv", Genre::texte, false, nullptr},
}};

// Older labels (standard v0.x and national files before 2024) → the v1.0.2 label, by folded key.
const std::map<std::string, std::string_view>& anciens_libelles(Champ c) {
  static const std::map<Champ, std::map<std::string, std::string_view>> tables = [] {
    std::map<Champ, std::map<std::string, std::string_view>> t;
    auto add = [&](Champ c, std::string_view ancien, std::string_view nouveau) { t[c][core::fold(ancien)] = nouveau; };
    const auto s = ch::services;
    add(s, "Réaliser des démarches administratives avec un accompagnement", kServices[0]);
    add(s, "Accompagner les démarches de santé", kServices[0]);
    add(s, "Prendre en main un smartphone ou une tablette", kServices[1]);
    add(s, "Prendre en main un ordinateur", kServices[1]);
    add(s, "Utiliser le numérique au quotidien", kServices[1]);
    add(s, "Échanger avec mes proches", kServices[1]);
    add(s, "Trouver un emploi ou une formation", kServices[2]);
    add(s, "Créer et développer mon entreprise", kServices[2]);
    add(s, "Favoriser mon insertion professionnelle", kServices[2]);
    add(s, "Approfondir ma culture numérique", kServices[6]);
    add(s, "Promouvoir la citoyenneté numérique", kServices[6]);
    add(s, "Soutenir la parentalité et l'éducation avec le numérique", kServices[4]);
    add(s, "Créer avec le numérique", kServices[5]);
    add(s, "Accéder à une connexion internet", kServices[7]);
    add(s, "Accéder à du matériel", kServices[7]);
    add(s, "Équiper en matériel informatique", kServices[8]);
    add(ch::frais_a_charge, "Gratuit sous conditions", kFrais[1]);
    add(ch::publics_specifiquement_adresses, "Familles/enfants", kPublics[2]);
    add(ch::publics_specifiquement_adresses, "Familles", kPublics[2]);
    add(ch::modalites_accompagnement, "Seul", kModalitesAccompagnement[0]);
    add(ch::modalites_accompagnement, "Avec de l'aide", kModalitesAccompagnement[1]);
    add(ch::modalites_accompagnement, "Dans un atelier", kModalitesAccompagnement[2]);
    add(ch::modalites_acces, "Se présenter sur place", kModalitesAcces[0]);
    add(ch::modalites_acces, "Envoyer un mail", kModalitesAcces[2]);
    add(ch::modalites_acces, "Prendre un rendez-vous en ligne", kModalitesAcces[3]);
    return t;
  }();
  static const std::map<std::string, std::string_view> vide;
  auto it = tables.find(c);
  return it == tables.end() ? vide : it->second;
}


std::string guillemets(std::string_view v) {
  constexpr std::size_t kMax = 60;
  std::string s = v.size() > kMax ? core::utf8_prefix(v, kMax) + "…" : std::string(v);
  return "« " + s + " »";
}

bool chiffres(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool alnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

bool insee_valide(std::string_view s) {
  if (s.size() != 5) return false;
  bool tete = (chiffres(s.substr(0, 1)) && s[0] != '2' && chiffres(s.substr(1, 1))) ||
              (s[0] == '2' && (s[1] == 'A' || s[1] == 'B' || (s[1] >= '1' && s[1] <= '9')));
  return tete && chiffres(s.substr(2));
}

bool telephone_valide(std::string_view s) {
  static const std::array<std::string_view, 10> prefixes = {"+33",  "+590", "+594", "+262", "+596",
                                                            "+269", "+687", "+689", "+508", "+681"};
  for (auto p : prefixes) {
    if (!s.starts_with(p)) continue;
    auto reste = s.substr(p.size());
    if (chiffres(reste) && reste.size() >= 6 && reste.size() <= 9) return true;
  }
  return false;
}

// National format → international, or the input unchanged when it is not one.
std::string telephone_international(std::string_view brut) {
  std::string t;
  for (std::size_t i = 0; i < brut.size(); ++i) {
    char c = brut[i];
    if (c == '(' && brut.substr(i).starts_with("(0)")) {
      i += 2;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c == '+' && t.empty())) t += c;
    else if (c != ' ' && c != '.' && c != '-' && c != '/' && c != '\t') return std::string(brut);
  }
  if (t.starts_with("00")) t = "+" + t.substr(2);
  if (t.size() == 11 && t.starts_with("33")) t = "+" + t;
  if (t.size() == 10 && t[0] == '0') {
    static const std::array<std::pair<std::string_view, std::string_view>, 13> outre_mer = {{
        {"0590", "+590"}, {"0690", "+590"}, {"0691", "+590"}, {"0594", "+594"}, {"0694", "+594"},
        {"0262", "+262"}, {"0692", "+262"}, {"0693", "+262"}, {"0269", "+262"}, {"0639", "+262"},
        {"0596", "+596"}, {"0696", "+596"}, {"0697", "+596"},
    }};
    for (auto [p, indicatif] : outre_mer)
      if (t.starts_with(p)) return std::string(indicatif) + t.substr(1);
    return "+33" + t.substr(1);
  }
  return t;
}

bool courriel_valide(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
  auto domaine = s.substr(at + 1);
  auto point = domaine.rfind('.');
  if (point == std::string_view::npos || point == 0 || point + 2 > domaine.size()) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == ',' || c == '<' || c == '>'; });
}

bool url_valide(std::string_view s) {
  if (!(s.starts_with("https://") || s.starts_with("http://"))) return false;
  auto hote = s.substr(s.find("//") + 2);
  if (hote.empty() || hote.find('.') == std::string_view::npos) return false;
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == '"' || c == '<' || c == '>'; });
}

std::optional<double> nombre(std::string_view s) {
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// Splits a raw list on `|`, or on `;` when there is no `|` (older files); items trimmed.
std::vector<std::string> separer_brut(std::string_view v, bool& point_virgule) {
  point_virgule = false;
  char sep = '|';
  if (v.find('|') == std::string_view::npos && v.find(';') != std::string_view::npos) {
    sep = ';';
    point_virgule = true;
  }
  std::vector<std::string> out;
  std::size_t debut = 0;
  while (debut <= v.size()) {
    auto fin = v.find(sep, debut);
    if (fin == std::string_view::npos) fin = v.size();
    auto item = core::trim(v.substr(debut, fin - debut));
    if (!item.empty()) out.push_back(std::move(item));
    debut = fin + 1;
  }
  return out;
}

// Paris, Lyon, Marseille: the arrondissement code of a postal code, or "".
std::string arrondissement_de(std::string_view ville, std::string_view cp) {
  if (cp.size() != 5 || !chiffres(cp)) return "";
  int n = std::stoi(std::string(cp.substr(3)));
  if (ville == "75056" && cp.starts_with("750") && n >= 1 && n <= 20) return fmt::format("751{:02}", n);
  if (ville == "75056" && cp == "75116") return "75116";
  if (ville == "69123" && cp.starts_with("6900") && n >= 1 && n <= 9) return fmt::format("6938{}", n);
  if (ville == "13055" && cp.starts_with("130") && n >= 1 && n <= 16) return fmt::format("132{:02}", n);
  return "";
}

}  // namespace

const std::array<DescriptionChamp, kNbChamps>& champs() { return kChamps; }

std::optional<Champ> champ_nomme(std::string_view n) {
  for (std::size_t i = 0; i < kNbChamps; ++i)
    if (kChamps[i].nom == n) return static_cast<Champ>(i);
  return std::nullopt;
}

const std::vector<std::string_view>& vocabulaire_services() { return kServices; }
const std::vector<std::string_view>& vocabulaire_publics() { return kPublics; }
const std::vector<std::string_view>& vocabulaire_prise_en_charge() { return kPriseEnCharge; }
const std::vector<std::string_view>& vocabulaire_frais() { return kFrais; }
const std::vector<std::string_view>& vocabulaire_dispositifs() { return kDispositifs; }
const std::vector<std::string_view>& vocabulaire_labels() { return kLabels; }
const std::vector<std::string_view>& vocabulaire_modalites_acces() { return kModalitesAcces; }
const std::vector<std::string_view>& vocabulaire_modalites_accompagnement() { return kModalitesAccompagnement; }
const std::vector<std::string_view>& vocabulaire_itinerance() { return kItinerance; }

std::vector<std::string> separer(std::string_view v) {
  std::vector<std::string> out;
  std::size_t debut = 0;
  while (debut <= v.size() && !v.empty()) {
    auto fin = v.find('|', debut);
    if (fin == std::string_view::npos) fin = v.size();
    if (fin > debut) out.emplace_back(v.substr(debut, fin - debut));
    debut = fin + 1;
  }
  return out;
}

std::string joindre(const std::vector<std::string>& valeurs) {
  std::string out;
  for (const auto& v : valeurs) {
    if (!out.empty()) out += '|';
    out += v;
  }
  return out;
}

std::vector<std::string> Lieu::liste(Champ c) const { return separer(valeurs[c]); }


std::string ville_insee(std::string_view code) {
  if (code.size() == 5 && chiffres(code)) {
    if (code.starts_with("751") && code != "75100") return "75056";
    if (code.starts_with("6938")) return "69123";
    if (code.starts_with("132")) return "13055";
  }
  return std::string(code);
}

Analyse analyser(const std::array<std::string, kNbChamps>& brut) {
  Analyse a;
  auto erreur = [&](Champ c, std::string m) {
    a.erreurs.push_back({std::string(kChamps[c].nom), fmt::format("{} : {}", kChamps[c].nom, m)});
  };
  auto avert = [&](Champ c, std::string m) {
    a.avertissements.push_back({std::string(kChamps[c].nom), fmt::format("{} : {}", kChamps[c].nom, m)});
  };
  Lieu& l = a.lieu;
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    const Champ c = static_cast<Champ>(i);
    if (!core::valid_utf8(brut[i])) {
      erreur(c, "texte mal encodé (UTF-8 attendu)");
      continue;
    }
    l[c] = core::trim(brut[i]);
    if (l[c].empty() && kChamps[i].obligatoire) erreur(c, "champ obligatoire absent");
  }
  if (!a.erreurs.empty() && std::any_of(a.erreurs.begin(), a.erreurs.end(), [](const Remarque& r) {
        return r.message.ends_with("UTF-8 attendu)");
      }))
    return a;

  // pivot: SIRET (14 digits) or RNA (W + 9 digits): 9–14 letters or digits.
  if (!l[ch::pivot].empty()) {
    std::string p;
    for (char c : l[ch::pivot])
      if (c != ' ' && c != '.') p += c;
    if (p != l[ch::pivot] && alnum(p) && p.size() >= 9 && p.size() <= 14) {
      avert(ch::pivot, fmt::format("espaces retirés ({} → « {} »)", guillemets(l[ch::pivot]), p));
      l[ch::pivot] = p;
    }
    if (!alnum(l[ch::pivot]) || l[ch::pivot].size() < 9 || l[ch::pivot].size() > 14)
      erreur(ch::pivot, fmt::format("SIRET ou RNA attendu (9 à 14 lettres ou chiffres), reçu {}", guillemets(l[ch::pivot])));
  }
  if (!l[ch::code_postal].empty() && (l[ch::code_postal].size() != 5 || !chiffres(l[ch::code_postal])))
    erreur(ch::code_postal, fmt::format("5 chiffres attendus, reçu {}", guillemets(l[ch::code_postal])));
  if (!l[ch::code_insee].empty()) {
    std::string up = l[ch::code_insee];
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (up != l[ch::code_insee] && insee_valide(up)) {
      avert(ch::code_insee, fmt::format("{} mis en majuscules", guillemets(l[ch::code_insee])));
      l[ch::code_insee] = up;
    }
    if (!insee_valide(l[ch::code_insee])) {
      erreur(ch::code_insee, fmt::format("code INSEE de 5 caractères attendu (ex. 75056, 2A004), reçu {}",
                                         guillemets(l[ch::code_insee])));
    } else {
      auto arr = arrondissement_de(l[ch::code_insee], l[ch::code_postal]);
      if (!arr.empty() && arr != l[ch::code_insee]) {
        avert(ch::code_insee, fmt::format("code de la ville {} remplacé par celui de l'arrondissement « {} » (code "
                                          "postal {})",
                                          guillemets(l[ch::code_insee]), arr, l[ch::code_postal]));
        l[ch::code_insee] = arr;
      }
    }
  }
  // Position.
  for (Champ c : {ch::latitude, ch::longitude}) {
    if (l[c].empty()) continue;
    std::string t = l[c];
    if (t.find(',') != std::string::npos && t.find('.') == std::string::npos) {
      std::replace(t.begin(), t.end(), ',', '.');
      avert(c, fmt::format("virgule décimale remplacée par un point ({})", guillemets(l[c])));
    }
    auto d = nombre(t);
    const double limite = c == ch::latitude ? 90 : 180;
    if (!d || std::abs(*d) > limite) {
      erreur(c, fmt::format("nombre entre -{0} et {0} attendu (WGS84), reçu {1}", limite, guillemets(l[c])));
      continue;
    }
    l[c] = fmt::format("{}", *d);
  }
  if (l[ch::latitude].empty() != l[ch::longitude].empty())
    erreur(l[ch::latitude].empty() ? ch::latitude : ch::longitude, "latitude et longitude vont ensemble");
  // typologie: codes.
  {
    bool pv = false;
    auto items = separer_brut(l[ch::typologie], pv);
    if (pv) avert(ch::typologie, "séparateur « ; » remplacé par « | »");
    for (auto& it : items) {
      std::string up = it;
      for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      bool ok = !up.empty() && std::all_of(up.begin(), up.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      });
      if (!ok) erreur(ch::typologie, fmt::format("code de typologie attendu (ex. EPN, TIERS_LIEUX), reçu {}", guillemets(it)));
      else if (up != it) avert(ch::typologie, fmt::format("{} mis en majuscules", guillemets(it)));
      it = up;
    }
    l[ch::typologie] = joindre(items);
  }
  // telephone
  if (!l[ch::telephone].empty() && !telephone_valide(l[ch::telephone])) {
    auto t = telephone_international(l[ch::telephone]);
    if (telephone_valide(t)) {
      avert(ch::telephone, fmt::format("numéro {} mis au format international « {} »", guillemets(l[ch::telephone]), t));
      l[ch::telephone] = t;
    } else {
      erreur(ch::telephone,
             fmt::format("numéro au format international attendu (ex. +33123456789), reçu {}", guillemets(l[ch::telephone])));
    }
  }
  // courriels
  {
    bool pv = false;
    auto items = separer_brut(l[ch::courriels], pv);
    if (pv) avert(ch::courriels, "séparateur « ; » remplacé par « | »");
    for (auto& it : items)
      if (!courriel_valide(it)) erreur(ch::courriels, fmt::format("adresse électronique invalide {}", guillemets(it)));
    l[ch::courriels] = joindre(items);
  }
  // URLs
  auto url = [&](Champ c, std::string& v) {
    if (v.starts_with("www.") || (v.find("://") == std::string::npos && v.find('.') != std::string::npos &&
                                  v.find(' ') == std::string::npos && v.find('@') == std::string::npos)) {
      avert(c, fmt::format("{} complété en « https://{} »", guillemets(v), v));
      v = "https://" + v;
    }
    if (!url_valide(v)) erreur(c, fmt::format("adresse web (http:// ou https://) attendue, reçu {}", guillemets(v)));
  };
  {
    bool pv = false;
    auto items = separer_brut(l[ch::site_web], pv);
    if (pv) avert(ch::site_web, "séparateur « ; » remplacé par « | »");
    for (auto& it : items) url(ch::site_web, it);
    l[ch::site_web] = joindre(items);
  }
  for (Champ c : {ch::fiche_acces_libre, ch::prise_rdv})
    if (!l[c].empty()) url(c, l[c]);
  // Texts.
  {
    std::size_t n = 0, len = 0;
    for (std::size_t i = 0; i < l[ch::presentation_resume].size(); i += len) {
      core::decode_utf8(l[ch::presentation_resume], i, len);
      ++n;
    }
    if (n > 280) erreur(ch::presentation_resume, fmt::format("280 caractères au plus, reçu {}", n));
  }
  // date_maj
  if (!l[ch::date_maj].empty()) {
    std::string d = l[ch::date_maj];
    if (d.size() == 10 && d[2] == '/' && d[5] == '/') d = d.substr(6, 4) + "-" + d.substr(3, 2) + "-" + d.substr(0, 2);
    else if (d.size() > 10 && (d[10] == 'T' || d[10] == ' ')) d = d.substr(0, 10);
    if (d != l[ch::date_maj] && core::valid_date(d)) {
      avert(ch::date_maj, fmt::format("date {} lue comme « {} »", guillemets(l[ch::date_maj]), d));
      l[ch::date_maj] = d;
    }
    if (!core::valid_date(l[ch::date_maj]))
      erreur(ch::date_maj, fmt::format("date AAAA-MM-JJ attendue, reçu {}", guillemets(l[ch::date_maj])));
  }
  // Vocabularies.
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    const Champ c = static_cast<Champ>(i);
    const auto* voc = kChamps[i].vocabulaire;
    if (!voc || l[c].empty()) continue;
    bool pv = false;
    auto items = separer_brut(l[c], pv);
    if (pv) avert(c, "séparateur « ; » remplacé par « | »");
    std::vector<std::string> sortie;
    for (const auto& it : items) {
      std::string_view trouve;
      for (auto lib : *voc)
        if (lib == it) trouve = lib;
      if (trouve.empty()) {
        auto essai = [&](std::string_view v) {
          auto k = core::fold(v);
          for (auto lib : *voc)
            if (core::fold(lib) == k) return lib;
          const auto& anciens = anciens_libelles(c);
          auto f = anciens.find(k);
          return f == anciens.end() ? std::string_view() : f->second;
        };
        trouve = essai(it);
        if (trouve.empty() && it.find(':') != std::string::npos) trouve = essai(it.substr(0, it.find(':')));
        if (!trouve.empty())
          avert(c, fmt::format("{} lu comme « {} »", guillemets(it), trouve));
      }
      if (trouve.empty()) {
        erreur(c, fmt::format("valeur inconnue {} (valeurs permises : {})", guillemets(it), [&] {
                 std::string s;
                 for (auto lib : *voc) s += (s.empty() ? "" : " · ") + std::string(lib);
                 return s;
               }()));
        continue;
      }
      if (std::find(sortie.begin(), sortie.end(), trouve) == sortie.end()) sortie.emplace_back(trouve);
    }
    l[c] = joindre(sortie);
  }
  // Empty services: the national tooling's rule.
  const bool services_en_erreur = std::any_of(a.erreurs.begin(), a.erreurs.end(),
                                              [](const Remarque& r) { return r.champ == "services"; });
  if (l[ch::services].empty() && !services_en_erreur) {
    for (Champ c : {ch::publics_specifiquement_adresses, ch::prise_en_charge_specifique, ch::frais_a_charge,
                    ch::modalites_accompagnement}) {
      if (l[c].empty()) continue;
      avert(c, fmt::format("retiré car le lieu n'a aucun service (règle nationale), était {}", guillemets(l[c])));
      l[c].clear();
    }
    if (l[ch::modalites_acces] != kSansPublic) {
      avert(ch::modalites_acces, fmt::format("« {} » car le lieu n'a aucun service (règle nationale){}", kSansPublic,
                                             l[ch::modalites_acces].empty()
                                                 ? std::string()
                                                 : ", était " + guillemets(l[ch::modalites_acces])));
      l[ch::modalites_acces] = std::string(kSansPublic);
    }
  }
  // Opening hours: kept as given; validity from the strict parser.
  if (!l[ch::horaires].empty()) {
    const auto h = horaires::analyser(l[ch::horaires]);
    a.horaires_valides = h.valide();
    if (!h.valide())
      avert(ch::horaires, fmt::format("horaires {} illisibles (syntaxe OpenStreetMap opening_hours, {}) : conservés "
                                      "tels quels, affichés « horaires non renseignés »",
                                      guillemets(l[ch::horaires]), h.erreur ? h.erreur->message : "invalide"));
  }
  return a;
}

std::string departement_de(const Lieu& l) {
  const auto& insee = l[ch::code_insee];
  const auto& cp = l[ch::code_postal];
  const std::string& code = insee.size() == 5 ? insee : cp;
  if (code.size() != 5) return "";
  if (code.starts_with("97") || code.starts_with("98")) return code.substr(0, 3);
  if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) return code.substr(0, 2);
  if (&code == &cp && code.starts_with("20")) return code < "20200" ? "2A" : "2B";
  return code.substr(0, 2);
}

int completude(const Lieu& l) {
  const std::array<bool, 16> faits = {
      !l[ch::telephone].empty(),
      !l[ch::courriels].empty(),
      !l[ch::site_web].empty(),
      !l[ch::horaires].empty(),
      !l[ch::presentation_resume].empty(),
      !l[ch::latitude].empty() && !l[ch::longitude].empty(),
      !l[ch::services].empty(),
      !l[ch::publics_specifiquement_adresses].empty() || !l[ch::prise_en_charge_specifique].empty(),
      !l[ch::frais_a_charge].empty(),
      !l[ch::modalites_acces].empty(),
      !l[ch::modalites_accompagnement].empty(),
      !l[ch::fiche_acces_libre].empty(),
      !l[ch::prise_rdv].empty(),
      !l[ch::typologie].empty(),
      !l[ch::code_insee].empty(),
      !l[ch::presentation_detail].empty(),
  };
  auto n = std::count(faits.begin(), faits.end(), true);
  return static_cast<int>((n * 100 + 8) / 16);
}

std::string nom_normalise(std::string_view n) {
  static const std::set<std::string, std::less<>> vides = {"de", "la", "le", "les", "du", "des", "l", "d",
                                                           "et", "a", "au", "aux", "en", "un", "une"};
  auto f = core::fold(n);
  std::string out;
  std::size_t debut = 0;
  while (debut < f.size()) {
    auto fin = f.find(' ', debut);
    if (fin == std::string::npos) fin = f.size();
    auto mot = std::string_view(f).substr(debut, fin - debut);
    if (!mot.empty() && !vides.contains(mot)) out += (out.empty() ? "" : " ") + std::string(mot);
    debut = fin + 1;
  }
  return out;
}

double similarite_noms(std::string_view a, std::string_view b) {
  auto bigrammes = [](std::string_view s) {
    std::multiset<std::string> out;
    std::size_t debut = 0;
    while (debut < s.size()) {
      auto fin = s.find(' ', debut);
      if (fin == std::string_view::npos) fin = s.size();
      auto mot = " " + std::string(s.substr(debut, fin - debut)) + " ";
      for (std::size_t i = 0; i + 1 < mot.size(); ++i) out.insert(mot.substr(i, 2));
      debut = fin + 1;
    }
    return out;
  };
  if (a == b) return a.empty() ? 0.0 : 1.0;
  auto x = bigrammes(a), y = bigrammes(b);
  if (x.empty() || y.empty()) return 0.0;
  std::vector<std::string> communs;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(communs));
  return 2.0 * static_cast<double>(communs.size()) / static_cast<double>(x.size() + y.size());
}

double distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRayon = 6371008.8, kRad = M_PI / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kRayon * std::asin(std::min(1.0, std::sqrt(h)));
}

std::vector<Changement> differences(const Lieu& avant, const Lieu& apres) {
  std::vector<Changement> out;
  for (std::size_t i = 0; i < kNbChamps; ++i)
    if (avant.valeurs[i] != apres.valeurs[i])
      out.push_back({std::string(kChamps[i].nom), avant.valeurs[i], apres.valeurs[i]});
  return out;
}

}  // namespace coop::lieux
