#include "features/mattermost/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>

#include "core/text.hpp"
#include "core/time.hpp"

namespace coop::mattermost {

namespace {

core::Clock::time_point point(std::int64_t ms) { return core::Clock::time_point(std::chrono::milliseconds(ms)); }

// UTF-8 aware cut: never in the middle of a character.
std::size_t coupe_utf8(std::string_view s, std::size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

std::size_t longueur_utf8(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The byte offset of the `n`-th character.
std::size_t octet_du_caractere(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && k++ == n) return i;
  return s.size();
}

}  // namespace

std::string instant(std::int64_t ms) { return core::iso_utc(point(ms)); }
std::string jour_paris(std::int64_t ms) { return core::date_in_paris(point(ms)); }

std::string titre_de_fil(std::string_view message, std::size_t max) {
  // First non-empty line.
  std::string ligne;
  std::size_t debut = 0;
  while (debut <= message.size()) {
    auto fin = message.find('\n', debut);
    auto l = message.substr(debut, fin == std::string_view::npos ? std::string_view::npos : fin - debut);
    if (l.find_first_not_of(" \t\r") != std::string_view::npos) {
      ligne = std::string(l);
      break;
    }
    if (fin == std::string_view::npos) break;
    debut = fin + 1;
  }
  // Markdown marks: headings, quotes, list bullets, emphasis, code, links [texte](url) → texte.
  static const std::regex lien(R"(!?\[([^\]]*)\]\([^)]*\))");
  static const std::regex tete(R"(^\s*(#{1,6}|>|[-*+]|\d+[.)])\s+)");
  static const std::regex marques(R"([*_`~]+)");
  static const std::regex mention(R"(@[A-Za-z0-9._-]+)");
  static const std::regex espaces(R"(\s+)");
  ligne = std::regex_replace(ligne, lien, "$1");
  ligne = std::regex_replace(ligne, tete, "");
  ligne = std::regex_replace(ligne, marques, "");
  ligne = std::regex_replace(ligne, mention, "");
  ligne = std::regex_replace(ligne, espaces, " ");
  auto a = ligne.find_first_not_of(" :,;-");
  auto b = ligne.find_last_not_of(" :,;-");
  ligne = a == std::string::npos ? "" : ligne.substr(a, b - a + 1);
  if (ligne.empty()) return "Sans titre";
  if (longueur_utf8(ligne) <= max) return ligne;
  // Cut at the last space before max - 1 characters, then « … ».
  auto limite = octet_du_caractere(ligne, max - 1);
  auto coupe = ligne.rfind(' ', limite);
  if (coupe == std::string::npos || coupe < limite / 2) coupe = coupe_utf8(ligne, limite);
  auto t = ligne.substr(0, coupe);
  while (!t.empty() && (t.back() == ' ' || t.back() == ',' || t.back() == ';' || t.back() == ':')) t.pop_back();
  return t + "…";
}

std::string titre_du_jour(std::string_view jour) {
  if (jour.size() != 10) return "Messages";
  return fmt::format("Messages du {}/{}/{}", jour.substr(8, 2), jour.substr(5, 2), jour.substr(0, 4));
}

CanalCible canal_cible(const Channel& c,
                       const std::function<std::optional<std::string>(std::string_view)>& nom_departement) {
  CanalCible t;
  t.description = !c.purpose.empty() ? c.purpose : c.header;
  if (c.name == "town-square") {
    t.type = CanalCible::Type::general;
    return t;
  }
  static const std::regex dep(R"(^(d[e]p(?:artement)?\s*)?(97[1-6]|2[ab]|0[1-9]|[1-8][0-9]|9[0-5])(?:\s+(.*))?$)");
  for (const auto* s : {&c.name, &c.display_name}) {
    const auto plie = core::fold(*s);  // « Département 2A – Corse » → « departement 2a corse »
    std::smatch m;
    if (!std::regex_match(plie, m, dep)) continue;
    auto code = m[2].str();
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    auto nom = nom_departement ? nom_departement(code) : std::nullopt;
    if (!nom) continue;
    const auto reste = m[3].str();
    const auto nom_plie = core::fold(*nom);
    if (m[1].matched || reste.empty() || reste.rfind(nom_plie, 0) == 0) {
      t.type = CanalCible::Type::departement;
      t.departement = code;
      return t;
    }
  }
  t.type = c.type == "P" ? CanalCible::Type::groupe : CanalCible::Type::theme;
  t.nom = !c.display_name.empty() ? c.display_name : c.name;
  return t;
}

std::string cle_canal(const Channel& c) { return "mm:canal:" + c.team + "/" + c.name; }
std::string cle_post(const Post& p) { return fmt::format("mm:post:{}/{}/{}/{}", p.team, p.channel, p.create_at, p.user); }
std::string cle_reponse(std::string_view cle_racine, const Reply& r) {
  return fmt::format("{}/{}/{}", cle_racine, r.create_at, r.user);
}
std::string cle_direct(const DirectPost& p) {
  auto membres = p.channel_members;
  std::sort(membres.begin(), membres.end());
  std::string m;
  for (auto& x : membres) m += (m.empty() ? "" : ",") + x;
  return fmt::format("mm:direct:{}/{}/{}", m, p.create_at, p.user);
}

std::string emoji(std::string_view nom) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> table{{
      {"+1", "👍"}, {"thumbsup", "👍"}, {"-1", "👎"}, {"thumbsdown", "👎"}, {"heart", "❤️"},
      {"smile", "😄"}, {"slightly_smiling_face", "🙂"}, {"joy", "😂"}, {"laughing", "😆"}, {"tada", "🎉"},
      {"clap", "👏"}, {"pray", "🙏"}, {"eyes", "👀"}, {"white_check_mark", "✅"}, {"heavy_check_mark", "✔️"},
      {"rocket", "🚀"}, {"thinking_face", "🤔"}, {"ok_hand", "👌"}, {"wave", "👋"}, {"fire", "🔥"},
  }};
  for (auto& [k, v] : table)
    if (k == nom) return std::string(v);
  return ":" + std::string(nom) + ":";
}

}  // namespace coop::mattermost
