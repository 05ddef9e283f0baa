#include "app/evaluation_calibrer_cli.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>

#include "features/evaluation/calibration.hpp"
#include "features/evaluation/moteur_banque.hpp"

namespace coop::app {

int calibrer_items(const OptionsCalibrer& o) {
  namespace cal = evaluation::calibration;
  try {
    std::ifstream in(o.reponses);
    if (!in) throw std::runtime_error("impossible de lire " + o.reponses);
    auto reponses = cal::lire_reponses_csv(in);
    if (reponses.empty()) throw std::runtime_error(o.reponses + " : aucune réponse");
    std::map<std::string, cal::Parametres> depart;
    if (!o.depart.empty()) {
      std::ifstream d(o.depart);
      if (!d) throw std::runtime_error("impossible de lire " + o.depart);
      try {
        depart = cal::lire_depart(d);
      } catch (const std::runtime_error& e) {
        throw std::runtime_error(o.depart + " : " + e.what());
      }
    }
    if (!o.banque.empty()) {
      // The bank's items not given by --depart start from their level.
      auto c = evaluation::charger(o.banque);
      if (!c.erreurs.empty())
        throw std::runtime_error(o.banque + " : banque invalide (" + evaluation::format(c.erreurs.front()) +
                                 ") ; coop evaluation verifier les liste");
      for (auto& it : evaluation::items_moteur(c.banque))
        depart.emplace(it.id, cal::Parametres{.a = it.a, .b = it.b, .reponses = 0, .calibre = false});
    }
    cal::Options opt;
    opt.reponses_min = o.reponses_min;
    opt.relier = !o.sans_liaison && !depart.empty();
    auto res = cal::calibrer(reponses, depart, opt);
    std::set<std::string> personnes;
    for (auto& r : reponses) personnes.insert(r.personne);
    int calibres = 0;
    for (auto& [id, p] : res.items) calibres += p.calibre ? 1 : 0;
    if (o.sortie == "-") {
      cal::ecrire_parametres(std::cout, res.items);
    } else {
      std::ofstream out(o.sortie);
      if (!out) throw std::runtime_error("impossible d'écrire " + o.sortie);
      cal::ecrire_parametres(out, res.items);
      if (!out.flush()) throw std::runtime_error("écriture de " + o.sortie + " interrompue");
    }
    std::cerr << fmt::format(
        "{} réponses de {} personnes ; {} items, {} calibrés (au moins {} réponses), les autres gardent leurs valeurs "
        "de départ ; {} itérations{} ; log-vraisemblance marginale {:.1f}",
        reponses.size(), personnes.size(), res.items.size(), calibres, o.reponses_min, res.iterations,
        res.converge ? "" : " (sans convergence)", res.log_vraisemblance);
    if (res.relie) std::cerr << fmt::format(" ; échelle reliée aux niveaux : θ = {:.3f}·θ_calibré + {:.3f}", res.liaison_A, res.liaison_B);
    else if (opt.relier) std::cerr << " ; échelle non reliée aux niveaux (moins de 2 items calibrés de départ différent)";
    std::cerr << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "erreur : " << e.what() << "\n";
    return 1;
  }
}

}  // namespace coop::app
