// `make bench-cat` (issue 13 point 8): 10,000 simulated candidates of known ability through Coop's
// engine (features/evaluation/moteur) and through the anchor's published v3 algorithm
// (features/evaluation/anchor/pix_v3), over the same bank; RMSE and bias of θ̂, RMSE of the pix
// score and the exposure rate of the most used item against the test length. Markdown on stdout.
// bench/cat/RESULTATS.md explains the set-up and what the comparison assumes.
//
//   coop_bench_cat [--candidats N] [--graine S] [--longueur-coop L] [--banque DIR]
// The bank: DIR (default: evaluation/ of the current directory) when it is valid and covers the 16
// competences, otherwise a generated bank of the same structure; the output says which.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "features/evaluation/anchor/pix_v3.hpp"
#include "features/evaluation/calibration.hpp"
#include "features/evaluation/moteur.hpp"
#include "features/evaluation/moteur_banque.hpp"
#include "features/evaluation/moteur_simulation.hpp"

using namespace coop::evaluation;

namespace {

const std::vector<int> kLongueurs{8, 12, 16, 20, 24, 28, 32, 40};
constexpr int kMax = 40;

struct Mesure {  // per test length
  std::vector<double> se, biais, se_pix;
  std::vector<std::vector<int>> expo;  // [length][item]
  Mesure(std::size_t items) : se(kLongueurs.size()), biais(kLongueurs.size()), se_pix(kLongueurs.size()),
                              expo(kLongueurs.size(), std::vector<int>(items, 0)) {}
};

struct Ligne {
  double rmse, biais, rmse_pix, expo_max;
};

std::vector<Ligne> resumer(const Mesure& m, int n) {
  std::vector<Ligne> r;
  for (std::size_t k = 0; k < kLongueurs.size(); ++k) {
    int mx = *std::max_element(m.expo[k].begin(), m.expo[k].end());
    r.push_back({std::sqrt(m.se[k] / n), m.biais[k] / n, std::sqrt(m.se_pix[k] / n), double(mx) / n});
  }
  return r;
}

int pix_total(const moteur::Echelle& e, double theta, int competences) {
  return competences * moteur::pix_competence(e, theta, 6);
}

struct Candidat {
  double theta;
  std::uint64_t graine;
};

// Coop runs each length as its own test (the length is its configuration, and the exposure
// control counts the administrations of the tests actually given); one pass per length.
Mesure passer_coop(const std::vector<moteur::Item>& engine_items, const std::vector<moteur::Item>& vrais,
                   const std::vector<Candidat>& cands, int competences) {
  std::map<std::string, std::size_t> idx;
  for (std::size_t i = 0; i < vrais.size(); ++i) idx[vrais[i].id] = i;
  Mesure r(vrais.size());
  for (std::size_t k = 0; k < kLongueurs.size(); ++k) {
    moteur::Config cfg;
    cfg.longueur_min = kLongueurs[k];
    cfg.longueur_max = kLongueurs[k];
    moteur::Moteur m(engine_items, cfg);
    moteur::Expositions expo{.tests = 0, .items = std::vector<std::uint64_t>(engine_items.size(), 0)};
    for (auto& c : cands) {
      simulation::Aleatoire rng(c.graine);
      moteur::EtatSession e{.graine = c.graine, .competences = {}, .questions = {}};
      ++expo.tests;
      while (const moteur::Item* it = m.prochaine(e, &expo)) {
        ++expo.items[m.position(it)];
        std::size_t i = idx.at(it->id);
        ++r.expo[k][i];
        m.repondre(e, it->id, simulation::repondre(rng, vrais[i], c.theta) ? moteur::Resultat::juste : moteur::Resultat::faux);
      }
      auto est = m.estimer(e);
      double d = est.global.moyenne - c.theta, dp = est.pix_total - pix_total(cfg.echelle, c.theta, competences);
      r.se[k] += d * d;
      r.biais[k] += d;
      r.se_pix[k] += dp * dp;
    }
  }
  return r;
}

// Coop with its stopping rule on the posterior SD (between 8 and 40 questions).
struct Arret {
  double rmse, biais, rmse_pix, longueur_moyenne, expo_max;
  int longueur_max;
};
Arret passer_coop_arret(const std::vector<moteur::Item>& engine_items, const std::vector<moteur::Item>& vrais,
                        const std::vector<Candidat>& cands, int competences, double sd) {
  std::map<std::string, std::size_t> idx;
  for (std::size_t i = 0; i < vrais.size(); ++i) idx[vrais[i].id] = i;
  moteur::Config cfg;
  cfg.longueur_min = 8;
  cfg.longueur_max = kMax;
  cfg.ecart_type_arret = sd;
  moteur::Moteur m(engine_items, cfg);
  moteur::Expositions expo{.tests = 0, .items = std::vector<std::uint64_t>(engine_items.size(), 0)};
  std::vector<int> vus(vrais.size(), 0);
  double se = 0, b = 0, sp = 0, lg = 0;
  int lmax = 0;
  for (auto& c : cands) {
    simulation::Aleatoire rng(c.graine);
    moteur::EtatSession e{.graine = c.graine, .competences = {}, .questions = {}};
    ++expo.tests;
    while (const moteur::Item* it = m.prochaine(e, &expo)) {
      ++expo.items[m.position(it)];
      std::size_t i = idx.at(it->id);
      ++vus[i];
      m.repondre(e, it->id, simulation::repondre(rng, vrais[i], c.theta) ? moteur::Resultat::juste : moteur::Resultat::faux);
    }
    auto est = m.estimer(e);
    double d = est.global.moyenne - c.theta, dp = est.pix_total - pix_total(cfg.echelle, c.theta, competences);
    se += d * d;
    b += d;
    sp += dp * dp;
    lg += static_cast<double>(e.questions.size());
    lmax = std::max(lmax, static_cast<int>(e.questions.size()));
  }
  double n = static_cast<double>(cands.size());
  return {std::sqrt(se / n), b / n, std::sqrt(sp / n), lg / n,
          *std::max_element(vus.begin(), vus.end()) / n, lmax};
}

Mesure passer_v3(const std::vector<moteur::Item>& engine_items, const std::vector<moteur::Item>& vrais,
                 const std::vector<Candidat>& cands, int competences, double depart) {
  ancre::ConfigV3 cfg;
  cfg.longueur = kMax;  // the same algorithm run past its 32 questions, for the table's longer rows
  cfg.depart = depart;
  ancre::AlgorithmeV3 v3(engine_items, cfg);
  moteur::Echelle echelle;
  Mesure r(vrais.size());
  for (auto& c : cands) {
    simulation::Aleatoire rng(c.graine);
    auto e = v3.commencer(c.graine);
    std::size_t k = 0;
    for (int i = v3.prochaine(e); i >= 0; i = v3.prochaine(e)) {
      v3.repondre(e, i, simulation::repondre(rng, vrais[static_cast<std::size_t>(i)], c.theta));
      if (k < kLongueurs.size() && static_cast<int>(e.items.size()) == kLongueurs[k]) {
        double d = e.theta() - c.theta,
               dp = pix_total(echelle, e.theta(), competences) - pix_total(echelle, c.theta, competences);
        r.se[k] += d * d;
        r.biais[k] += d;
        r.se_pix[k] += dp * dp;
        for (int s : e.items) ++r.expo[k][static_cast<std::size_t>(s)];
        ++k;
      }
    }
  }
  return r;
}

std::size_t rang(int longueur) {
  return static_cast<std::size_t>(std::find(kLongueurs.begin(), kLongueurs.end(), longueur) - kLongueurs.begin());
}

}  // namespace

int main(int argc, char** argv) {
  int n = 10000, longueur_coop = 20;
  std::string dossier = "evaluation";
  std::uint64_t graine = 20261208;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--candidats" && i + 1 < argc) n = std::atoi(argv[++i]);
    else if (a == "--graine" && i + 1 < argc) graine = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--longueur-coop" && i + 1 < argc) longueur_coop = std::atoi(argv[++i]);
    else if (a == "--banque" && i + 1 < argc) dossier = argv[++i];
    else {
      fmt::print(stderr, "usage : coop_bench_cat [--candidats N] [--graine S] [--longueur-coop L] [--banque DIR]\n");
      return 2;
    }
  }
  if (n < 1 || rang(longueur_coop) == kLongueurs.size()) {
    fmt::print(stderr, "coop_bench_cat : --candidats ≥ 1, --longueur-coop parmi 8 12 16 20 24 28 32 40\n");
    return 2;
  }
  auto debut = std::chrono::steady_clock::now();
  // The bank: items with their level-derived parameters.
  std::vector<moteur::Item> banque;
  std::string origine;
  {
    std::error_code ec;
    std::string pourquoi;
    if (std::filesystem::is_regular_file(std::filesystem::path(dossier) / "referentiel.txt", ec)) {
      auto c = charger(dossier);
      std::set<std::string> avec_items;
      for (auto& it : c.banque.items) avec_items.insert(it.competence);
      if (!c.erreurs.empty()) {
        pourquoi = fmt::format("{} : {} erreur(s)", dossier, c.erreurs.size());
      } else if (avec_items.size() < c.banque.referentiel.competences.size()) {
        pourquoi = fmt::format("{} : items dans {} compétences sur {}", dossier, avec_items.size(),
                               c.banque.referentiel.competences.size());
      } else {
        banque = items_moteur(c.banque);
        origine = fmt::format("banque réelle ({}/), paramètres de départ depuis les niveaux", dossier);
      }
    } else {
      pourquoi = dossier + "/referentiel.txt absent";
    }
    if (banque.empty()) {
      banque = simulation::banque_generee();
      origine = "banque générée (structure de la vraie : 16 compétences × 4 tubes, niveaux 1–6, 3 items par niveau ; "
                "banque réelle non utilisée : " + pourquoi + ")";
    }
  }
  std::map<std::string, int> comps;
  for (auto& it : banque) ++comps[it.competence];
  const int nc = static_cast<int>(comps.size());
  // The "true" parameters of the simulation, drawn around the level-derived ones.
  auto vrais = simulation::parametres_vrais(banque, graine ^ 0x5eed);
  // Calibrated parameters: a calibration sample of 3,000 other persons θ ~ N(0,1) answering 40
  // random items each, calibrated by calibration::calibrer from the level-derived start, linked.
  std::vector<moteur::Item> calibres = banque;
  {
    simulation::Aleatoire r(graine ^ 0xca1);
    std::vector<calibration::Reponse> rep;
    for (int p = 0; p < 3000; ++p) {
      double theta = r.normale();
      for (int k = 0; k < 40; ++k) {
        auto& it = vrais[static_cast<std::size_t>(r.entier(static_cast<int>(vrais.size())))];
        rep.push_back({.personne = std::to_string(p), .item = it.id, .juste = simulation::repondre(r, it, theta)});
      }
    }
    std::map<std::string, calibration::Parametres> depart;
    for (auto& it : banque) depart[it.id] = {.a = it.a, .b = it.b, .reponses = 0, .calibre = false};
    auto res = calibration::calibrer(rep, depart);
    for (auto& it : calibres) {
      it.a = res.items.at(it.id).a;
      it.b = res.items.at(it.id).b;
    }
  }
  double eb = 0;
  for (std::size_t i = 0; i < banque.size(); ++i) eb += std::pow(calibres[i].b - vrais[i].b, 2);
  eb = std::sqrt(eb / static_cast<double>(banque.size()));
  double en = 0;
  for (std::size_t i = 0; i < banque.size(); ++i) en += std::pow(banque[i].b - vrais[i].b, 2);
  en = std::sqrt(en / static_cast<double>(banque.size()));

  // The candidates: θ ~ N(0, 1), each with its own seed (the same for every engine).
  std::vector<Candidat> cands;
  simulation::Aleatoire r(graine);
  for (int i = 0; i < n; ++i) cands.push_back({r.normale(), moteur::melanger(graine + static_cast<std::uint64_t>(i))});

  fmt::print("# bench-cat — Coop (2PL, EAP N(0,1), indice de priorité d'exposition ≤ 25 %, randomesque 2) et l'algorithme v3 de l'ancre\n\n");
  fmt::print("- banque : {}, {} items, {} compétences\n", origine, banque.size(), nc);
  fmt::print("- {} candidats, θ ~ N(0, 1), graine {} ; paramètres vrais : b = b(niveau) + N(0, 0.5²), "
             "a = 1.2·exp(N(0, 0.3²))\n",
             n, graine);
  fmt::print("- score pix : Σ sur les {} compétences de min(⌊8·λ(θ)⌋, 48), λ(θ) = θ + 3.5 (la carte de Coop, "
             "appliquée aux deux moteurs) ; Coop : la somme de ses estimations par compétence ; ancre : depuis son θ̂\n",
             nc);
  fmt::print("- erreur des b utilisés par les moteurs (RMSE vs vrais) : niveaux {:.3f}, calibrés {:.3f}\n\n", en, eb);

  struct Mode {
    const char* nom;
    const std::vector<moteur::Item>* items;
  };
  std::vector<Mode> modes{{"paramètres calibrés (3 000 personnes × 40 items simulés)", &calibres},
                          {"paramètres des niveaux (avant toute calibration)", &banque},
                          {"paramètres vrais (borne : calibration parfaite)", &vrais}};
  for (auto& mode : modes) {
    auto coop = resumer(passer_coop(*mode.items, vrais, cands, nc), n);
    auto v3 = resumer(passer_v3(*mode.items, vrais, cands, nc, -3.0), n);
    auto v3z = resumer(passer_v3(*mode.items, vrais, cands, nc, 0.0), n);
    fmt::print("## Moteurs avec les {}\n\n", mode.nom);
    fmt::print("| questions | Coop RMSE θ | Coop biais | Coop RMSE pix | Coop expo. max | v3 RMSE θ | v3 biais | v3 RMSE pix "
               "| v3 expo. max | v3 départ 0 : RMSE θ |\n");
    fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (std::size_t k = 0; k < kLongueurs.size(); ++k)
      fmt::print("| {}{} | {:.3f} | {:+.3f} | {:.1f} | {:.1f} % | {:.3f} | {:+.3f} | {:.1f} | {:.1f} % | {:.3f} |\n",
                 kLongueurs[k], kLongueurs[k] == 32 ? " (v3)" : kLongueurs[k] == longueur_coop ? " (Coop)" : "",
                 coop[k].rmse, coop[k].biais, coop[k].rmse_pix, 100 * coop[k].expo_max, v3[k].rmse, v3[k].biais,
                 v3[k].rmse_pix, 100 * v3[k].expo_max, v3z[k].rmse);
    auto& c = coop[rang(longueur_coop)];
    auto& a = v3[rang(32)];
    bool ok = c.rmse <= a.rmse && c.rmse_pix <= a.rmse_pix && c.expo_max <= 0.25;
    fmt::print("\nCoop à {} vs ancre à 32 : RMSE θ {:.3f} vs {:.3f} (×{:.2f}), RMSE pix {:.1f} vs {:.1f} (×{:.2f}), "
               "exposition max {:.1f} % vs {:.1f} % → objectif {}\n",
               longueur_coop, c.rmse, a.rmse, c.rmse / a.rmse, c.rmse_pix, a.rmse_pix, c.rmse_pix / a.rmse_pix,
               100 * c.expo_max, 100 * a.expo_max,
               ok ? "atteint" : "NON atteint (précision au moins égale et exposition ≤ 25 % demandées)");
    std::string egale = "plus de 40";
    for (std::size_t k = 0; k < kLongueurs.size(); ++k)
      if (coop[k].rmse <= a.rmse) {
        egale = std::to_string(kLongueurs[k]);
        break;
      }
    std::string v3_egale = "plus de 40";
    for (std::size_t k = 0; k < kLongueurs.size(); ++k)
      if (v3[k].rmse <= c.rmse) {
        v3_egale = std::to_string(kLongueurs[k]);
        break;
      }
    fmt::print("Questions de Coop pour la RMSE θ de l'ancre à 32 : {} ; questions de l'ancre pour celle de Coop à {} : {}\n\n",
               egale, longueur_coop, v3_egale);
    if (&mode == &modes.front()) {
      fmt::print("Coop avec la règle d'arrêt sur l'écart-type a posteriori (8 à 40 questions) :\n\n");
      fmt::print("| arrêt si ET ≤ | questions (moyenne) | max | RMSE θ | biais | RMSE pix | expo. max |\n");
      fmt::print("|---:|---:|---:|---:|---:|---:|---:|\n");
      for (double sd : {0.35, 0.30}) {
        auto x = passer_coop_arret(*mode.items, vrais, cands, nc, sd);
        fmt::print("| {:.2f} | {:.1f} | {} | {:.3f} | {:+.3f} | {:.1f} | {:.1f} % |\n", sd, x.longueur_moyenne,
                   x.longueur_max, x.rmse, x.biais, x.rmse_pix, 100 * x.expo_max);
      }
      fmt::print("\n");
    }
  }
  fmt::print("durée : {:.1f} s\n",
             std::chrono::duration<double>(std::chrono::steady_clock::now() - debut).count());
  return 0;
}
