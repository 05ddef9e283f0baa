#include "features/discussion/model.hpp"

#include <algorithm>
#include <set>

#include "core/francais.hpp"
#include "core/text.hpp"

namespace coop::discussion {

bool type_canal_valide(std::string_view type) {
  return std::find(std::begin(types_canal), std::end(types_canal), type) != std::end(types_canal);
}

namespace {

std::size_t caracteres(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::optional<std::string> verifier_libelle(std::string_view v, std::size_t max, const char* quoi) {
  if (!core::valid_utf8(v)) return std::string("Texte invalide (UTF-8 attendu).");
  auto t = core::trim(v);
  if (t.empty()) return std::string("Ce champ est obligatoire.");
  if (caracteres(t) > max) return std::string(quoi) + " ne doit pas dépasser " + std::to_string(max) + " caractères.";
  for (unsigned char c : t)
    if (c < 0x20) return std::string(quoi) + " ne doit pas contenir de retour à la ligne.";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> verifier_nom_canal(std::string_view nom) { return verifier_libelle(nom, max_nom_canal, "Le nom"); }

std::optional<std::string> verifier_titre_sujet(std::string_view titre) {
  return verifier_libelle(titre, max_titre_sujet, "Le sujet");
}

std::optional<std::string> verifier_texte(std::string_view texte, std::size_t taille_max) {
  if (!core::valid_utf8(texte)) return std::string("Texte invalide (UTF-8 attendu).");
  if (core::trim(texte).empty()) return std::string("Le message est vide.");
  if (texte.size() > taille_max)
    return "Le message est trop long (" + std::to_string(texte.size()) + " octets, au plus " + std::to_string(taille_max) +
           ").";
  return std::nullopt;
}

bool empreinte_valide(std::string_view h) {
  return h.size() == 64 && std::all_of(h.begin(), h.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> verifier_emoji(std::string_view emoji) {
  if (emoji.empty() || emoji.size() > max_emoji || !core::valid_utf8(emoji)) return std::string("Réaction invalide.");
  for (unsigned char c : emoji)
    if (c <= 0x20 || c == '/' || c == '<' || c == '>' || c == '"' || c == '&' || c == '\'' || c == 0x7F)
      return std::string("Réaction invalide.");
  return std::nullopt;
}

std::string cle_titre(std::string_view titre) { return core::fold(titre); }

std::optional<std::string> participants_direct(std::int64_t moi, const std::vector<std::int64_t>& autres,
                                               Participants& out) {
  std::set<std::int64_t> ids(autres.begin(), autres.end());
  ids.erase(moi);
  for (auto id : ids)
    if (id <= 0) return std::string("Identifiant de personne invalide.");
  if (ids.empty()) return std::string("Choisissez au moins une autre personne.");
  if (ids.size() + 1 > max_participants_direct)
    return "Une conversation réunit au plus " + std::to_string(max_participants_direct) + " personnes.";
  ids.insert(moi);
  out.ids.assign(ids.begin(), ids.end());
  out.code.clear();
  for (auto id : out.ids) out.code += (out.code.empty() ? "" : ",") + std::to_string(id);
  return std::nullopt;
}

bool notification_groupe_permise(std::int64_t nb_membres, bool moderateur) {
  return moderateur || nb_membres <= grand_canal;
}

std::string titre_carte(std::string_view chemin) {
  struct Prefixe {
    std::string_view debut, titre;
  };
  static constexpr Prefixe prefixes[] = {
      {"/activites/", "Activité"},         {"/beneficiaires/", "Bénéficiaire"},
      {"/structures/", "Structure"},       {"/lieux-activite/", "Lieu d'activité"},
      {"/discussion/", "Discussion"},      {"/utilisateurs/", "Utilisateur"},
      {"/ressources/", "Ressource"},
  };
  for (auto& p : prefixes) {
    if (chemin.starts_with(p.debut)) {
      auto reste = chemin.substr(p.debut.size());
      auto fin = reste.find_first_of("/?#");
      auto id = reste.substr(0, fin);
      if (!id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(p.titre) + " n° " + std::string(id);
      return std::string(p.titre);
    }
  }
  static constexpr Prefixe pages[] = {
      {"/activites", "Mes activités"},  {"/beneficiaires", "Mes bénéficiaires"}, {"/statistiques", "Statistiques"},
      {"/discussion", "Discussion"},    {"/structures", "Structures"},           {"/equipe", "Mon équipe"},
      {"/ressources", "Ressources"},
  };
  for (auto& p : pages)
    if (chemin == p.debut || chemin.starts_with(std::string(p.debut) + "?")) return std::string(p.titre);
  return "Page de Coop";
}


namespace {

// Decodes the code point at s[i] (valid UTF-8 assumed, else one byte), sets len.
char32_t point(std::string_view s, std::size_t i, std::size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { len = 1; return c; }
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + n > s.size() || n == 1) { len = 1; return 0xFFFD; }
  char32_t cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  len = n;
  return cp;
}

bool lettre(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  if (cp >= 0x80 && cp <= 0xBF) return false;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x206F) return false;
  return true;
}

struct Mot {
  std::size_t debut, fin;
};

std::vector<Mot> decouper(std::string_view s) {
  std::vector<Mot> mots;
  std::size_t i = 0, debut = std::string_view::npos;
  while (i < s.size()) {
    std::size_t len = 1;
    auto cp = point(s, i, len);
    if (lettre(cp)) {
      if (debut == std::string_view::npos) debut = i;
    } else if (debut != std::string_view::npos) {
      mots.push_back({debut, i});
      debut = std::string_view::npos;
    }
    i += len;
  }
  if (debut != std::string_view::npos) mots.push_back({debut, s.size()});
  return mots;
}

// Cut position at or before `pos` on a character boundary.
std::size_t frontiere(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return s.size();
  while (pos > 0 && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

}  // namespace

std::string extrait(std::string_view texte, std::string_view requete, bool prefixe, std::size_t longueur) {
  // The stems the index would keep for the query (no stop words), plus its last word as typed
  // when it is a prefix.
  std::vector<std::string> racines;
  {
    auto index = francais::indexer(requete);
    std::size_t i = 0;
    while (i < index.size()) {
      auto j = index.find(' ', i);
      if (j == std::string::npos) j = index.size();
      if (j > i) racines.push_back(index.substr(i, j - i));
      i = j + 1;
    }
    auto mots_requete = francais::mots(requete);
    if (prefixe && !mots_requete.empty()) racines.push_back(francais::racine(mots_requete.back()));
  }
  const std::string dernier_plie = prefixe && !francais::mots(requete).empty() ? francais::mots(requete).back() : "";
  auto mots = decouper(texte);
  std::vector<bool> correspond(mots.size(), false);
  std::size_t premier = mots.size();
  for (std::size_t k = 0; k < mots.size(); ++k) {
    auto plie = francais::plier(texte.substr(mots[k].debut, mots[k].fin - mots[k].debut));
    auto r = francais::racine(plie);
    for (std::size_t q = 0; q < racines.size(); ++q) {
      bool ok = r == racines[q];
      if (!ok && !dernier_plie.empty() && q + 1 == racines.size())
        ok = plie.starts_with(dernier_plie) || r.starts_with(racines[q]);
      if (ok) {
        correspond[k] = true;
        if (premier == mots.size()) premier = k;
        break;
      }
    }
  }
  std::size_t debut = 0;
  if (premier < mots.size() && mots[premier].debut > longueur / 3)
    debut = frontiere(texte, mots[premier].debut - longueur / 3);
  // Start on a word boundary when cut.
  if (debut > 0)
    for (auto& m : mots)
      if (m.debut >= debut) { debut = m.debut; break; }
  std::size_t fin = frontiere(texte, debut + longueur);
  if (fin < texte.size())
    for (auto& m : mots)
      if (m.debut < fin && m.fin > fin) { fin = m.debut; break; }
  std::string out = debut > 0 ? "… " : "";
  std::size_t pos = debut;
  for (std::size_t k = 0; k < mots.size(); ++k) {
    if (mots[k].debut < debut || mots[k].fin > fin || !correspond[k]) continue;
    out += core::html_escape(texte.substr(pos, mots[k].debut - pos));
    out += "<mark>" + core::html_escape(texte.substr(mots[k].debut, mots[k].fin - mots[k].debut)) + "</mark>";
    pos = mots[k].fin;
  }
  out += core::html_escape(texte.substr(pos, fin - pos));
  if (fin < texte.size()) out += " …";
  return out;
}

std::string texte_lisible(std::string_view texte) {
  std::string out;
  std::size_t i = 0;
  while (i < texte.size()) {
    auto debut = texte.find("@**", i);
    if (debut == std::string_view::npos) break;
    auto fin = texte.find("**", debut + 3);
    if (fin == std::string_view::npos) break;
    auto nom = texte.substr(debut + 3, fin - debut - 3);
    if (nom.empty() || nom.find('\n') != std::string_view::npos) {
      out.append(texte.substr(i, debut + 3 - i));
      i = debut + 3;
      continue;
    }
    if (auto barre = nom.rfind('|'); barre != std::string_view::npos) nom = nom.substr(0, barre);
    out.append(texte.substr(i, debut - i));
    out += "@";
    out.append(nom);
    i = fin + 2;
  }
  out.append(texte.substr(i));
  return out;
}

std::string nom_departement(std::string_view code, std::string_view nom) {
  return std::string(code) + " · " + std::string(nom);
}

}  // namespace coop::discussion
