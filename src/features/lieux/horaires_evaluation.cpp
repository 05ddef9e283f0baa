// The evaluator of parsed opening hours (horaires.hpp): French public holidays, a rule's days, the
// state at a local minute, a day's segments, the next change, the French renderings.
//
// The state at (date D, minute m) runs the rules in order, as the reference implementation does:
// a rule that selects D and is not `off` (open, unknown, a comment) and is not an additional rule
// (`,`) first forgets what earlier rules said about D — including the spill of yesterday's
// 22:00-02:00; then, if its hours cover m on D (or the part after midnight of a range of D-1), the
// state becomes the rule's. A fallback rule (`||`) is looked at only while the state is closed.
#include "features/lieux/horaires.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace coop::lieux::horaires {

using namespace std::chrono;

namespace {

constexpr int kJour = 24 * 60;

int jour_semaine(const year_month_day& d) {  // 0 = lundi
  return static_cast<int>(weekday{sys_days{d}}.iso_encoding()) - 1;
}

int semaine_iso(const year_month_day& d) {
  sys_days j{d};
  sys_days jeudi = j + days{3 - jour_semaine(d)};
  year_month_day yj{jeudi};
  sys_days debut{yj.year() / January / 1};
  return static_cast<int>((jeudi - debut).count() / 7) + 1;
}

unsigned dernier_jour(const year_month_day& d) {
  return static_cast<unsigned>(year_month_day_last{d.year(), month_day_last{d.month()}}.day());
}

bool dans_jours(const PlageJours& p, const year_month_day& d) {
  int j = jour_semaine(d);
  bool dedans = p.debut <= p.fin ? (j >= p.debut && j <= p.fin) : (j >= p.debut || j <= p.fin);
  if (!dedans) return false;
  if (p.rangs.empty()) return true;
  int jour = static_cast<int>(static_cast<unsigned>(d.day()));
  int rang = (jour - 1) / 7 + 1;
  int rang_fin = (static_cast<int>(dernier_jour(d)) - jour) / 7 + 1;
  return std::any_of(p.rangs.begin(), p.rangs.end(), [&](int r) { return r > 0 ? r == rang : -r == rang_fin; });
}

bool dans_semaines(const PlageSemaines& s, int w) {  // the parser ensures debut <= fin
  return w >= s.debut && w <= s.fin && (w - s.debut) % s.pas == 0;
}

// A point resolved in the year of d: (year, month, day) as one comparable number.
struct Resolu {
  int annee, mois, jour;
};
Resolu resoudre(const PointDate& p, int annee, bool fin) {
  if (p.paques) {
    auto e = paques(p.annee ? p.annee : annee);
    return {static_cast<int>(e.year()), static_cast<int>(static_cast<unsigned>(e.month())),
            static_cast<int>(static_cast<unsigned>(e.day()))};
  }
  return {p.annee, p.mois, p.jour ? p.jour : (fin ? 31 : 1)};
}

bool dans_dates(const PlageDates& pl, const year_month_day& d) {
  int y = static_cast<int>(d.year()), m = static_cast<int>(static_cast<unsigned>(d.month())),
      j = static_cast<int>(static_cast<unsigned>(d.day()));
  if (!pl.fin) {
    Resolu a = resoudre(pl.debut, y, false);
    if (pl.debut.annee && a.annee != y) return false;
    if (pl.debut.paques) return a.mois == m && a.jour == j;
    return a.mois == m && (pl.debut.jour == 0 || a.jour == j);
  }
  Resolu a = resoudre(pl.debut, y, false), b = resoudre(*pl.fin, y, true);
  if (pl.debut.annee) {
    // An absolute range: the end's year is its own, the start's, or the next one when it wraps.
    if (!pl.fin->annee) b.annee = (b.mois * 100 + b.jour < a.mois * 100 + a.jour) ? a.annee + 1 : a.annee;
    long ka = a.annee * 10000L + a.mois * 100 + a.jour, kb = b.annee * 10000L + b.mois * 100 + b.jour,
         kd = y * 10000L + m * 100 + j;
    return ka <= kd && kd <= kb;
  }
  int ka = a.mois * 100 + a.jour, kb = b.mois * 100 + b.jour, kd = m * 100 + j;
  return ka <= kb ? (ka <= kd && kd <= kb) : (kd >= ka || kd <= kb);
}

bool selectionne(const Regle& r, const year_month_day& d) {
  if (!r.annees.empty()) {
    int y = static_cast<int>(d.year());
    if (std::none_of(r.annees.begin(), r.annees.end(), [&](auto& a) { return y >= a.debut && y <= a.fin; }))
      return false;
  }
  if (!r.dates.empty() && std::none_of(r.dates.begin(), r.dates.end(), [&](auto& p) { return dans_dates(p, d); }))
    return false;
  if (!r.semaines.empty()) {
    int w = semaine_iso(d);
    if (std::none_of(r.semaines.begin(), r.semaines.end(), [&](auto& s) { return dans_semaines(s, w); })) return false;
  }
  bool un_jour = std::any_of(r.jours.begin(), r.jours.end(), [&](auto& p) { return dans_jours(p, d); });
  if (r.feries_et_jours) return un_jour && jour_ferie(d).has_value();
  if (r.feries || !r.jours.empty()) return un_jour || (r.feries && jour_ferie(d).has_value());
  return true;
}

Etat etat_plage(const Regle& r, const PlageHoraire& h) { return h.fin_ouverte ? Etat::inconnu : r.etat(); }

year_month_day veille(const year_month_day& d) { return year_month_day{sys_days{d} - days{1}}; }
year_month_day lendemain(const year_month_day& d, int n = 1) { return year_month_day{sys_days{d} + days{n}}; }

constexpr std::array<std::string_view, 7> kNomsJours = {"lundi", "mardi", "mercredi", "jeudi",
                                                        "vendredi", "samedi", "dimanche"};
constexpr std::array<std::string_view, 12> kNomsMois = {"janvier", "février", "mars", "avril", "mai", "juin",
                                                        "juillet", "août", "septembre", "octobre", "novembre",
                                                        "décembre"};

std::string capitale(std::string_view s) {
  std::string r(s);
  if (!r.empty()) r[0] = static_cast<char>(r[0] - 'a' + 'A');
  return r;
}

std::string date_en_francais(const year_month_day& d) {
  unsigned j = static_cast<unsigned>(d.day());
  return fmt::format("{} {}{} {}", kNomsJours[static_cast<std::size_t>(jour_semaine(d))], j, j == 1 ? "er" : "",
                     kNomsMois[static_cast<unsigned>(d.month()) - 1]);
}

}  // namespace

year_month_day paques(int annee) {
  // Anonymous Gregorian computus (Meeus/Jones/Butcher).
  int a = annee % 19, b = annee / 100, c = annee % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int mois = (h + l - 7 * m + 114) / 31, jour = (h + l - 7 * m + 114) % 31 + 1;
  return year{annee} / month{static_cast<unsigned>(mois)} / day{static_cast<unsigned>(jour)};
}

std::optional<std::string> jour_ferie(year_month_day date) {
  unsigned m = static_cast<unsigned>(date.month()), j = static_cast<unsigned>(date.day());
  struct Fixe {
    unsigned m, j;
    std::string_view nom;
  };
  static constexpr std::array<Fixe, 8> fixes = {{{1, 1, "Jour de l'an"},
                                                 {5, 1, "Fête du Travail"},
                                                 {5, 8, "Victoire 1945"},
                                                 {7, 14, "Fête nationale"},
                                                 {8, 15, "Assomption"},
                                                 {11, 1, "Toussaint"},
                                                 {11, 11, "Armistice"},
                                                 {12, 25, "Noël"}}};
  for (auto& f : fixes)
    if (f.m == m && f.j == j) return std::string(f.nom);
  auto ecart = (sys_days{date} - sys_days{paques(static_cast<int>(date.year()))}).count();
  if (ecart == 1) return "Lundi de Pâques";
  if (ecart == 39) return "Ascension";
  if (ecart == 50) return "Lundi de Pentecôte";
  return std::nullopt;
}

HeureLocale heure_de_paris(core::Clock::time_point t) {
  auto local = t + core::paris_offset(t);
  auto jour = floor<days>(local);
  return HeureLocale{.date = year_month_day{jour},
                     .minute = static_cast<int>(duration_cast<minutes>(local - jour).count())};
}

EtatDetaille evaluer(const Horaires& h, const HeureLocale& quand) {
  EtatDetaille e;
  const int m = quand.minute;
  std::optional<year_month_day> hier;
  for (const auto& r : h.regles) {
    if (r.separateur == Separateur::repli && e.etat != Etat::ferme) continue;
    bool aujourdhui = selectionne(r, quand.date);
    if (aujourdhui && r.etat() != Etat::ferme && r.separateur != Separateur::supplementaire) e = EtatDetaille{};
    std::optional<Etat> trouve;
    if (aujourdhui) {
      if (r.heures.empty()) trouve = r.etat();
      for (const auto& p : r.heures)
        if (p.debut <= m && m < std::min(p.fin_effective(), kJour)) trouve = etat_plage(r, p);
    }
    if (!trouve) {
      bool deborde = std::any_of(r.heures.begin(), r.heures.end(), [&](auto& p) { return p.fin_effective() > kJour; });
      if (deborde) {
        if (!hier) hier = veille(quand.date);
        if (selectionne(r, *hier))
          for (const auto& p : r.heures)
            if (p.fin_effective() > kJour && m < p.fin_effective() - kJour) trouve = etat_plage(r, p);
      }
    }
    if (trouve) e = EtatDetaille{.etat = *trouve, .commentaire = r.commentaire};
  }
  return e;
}

Etat etat(const Horaires& h, const HeureLocale& quand) { return evaluer(h, quand).etat; }
Etat etat(const Horaires& h, core::Clock::time_point t) { return etat(h, heure_de_paris(t)); }
bool ouvert(const Horaires& h, core::Clock::time_point t) { return etat(h, t) == Etat::ouvert; }

std::vector<Segment> journee(const Horaires& h, year_month_day date) {
  std::vector<int> bornes = {0, kJour};
  for (const auto& r : h.regles)
    for (const auto& p : r.heures) {
      bornes.push_back(p.debut);
      bornes.push_back(std::min(p.fin_effective(), kJour));
      if (p.fin_effective() > kJour) bornes.push_back(p.fin_effective() - kJour);
    }
  std::sort(bornes.begin(), bornes.end());
  bornes.erase(std::unique(bornes.begin(), bornes.end()), bornes.end());
  std::vector<Segment> segments;
  for (std::size_t i = 0; i + 1 < bornes.size(); ++i) {
    if (bornes[i] >= kJour) break;
    auto e = evaluer(h, HeureLocale{.date = date, .minute = bornes[i]});
    if (!segments.empty() && segments.back().etat.etat == e.etat && segments.back().etat.commentaire == e.commentaire)
      segments.back().fin = bornes[i + 1];
    else
      segments.push_back(Segment{.debut = bornes[i], .fin = bornes[i + 1], .etat = e});
  }
  return segments;
}

bool ouvert_pendant(const Horaires& h, year_month_day date, int debut, int fin, Couverture couverture) {
  debut = std::clamp(debut, 0, kJour);
  fin = std::clamp(fin, 0, 2 * kJour);
  if (fin <= debut) return false;
  bool un = false, tous = true;
  // The range may end the next day (20:00 to 02:00: fin = 26 * 60).
  for (int n = 0; n < 2; ++n) {
    int a = std::max(debut - n * kJour, 0), b = std::min(fin - n * kJour, kJour);
    if (b <= a) continue;
    for (const auto& s : journee(h, n == 0 ? date : lendemain(date))) {
      if (s.fin <= a || s.debut >= b) continue;
      bool o = s.etat.etat == Etat::ouvert;
      un = un || o;
      tous = tous && o;
    }
  }
  return couverture == Couverture::une_partie ? un : tous;
}

std::optional<Changement> prochain_changement(const Horaires& h, const HeureLocale& depuis, int jours_max) {
  Etat actuel = etat(h, depuis);
  for (int n = 0; n <= jours_max; ++n) {
    auto d = lendemain(depuis.date, n);
    for (const auto& s : journee(h, d)) {
      if (n == 0 && s.debut <= depuis.minute) continue;
      if (s.etat.etat != actuel) return Changement{.quand = HeureLocale{.date = d, .minute = s.debut}, .etat = s.etat.etat};
    }
  }
  return std::nullopt;
}

std::string heure_en_francais(int minutes) { return fmt::format("{}h{:02}", minutes / 60, minutes % 60); }

std::string etat_en_francais(const Horaires& h, const HeureLocale& maintenant) {
  auto e = evaluer(h, maintenant);
  auto ch = prochain_changement(h, maintenant);
  auto quand = [&](const HeureLocale& q, bool jusqua) {
    auto ecart = (sys_days{q.date} - sys_days{maintenant.date}).count();
    std::string heure = heure_en_francais(q.minute);
    if (ecart == 0) return jusqua ? heure : "à " + heure;
    if (ecart == 1) return jusqua ? "demain " + heure : "demain à " + heure;
    if (ecart < 7) {
      auto jour = std::string(kNomsJours[static_cast<std::size_t>(jour_semaine(q.date))]);
      return jusqua ? jour + " " + heure : jour + " à " + heure;
    }
    auto date = date_en_francais(q.date);
    return jusqua ? "le " + date + " " + heure : "le " + date + " à " + heure;
  };
  std::string precision = e.commentaire ? fmt::format(" ({})", *e.commentaire) : "";
  switch (e.etat) {
    case Etat::ouvert:
      if (!ch) return "Ouvert 24 h/24" + precision;
      return "Ouvert jusqu'à " + quand(ch->quand, true) + precision;
    case Etat::inconnu: return "Horaires incertains" + precision;
    case Etat::ferme:
      if (!ch) return "Fermé" + precision;
      if (ch->etat == Etat::ouvert) return "Fermé · ouvre " + quand(ch->quand, false) + precision;
      return "Fermé · horaires incertains " + quand(ch->quand, false) + precision;
  }
  return "Fermé";
}

std::vector<std::string> semaine_en_francais(const Horaires& h, year_month_day premier_jour) {
  std::vector<std::vector<Segment>> jours;
  for (int i = 0; i <= 7; ++i) jours.push_back(journee(h, lendemain(premier_jour, i)));
  // A range over midnight (22:00-02:00) reads as one: "22h00 – 2h00" on its day, not again the next day.
  std::vector<bool> suite_sautee(8, false);
  std::vector<std::optional<int>> fin_lendemain(8);
  for (int i = 0; i < 7; ++i) {
    auto& a = jours[static_cast<std::size_t>(i)];
    auto& b = jours[static_cast<std::size_t>(i + 1)];
    if (a.empty() || b.empty()) continue;
    auto& dernier = a.back();
    auto& premier = b.front();
    if (dernier.fin == kJour && dernier.debut > 0 && premier.debut == 0 && premier.fin < kJour &&
        dernier.etat.etat != Etat::ferme && dernier.etat.etat == premier.etat.etat &&
        dernier.etat.commentaire == premier.etat.commentaire) {
      fin_lendemain[static_cast<std::size_t>(i)] = premier.fin;
      suite_sautee[static_cast<std::size_t>(i + 1)] = true;
    }
  }
  std::vector<std::string> lignes;
  for (int i = 0; i < 7; ++i) {
    auto d = lendemain(premier_jour, i);
    std::string titre = capitale(kNomsJours[static_cast<std::size_t>(jour_semaine(d))]);
    if (auto f = jour_ferie(d))
      titre += fmt::format(" {}{} {} ({})", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.day()) == 1 ? "er" : "",
                           kNomsMois[static_cast<unsigned>(d.month()) - 1], *f);
    std::vector<std::string> morceaux;
    // The rest of the day in a commented unknown state (a fallback: `|| "sur rendez-vous"`) reads
    // as one note after the hours: « 9h00 – 12h00 ; sinon : sur rendez-vous ».
    std::vector<std::string> notes;
    const auto& segs = jours[static_cast<std::size_t>(i)];
    for (std::size_t k = 0; k < segs.size(); ++k) {
      const auto& s = segs[k];
      if (s.etat.etat == Etat::ferme) continue;
      if (k == 0 && suite_sautee[static_cast<std::size_t>(i)]) continue;
      bool journee_entiere = s.debut == 0 && s.fin == kJour;
      if (s.etat.etat == Etat::inconnu && s.etat.commentaire && (s.debut == 0 || s.fin == kJour)) {
        if (journee_entiere) morceaux.push_back(*s.etat.commentaire);
        else if (std::find(notes.begin(), notes.end(), *s.etat.commentaire) == notes.end())
          notes.push_back(*s.etat.commentaire);
        continue;
      }
      std::string m;
      if (journee_entiere)
        m = s.etat.etat == Etat::inconnu ? "horaires incertains" : "24 h/24";
      else {
        int fin = s.fin;
        if (k + 1 == segs.size() && fin_lendemain[static_cast<std::size_t>(i)]) fin = *fin_lendemain[static_cast<std::size_t>(i)];
        m = heure_en_francais(s.debut) + " – " + heure_en_francais(fin);
        if (s.etat.etat == Etat::inconnu && !s.etat.commentaire) m += " (incertain)";
      }
      if (s.etat.commentaire) m += fmt::format(" ({})", *s.etat.commentaire);
      morceaux.push_back(m);
    }
    std::string corps;
    for (auto& m : morceaux) corps += (corps.empty() ? "" : ", ") + m;
    for (auto& n : notes) corps += (corps.empty() ? "" : " ; sinon : ") + n;
    lignes.push_back(titre + " : " + (corps.empty() ? "fermé" : corps));
  }
  return lignes;
}

}  // namespace coop::lieux::horaires
