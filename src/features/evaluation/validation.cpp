// The rules over the whole bank (unique ids, acquis naming a tube of the item's competence, media
// files present) and the loading of a bank directory.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "features/evaluation/banque.hpp"

namespace coop::evaluation {

const Competence* Referentiel::competence(std::string_view code) const {
  for (const auto& c : competences)
    if (c.code == code) return &c;
  return nullptr;
}

const Domaine* Referentiel::domaine(std::string_view code) const {
  for (const auto& d : domaines)
    if (d.code == code) return &d;
  return nullptr;
}

const Item* Banque::item(std::string_view id) const {
  for (const auto& i : items)
    if (i.id == id) return &i;
  return nullptr;
}

const Tube* Banque::tube(std::string_view id) const {
  for (const auto& t : tubes)
    if (t.id == id) return &t;
  return nullptr;
}

void valider(const Banque& banque, const std::function<bool(const std::string&)>& media_existe,
             std::vector<Erreur>& erreurs) {
  auto erreur = [&](const std::string& fichier, int ligne, std::string cle, std::string message) {
    erreurs.push_back(Erreur{.fichier = fichier, .ligne = ligne, .cle = std::move(cle), .message = std::move(message)});
  };
  std::map<std::string, const Tube*> tubes;
  for (const auto& t : banque.tubes) {
    const auto [it, nouveau] = tubes.emplace(t.id, &t);
    if (!nouveau)
      erreur(t.fichier, t.ligne, "tube", "tube @" + t.id + " déjà déclaré (" + it->second->fichier + ":" + std::to_string(it->second->ligne) +
                                             ") : un identifiant de tube est unique dans toute la banque");
  }
  std::map<std::string, const Item*> items;
  for (const auto& i : banque.items) {
    const auto [it, nouveau] = items.emplace(i.id, &i);
    if (!nouveau)
      erreur(i.fichier, i.ligne, "item", "item " + i.id + " déjà défini (" + it->second->fichier + ":" + std::to_string(it->second->ligne) +
                                             ") : un identifiant d'item est unique dans toute la banque");
    const auto t = tubes.find(i.tube);
    if (t == tubes.end()) {
      erreur(i.fichier, i.ligne, "acquis", "item " + i.id + " : tube @" + i.tube + " non déclaré (ajoutez « tube: @" + i.tube + " | titre »)");
    } else if (t->second->competence != i.competence) {
      erreur(i.fichier, i.ligne, "acquis", "item " + i.id + " : le tube @" + i.tube + " appartient à la compétence " +
                                               t->second->competence + ", pas à " + i.competence);
    }
    for (const auto* m : {&i.image, &i.piece_jointe}) {
      if (*m && !media_existe((*m)->chemin))
        erreur(i.fichier, i.ligne, m == &i.image ? "image" : "piece-jointe", "item " + i.id + " : fichier " + (*m)->chemin + " introuvable");
    }
  }
}

namespace {

std::optional<std::string> lire_fichier(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Chargement charger(const std::filesystem::path& dossier) {
  Chargement c;
  c.banque.dossier = dossier;
  auto& erreurs = c.erreurs;
  const auto texte_ref = lire_fichier(dossier / "referentiel.txt");
  if (!texte_ref) {
    erreurs.push_back(Erreur{.fichier = "referentiel.txt", .ligne = 0, .cle = "",
                             .message = "fichier introuvable ou illisible dans " + dossier.string()});
    return c;
  }
  c.banque.referentiel = lire_referentiel(*texte_ref, "referentiel.txt", erreurs);

  std::vector<std::filesystem::path> fichiers;
  std::error_code ec;
  for (std::filesystem::directory_iterator d(dossier / "banque", ec), fin; !ec && d != fin; d.increment(ec)) {
    if (d->is_regular_file() && d->path().extension() == ".txt") fichiers.push_back(d->path());
  }
  if (ec && ec != std::errc::no_such_file_or_directory)
    erreurs.push_back(Erreur{.fichier = "banque", .ligne = 0, .cle = "", .message = "dossier illisible : " + ec.message()});
  // Referentiel order (1.1 … 5.2), then the others by name (they are refused by lire_competence).
  const auto rang = [&](const std::filesystem::path& p) {
    const auto& cs = c.banque.referentiel.competences;
    const auto i = std::find_if(cs.begin(), cs.end(), [&](const Competence& x) { return x.code == p.stem().string(); });
    return std::pair{static_cast<std::size_t>(i - cs.begin()), p.filename().string()};
  };
  std::sort(fichiers.begin(), fichiers.end(), [&](const auto& a, const auto& b) { return rang(a) < rang(b); });
  for (const auto& f : fichiers) {
    const std::string nom = "banque/" + f.filename().string();
    const auto texte = lire_fichier(f);
    if (!texte) {
      erreurs.push_back(Erreur{.fichier = nom, .ligne = 0, .cle = "", .message = "fichier illisible"});
      continue;
    }
    lire_competence(*texte, nom, c.banque, erreurs);
  }
  valider(
      c.banque,
      [&](const std::string& chemin) {
        std::error_code e;
        return std::filesystem::is_regular_file(dossier / chemin, e);
      },
      erreurs);
  return c;
}

}  // namespace coop::evaluation
