#include "features/evaluation/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <istream>
#include <limits>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "features/evaluation/moteur.hpp"

namespace coop::evaluation::calibration {

namespace {

std::string nettoyer(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t d = 0;
  while (d < s.size() && (s[d] == ' ' || s[d] == '\t')) ++d;
  s.erase(0, d);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> decouper(const std::string& ligne, char sep) {
  std::vector<std::string> r;
  std::string champ;
  std::istringstream in(ligne);
  while (std::getline(in, champ, sep)) r.push_back(nettoyer(champ));
  if (!ligne.empty() && ligne.back() == sep) r.emplace_back();
  return r;
}

std::string minuscules(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Entete {
  char sep = ',';
  std::map<std::string, std::size_t> colonnes;
};

Entete lire_entete(std::istream& in, std::string& ligne) {
  if (!std::getline(in, ligne)) throw std::runtime_error("fichier vide : une ligne d'en-tête est attendue");
  if (ligne.rfind("\xEF\xBB\xBF", 0) == 0) ligne.erase(0, 3);  // BOM
  Entete e;
  e.sep = ligne.find(';') != std::string::npos && ligne.find(',') == std::string::npos ? ';' : ',';
  auto cols = decouper(ligne, e.sep);
  for (std::size_t i = 0; i < cols.size(); ++i) e.colonnes[minuscules(cols[i])] = i;
  return e;
}

std::size_t colonne(const Entete& e, std::initializer_list<const char*> noms) {
  for (auto* n : noms)
    if (auto it = e.colonnes.find(n); it != e.colonnes.end()) return it->second;
  std::string liste;
  for (auto* n : noms) liste += (liste.empty() ? "" : " ou ") + std::string(n);
  throw std::runtime_error("ligne 1 : colonne " + liste + " manquante");
}

double nombre(const std::string& s, std::size_t ligne, const char* nom) {
  try {
    std::size_t fin = 0;
    double v = std::stod(s, &fin);
    if (fin == s.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw std::runtime_error(fmt::format("ligne {} : {} « {} » n'est pas un nombre", ligne, nom, s));
}

}  // namespace

std::vector<Reponse> lire_reponses_csv(std::istream& in) {
  std::string ligne;
  Entete e = lire_entete(in, ligne);
  std::size_t cp = colonne(e, {"person", "personne"}), ci = colonne(e, {"item"}),
              cj = colonne(e, {"correct", "juste"});
  std::vector<Reponse> r;
  std::size_t n = 1;
  while (std::getline(in, ligne)) {
    ++n;
    if (nettoyer(ligne).empty()) continue;
    auto f = decouper(ligne, e.sep);
    if (f.size() <= std::max({cp, ci, cj}))
      throw std::runtime_error(fmt::format("ligne {} : {} colonnes, {} attendues", n, f.size(), e.colonnes.size()));
    Reponse x{.personne = f[cp], .item = f[ci], .juste = false};
    if (x.personne.empty()) throw std::runtime_error(fmt::format("ligne {} : personne vide", n));
    if (x.item.empty()) throw std::runtime_error(fmt::format("ligne {} : item vide", n));
    auto v = minuscules(f[cj]);
    if (v == "1" || v == "true" || v == "juste" || v == "oui") x.juste = true;
    else if (v == "0" || v == "false" || v == "faux" || v == "non") x.juste = false;
    else throw std::runtime_error(fmt::format("ligne {} : correct « {} » : 1 ou 0 attendu", n, f[cj]));
    r.push_back(std::move(x));
  }
  return r;
}

void ecrire_parametres(std::ostream& out, const std::map<std::string, Parametres>& items) {
  out << "item,a,b,reponses,calibre\n";
  for (auto& [id, p] : items) out << fmt::format("{},{:.4f},{:.4f},{},{}\n", id, p.a, p.b, p.reponses, p.calibre ? 1 : 0);
}

std::map<std::string, Parametres> lire_parametres(std::istream& in) {
  std::string ligne;
  Entete e = lire_entete(in, ligne);
  std::size_t ci = colonne(e, {"item"}), ca = colonne(e, {"a"}), cb = colonne(e, {"b"});
  std::map<std::string, Parametres> r;
  std::size_t n = 1;
  while (std::getline(in, ligne)) {
    ++n;
    if (nettoyer(ligne).empty()) continue;
    auto f = decouper(ligne, e.sep);
    if (f.size() <= std::max({ci, ca, cb})) throw std::runtime_error(fmt::format("ligne {} : colonnes manquantes", n));
    Parametres p;
    p.a = nombre(f[ca], n, "a");
    p.b = nombre(f[cb], n, "b");
    if (p.a <= 0) throw std::runtime_error(fmt::format("ligne {} : a doit être positif", n));
    if (auto it = e.colonnes.find("reponses"); it != e.colonnes.end() && it->second < f.size())
      p.reponses = static_cast<int>(nombre(f[it->second], n, "reponses"));
    if (auto it = e.colonnes.find("calibre"); it != e.colonnes.end() && it->second < f.size())
      p.calibre = f[it->second] == "1";
    if (f[ci].empty()) throw std::runtime_error(fmt::format("ligne {} : item vide", n));
    if (!r.emplace(f[ci], p).second) throw std::runtime_error(fmt::format("ligne {} : item {} en double", n, f[ci]));
  }
  return r;
}

std::map<std::string, Parametres> lire_depart(std::istream& in) {
  std::string ligne;
  Entete e = lire_entete(in, ligne);
  if (e.colonnes.count("a") && e.colonnes.count("b")) {
    std::string reste = ligne + "\n";
    for (std::string l; std::getline(in, l);) reste += l + "\n";
    std::istringstream tout(reste);
    return lire_parametres(tout);
  }
  std::size_t ci = colonne(e, {"item"}), cn = colonne(e, {"niveau", "level"});
  moteur::Echelle echelle;
  std::map<std::string, Parametres> r;
  std::size_t n = 1;
  while (std::getline(in, ligne)) {
    ++n;
    if (nettoyer(ligne).empty()) continue;
    auto f = decouper(ligne, e.sep);
    if (f.size() <= std::max(ci, cn)) throw std::runtime_error(fmt::format("ligne {} : colonnes manquantes", n));
    double niveau = nombre(f[cn], n, "niveau");
    if (niveau < 1 || niveau > 8 || niveau != std::floor(niveau))
      throw std::runtime_error(fmt::format("ligne {} : niveau « {} » : entier de 1 à 8 attendu", n, f[cn]));
    Parametres p{.a = echelle.a_defaut, .b = echelle.b_niveau(static_cast<int>(niveau)), .reponses = 0, .calibre = false};
    if (f[ci].empty()) throw std::runtime_error(fmt::format("ligne {} : item vide", n));
    if (!r.emplace(f[ci], p).second) throw std::runtime_error(fmt::format("ligne {} : item {} en double", n, f[ci]));
  }
  return r;
}

Resultat calibrer(const std::vector<Reponse>& reponses, const std::map<std::string, Parametres>& depart,
                  const Options& o) {
  // Dense indices; the first answer of a person to an item only (a later retry is not independent).
  std::unordered_map<std::string, int> personnes, items_idx;
  std::vector<std::string> ids;
  struct Obs {
    int personne, item;
    bool juste;
  };
  std::vector<Obs> obs;
  std::set<std::pair<int, int>> vus;
  for (auto& r : reponses) {
    int p = personnes.emplace(r.personne, static_cast<int>(personnes.size())).first->second;
    auto [it, neuf] = items_idx.emplace(r.item, static_cast<int>(ids.size()));
    if (neuf) ids.push_back(r.item);
    if (!vus.insert({p, it->second}).second) continue;
    obs.push_back({p, it->second, r.juste});
  }
  std::sort(obs.begin(), obs.end(), [](const Obs& x, const Obs& y) { return x.personne < y.personne; });
  const std::size_t J = ids.size(), Q = static_cast<std::size_t>(std::max(o.points, 5));
  std::vector<double> theta(Q), logprior(Q);
  for (std::size_t q = 0; q < Q; ++q) {
    theta[q] = -5.0 + 10.0 * static_cast<double>(q) / static_cast<double>(Q - 1);
    logprior[q] = -0.5 * theta[q] * theta[q];
  }
  // Starting values and priors.
  std::vector<double> a(J), b(J), b0(J), n_rep(J, 0), n_juste(J, 0);
  std::vector<bool> a_depart(J, false);
  for (auto& x : obs) {
    n_rep[static_cast<std::size_t>(x.item)] += 1;
    n_juste[static_cast<std::size_t>(x.item)] += x.juste ? 1 : 0;
  }
  for (std::size_t j = 0; j < J; ++j) {
    if (auto it = depart.find(ids[j]); it != depart.end()) {
      a[j] = it->second.a;
      b[j] = it->second.b;
      a_depart[j] = true;
    } else {
      double p = (n_juste[j] + 0.5) / (n_rep[j] + 1.0);
      a[j] = o.prior_a_mediane;
      b[j] = std::log((1 - p) / p);
    }
    b0[j] = b[j];
  }
  std::vector<bool> libre(J);
  for (std::size_t j = 0; j < J; ++j) libre[j] = n_rep[j] >= o.reponses_min;
  const double mu_la = std::log(o.prior_a_mediane), s2_la = o.prior_log_a_ecart * o.prior_log_a_ecart,
               s2_b = o.prior_b_ecart * o.prior_b_ecart;

  Resultat res;
  std::vector<double> lp(J * Q), lq(J * Q), nn(J * Q), rr(J * Q), w(Q);
  for (int iter = 1; iter <= o.iterations_max; ++iter) {
    // E-step.
    for (std::size_t j = 0; j < J; ++j)
      for (std::size_t q = 0; q < Q; ++q) {
        double p = std::clamp(1.0 / (1.0 + std::exp(-a[j] * (theta[q] - b[j]))), 1e-12, 1 - 1e-12);
        lp[j * Q + q] = std::log(p);
        lq[j * Q + q] = std::log1p(-p);
      }
    std::fill(nn.begin(), nn.end(), 0.0);
    std::fill(rr.begin(), rr.end(), 0.0);
    double ll_total = 0;
    for (std::size_t debut = 0; debut < obs.size();) {
      std::size_t fin = debut;
      while (fin < obs.size() && obs[fin].personne == obs[debut].personne) ++fin;
      for (std::size_t q = 0; q < Q; ++q) w[q] = logprior[q];
      for (std::size_t k = debut; k < fin; ++k) {
        const double* l = (obs[k].juste ? lp.data() : lq.data()) + static_cast<std::size_t>(obs[k].item) * Q;
        for (std::size_t q = 0; q < Q; ++q) w[q] += l[q];
      }
      double haut = *std::max_element(w.begin(), w.end()), s = 0;
      for (std::size_t q = 0; q < Q; ++q) s += (w[q] = std::exp(w[q] - haut));
      for (std::size_t q = 0; q < Q; ++q) w[q] /= s;
      ll_total += haut + std::log(s);
      for (std::size_t k = debut; k < fin; ++k) {
        std::size_t base = static_cast<std::size_t>(obs[k].item) * Q;
        for (std::size_t q = 0; q < Q; ++q) {
          nn[base + q] += w[q];
          if (obs[k].juste) rr[base + q] += w[q];
        }
      }
      debut = fin;
    }
    // The prior's normalising constant, so that the value is a true marginal log-likelihood.
    double norme = 0;
    for (std::size_t q = 0; q < Q; ++q) norme += std::exp(logprior[q]);
    res.log_vraisemblance = ll_total - static_cast<double>(personnes.size()) * std::log(norme);
    // M-step: MAP of (log a, b) per item by Fisher scoring with step halving.
    double ecart_max = 0;
    for (std::size_t j = 0; j < J; ++j) {
      if (!libre[j]) continue;
      const double* n = nn.data() + j * Q;
      const double* r = rr.data() + j * Q;
      auto objectif = [&](double la, double bb) {
        double aa = std::exp(la), f = -(la - mu_la) * (la - mu_la) / (2 * s2_la) - (bb - b0[j]) * (bb - b0[j]) / (2 * s2_b);
        for (std::size_t q = 0; q < Q; ++q) {
          double z = aa * (theta[q] - bb);
          // log P = −log(1+e^−z), log(1−P) = −log(1+e^z), computed stably.
          double lpz = -std::log1p(std::exp(-std::abs(z))) + std::min(0.0, z);
          double lqz = -std::log1p(std::exp(-std::abs(z))) + std::min(0.0, -z);
          f += r[q] * lpz + (n[q] - r[q]) * lqz;
        }
        return f;
      };
      double la = std::log(a[j]), bb = b[j];
      for (int pas = 0; pas < 20; ++pas) {
        double aa = std::exp(la);
        double g1 = -(la - mu_la) / s2_la, g2 = -(bb - b0[j]) / s2_b;
        double h11 = -1 / s2_la, h22 = -1 / s2_b, h12 = 0;
        for (std::size_t q = 0; q < Q; ++q) {
          double d = theta[q] - bb;
          double p = 1.0 / (1.0 + std::exp(-aa * d));
          double res_q = r[q] - n[q] * p, info = n[q] * p * (1 - p);
          g1 += res_q * aa * d;
          g2 += -res_q * aa;
          h11 -= info * aa * aa * d * d;
          h22 -= info * aa * aa;
          h12 += info * aa * aa * d;
        }
        double det = h11 * h22 - h12 * h12;
        if (!(det > 0)) break;
        double d1 = -(h22 * g1 - h12 * g2) / det, d2 = -(-h12 * g1 + h11 * g2) / det;
        double f0 = objectif(la, bb), t = 1.0;
        while (t > 1e-4 && objectif(la + t * d1, bb + t * d2) < f0 - 1e-12) t /= 2;
        if (t <= 1e-4) break;
        la += t * d1;
        bb += t * d2;
        if (std::abs(t * d1) < 1e-7 && std::abs(t * d2) < 1e-7) break;
      }
      double na = std::exp(la);
      ecart_max = std::max({ecart_max, std::abs(na - a[j]), std::abs(bb - b[j])});
      a[j] = na;
      b[j] = bb;
    }
    res.iterations = iter;
    if (ecart_max < o.tolerance) {
      res.converge = true;
      break;
    }
  }
  // Linking onto the starting scale.
  if (o.relier) {
    // The level-derived b is the expected difficulty of the items of a level, the calibrated b is
    // that plus the item's own deviation: regress b_cal on b_start (the noise is on b_cal's side,
    // so the slope is unbiased, unlike mean/sigma which would count the items' spread as scale).
    double m0 = 0, m1 = 0, v0 = 0, c01 = 0;
    int k = 0;
    for (std::size_t j = 0; j < J; ++j)
      if (libre[j] && a_depart[j]) {
        m0 += b0[j];
        m1 += b[j];
        ++k;
      }
    if (k >= 2) {
      m0 /= k;
      m1 /= k;
      for (std::size_t j = 0; j < J; ++j)
        if (libre[j] && a_depart[j]) {
          v0 += (b0[j] - m0) * (b0[j] - m0);
          c01 += (b0[j] - m0) * (b[j] - m1);
        }
      if (v0 > 0 && c01 > 0) {
        res.liaison_A = v0 / c01;
        res.liaison_B = m0 - res.liaison_A * m1;
        res.relie = true;
        for (std::size_t j = 0; j < J; ++j)
          if (libre[j]) {
            b[j] = res.liaison_A * b[j] + res.liaison_B;
            a[j] = a[j] / res.liaison_A;
          }
      }
    }
  }
  for (std::size_t j = 0; j < J; ++j)
    res.items[ids[j]] = Parametres{.a = a[j], .b = b[j], .reponses = static_cast<int>(n_rep[j]), .calibre = libre[j]};
  // Known items without any answer keep their starting values.
  for (auto& [id, p] : depart)
    if (!res.items.count(id)) res.items[id] = Parametres{.a = p.a, .b = p.b, .reponses = 0, .calibre = false};
  return res;
}

}  // namespace coop::evaluation::calibration
