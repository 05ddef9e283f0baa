// Messages of the search benchmark (bench/chat/run.sh): N realistic French messages of mediators,
// as CSV on stdout (id, canal_id, sujet_id, auteur_id, texte, html, cree_le, index), the html and
// the index computed by the server's own functions (markdown::rendre, francais::indexer), so a
// bulk load (SQLite .import / PostgreSQL COPY) stores exactly what POST /messages would.
//
//   coop_bench_chat_messages N CANAUX SUJETS_PAR_CANAL AUTEURS [SEED]
// Channel 1 (Général) gets 30 % of the messages, the others share the rest evenly; channel c's
// topics are ids (c-1)·S+1 … c·S; authors are users 1 … AUTEURS; dates go from two years ago to
// now, in id order.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/francais.hpp"
#include "core/markdown.hpp"
#include "core/time.hpp"

namespace {

const std::vector<std::string_view> kOuvertures = {
    "Bonjour à tous,", "Bonjour,", "Salut l'équipe !", "Petite question :", "Retour d'expérience :",
    "Pour info,", "Besoin d'aide :", "Merci d'avance,", "Je partage :", "Bonne nouvelle :", "",
    "", "", "Re,", "Bonsoir,",
};
const std::vector<std::string_view> kPhrases = {
    "une usagère n'arrive plus à se connecter à son espace CAF depuis la mise à jour",
    "quelqu'un a une fiche pas à pas pour créer un compte sur impots.gouv ?",
    "atelier mot de passe jeudi à 14 h à la médiathèque, il reste des places",
    "la déclaration trimestrielle RSA se fait désormais depuis l'application CAF",
    "le code FranceConnect ne s'affiche pas quand la personne n'a pas de smartphone",
    "comment réinitialiser le mot de passe Ameli sans accès à l'adresse e-mail ?",
    "nous lançons des ateliers smartphone pour les seniors le mardi matin",
    "la démarche de carte grise sur le site de l'ANTS bloque au moment du paiement",
    "attention aux SMS frauduleux qui imitent l'Assurance maladie, plusieurs bénéficiaires piégés",
    "l'attestation de droits Ameli se télécharge dans l'onglet « Mes démarches »",
    "les permanences numériques en France services reprennent lundi",
    "un monsieur veut déclarer ses revenus en ligne pour la première fois sur impots.gouv",
    "je cherche un tutoriel pour scanner un document avec un téléphone Android",
    "la prime d'activité : le simulateur de la CAF donne un montant différent du calcul réel",
    "qui utilise Pix pour évaluer les compétences numériques en début d'accompagnement ?",
    "le compte France Travail demande un identifiant que la personne n'a jamais reçu",
    "atelier cybersécurité et hameçonnage prévu en mairie le mois prochain",
    "la demande de retraite en ligne sur info-retraite.fr nécessite FranceConnect",
    "nous avons reçu des tablettes reconditionnées pour le prêt aux familles",
    "la MSA propose aussi un accompagnement pour les démarches en ligne des exploitants",
    "comment aider une personne malvoyante à remplir un formulaire administratif en ligne ?",
    "la messagerie sécurisée d'impots.gouv est le plus simple pour une réclamation",
    "quelqu'un a un modèle d'attestation d'accompagnement aux démarches ?",
    "les ateliers d'initiation à l'ordinateur affichent complet jusqu'en juin",
    "un bénéficiaire a oublié son mot de passe et son adresse e-mail a été piratée",
    "rendez-vous pris avec la CAF pour débloquer le dossier de l'allocation logement",
    "l'imprimante de l'espace numérique est de nouveau en panne, prévoir une clé USB",
    "le pass numérique ne couvre pas l'accompagnement aux démarches de l'ANTS",
    "la double authentification sur le compte Ameli bloque les personnes sans téléphone",
    "formation des aidants numériques sur Aidants Connect la semaine prochaine",
};
const std::vector<std::string_view> kFins = {
    "Merci !", "Des idées ?", "Bonne journée.", "À bientôt.", "", "", "", "Belle semaine à tous.",
    "N'hésitez pas si vous avez des questions.", "Je mets le lien dans le sujet.",
};

std::string csv(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: coop_bench_chat_messages N CANAUX SUJETS_PAR_CANAL AUTEURS [SEED]\n");
    return 2;
  }
  const long long n = std::atoll(argv[1]);
  const long long canaux = std::atoll(argv[2]);
  const long long sujets = std::atoll(argv[3]);
  const long long auteurs = std::atoll(argv[4]);
  std::mt19937_64 rng(argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1);
  auto pick = [&](const auto& v) -> std::string_view { return v[rng() % v.size()]; };
  const auto fin = coop::core::Clock::now();
  const auto debut = fin - std::chrono::hours(24 * 730);
  const auto pas = (fin - debut) / std::max(1LL, n);
  std::string line;
  for (long long id = 1; id <= n; ++id) {
    const long long canal = (rng() % 10 < 3 || canaux == 1) ? 1 : 2 + static_cast<long long>(rng() % (canaux - 1));
    const long long sujet = (canal - 1) * sujets + 1 + static_cast<long long>(rng() % sujets);
    const long long auteur = 1 + static_cast<long long>(rng() % auteurs);
    std::string texte;
    auto o = pick(kOuvertures);
    if (!o.empty()) texte += std::string(o) + " ";
    const int k = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < k; ++i) {
      auto p = std::string(pick(kPhrases));
      if (!p.empty()) p[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p[0])));
      texte += p + (p.back() == '?' ? " " : ". ");
    }
    if (rng() % 8 == 0) texte += "**Important** : ";
    texte += std::string(pick(kFins));
    while (!texte.empty() && texte.back() == ' ') texte.pop_back();
    auto rendu = coop::markdown::rendre(texte);
    line.clear();
    line += std::to_string(id) + "," + std::to_string(canal) + "," + std::to_string(sujet) + "," + std::to_string(auteur) +
            "," + csv(texte) + "," + csv(rendu.html) + "," + coop::core::iso_utc(debut + pas * id) + "," +
            csv(coop::francais::indexer(texte)) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
