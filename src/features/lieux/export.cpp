#include "features/lieux/export.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

#include "core/text.hpp"

namespace coop::lieux {

namespace {

std::string csv_champ(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string slug(std::string_view s) {
  auto f = core::fold(s);
  for (auto& c : f)
    if (c == ' ') c = '-';
  return f;
}

boost::json::value nombre_ou_null(const std::string& t) {
  if (t.empty()) return nullptr;
  return std::stod(t);
}

boost::json::value texte_ou_null(const std::string& t) {
  if (t.empty()) return nullptr;
  return boost::json::string(t);
}

boost::json::array tableau(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& x : v) a.emplace_back(x);
  return a;
}

std::vector<std::string> traduire(const Lieu& l, std::initializer_list<Champ> cs,
                                  const std::map<std::string_view, std::string_view>& table) {
  std::vector<std::string> out;
  for (auto c : cs)
    for (const auto& v : l.liste(c)) {
      auto it = table.find(v);
      if (it != table.end() && std::find(out.begin(), out.end(), it->second) == out.end()) out.emplace_back(it->second);
    }
  return out;
}

boost::json::object objet_standard(const Lieu& l) {
  boost::json::object o;
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    auto nom = champs()[i].nom;
    if (i == ch::latitude || i == ch::longitude) o[nom] = nombre_ou_null(l.valeurs[i]);
    else o[nom] = l.valeurs[i];
  }
  return o;
}

std::string id_di(const store::Enregistrement& e) { return e.cle_source + "--" + e.lieu[ch::id]; }

boost::json::object structure_di(const store::Enregistrement& e) {
  const Lieu& l = e.lieu;
  const auto& p = l[ch::pivot];
  const bool siret = p.size() == 14 && p.find_first_not_of('0') != std::string::npos &&
                     p.find_first_not_of("0123456789") == std::string::npos;
  const bool rna = p.size() == 10 && (p[0] == 'W' || p[0] == 'w');
  auto typo = l.liste(ch::typologie);
  auto courriels = l.liste(ch::courriels);
  auto sites = l.liste(ch::site_web);
  return {
      {"id", id_di(e)},
      {"siret", siret ? boost::json::value(p) : nullptr},
      {"rna", rna ? boost::json::value(p) : nullptr},
      {"nom", l[ch::nom]},
      {"commune", l[ch::commune]},
      {"code_postal", l[ch::code_postal]},
      {"code_insee", texte_ou_null(l[ch::code_insee])},
      {"adresse", l[ch::adresse]},
      {"complement_adresse", texte_ou_null(l[ch::complement_adresse])},
      {"longitude", nombre_ou_null(l[ch::longitude])},
      {"latitude", nombre_ou_null(l[ch::latitude])},
      {"typologie", typo.empty() ? boost::json::value(nullptr) : boost::json::value(typo.front())},
      {"telephone", texte_ou_null(l[ch::telephone])},
      {"courriel", courriels.empty() ? boost::json::value(nullptr) : boost::json::value(courriels.front())},
      {"site_web", sites.empty() ? boost::json::value(nullptr) : boost::json::value(sites.front())},
      {"presentation_resume", texte_ou_null(l[ch::presentation_resume])},
      {"presentation_detail", texte_ou_null(l[ch::presentation_detail])},
      {"source", e.cle_source},
      {"date_maj", l[ch::date_maj]},
      {"antenne", false},
      {"lien_source", nullptr},
      {"horaires_ouverture", texte_ou_null(l[ch::horaires])},
      {"accessibilite", texte_ou_null(l[ch::fiche_acces_libre])},
      {"labels_nationaux", tableau(labels_data_inclusion(l))},
      {"labels_autres", tableau(l.liste(ch::formations_labels))},
      {"thematiques", [&] {
         boost::json::array a;
         for (const auto& s : l.liste(ch::services)) a.emplace_back(thematique_data_inclusion(s));
         return a;
       }()},
  };
}

}  // namespace

std::string nom_fichier_recommande(const std::string& date, const std::string& producteur,
                                   const std::string& territoire, FormatExport format) {
  auto propre = [](const std::string& s) {
    auto f = slug(s);
    return f.empty() ? std::string("coop") : f;
  };
  return fmt::format("{}_{}_lieux-de-mediation-numerique_{}.{}", date, propre(producteur), propre(territoire),
                     format == FormatExport::csv ? "csv" : "json");
}

std::string entete_csv() {
  std::string out;
  for (const auto& c : champs()) out += (out.empty() ? "" : ",") + std::string(c.nom);
  return out;
}

std::string ligne_csv(const Lieu& l) {
  std::string out;
  for (std::size_t i = 0; i < kNbChamps; ++i) out += (i ? "," : "") + csv_champ(l.valeurs[i]);
  return out;
}

std::string thematique_data_inclusion(std::string_view service) { return "numerique--" + slug(service); }

std::vector<std::string> profils_data_inclusion(const Lieu& l) {
  static const std::map<std::string_view, std::string_view> t = {
      {"Seniors", "seniors-65"},
      {"Familles et/ou enfants", "familles-enfants"},
      {"Jeunes", "jeunes-16-26"},
      {"Femmes", "femmes"},
      {"Langues étrangères (anglais)", "public-langues-etrangeres"},
      {"Langues étrangères (autres)", "public-langues-etrangeres"},
      {"Déficience visuelle", "deficience-visuelle"},
      {"Surdité", "surdite"},
      {"Handicaps mentaux", "handicaps-mentaux"},
      {"Illettrisme", "personnes-en-situation-illettrisme"},
  };
  return traduire(l, {ch::publics_specifiquement_adresses, ch::prise_en_charge_specifique}, t);
}

std::vector<std::string> types_data_inclusion(const Lieu& l) {
  static const std::map<std::string_view, std::string_view> t = {
      {"En autonomie", "autonomie"}, {"Accompagnement individuel", "accompagnement"}, {"Dans un atelier collectif", "atelier"}};
  return traduire(l, {ch::modalites_accompagnement}, t);
}

std::vector<std::string> modes_accueil_data_inclusion(const Lieu& l) {
  std::vector<std::string> out;
  auto m = l.liste(ch::modalites_accompagnement);
  bool distance = std::find(m.begin(), m.end(), "À distance") != m.end();
  bool presentiel = std::any_of(m.begin(), m.end(), [](const std::string& x) { return x != "À distance"; });
  if (m.empty() && !l[ch::services].empty()) presentiel = true;
  if (presentiel) out.emplace_back("en-presentiel");
  if (distance) out.emplace_back("a-distance");
  return out;
}

std::vector<std::string> frais_data_inclusion(const Lieu& l) {
  static const std::map<std::string_view, std::string_view> t = {
      {"Gratuit", "gratuit"}, {"Gratuit sous condition", "gratuit-sous-conditions"}, {"Payant", "payant"}};
  return traduire(l, {ch::frais_a_charge}, t);
}

std::vector<std::string> labels_data_inclusion(const Lieu& l) {
  static const std::map<std::string_view, std::string_view> t = {
      {"Aidants Connect", "aidants-connect"},
      {"Conseillers numériques", "conseiller-numerique"},
      {"France Services", "france-service"},
      {"Grande école du numérique", "grandes-ecoles-du-numerique"},
      {"Point d'accès numérique CAF", "caf"},
  };
  return traduire(l, {ch::dispositif_programmes_nationaux}, t);
}

std::int64_t exporter(storage::Session& s, FormatExport format, std::ostream& out) {
  std::int64_t n = 0;
  if (format == FormatExport::csv) {
    out << entete_csv() << "\r\n";
    store::parcourir(s, [&](const store::Enregistrement& e) {
      out << ligne_csv(e.lieu) << "\r\n";
      ++n;
    });
    return n;
  }
  if (format == FormatExport::json) {
    out << "[";
    store::parcourir(s, [&](const store::Enregistrement& e) {
      out << (n++ ? ",\n" : "\n") << boost::json::serialize(objet_standard(e.lieu));
    });
    out << (n ? "\n]\n" : "]\n");
    return n;
  }
  // data.inclusion: {"structures": [...], "services": [...]}, services written after structures
  // from a second pass (both streamed).
  out << "{\"structures\": [";
  store::parcourir(s, [&](const store::Enregistrement& e) {
    out << (n++ ? ",\n" : "\n") << boost::json::serialize(structure_di(e));
  });
  out << "],\n\"services\": [";
  std::int64_t k = 0;
  store::parcourir(s, [&](const store::Enregistrement& e) {
    const Lieu& l = e.lieu;
    for (const auto& service : l.liste(ch::services)) {
      boost::json::object o = {
          {"id", id_di(e) + "--" + slug(service)},
          {"structure_id", id_di(e)},
          {"source", e.cle_source},
          {"nom", service},
          {"presentation_resume", texte_ou_null(l[ch::presentation_resume])},
          {"types", tableau(types_data_inclusion(l))},
          {"thematiques", boost::json::array{boost::json::value(thematique_data_inclusion(service))}},
          {"frais", tableau(frais_data_inclusion(l))},
          {"profils", tableau(profils_data_inclusion(l))},
          {"modes_accueil", tableau(modes_accueil_data_inclusion(l))},
          {"prise_rdv", texte_ou_null(l[ch::prise_rdv])},
          {"commune", l[ch::commune]},
          {"code_postal", l[ch::code_postal]},
          {"code_insee", texte_ou_null(l[ch::code_insee])},
          {"adresse", l[ch::adresse]},
          {"longitude", nombre_ou_null(l[ch::longitude])},
          {"latitude", nombre_ou_null(l[ch::latitude])},
          {"telephone", texte_ou_null(l[ch::telephone])},
          {"date_maj", l[ch::date_maj]},
      };
      out << (k++ ? ",\n" : "\n") << boost::json::serialize(o);
    }
  });
  out << "]}\n";
  return n;
}

}  // namespace coop::lieux
