#include "features/evaluation/moteur.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

namespace coop::evaluation::moteur {

double probabilite(double a, double b, double theta) { return 1.0 / (1.0 + std::exp(-a * (theta - b))); }

double information(double a, double b, double theta) {
  double p = probabilite(a, b, theta);
  return a * a * p * (1.0 - p);
}

void parametres_depuis_niveaux(std::vector<Item>& items, const Echelle& echelle) {
  for (auto& it : items) {
    it.a = echelle.a_defaut;
    it.b = echelle.b_niveau(it.niveau);
  }
}

std::vector<double> Grille::valeurs() const {
  std::vector<double> v(static_cast<std::size_t>(std::max(points, 2)));
  double pas = (max - min) / static_cast<double>(v.size() - 1);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = min + pas * static_cast<double>(i);
  return v;
}

Posterieur eap(const std::vector<double>& thetas, const std::vector<double>& log_vraisemblance, double mu,
               double sigma) {
  std::vector<double> lp(thetas.size());
  double haut = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < thetas.size(); ++i) {
    double z = (thetas[i] - mu) / sigma;
    lp[i] = log_vraisemblance[i] - 0.5 * z * z;
    haut = std::max(haut, lp[i]);
  }
  double somme = 0, m1 = 0, m2 = 0;
  for (std::size_t i = 0; i < thetas.size(); ++i) {
    double w = std::exp(lp[i] - haut);
    somme += w;
    m1 += w * thetas[i];
    m2 += w * thetas[i] * thetas[i];
  }
  Posterieur p;
  p.moyenne = m1 / somme;
  p.ecart_type = std::sqrt(std::max(0.0, m2 / somme - p.moyenne * p.moyenne));
  return p;
}

std::string_view nom_resultat(Resultat r) {
  switch (r) {
    case Resultat::juste: return "juste";
    case Resultat::faux: return "faux";
    case Resultat::passe: return "passe";
    case Resultat::neutralise: return "neutralise";
  }
  return "faux";
}

std::optional<Resultat> resultat_depuis_nom(std::string_view s) {
  for (auto r : {Resultat::juste, Resultat::faux, Resultat::passe, Resultat::neutralise})
    if (nom_resultat(r) == s) return r;
  return std::nullopt;
}

std::size_t EtatSession::repondues() const {
  return static_cast<std::size_t>(
      std::count_if(questions.begin(), questions.end(), [](const Question& q) { return q.resultat.has_value(); }));
}

std::uint64_t melanger(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double uniforme(std::uint64_t graine, std::uint64_t compteur) {
  std::uint64_t x = melanger(melanger(graine) ^ (compteur * 0xd1b54a32d192ed03ULL));
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

// ---- serialisation ----

std::string serialiser(const EtatSession& etat) {
  namespace json = boost::json;
  json::object o;
  o["version"] = 1;
  o["graine"] = std::to_string(etat.graine);  // a string: JavaScript numbers lose 64-bit integers
  json::array comps;
  for (auto& c : etat.competences) comps.emplace_back(c);
  o["competences"] = std::move(comps);
  json::array qs;
  for (auto& q : etat.questions) {
    json::object jq;
    jq["item"] = q.item;
    jq["competence"] = q.competence;
    jq["tube"] = q.tube;
    if (q.chronometre) jq["chronometre"] = true;
    if (q.resultat) jq["resultat"] = std::string(nom_resultat(*q.resultat));
    qs.emplace_back(std::move(jq));
  }
  o["questions"] = std::move(qs);
  return json::serialize(o);
}

std::optional<EtatSession> deserialiser(std::string_view texte, std::string* erreur) {
  namespace json = boost::json;
  auto echec = [&](const std::string& m) -> std::optional<EtatSession> {
    if (erreur) *erreur = m;
    return std::nullopt;
  };
  boost::system::error_code ec;
  json::value v = json::parse(texte, ec);
  if (ec || !v.is_object()) return echec("état de session illisible (JSON attendu)");
  auto& o = v.as_object();
  auto* version = o.if_contains("version");
  if (!version || !version->is_int64() || version->as_int64() != 1)
    return echec("version de l'état de session inconnue (1 attendue)");
  EtatSession etat;
  auto* graine = o.if_contains("graine");
  if (!graine || !graine->is_string()) return echec("graine manquante");
  try {
    std::size_t fin = 0;
    std::string g(graine->as_string());
    etat.graine = std::stoull(g, &fin);
    if (fin != g.size()) return echec("graine invalide");
  } catch (const std::exception&) {
    return echec("graine invalide");
  }
  if (auto* comps = o.if_contains("competences")) {
    if (!comps->is_array()) return echec("competences : liste attendue");
    for (auto& c : comps->as_array()) {
      if (!c.is_string()) return echec("competences : codes attendus");
      etat.competences.emplace_back(c.as_string());
    }
  }
  auto* qs = o.if_contains("questions");
  if (!qs || !qs->is_array()) return echec("questions : liste attendue");
  auto& arr = qs->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) return echec("question " + std::to_string(i + 1) + " : objet attendu");
    auto& jq = arr[i].as_object();
    Question q;
    for (auto [cle, champ] : {std::pair{"item", &q.item}, {"competence", &q.competence}, {"tube", &q.tube}}) {
      auto* x = jq.if_contains(cle);
      if (!x || !x->is_string() || x->as_string().empty())
        return echec("question " + std::to_string(i + 1) + " : " + cle + " manquant");
      *champ = std::string(x->as_string());
    }
    if (auto* c = jq.if_contains("chronometre")) q.chronometre = c->is_bool() && c->as_bool();
    if (auto* r = jq.if_contains("resultat")) {
      if (!r->is_string()) return echec("question " + std::to_string(i + 1) + " : resultat invalide");
      q.resultat = resultat_depuis_nom(std::string(r->as_string()));
      if (!q.resultat) return echec("question " + std::to_string(i + 1) + " : resultat inconnu");
    } else if (i + 1 != arr.size()) {
      return echec("question " + std::to_string(i + 1) + " : sans réponse alors qu'elle n'est pas la dernière");
    }
    etat.questions.push_back(std::move(q));
  }
  return etat;
}

// ---- scoring ----

int niveau_competence(const Echelle& e, double theta, int plafond) {
  double l = e.niveau_continu(theta);
  if (l <= 0) return 0;
  return std::min(static_cast<int>(std::floor(l)), plafond);
}

int pix_competence(const Echelle& e, double theta, int plafond) {
  double l = e.niveau_continu(theta);
  if (l <= 0) return 0;
  double pix = std::floor(8.0 * l);
  return static_cast<int>(std::min(pix, 8.0 * plafond));
}

// ---- the engine ----

Moteur::Moteur(std::vector<Item> banque, Config config) : items_(std::move(banque)), config_(std::move(config)) {
  thetas_ = config_.grille.valeurs();
  std::set<std::string> comps;
  log_p_.resize(items_.size() * thetas_.size());
  log_q_.resize(items_.size() * thetas_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    par_id_.emplace(items_[i].id, static_cast<int>(i));
    hash_.push_back(std::hash<std::string>{}(items_[i].id));
    comps.insert(items_[i].competence);
    tube_.push_back(tubes_.emplace(items_[i].competence + '\x1f' + items_[i].tube, static_cast<int>(tubes_.size())).first->second);
    for (std::size_t g = 0; g < thetas_.size(); ++g) {
      double p = probabilite(items_[i].a, items_[i].b, thetas_[g]);
      p = std::clamp(p, 1e-12, 1.0 - 1e-12);
      log_p_[i * thetas_.size() + g] = std::log(p);
      log_q_[i * thetas_.size() + g] = std::log1p(-p);
    }
  }
  competences_.assign(comps.begin(), comps.end());
  for (auto& it : items_)
    competence_.push_back(static_cast<int>(std::lower_bound(competences_.begin(), competences_.end(), it.competence) -
                                           competences_.begin()));
}

int Moteur::indice(std::string_view id) const {
  auto it = par_id_.find(id);
  return it == par_id_.end() ? -1 : it->second;
}

const Item* Moteur::item(std::string_view id) const {
  int i = indice(id);
  return i < 0 ? nullptr : &items_[static_cast<std::size_t>(i)];
}

std::vector<std::string> Moteur::competences_du_test(const EtatSession& etat) const {
  if (etat.competences.empty()) return competences_;
  std::vector<std::string> r;
  for (auto& c : competences_)
    if (std::find(etat.competences.begin(), etat.competences.end(), c) != etat.competences.end()) r.push_back(c);
  return r;
}

std::vector<double> Moteur::log_vraisemblance(const EtatSession& etat, const std::string* seule_exclue) const {
  // seule_exclue: nullptr = every answer; otherwise the answers of that competence are left out.
  std::vector<double> ll(thetas_.size(), 0.0);
  std::size_t n = thetas_.size();
  for (auto& q : etat.questions) {
    if (!q.resultat || *q.resultat == Resultat::neutralise) continue;
    if (seule_exclue && q.competence == *seule_exclue) continue;
    int i = indice(q.item);
    if (i < 0) continue;  // the item left the bank: its answer no longer counts
    const double* ligne = (*q.resultat == Resultat::juste ? log_p_.data() : log_q_.data()) + static_cast<std::size_t>(i) * n;
    for (std::size_t g = 0; g < n; ++g) ll[g] += ligne[g];
  }
  return ll;
}

Posterieur Moteur::estimer_global(const EtatSession& etat) const {
  return eap(thetas_, log_vraisemblance(etat, nullptr), config_.prior_moyenne, config_.prior_ecart);
}

Estimation Moteur::estimer(const EtatSession& etat) const {
  Estimation e;
  e.global = estimer_global(etat);
  std::size_t n = thetas_.size();
  for (auto& q : etat.questions)
    if (q.resultat && *q.resultat != Resultat::neutralise && indice(q.item) >= 0) ++e.questions;
  for (auto& c : competences_du_test(etat)) {
    // The competence's θ has the prior N(θ̂₋c, SD₋c² + τ²), θ̂₋c the estimate from the OTHER
    // competences' answers (so that its own answers are not counted twice), then its own answers.
    Posterieur autres = eap(thetas_, log_vraisemblance(etat, &c), config_.prior_moyenne, config_.prior_ecart);
    std::vector<double> ll(n, 0.0);
    EstimationCompetence ec;
    ec.competence = c;
    for (auto& q : etat.questions) {
      if (!q.resultat || *q.resultat == Resultat::neutralise || q.competence != c) continue;
      int i = indice(q.item);
      if (i < 0) continue;
      ++ec.questions;
      const double* ligne = (*q.resultat == Resultat::juste ? log_p_.data() : log_q_.data()) + static_cast<std::size_t>(i) * n;
      for (std::size_t g = 0; g < n; ++g) ll[g] += ligne[g];
    }
    double sd = std::sqrt(autres.ecart_type * autres.ecart_type + config_.tau_competence * config_.tau_competence);
    Posterieur p = eap(thetas_, ll, autres.moyenne, sd);
    ec.theta = p.moyenne;
    ec.ecart_type = p.ecart_type;
    auto pl = config_.plafonds.find(c);
    ec.plafond = pl == config_.plafonds.end() ? config_.plafond_defaut : pl->second;
    ec.niveau_continu = config_.echelle.niveau_continu(p.moyenne);
    ec.niveau = niveau_competence(config_.echelle, p.moyenne, ec.plafond);
    ec.pix = pix_competence(config_.echelle, p.moyenne, ec.plafond);
    e.pix_total += ec.pix;
    e.pix_max += 8 * ec.plafond;
    e.competences.push_back(std::move(ec));
  }
  return e;
}

std::vector<const Item*> Moteur::eligibles(const EtatSession& etat, std::vector<int>& vus) const {
  // Dense indices: competence_[i] and tube_[i] per item; questions whose item left the bank are
  // looked up by their competence and tube names.
  vus.assign(competences_.size(), -1);  // −1: not part of this test
  if (etat.competences.empty()) {
    std::fill(vus.begin(), vus.end(), 0);
  } else {
    for (auto& c : etat.competences) {
      auto it = std::lower_bound(competences_.begin(), competences_.end(), c);
      if (it != competences_.end() && *it == c) vus[static_cast<std::size_t>(it - competences_.begin())] = 0;
    }
  }
  std::vector<char> servi(items_.size(), 0), tube_pris(tubes_.size(), 0);
  for (auto& q : etat.questions) {
    int i = indice(q.item);
    int c = -1, t = -1;
    if (i >= 0) {
      servi[static_cast<std::size_t>(i)] = 1;
      c = competence_[static_cast<std::size_t>(i)];
      t = tube_[static_cast<std::size_t>(i)];
    } else {
      auto ic = std::lower_bound(competences_.begin(), competences_.end(), q.competence);
      if (ic != competences_.end() && *ic == q.competence) c = static_cast<int>(ic - competences_.begin());
      if (auto it = tubes_.find(q.competence + '\x1f' + q.tube); it != tubes_.end()) t = it->second;
    }
    if (t >= 0) tube_pris[static_cast<std::size_t>(t)] = 1;
    if (c >= 0 && vus[static_cast<std::size_t>(c)] >= 0) ++vus[static_cast<std::size_t>(c)];
  }
  std::vector<const Item*> r;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (servi[i] || tube_pris[static_cast<std::size_t>(tube_[i])] || vus[static_cast<std::size_t>(competence_[i])] < 0) continue;
    r.push_back(&items_[i]);
  }
  return r;
}

std::vector<const Item*> Moteur::candidats(const EtatSession& etat, double theta, const Expositions* expo) const {
  std::vector<int> vus_c;
  std::vector<const Item*> eligibles = this->eligibles(etat, vus_c);
  auto ic = [&](const Item* it) { return static_cast<std::size_t>(competence_[static_cast<std::size_t>(it - items_.data())]); };
  const Question* derniere = etat.questions.empty() ? nullptr : &etat.questions.back();
  if (eligibles.empty()) return {};
  // Round rule: among the competences that still have items, those visited the least often.
  int m = std::numeric_limits<int>::max();
  for (auto* it : eligibles) m = std::min(m, vus_c[ic(it)]);
  auto filtrer = [&](bool tour, bool pas_deux_fois, bool chrono) {
    std::vector<const Item*> r;
    for (auto* it : eligibles) {
      if (tour && vus_c[ic(it)] != m) continue;
      if (pas_deux_fois && derniere && derniere->competence == it->competence) continue;
      if (chrono && !config_.chronometre_consecutif && derniere && derniere->chronometre && it->chronometre) continue;
      r.push_back(it);
    }
    return r;
  };
  // Relaxed in this order only when nothing is left otherwise: the timed rule, then the round
  // rule, then « not twice in a row » (a test restricted to one competence).
  std::vector<const Item*> r = filtrer(true, true, true);
  if (r.empty()) r = filtrer(true, true, false);
  if (r.empty()) r = filtrer(false, true, false);
  if (r.empty()) r = eligibles;
  // Equal information (items of the same level keep the same level-derived parameters until they
  // are calibrated) is broken by a per-session random order, not by the id: otherwise every session
  // would see the same items of each level.
  struct Rang {
    double info;
    std::uint64_t hasard;
    const Item* item;
  };
  std::vector<Rang> tri;
  tri.reserve(r.size());
  double tests = expo ? static_cast<double>(std::max<std::uint64_t>(expo->tests, static_cast<std::uint64_t>(
                                                                   std::max(config_.exposition_tests_min, 1))))
                      : 1.0;
  for (auto* it : r) {
    std::size_t i = position(it);
    double priorite = information(it->a, it->b, theta);
    if (expo && config_.exposition_max > 0 && i < expo->items.size()) {
      double f = static_cast<double>(expo->items[i]) / tests;
      // Items at or above the cap keep a vanishing priority, ordered by their exposure: chosen only
      // when every candidate is capped.
      priorite = f < config_.exposition_max ? priorite * (1.0 - f / config_.exposition_max)
                                            : -f;
    }
    tri.push_back({priorite, melanger(etat.graine ^ hash_[i]), it});
  }
  std::sort(tri.begin(), tri.end(), [](const Rang& x, const Rang& y) {
    if (x.info != y.info) return x.info > y.info;
    if (x.hasard != y.hasard) return x.hasard < y.hasard;
    return x.item->id < y.item->id;
  });
  std::vector<const Item*> out;
  out.reserve(tri.size());
  for (auto& t : tri) out.push_back(t.item);
  return out;
}

bool Moteur::termine(const EtatSession& etat) const {
  if (!etat.questions.empty() && !etat.questions.back().resultat) return false;  // a question is pending
  auto n = static_cast<int>(etat.repondues());
  if (n >= config_.longueur_max) return true;
  if (config_.ecart_type_arret > 0 && n >= config_.longueur_min &&
      estimer_global(etat).ecart_type <= config_.ecart_type_arret)
    return true;
  std::vector<int> vus;
  return eligibles(etat, vus).empty();
}

const Item* Moteur::prochaine(EtatSession& etat, const Expositions* expositions) const {
  if (!etat.questions.empty() && !etat.questions.back().resultat) {
    if (const Item* en_attente = item(etat.questions.back().item)) return en_attente;
    // The pending item left the bank while the test was paused: it is neutralised (it keeps its
    // place in the content rules) and another one is chosen.
    etat.questions.back().resultat = Resultat::neutralise;
  }
  if (termine(etat)) return nullptr;
  double theta = estimer_global(etat).moyenne;
  auto c = candidats(etat, theta, expositions);
  if (c.empty()) return nullptr;
  std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(config_.randomesque, 1)), c.size());
  if (expositions && config_.exposition_max > 0) {
    // Never draw a capped item while an uncapped one is in the draw.
    double tests = static_cast<double>(
        std::max<std::uint64_t>(expositions->tests, static_cast<std::uint64_t>(std::max(config_.exposition_tests_min, 1))));
    auto plafonne = [&](const Item* it) {
      std::size_t i = position(it);
      return i < expositions->items.size() && static_cast<double>(expositions->items[i]) / tests >= config_.exposition_max;
    };
    while (k > 1 && plafonne(c[k - 1])) --k;
  }
  double u = uniforme(etat.graine, etat.questions.size());
  std::size_t choix = std::min(k - 1, static_cast<std::size_t>(u * static_cast<double>(k)));
  const Item* it = c[choix];
  etat.questions.push_back(Question{.item = it->id, .competence = it->competence, .tube = it->tube,
                                    .chronometre = it->chronometre, .resultat = std::nullopt});
  return it;
}

bool Moteur::repondre(EtatSession& etat, std::string_view id, Resultat r) const {
  if (etat.questions.empty() || etat.questions.back().resultat || etat.questions.back().item != id) return false;
  etat.questions.back().resultat = r;
  return true;
}

}  // namespace coop::evaluation::moteur
