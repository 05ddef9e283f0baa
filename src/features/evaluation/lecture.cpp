// The parser of `referentiel.txt` and of the competence files, with the rules an item's own text
// decides (required keys, answer rules). Rules needing the whole bank are in validation.cpp.
#include <algorithm>
#include <set>

#include "core/text.hpp"
#include "features/activites/model.hpp"
#include "features/evaluation/banque.hpp"

namespace coop::evaluation {
namespace {

bool est_minuscule(char c) { return c >= 'a' && c <= 'z'; }
bool est_chiffre(char c) { return c >= '0' && c <= '9'; }
bool est_lettre(char c) { return est_minuscule(c) || (c >= 'A' && c <= 'Z'); }

bool id_item_valide(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return est_minuscule(c) || est_chiffre(c) || c == '-'; });
}
bool nom_champ_valide(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return est_minuscule(c) || est_chiffre(c); });
}
// camelCase ASCII: a lower-case letter, then letters and digits.
bool id_tube_valide(std::string_view s) {
  return !s.empty() && est_minuscule(s[0]) &&
         std::all_of(s.begin(), s.end(), [](char c) { return est_lettre(c) || est_chiffre(c); });
}

std::vector<std::string> decouper(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t debut = 0;
  while (true) {
    const std::size_t p = s.find(sep, debut);
    out.push_back(core::trim(s.substr(debut, p == std::string_view::npos ? std::string_view::npos : p - debut)));
    if (p == std::string_view::npos) break;
    debut = p + 1;
  }
  return out;
}

// "a | b" → {"a", "b"}; nullopt when there is no "|" or a side is empty.
std::optional<std::pair<std::string, std::string>> paire(std::string_view s) {
  const std::size_t p = s.find('|');
  if (p == std::string_view::npos) return std::nullopt;
  std::string a = core::trim(s.substr(0, p)), b = core::trim(s.substr(p + 1));
  return std::pair{std::move(a), std::move(b)};
}

struct LigneBloc {
  int ligne;
  std::string texte;
};

struct Valeur {
  int ligne = 0;
  std::string texte;             // simple keys
  std::vector<LigneBloc> lignes;  // block keys
};

struct Brut {
  std::string id;
  int ligne = 0;
  std::map<std::string, Valeur> cles;
  std::set<std::string> signalees;  // keys present but refused (not reported again as missing)
};

enum class Genre { simple, texte, liste };

Genre genre(std::string_view cle) {
  if (cle == "consigne" || cle == "explication") return Genre::texte;
  if (cle == "propositions" || cle == "champs" || cle == "reponses") return Genre::liste;
  return Genre::simple;
}

constexpr std::string_view kClesItem[] = {"acquis", "type",     "consigne",    "propositions", "reponse",
                                          "champs", "reponses", "numerique",   "tolerances",   "temps",
                                          "image",  "piece-jointe", "explication", "thematiques"};
bool cle_d_item(std::string_view c) { return std::find(std::begin(kClesItem), std::end(kClesItem), c) != std::end(kClesItem); }

std::string guillemets(std::string_view s) { return "« " + std::string(s) + " »"; }

class Lecteur {
 public:
  Lecteur(std::string_view fichier, Banque& banque, std::vector<Erreur>& erreurs)
      : fichier_(fichier), banque_(banque), erreurs_(erreurs) {}

  void lire(std::string_view texte);

 private:
  void erreur(int ligne, std::string cle, std::string message) {
    erreurs_.push_back(Erreur{.fichier = fichier_, .ligne = ligne, .cle = std::move(cle), .message = std::move(message)});
  }
  void ligne(int n, std::string_view l);
  void fermer_bloc();
  void fermer_item();
  void construire(const Brut& b);

  std::string fichier_;
  Banque& banque_;
  std::vector<Erreur>& erreurs_;
  std::string competence_;
  bool competence_vue_ = false;
  bool en_tete_signalee_ = false;
  std::optional<Brut> item_;
  // The block being read: its key and kind (Genre::simple = none).
  Genre bloc_ = Genre::simple;
  std::string cle_bloc_;
};

void Lecteur::lire(std::string_view texte) {
  if (!core::valid_utf8(texte)) erreur(0, "", "le fichier n'est pas en UTF-8 valide");
  if (texte.starts_with("\xEF\xBB\xBF")) {
    erreur(1, "", "le fichier commence par une marque d'ordre des octets (BOM) : enregistrez-le en UTF-8 sans BOM");
    texte.remove_prefix(3);
  }
  bool crlf_signale = false;
  int n = 0;
  std::size_t debut = 0;
  while (debut < texte.size()) {
    std::size_t fin = texte.find('\n', debut);
    if (fin == std::string_view::npos) fin = texte.size();
    std::string_view l = texte.substr(debut, fin - debut);
    ++n;
    if (!l.empty() && l.back() == '\r') {
      if (!crlf_signale) erreur(n, "", "fins de ligne Windows (CRLF) : le format demande des fins de ligne LF");
      crlf_signale = true;
      l.remove_suffix(1);
    }
    ligne(n, l);
    debut = fin + 1;
  }
  fermer_bloc();
  fermer_item();
  if (!competence_vue_) erreur(0, "competence", "le fichier ne déclare pas sa compétence (« competence: D.C » en première ligne)");
}

void Lecteur::ligne(int n, std::string_view l) {
  if (bloc_ == Genre::texte) {
    if (l == ">" || l.starts_with("> ")) {
      item_->cles[cle_bloc_].lignes.push_back(LigneBloc{.ligne = n, .texte = std::string(l.size() > 2 ? l.substr(2) : "")});
      return;
    }
    fermer_bloc();
  } else if (bloc_ == Genre::liste) {
    if (l.starts_with("- ")) {
      item_->cles[cle_bloc_].lignes.push_back(LigneBloc{.ligne = n, .texte = core::trim(l.substr(2))});
      return;
    }
    fermer_bloc();
  }
  if (core::trim(l).empty()) return;
  if (l == "#" || l.starts_with("# ")) return;
  if (l.starts_with(">") || l.starts_with("-")) {
    erreur(n, "", "ligne de bloc (« > » ou « - ») qui ne suit aucune clé de bloc (consigne, explication, propositions, champs, reponses)");
    return;
  }
  const std::size_t deux_points = l.find(':');
  const std::string cle = deux_points == std::string_view::npos ? "" : std::string(l.substr(0, deux_points));
  if (cle.empty() || !std::all_of(cle.begin(), cle.end(), [](char c) { return est_minuscule(c) || c == '-'; })) {
    erreur(n, "", "ligne inattendue : ni « clé: valeur », ni commentaire « # », ni ligne de bloc");
    return;
  }
  const std::string valeur = core::trim(l.substr(deux_points + 1));

  if (!competence_vue_ && cle != "competence") {
    if (!en_tete_signalee_) erreur(n, cle, "le fichier doit commencer par « competence: D.C »");
    en_tete_signalee_ = true;
  }
  if (cle == "competence") {
    if (competence_vue_) {
      erreur(n, cle, "« competence: » ne doit apparaître qu'une fois, en tête du fichier");
      return;
    }
    competence_vue_ = true;
    competence_ = valeur;
    const std::string attendu = std::filesystem::path(fichier_).stem().string();
    if (!banque_.referentiel.competence(valeur)) {
      erreur(n, cle, "compétence " + guillemets(valeur) + " absente du référentiel (evaluation/referentiel.txt)");
    } else if (valeur != attendu) {
      erreur(n, cle, "la compétence " + guillemets(valeur) + " ne correspond pas au nom du fichier (attendu : " + attendu + ")");
    }
    return;
  }
  if (cle == "tube") {
    if (item_) {
      erreur(n, cle, "les tubes se déclarent avant le premier item du fichier");
      return;
    }
    const auto p = paire(valeur);
    if (!p || !p->first.starts_with('@')) {
      erreur(n, cle, "forme attendue : « tube: @identifiant | titre »");
      return;
    }
    const std::string id = p->first.substr(1);
    if (!id_tube_valide(id)) {
      erreur(n, cle, "identifiant de tube " + guillemets(p->first) + " invalide (camelCase ASCII : une minuscule puis lettres et chiffres)");
      return;
    }
    if (p->second.empty()) {
      erreur(n, cle, "le tube @" + id + " n'a pas de titre");
      return;
    }
    banque_.tubes.push_back(Tube{.id = id, .titre = p->second, .competence = competence_, .fichier = fichier_, .ligne = n});
    return;
  }
  if (cle == "item") {
    fermer_item();
    if (!id_item_valide(valeur)) erreur(n, cle, "identifiant d'item " + guillemets(valeur) + " invalide (minuscules, chiffres et « - »)");
    item_ = Brut{.id = valeur, .ligne = n, .cles = {}, .signalees = {}};
    return;
  }
  if (!cle_d_item(cle)) {
    erreur(n, cle, "clé inconnue " + guillemets(cle));
    return;
  }
  if (!item_) {
    erreur(n, cle, "clé " + guillemets(cle) + " hors d'un item (un item commence par « item: identifiant »)");
    return;
  }
  if (item_->cles.contains(cle)) {
    erreur(n, cle, "clé " + guillemets(cle) + " répétée dans l'item " + item_->id + " (déjà ligne " +
                       std::to_string(item_->cles[cle].ligne) + ")");
    return;
  }
  const Genre g = genre(cle);
  if (g != Genre::simple) {
    if (!valeur.empty()) {
      item_->signalees.insert(cle);
      erreur(n, cle, "« " + cle + ": » est une clé de bloc : son contenu va sur les lignes suivantes, précédées de " +
                         (g == Genre::texte ? "« > »" : "« - »"));
      return;
    }
    item_->cles[cle] = Valeur{.ligne = n, .texte = "", .lignes = {}};
    bloc_ = g;
    cle_bloc_ = cle;
    return;
  }
  if (valeur.empty()) {
    item_->signalees.insert(cle);
    erreur(n, cle, "clé " + guillemets(cle) + " sans valeur");
    return;
  }
  item_->cles[cle] = Valeur{.ligne = n, .texte = valeur, .lignes = {}};
}

void Lecteur::fermer_bloc() {
  if (bloc_ == Genre::simple) return;
  const Valeur& v = item_->cles[cle_bloc_];
  if (v.lignes.empty()) {
    erreur(v.ligne, cle_bloc_, std::string("bloc vide : ajoutez des lignes commençant par ") + (bloc_ == Genre::texte ? "« > »" : "« - »"));
    item_->cles.erase(cle_bloc_);
    item_->signalees.insert(cle_bloc_);
  }
  bloc_ = Genre::simple;
  cle_bloc_.clear();
}

void Lecteur::fermer_item() {
  if (!item_) return;
  construire(*item_);
  item_.reset();
}

std::string texte_bloc(const Valeur& v) {
  std::string out;
  for (const auto& l : v.lignes) {
    if (!out.empty()) out.push_back('\n');
    out += l.texte;
  }
  return out;
}

bool correspondent(const std::string& a, const std::string& b, const Tolerances& t, bool numerique) {
  return correspond(a, b, t, numerique).has_value() || correspond(b, a, t, numerique).has_value();
}

void Lecteur::construire(const Brut& b) {
  Item it;
  it.id = b.id;
  it.competence = competence_;
  it.fichier = fichier_;
  it.ligne = b.ligne;
  bool valide = true;
  auto refuser = [&](int ligne, const std::string& cle, std::string message) {
    erreur(ligne, cle, "item " + b.id + " : " + std::move(message));
    valide = false;
  };
  auto trouve = [&](const char* cle) -> const Valeur* {
    const auto i = b.cles.find(cle);
    return i == b.cles.end() ? nullptr : &i->second;
  };
  for (const char* requise : {"acquis", "type", "consigne", "explication"}) {
    if (!trouve(requise) && !b.signalees.contains(requise)) refuser(b.ligne, requise, std::string("clé « ") + requise + ": » obligatoire absente");
  }

  if (const Valeur* v = trouve("acquis")) {
    const std::string& a = v->texte;
    if (!a.starts_with('@') || a.size() < 3 || !est_chiffre(a.back())) {
      refuser(v->ligne, "acquis", "forme attendue : « acquis: @tubeN » (tube déclaré, niveau N de 1 à 8)");
    } else {
      it.tube = a.substr(1, a.size() - 2);
      it.niveau = a.back() - '0';
      if (!id_tube_valide(it.tube)) refuser(v->ligne, "acquis", "tube " + guillemets("@" + it.tube) + " invalide");
      if (it.niveau < 1 || it.niveau > 8) refuser(v->ligne, "acquis", "niveau " + std::to_string(it.niveau) + " hors de 1..8");
    }
  }
  std::optional<Type> type;
  if (const Valeur* v = trouve("type")) {
    type = type_depuis(v->texte);
    if (!type) refuser(v->ligne, "type", "type " + guillemets(v->texte) + " inconnu (QCU, QCM, QROC, QROCM-ind, QROCM-dep)");
  }
  if (const Valeur* v = trouve("consigne")) it.consigne = texte_bloc(*v);
  if (const Valeur* v = trouve("explication")) it.explication = texte_bloc(*v);

  if (const Valeur* v = trouve("numerique")) {
    if (v->texte == "oui") it.numerique = true;
    else if (v->texte != "non") refuser(v->ligne, "numerique", "valeur " + guillemets(v->texte) + " : « oui » ou « non »");
  }
  if (const Valeur* v = trouve("tolerances")) {
    const auto mots = decouper(v->texte, ' ');
    std::vector<std::string> vus;
    it.tolerances = Tolerances{.t1 = false, .t2 = false, .t3 = false};
    for (const auto& m : mots) {
      if (m.empty()) continue;
      if (std::find(vus.begin(), vus.end(), m) != vus.end()) refuser(v->ligne, "tolerances", "tolérance " + guillemets(m) + " répétée");
      vus.push_back(m);
      if (m == "t1") it.tolerances.t1 = true;
      else if (m == "t2") it.tolerances.t2 = true;
      else if (m == "t3") it.tolerances.t3 = true;
      else if (m != "aucune") refuser(v->ligne, "tolerances", "tolérance " + guillemets(m) + " inconnue (t1, t2, t3 ou aucune)");
    }
    if (std::find(vus.begin(), vus.end(), "aucune") != vus.end() && vus.size() > 1)
      refuser(v->ligne, "tolerances", "« aucune » s'emploie seule");
  }
  if (const Valeur* v = trouve("temps")) {
    int s = 0;
    const bool chiffres = !v->texte.empty() && v->texte.size() <= 5 &&
                          std::all_of(v->texte.begin(), v->texte.end(), est_chiffre);
    if (chiffres) s = std::stoi(v->texte);
    if (!chiffres || s < 1 || s > 3600) refuser(v->ligne, "temps", "durée " + guillemets(v->texte) + " : un nombre de secondes de 1 à 3600");
    else it.temps = s;
  }
  auto media = [&](const char* cle, const char* manque) -> std::optional<Media> {
    const Valeur* v = trouve(cle);
    if (!v) return std::nullopt;
    const auto p = paire(v->texte);
    const std::string chemin = p ? p->first : core::trim(v->texte);
    if (!p || p->second.empty()) {
      refuser(v->ligne, cle, manque);
      return std::nullopt;
    }
    const std::filesystem::path chem(chemin);
    const bool sous_medias = chemin.starts_with("medias/") && !chem.is_absolute() &&
                             std::none_of(chem.begin(), chem.end(), [](const auto& part) { return part == ".."; });
    if (!sous_medias) {
      refuser(v->ligne, cle, "le fichier " + guillemets(chemin) + " doit être dans medias/ (chemin relatif, sans « .. »)");
      return std::nullopt;
    }
    return Media{.chemin = chemin, .texte = p->second};
  };
  it.image = media("image", "image sans texte alternatif : « image: medias/x.svg | texte alternatif »");
  it.piece_jointe = media("piece-jointe", "pièce jointe sans libellé : « piece-jointe: medias/x.csv | libellé »");
  if (const Valeur* v = trouve("thematiques")) {
    for (const auto& code : decouper(v->texte, ' ')) {
      if (code.empty()) continue;
      const bool connu = std::any_of(std::begin(activites::thematiques), std::end(activites::thematiques),
                                     [&](const auto& c) { return c.code == code; });
      if (!connu) refuser(v->ligne, "thematiques", "thématique " + guillemets(code) + " inconnue (codes des thématiques des ressources, ex. email, securite_numerique)");
      else it.thematiques.push_back(code);
    }
  }

  auto hors_sujet = [&](std::initializer_list<const char*> cles, std::string_view pour) {
    for (const char* c : cles)
      if (const Valeur* v = trouve(c)) refuser(v->ligne, c, std::string("clé « ") + c + ": » sans objet pour un " + std::string(pour));
  };

  if (type == Type::qcu || type == Type::qcm) {
    it.type = *type;
    const bool qcu = *type == Type::qcu;
    hors_sujet({"champs", "reponses", "numerique", "tolerances"}, nom(*type));
    const Valeur* props = trouve("propositions");
    if (!props) {
      refuser(b.ligne, "propositions", "clé « propositions: » obligatoire pour un " + std::string(nom(*type)));
    } else {
      for (const auto& l : props->lignes) it.propositions.push_back(l.texte);
      const std::size_t min = qcu ? 2 : 3;
      if (it.propositions.size() < min)
        refuser(props->ligne, "propositions", "au moins " + std::to_string(min) + " propositions pour un " + std::string(nom(*type)));
      for (std::size_t i = 0; i < props->lignes.size(); ++i) {
        if (appliquer_t1(pretraiter(props->lignes[i].texte)).empty())
          refuser(props->lignes[i].ligne, "propositions", "proposition vide");
        for (std::size_t j = 0; j < i; ++j) {
          if (appliquer_t1(pretraiter(props->lignes[i].texte)) == appliquer_t1(pretraiter(props->lignes[j].texte)))
            refuser(props->lignes[i].ligne, "propositions",
                    "propositions " + std::to_string(j + 1) + " et " + std::to_string(i + 1) + " identiques (à la casse, aux accents et aux espaces près)");
        }
      }
    }
    if (const Valeur* v = trouve("reponse")) {
      bool lisible = true;
      for (const auto& morceau : decouper(v->texte, ',')) {
        const bool ok = !morceau.empty() && morceau.size() <= 3 && std::all_of(morceau.begin(), morceau.end(), est_chiffre);
        if (!ok) {
          refuser(v->ligne, "reponse", "indice " + guillemets(morceau) + " : des numéros de proposition (1, 2…) séparés par des virgules");
          lisible = false;
          continue;
        }
        it.reponse.push_back(std::stoi(morceau));
      }
      if (lisible) {
        std::vector<int> tries = it.reponse;
        std::sort(tries.begin(), tries.end());
        if (std::adjacent_find(tries.begin(), tries.end()) != tries.end()) refuser(v->ligne, "reponse", "indice répété");
        for (int r : tries) {
          if (r < 1 || static_cast<std::size_t>(r) > it.propositions.size())
            refuser(v->ligne, "reponse", "indice " + std::to_string(r) + " hors des propositions (1.." + std::to_string(it.propositions.size()) + ")");
        }
        if (qcu && tries.size() != 1) refuser(v->ligne, "reponse", "un QCU a exactement une bonne réponse");
        if (!qcu && !it.propositions.empty() && tries.size() >= it.propositions.size())
          refuser(v->ligne, "reponse", "toutes les propositions sont correctes : un QCM doit avoir au moins une proposition fausse");
        it.reponse = tries;
      }
    } else {
      refuser(b.ligne, "reponse", std::string("clé « reponse: » obligatoire pour un ") + std::string(nom(*type)) +
                                      (qcu ? " (un QCU a exactement une bonne réponse)" : " (un QCM a au moins une bonne réponse)"));
    }
  } else if (type) {
    it.type = *type;
    hors_sujet({"propositions", "reponse"}, nom(*type));
    const bool qroc = *type == Type::qroc;
    // Fields.
    if (const Valeur* v = trouve("champs")) {
      std::set<std::string> noms;
      for (const auto& l : v->lignes) {
        const std::size_t p = l.texte.find(':');
        const std::string n = p == std::string::npos ? "" : core::trim(std::string_view(l.texte).substr(0, p));
        const std::string libelle = p == std::string::npos ? "" : core::trim(std::string_view(l.texte).substr(p + 1));
        if (!nom_champ_valide(n) || libelle.empty()) {
          refuser(l.ligne, "champs", "forme attendue : « - nom: libellé » (nom en minuscules et chiffres)");
          continue;
        }
        if (!noms.insert(n).second) {
          refuser(l.ligne, "champs", "champ " + guillemets(n) + " répété");
          continue;
        }
        it.champs.push_back(Champ{.nom = n, .libelle = libelle});
      }
      if (qroc && v->lignes.size() != 1) refuser(v->ligne, "champs", "un QROC a un seul champ (QROCM-ind ou QROCM-dep pour plusieurs)");
      if (!qroc && v->lignes.size() < 2) refuser(v->ligne, "champs", "un " + std::string(nom(*type)) + " a au moins deux champs");
    } else if (qroc) {
      it.champs.push_back(Champ{.nom = "reponse", .libelle = ""});
    } else {
      refuser(b.ligne, "champs", "clé « champs: » obligatoire pour un " + std::string(nom(*type)) + " (au moins deux champs)");
    }
    // Accepted answers.
    const Valeur* rep = trouve("reponses");
    std::vector<int> lignes_solutions;
    auto variantes = [&](const std::string& texte, int ligne) {
      std::vector<std::string> vs = decouper(texte, '|');
      for (const auto& x : vs) {
        if (it.numerique) {
          if (!nombre(x)) refuser(ligne, "reponses", "réponse " + guillemets(x) + " non numérique alors que « numerique: oui »");
        } else if (normaliser(x, it.tolerances).empty()) {
          refuser(ligne, "reponses", "réponse acceptée " + guillemets(x) + " vide une fois normalisée : elle ne pourrait jamais être donnée");
        }
      }
      return vs;
    };
    if (!rep) {
      refuser(b.ligne, "reponses", "clé « reponses: » obligatoire pour un " + std::string(nom(*type)));
    } else if (qroc) {
      if (rep->lignes.size() != 1) refuser(rep->ligne, "reponses", "un QROC a une seule ligne « - a | b | c » (ses variantes acceptées)");
      else it.solutions.push_back(variantes(rep->lignes[0].texte, rep->lignes[0].ligne));
    } else if (*type == Type::qrocm_ind) {
      it.solutions.assign(it.champs.size(), {});
      lignes_solutions.assign(it.champs.size(), 0);
      for (const auto& l : rep->lignes) {
        const std::size_t p = l.texte.find(':');
        const std::string n = p == std::string::npos ? "" : core::trim(std::string_view(l.texte).substr(0, p));
        const auto c = std::find_if(it.champs.begin(), it.champs.end(), [&](const Champ& ch) { return ch.nom == n; });
        if (c == it.champs.end()) {
          refuser(l.ligne, "reponses", n.empty() ? "forme attendue : « - nom: a | b »" : "réponses pour le champ inconnu " + guillemets(n));
          continue;
        }
        const std::size_t k = static_cast<std::size_t>(c - it.champs.begin());
        if (lignes_solutions[k] != 0) {
          refuser(l.ligne, "reponses", "réponses du champ " + guillemets(n) + " déjà données ligne " + std::to_string(lignes_solutions[k]));
          continue;
        }
        lignes_solutions[k] = l.ligne;
        it.solutions[k] = variantes(l.texte.substr(p + 1), l.ligne);
      }
      for (std::size_t k = 0; k < it.champs.size(); ++k)
        if (lignes_solutions[k] == 0) refuser(rep->ligne, "reponses", "le champ " + guillemets(it.champs[k].nom) + " n'a pas de réponse acceptée");
      // With t3, an answer of one field must not be within the t3 distance of another field's.
      if (it.tolerances.t3 && !it.numerique) {
        for (std::size_t i = 0; i < it.solutions.size(); ++i)
          for (std::size_t j = 0; j < i; ++j)
            for (const auto& a : it.solutions[i])
              for (const auto& s : it.solutions[j])
                if (correspondent(a, s, it.tolerances, false))
                  refuser(lignes_solutions[i], "reponses",
                          "champs " + guillemets(it.champs[j].nom) + " et " + guillemets(it.champs[i].nom) + " confondables : « " + s +
                              " » et « " + a + " » se correspondent avec la tolérance t3");
      }
    } else {  // QROCM-dep
      for (const auto& l : rep->lignes) {
        it.solutions.push_back(variantes(l.texte, l.ligne));
        lignes_solutions.push_back(l.ligne);
      }
      if (it.solutions.size() < it.champs.size())
        refuser(rep->ligne, "reponses", std::to_string(it.solutions.size()) + " solution(s) pour " + std::to_string(it.champs.size()) +
                                            " champs : un QROCM-dep a au moins autant de solutions que de champs");
      for (std::size_t i = 0; i < it.solutions.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          for (const auto& a : it.solutions[i])
            for (const auto& s : it.solutions[j])
              if (correspondent(a, s, it.tolerances, it.numerique))
                refuser(lignes_solutions[i], "reponses",
                        "solutions " + std::to_string(j + 1) + " et " + std::to_string(i + 1) + " ambiguës : « " + s + " » et « " + a +
                            " » se correspondent avec les tolérances de l'item");
    }
  }
  if (valide) banque_.items.push_back(std::move(it));
}

}  // namespace

std::string_view nom(Type t) {
  switch (t) {
    case Type::qcu: return "QCU";
    case Type::qcm: return "QCM";
    case Type::qroc: return "QROC";
    case Type::qrocm_ind: return "QROCM-ind";
    case Type::qrocm_dep: return "QROCM-dep";
  }
  return "QCU";
}

std::optional<Type> type_depuis(std::string_view n) {
  for (Type t : {Type::qcu, Type::qcm, Type::qroc, Type::qrocm_ind, Type::qrocm_dep})
    if (nom(t) == n) return t;
  return std::nullopt;
}

std::string format(const Erreur& e) {
  std::string out = e.fichier;
  if (e.ligne > 0) out += ":" + std::to_string(e.ligne);
  out += ": ";
  if (!e.cle.empty()) out += "[" + e.cle + "] ";
  return out + e.message;
}

Referentiel lire_referentiel(std::string_view texte, std::string_view fichier, std::vector<Erreur>& erreurs) {
  Referentiel r;
  auto erreur = [&](int ligne, std::string cle, std::string message) {
    erreurs.push_back(Erreur{.fichier = std::string(fichier), .ligne = ligne, .cle = std::move(cle), .message = std::move(message)});
  };
  int n = 0;
  std::size_t debut = 0;
  while (debut < texte.size()) {
    std::size_t fin = texte.find('\n', debut);
    if (fin == std::string_view::npos) fin = texte.size();
    const std::string l = core::trim(texte.substr(debut, fin - debut));
    debut = fin + 1;
    ++n;
    if (l.empty() || l == "#" || l.starts_with("# ")) continue;
    const std::size_t dp = l.find(':');
    const std::string cle = dp == std::string::npos ? "" : l.substr(0, dp);
    const auto p = dp == std::string::npos ? std::nullopt : paire(std::string_view(l).substr(dp + 1));
    if ((cle != "domaine" && cle != "competence") || !p || p->first.empty() || p->second.empty()) {
      erreur(n, cle, "forme attendue : « domaine: D | titre » ou « competence: D.C | titre »");
      continue;
    }
    if (cle == "domaine") {
      if (p->first.size() != 1 || !est_chiffre(p->first[0])) erreur(n, cle, "code de domaine " + guillemets(p->first) + " : un chiffre");
      else if (r.domaine(p->first)) erreur(n, cle, "domaine " + p->first + " déclaré deux fois");
      else r.domaines.push_back(Domaine{.code = p->first, .titre = p->second});
    } else {
      const std::string& c = p->first;
      const bool forme = c.size() == 3 && est_chiffre(c[0]) && c[1] == '.' && est_chiffre(c[2]);
      if (!forme) erreur(n, cle, "code de compétence " + guillemets(c) + " : « D.C »");
      else if (!r.domaine(c.substr(0, 1))) erreur(n, cle, "compétence " + c + " d'un domaine non déclaré avant elle");
      else if (r.competence(c)) erreur(n, cle, "compétence " + c + " déclarée deux fois");
      else r.competences.push_back(Competence{.code = c, .domaine = c.substr(0, 1), .titre = p->second});
    }
  }
  if (r.competences.empty()) erreur(0, "", "aucune compétence déclarée");
  return r;
}

void lire_competence(std::string_view texte, std::string_view fichier, Banque& banque, std::vector<Erreur>& erreurs) {
  Lecteur(fichier, banque, erreurs).lire(texte);
}

}  // namespace coop::evaluation
