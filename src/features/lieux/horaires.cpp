// The parser and the normaliser of opening_hours values (horaires.hpp). A hand-written lexer and a
// recursive-descent parser over the specification's grammar
// (https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification), strict: what the
// specification does not allow is an error naming the character and what was expected.
#include "features/lieux/horaires.hpp"

#include "features/lieux/horaires_syntaxe.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace coop::lieux::horaires {

using namespace syntaxe;

namespace {

constexpr std::string_view kJoursAttendus = "jour de la semaine attendu (Mo, Tu, We, Th, Fr, Sa, Su)";

enum class Genre { mot, nombre, heure, symbole, ouou, commentaire, fin };

struct Jeton {
  Genre genre = Genre::fin;
  std::string texte;   // the word, digits, symbol, comment's content, or "HH:MM"
  std::size_t caractere = 0;  // 1-based, in Unicode characters
  int heures = 0, minutes = 0;  // Genre::heure
  bool espace_avant = false;
};

struct ErreurAnalyse {
  Erreur erreur;
};

[[noreturn]] void echouer(std::size_t caractere, std::string_view quoi) {
  throw ErreurAnalyse{Erreur{.caractere = caractere, .message = fmt::format("caractère {} : {}", caractere, quoi)}};
}

std::vector<Jeton> decouper(std::string_view s) {
  std::vector<Jeton> jetons;
  std::size_t i = 0, car = 1;
  bool espace = false;
  auto avancer = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < s.size(); ++k, ++i)
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++car;
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      avancer(1);
      espace = true;
      continue;
    }
    Jeton j;
    j.caractere = car;
    j.espace_avant = espace;
    espace = false;
    if (std::isdigit(c)) {
      std::size_t k = i;
      while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
      std::size_t n = k - i;
      if (n <= 2 && k + 2 < s.size() + 0 && s[k] == ':' && std::isdigit(static_cast<unsigned char>(s[k + 1])) &&
          std::isdigit(static_cast<unsigned char>(s[k + 2])) &&
          (k + 3 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[k + 3])))) {
        j.genre = Genre::heure;
        j.texte = std::string(s.substr(i, n + 3));
        j.heures = std::stoi(std::string(s.substr(i, n)));
        j.minutes = std::stoi(std::string(s.substr(k + 1, 2)));
        if (n == 1)
          echouer(car, fmt::format("heure sur deux chiffres attendue : écrire 0{} au lieu de « {} »", j.texte, j.texte));
        avancer(n + 3);
      } else {
        j.genre = Genre::nombre;
        j.texte = std::string(s.substr(i, n));
        avancer(n);
      }
    } else if (lettre(c)) {
      std::size_t k = i;
      while (k < s.size() && lettre(static_cast<unsigned char>(s[k]))) ++k;
      j.genre = Genre::mot;
      j.texte = std::string(s.substr(i, k - i));
      avancer(k - i);
    } else if (c == '"') {
      auto fin = s.find('"', i + 1);
      if (fin == std::string_view::npos) echouer(car, "commentaire non fermé : « \" » final attendu");
      j.genre = Genre::commentaire;
      j.texte = std::string(s.substr(i + 1, fin - i - 1));
      avancer(fin - i + 1);
    } else if (c == '|' && i + 1 < s.size() && s[i + 1] == '|') {
      j.genre = Genre::ouou;
      j.texte = "||";
      avancer(2);
    } else if (std::string_view("-,;:[]/+").find(static_cast<char>(c)) != std::string_view::npos) {
      j.genre = Genre::symbole;
      j.texte = std::string(1, static_cast<char>(c));
      avancer(1);
    } else {
      // One whole UTF-8 character, for the message.
      std::size_t k = i + 1;
      while (k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) ++k;
      echouer(car, fmt::format("caractère « {} » inattendu", s.substr(i, k - i)));
    }
    jetons.push_back(std::move(j));
  }
  Jeton fin;
  fin.caractere = car;
  jetons.push_back(fin);
  return jetons;
}

// What a word that is not in the syntax was probably meant to be (the message says it; nothing is
// corrected).
std::string indice(std::string_view mot) {
  std::string m = minuscule(mot);
  if (index_de(mot, kJours) >= 0 || index_de(mot, kMois) >= 0) return fmt::format("« {} » inattendu ici", mot);
  for (auto j : kJours)
    if (minuscule(j) == m) return fmt::format("« {} » : écrire {} (la casse compte)", mot, j);
  for (auto j : kMois)
    if (minuscule(j) == m) return fmt::format("« {} » : écrire {} (la casse compte)", mot, j);
  if (int i = autre_jour(m); i >= 0)
    return fmt::format("« {} » n'est pas un jour de la syntaxe : écrire {}", mot, kJours[static_cast<std::size_t>(i)]);
  if (int i = autre_mois(m); i >= 0)
    return fmt::format("« {} » n'est pas un mois de la syntaxe : écrire {}", mot, kMois[static_cast<std::size_t>(i)]);
  if (m == "ph") return fmt::format("« {} » : écrire PH (jours fériés)", mot);
  if (m == "sh") return "vacances scolaires (SH) non prises en charge";
  if (m == "sunrise" || m == "sunset" || m == "dawn" || m == "dusk")
    return fmt::format("« {} » : heures variables (soleil) non prises en charge", mot);
  if (m == "ferme" || m == "fermé" || m == "closed" || m == "off" || m == "ferm")
    return fmt::format("« {} » : écrire off (fermé)", mot);
  if (m == "ouvert" || m == "open") return fmt::format("« {} » : écrire open (ouvert)", mot);
  if (m == "week" || m == "semaine") return fmt::format("« {} » : écrire week suivi des numéros de semaine", mot);
  if (m == "h" || (m.size() > 1 && m[0] == 'h'))
    return "heure attendue au format HH:MM (par exemple 09:00), sans « h »";
  if (m == "undefined" || m == "null" || m == "nan") return fmt::format("valeur « {} » : heure HH:MM attendue", mot);
  return fmt::format("« {} » inconnu", mot);
}

class Analyseur {
 public:
  explicit Analyseur(std::vector<Jeton> j) : j_(std::move(j)) {}

  Horaires tout() {
    Horaires h;
    if (cur().genre == Genre::fin) echouer(cur().caractere, "horaires vides");
    Separateur sep = Separateur::premier;
    for (;;) {
      h.regles.push_back(regle(sep));
      const Jeton& t = cur();
      if (t.genre == Genre::fin) break;
      std::string quoi;
      if (t.genre == Genre::ouou) {
        sep = Separateur::repli, quoi = "« || »";
      } else if (est(";")) {
        sep = Separateur::normal, quoi = "« ; »";
      } else if (est(",")) {
        sep = Separateur::supplementaire, quoi = "« , »";
      } else {
        echouer(t.caractere, apres_regle(t));
      }
      ++p_;
      if (cur().genre == Genre::fin)
        echouer(cur().caractere, fmt::format("règle attendue après {} (supprimer le séparateur final)", quoi));
      if (est(";") || est(",") || cur().genre == Genre::ouou)
        echouer(cur().caractere, fmt::format("règle vide après {}", quoi));
    }
    return h;
  }

 private:
  std::vector<Jeton> j_;
  std::size_t p_ = 0;

  const Jeton& cur() const { return j_[p_]; }
  const Jeton& suivant(std::size_t n = 1) const { return j_[std::min(p_ + n, j_.size() - 1)]; }
  bool est(std::string_view sym, std::size_t n = 0) const {
    const Jeton& t = suivant(n);
    return t.genre == Genre::symbole && t.texte == sym;
  }
  static bool est_jour(const Jeton& t) { return t.genre == Genre::mot && index_de(t.texte, kJours) >= 0; }
  static bool est_mois(const Jeton& t) { return t.genre == Genre::mot && index_de(t.texte, kMois) >= 0; }
  static bool est_annee(const Jeton& t) { return t.genre == Genre::nombre && t.texte.size() == 4; }
  static bool est_mot(const Jeton& t, std::string_view m) { return t.genre == Genre::mot && t.texte == m; }
  static bool est_modificateur(const Jeton& t) {
    return est_mot(t, "open") || est_mot(t, "closed") || est_mot(t, "off") || est_mot(t, "unknown");
  }

  std::string decrire(const Jeton& t) const {
    switch (t.genre) {
      case Genre::fin: return "la fin du texte";
      case Genre::commentaire: return "un commentaire";
      default: return fmt::format("« {} »", t.texte);
    }
  }

  std::string apres_regle(const Jeton& t) const {
    if (t.genre == Genre::mot) {
      auto i = indice(t.texte);
      if (i.find("inconnu") == std::string::npos && i.find("inattendu ici") == std::string::npos) return i;
      if (i.find("inattendu ici") != std::string::npos)
        return fmt::format("« ; », « , » ou « || » attendu entre deux règles, pas {}", decrire(t));
      return fmt::format("{} ; « ; », « , » ou « || » attendu entre deux règles", i);
    }
    if (t.genre == Genre::nombre && est_mot(suivant(), "h")) return indice("h");
    if (t.genre == Genre::nombre) return fmt::format("heure HH:MM attendue, pas {}", decrire(t));
    return fmt::format("« ; », « , » ou « || » attendu entre deux règles, pas {}", decrire(t));
  }

  int nombre(int min, int max, std::string_view quoi) {
    const Jeton& t = cur();
    if (t.genre != Genre::nombre) echouer(t.caractere, fmt::format("{} attendu, pas {}", quoi, decrire(t)));
    int v = t.texte.size() > 4 ? 100000 : std::stoi(t.texte);
    if (v < min || v > max) echouer(t.caractere, fmt::format("{} entre {} et {} attendu, pas {}", quoi, min, max, t.texte));
    ++p_;
    return v;
  }

  Regle regle(Separateur sep) {
    Regle r;
    r.separateur = sep;
    const Jeton& debut = cur();
    if (debut.genre == Genre::nombre && debut.texte == "24" && est("/", 1) && suivant(2).texte == "7") {
      p_ += 3;
      r.toujours = true;
    } else {
      bool large = false;
      if (est_annee(cur()) && !est_mois(suivant())) annees(r), large = true;
      if (est_mois(cur()) || est_mot(cur(), "easter") || (est_annee(cur()) && est_mois(suivant())))
        dates(r), large = true;
      if (est_mot(cur(), "week")) semaines(r), large = true;
      if (est(":")) {
        if (!large) echouer(cur().caractere, "« : » n'est permis qu'après des mois, des dates ou des semaines");
        ++p_;
      }
      if (est_jour(cur()) || est_mot(cur(), "PH") || est_mot(cur(), "SH")) jours(r);
      if (cur().genre == Genre::heure) heures(r);
    }
    if (est_modificateur(cur())) {
      const auto& m = cur().texte;
      r.modificateur = m == "open" ? Etat::ouvert : m == "unknown" ? Etat::inconnu : Etat::ferme;
      ++p_;
    }
    if (cur().genre == Genre::commentaire) r.commentaire = cur().texte, ++p_;
    bool vide = !r.toujours && r.annees.empty() && r.dates.empty() && r.semaines.empty() && !r.feries &&
                !r.feries_et_jours && r.jours.empty() && r.heures.empty() && !r.modificateur && !r.commentaire;
    if (vide) {
      const Jeton& t = cur();
      if (t.genre == Genre::mot) echouer(t.caractere, indice(t.texte) + " ; " + std::string(kJoursAttendus));
      if (t.genre == Genre::nombre && est_mot(suivant(), "h")) echouer(t.caractere, indice("h"));
      if (t.genre == Genre::nombre) echouer(t.caractere, fmt::format("heure HH:MM attendue, pas {}", decrire(t)));
      echouer(t.caractere, fmt::format("règle attendue (jours, heures, dates, 24/7, off…), pas {}", decrire(t)));
    }
    return r;
  }

  void annees(Regle& r) {
    for (;;) {
      PlageAnnees a;
      a.debut = a.fin = nombre(1900, 9999, "année");
      if (est("-")) {
        ++p_;
        a.fin = nombre(a.debut, 9999, "année de fin");
      }
      if (est("/")) echouer(cur().caractere, "pas d'années (« / ») non pris en charge");
      r.annees.push_back(a);
      if (est(",") && est_annee(suivant())) {
        ++p_;
        continue;
      }
      break;
    }
  }

  static int jours_du_mois(int mois) {
    static constexpr std::array<int, 12> n = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return n[static_cast<std::size_t>(mois - 1)];
  }

  PointDate point_date(bool annee_permise) {
    PointDate d;
    if (est_annee(cur())) {
      if (!annee_permise) echouer(cur().caractere, "mois attendu");
      d.annee = nombre(1900, 9999, "année");
    }
    if (est_mot(cur(), "easter")) {
      ++p_;
      d.paques = true;
      if (est("+") || (est("-") && suivant().genre == Genre::nombre && est_mot(suivant(2), "day")) ||
          (est("-") && suivant().genre == Genre::nombre && est_mot(suivant(2), "days")))
        echouer(cur().caractere, "décalage de jours (« +1 day ») non pris en charge");
      return d;
    }
    if (!est_mois(cur())) {
      const Jeton& t = cur();
      if (t.genre == Genre::mot) echouer(t.caractere, indice(t.texte) + " ; mois attendu (Jan … Dec)");
      echouer(t.caractere, fmt::format("mois attendu (Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec), pas {}",
                                       decrire(t)));
    }
    d.mois = index_de(cur().texte, kMois) + 1;
    ++p_;
    if (cur().genre == Genre::nombre && cur().texte.size() <= 2) d.jour = nombre(1, jours_du_mois(d.mois), "jour du mois");
    if (est("+") || ((est("-")) && (est_mot(suivant(2), "day") || est_mot(suivant(2), "days"))))
      echouer(cur().caractere, "décalage de jours non pris en charge");
    return d;
  }

  void dates(Regle& r) {
    for (;;) {
      PlageDates pl;
      pl.debut = point_date(true);
      if (est("-")) {
        ++p_;
        if (pl.debut.jour != 0 && cur().genre == Genre::nombre && cur().texte.size() <= 2) {
          PointDate f = pl.debut;
          f.annee = 0;
          f.jour = nombre(1, jours_du_mois(f.mois), "jour du mois");
          if (f.jour < pl.debut.jour)
            echouer(j_[p_ - 1].caractere, fmt::format("jour de fin ≥ {} attendu (ou un mois : Dec 24-Jan 02)", pl.debut.jour));
          pl.fin = f;
        } else {
          const Jeton& t = cur();
          PointDate f = point_date(pl.debut.annee != 0);
          if (!pl.debut.paques && !f.paques && (pl.debut.jour == 0) != (f.jour == 0))
            echouer(t.caractere, pl.debut.jour == 0 ? "mois seul attendu (Jan-Mar), pas une date"
                                                    : "date attendue (mois et jour : Dec 24-Jan 02)");
          pl.fin = f;
        }
      }
      r.dates.push_back(pl);
      if (est(",")) {
        const Jeton& n = suivant();
        if (est_mois(n) || est_mot(n, "easter") || est_annee(n)) {
          ++p_;
          continue;
        }
        if (n.genre == Genre::nombre && n.texte.size() <= 2 && pl.debut.jour != 0 && !pl.debut.paques) {
          // "Dec 24,31": another day of the same month.
          ++p_;
          PointDate d = pl.fin ? *pl.fin : pl.debut;
          d.annee = pl.debut.annee;
          d.mois = pl.fin ? pl.fin->mois : pl.debut.mois;
          d.jour = nombre(1, jours_du_mois(d.mois), "jour du mois");
          r.dates.push_back(PlageDates{.debut = d, .fin = std::nullopt});
          while (est(",") && suivant().genre == Genre::nombre && suivant().texte.size() <= 2) {
            ++p_;
            d.jour = nombre(1, jours_du_mois(d.mois), "jour du mois");
            r.dates.push_back(PlageDates{.debut = d, .fin = std::nullopt});
          }
          if (est(",") && (est_mois(suivant()) || est_mot(suivant(), "easter"))) {
            ++p_;
            continue;
          }
        }
      }
      break;
    }
  }

  void semaines(Regle& r) {
    ++p_;  // week
    for (;;) {
      PlageSemaines s;
      s.debut = s.fin = nombre(1, 53, "numéro de semaine");
      if (est("-")) {
        ++p_;
        const Jeton& fin = cur();
        s.fin = nombre(1, 53, "numéro de semaine");
        if (s.fin < s.debut)
          echouer(fin.caractere, fmt::format("semaine de fin ≥ {:02} attendue (sur deux années : week {:02}-53,01-{:02})",
                                             s.debut, s.debut, s.fin));
        if (est("/")) {
          ++p_;
          s.pas = nombre(1, 52, "pas de semaines");
        }
      }
      r.semaines.push_back(s);
      if (est(",") && suivant().genre == Genre::nombre) {
        ++p_;
        continue;
      }
      break;
    }
  }

  void decalage_interdit() {
    if ((est("+") || est("-")) && suivant().genre == Genre::nombre)
      echouer(cur().caractere, "décalage de jours (« PH +1 day ») non pris en charge");
  }

  PlageJours plage_jours() {
    const Jeton& t = cur();
    if (!est_jour(t)) {
      if (t.genre == Genre::mot) echouer(t.caractere, indice(t.texte) + " ; " + std::string(kJoursAttendus));
      echouer(t.caractere, fmt::format("{}, pas {}", kJoursAttendus, decrire(t)));
    }
    PlageJours pj;
    pj.debut = pj.fin = index_de(t.texte, kJours);
    ++p_;
    if (est("-")) {
      ++p_;
      const Jeton& f = cur();
      if (!est_jour(f)) {
        if (f.genre == Genre::mot) echouer(f.caractere, indice(f.texte) + " ; " + std::string(kJoursAttendus));
        echouer(f.caractere, fmt::format("{}, pas {}", kJoursAttendus, decrire(f)));
      }
      pj.fin = index_de(f.texte, kJours);
      ++p_;
    } else if (est("[")) {
      ++p_;
      for (;;) {
        bool negatif = false;
        if (est("-")) negatif = true, ++p_;
        int a = nombre(1, 5, "rang du jour dans le mois");
        int b = a;
        if (!negatif && est("-")) {
          ++p_;
          b = nombre(a, 5, "rang de fin");
        }
        for (int k = a; k <= b; ++k) pj.rangs.push_back(negatif ? -k : k);
        if (est(",")) {
          ++p_;
          continue;
        }
        break;
      }
      if (!est("]")) echouer(cur().caractere, fmt::format("« ] » attendu, pas {}", decrire(cur())));
      ++p_;
      decalage_interdit();
    }
    return pj;
  }

  void jours(Regle& r) {
    for (;;) {
      const Jeton& t = cur();
      if (est_mot(t, "SH")) echouer(t.caractere, "vacances scolaires (SH) non prises en charge");
      if (est_mot(t, "PH")) {
        ++p_;
        decalage_interdit();
        if (est_jour(cur())) {
          // "PH Mo-Fr": the holidays that fall on those days.
          r.feries_et_jours = true;
          for (;;) {
            r.jours.push_back(plage_jours());
            if (est(",") && est_jour(suivant())) {
              ++p_;
              continue;
            }
            break;
          }
          return;
        }
        r.feries = true;
      } else {
        r.jours.push_back(plage_jours());
      }
      if (est(",") && (est_jour(suivant()) || est_mot(suivant(), "PH") || est_mot(suivant(), "SH"))) {
        ++p_;
        continue;
      }
      return;
    }
  }

  int heure(int max_heures, std::string_view quoi) {
    const Jeton& t = cur();
    if (t.genre != Genre::heure) {
      if (t.genre == Genre::nombre && est_mot(suivant(), "h")) echouer(t.caractere, indice("h"));
      if (t.genre == Genre::nombre && suivant().genre == Genre::mot && suivant().texte[0] == 'h')
        echouer(t.caractere, indice("h"));
      if (t.genre == Genre::mot) {
        auto i = indice(t.texte);
        echouer(t.caractere, i.find("inconnu") == std::string::npos && i.find("inattendu ici") == std::string::npos ? i : fmt::format("{} attendue (HH:MM), pas « {} »", quoi, t.texte));
      }
      echouer(t.caractere, fmt::format("{} attendue (HH:MM), pas {}", quoi, decrire(t)));
    }
    if (t.minutes > 59) echouer(t.caractere, fmt::format("minutes entre 00 et 59 attendues, pas {}", t.texte));
    if (t.heures > max_heures || (t.heures == max_heures && t.minutes > 0))
      echouer(t.caractere, fmt::format("{} au plus {:02}:00 attendue, pas {}", quoi, max_heures, t.texte));
    ++p_;
    return t.heures * 60 + t.minutes;
  }

  void heures(Regle& r) {
    for (;;) {
      PlageHoraire h;
      h.debut = heure(24, "heure de début");
      if (est("+")) {
        ++p_;
        h.fin_ouverte = true;
        h.fin = h.debut;
      } else if (est("-")) {
        ++p_;
        h.fin = heure(48, "heure de fin");
        if (est("+")) echouer(cur().caractere, "plage suivie de « + » non prise en charge");
        if (est("/")) echouer(cur().caractere, "horaires périodiques (« /30 ») non pris en charge");
      } else {
        echouer(cur().caractere, fmt::format("« - » et une heure de fin attendus après {}, pas {}", j_[p_ - 1].texte,
                                             decrire(cur())));
      }
      r.heures.push_back(h);
      if (est(",") && suivant().genre == Genre::heure) {
        ++p_;
        continue;
      }
      if (est(",") && suivant().genre == Genre::nombre) {
        ++p_;
        heure(24, "heure de début");  // fails with the right message
      }
      return;
    }
  }
};

std::string deux(int n) { return fmt::format("{:02}", n); }

std::string texte_point(const PointDate& d) {
  std::string s;
  if (d.annee) s += fmt::format("{} ", d.annee);
  if (d.paques) return s + "easter";
  s += kMois[static_cast<std::size_t>(d.mois - 1)];
  if (d.jour) s += " " + deux(d.jour);
  return s;
}

std::string texte_heure(int m) { return deux(m / 60) + ":" + deux(m % 60); }

std::string texte_regle(const Regle& r) {
  std::vector<std::string> parts;
  if (r.toujours) parts.push_back("24/7");
  if (!r.annees.empty()) {
    std::string s;
    for (auto& a : r.annees) {
      if (!s.empty()) s += ",";
      s += a.fin != a.debut ? fmt::format("{}-{}", a.debut, a.fin) : fmt::format("{}", a.debut);
    }
    parts.push_back(s);
  }
  if (!r.dates.empty()) {
    std::string s;
    const PlageDates* precedente = nullptr;
    for (auto& d : r.dates) {
      if (!s.empty()) s += ",";
      // "Dec 24,31": a single day of the same month as the previous single day.
      bool meme_mois = precedente && !precedente->fin && !d.fin && !precedente->debut.paques && !d.debut.paques &&
                       precedente->debut.jour && d.debut.jour && precedente->debut.mois == d.debut.mois &&
                       precedente->debut.annee == d.debut.annee;
      precedente = &d;
      if (meme_mois) {
        s += deux(d.debut.jour);
        continue;
      }
      s += texte_point(d.debut);
      if (d.fin) {
        const auto& f = *d.fin;
        if (!f.paques && !d.debut.paques && f.annee == 0 && f.mois == d.debut.mois && f.jour && d.debut.jour)
          s += "-" + deux(f.jour);
        else
          s += "-" + texte_point(f);
      }
    }
    parts.push_back(s);
  }
  if (!r.semaines.empty()) {
    std::string s = "week ";
    for (std::size_t i = 0; i < r.semaines.size(); ++i) {
      auto& w = r.semaines[i];
      if (i) s += ",";
      s += deux(w.debut);
      if (w.fin != w.debut || w.pas != 1) s += "-" + deux(w.fin);
      if (w.pas != 1) s += fmt::format("/{}", w.pas);
    }
    parts.push_back(s);
  }
  if (r.feries || r.feries_et_jours || !r.jours.empty()) {
    std::string s;
    for (auto& j : r.jours) {
      if (!s.empty()) s += ",";
      s += kJours[static_cast<std::size_t>(j.debut)];
      if (j.fin != j.debut) s += std::string("-") + std::string(kJours[static_cast<std::size_t>(j.fin)]);
      if (!j.rangs.empty()) {
        s += "[";
        for (std::size_t i = 0; i < j.rangs.size(); ++i) {
          // Consecutive positive ranks read as a range: [2,3,4] → [2-4].
          std::size_t k = i;
          while (j.rangs[i] > 0 && k + 1 < j.rangs.size() && j.rangs[k + 1] == j.rangs[k] + 1) ++k;
          s += (i ? "," : "") + std::to_string(j.rangs[i]);
          if (k > i) s += "-" + std::to_string(j.rangs[k]), i = k;
        }
        s += "]";
      }
    }
    if (r.feries_et_jours) s = "PH " + s;
    if (r.feries) s += s.empty() ? "PH" : ",PH";
    parts.push_back(s);
  }
  if (!r.heures.empty()) {
    std::string s;
    for (auto& h : r.heures) {
      if (!s.empty()) s += ",";
      s += texte_heure(h.debut) + (h.fin_ouverte ? "+" : "-" + texte_heure(h.fin));
    }
    parts.push_back(s);
  }
  if (r.modificateur)
    parts.push_back(*r.modificateur == Etat::ouvert ? "open" : *r.modificateur == Etat::inconnu ? "unknown" : "off");
  if (r.commentaire) parts.push_back("\"" + *r.commentaire + "\"");
  std::string out;
  for (auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace

Etat Regle::etat() const {
  if (modificateur) return *modificateur;
  if (commentaire) return Etat::inconnu;
  return Etat::ouvert;
}

bool Regle::selectionne_des_jours() const {
  return !annees.empty() || !dates.empty() || !semaines.empty() || feries || feries_et_jours || !jours.empty();
}

Analyse analyser(std::string_view texte) {
  try {
    Analyseur a(decouper(texte));
    return Analyse{.horaires = a.tout(), .erreur = std::nullopt};
  } catch (const ErreurAnalyse& e) {
    return Analyse{.horaires = std::nullopt, .erreur = e.erreur};
  }
}

std::string normaliser(const Horaires& h) {
  std::string out;
  for (const auto& r : h.regles) {
    switch (r.separateur) {
      case Separateur::premier: break;
      case Separateur::normal: out += "; "; break;
      case Separateur::supplementaire: out += ", "; break;
      case Separateur::repli: out += " || "; break;
    }
    out += texte_regle(r);
  }
  return out;
}

}  // namespace coop::lieux::horaires
