#include "features/lieux/fusion.hpp"

namespace coop::lieux::fusion {

namespace {

// -1: a before b, 1: b before a, 0: tie — by date_maj (YYYY-MM-DD compares as text).
int plus_recent(const Lieu& a, const Lieu& b) {
  const auto& da = a[ch::date_maj];
  const auto& db = b[ch::date_maj];
  if (da == db) return 0;
  return da > db ? -1 : 1;
}

}  // namespace

Cote survivant_par_defaut(const Candidat& lieu, const Candidat& autre) {
  if (lieu.structure != autre.structure) return lieu.structure ? Cote::lieu : Cote::autre;
  if (lieu.completude != autre.completude) return lieu.completude > autre.completude ? Cote::lieu : Cote::autre;
  if (int r = plus_recent(*lieu.lieu, *autre.lieu); r != 0) return r < 0 ? Cote::lieu : Cote::autre;
  return Cote::lieu;
}

Choix choix_par_defaut(const Candidat& lieu, const Candidat& autre, Cote survivant) {
  Choix c;
  c.fill(survivant);
  const Lieu& a = *lieu.lieu;
  const Lieu& b = *autre.lieu;
  const int recent = plus_recent(a, b);
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    if (i == ch::id) continue;
    const auto& va = a.valeurs[i];
    const auto& vb = b.valeurs[i];
    if (va == vb) continue;
    if (i == ch::date_maj) {
      c[i] = va > vb ? Cote::lieu : Cote::autre;
      continue;
    }
    if (va.empty() || vb.empty()) {
      c[i] = va.empty() ? Cote::autre : Cote::lieu;
      continue;
    }
    if (champs()[i].genre == Genre::liste) {
      const auto na = separer(va).size(), nb = separer(vb).size();
      if (na != nb) {
        c[i] = na > nb ? Cote::lieu : Cote::autre;
        continue;
      }
    }
    if (recent != 0)
      c[i] = recent < 0 ? Cote::lieu : Cote::autre;
    else if (lieu.completude != autre.completude)
      c[i] = lieu.completude > autre.completude ? Cote::lieu : Cote::autre;
  }
  c[ch::id] = survivant;
  return c;
}

Lieu valeurs_fusionnees(const Lieu& lieu, const Lieu& autre, const Choix& choix, Cote survivant) {
  Lieu out;
  for (std::size_t i = 0; i < kNbChamps; ++i) {
    const Cote c = i == ch::id ? survivant : choix[i];
    out.valeurs[i] = c == Cote::lieu ? lieu.valeurs[i] : autre.valeurs[i];
  }
  return out;
}

}  // namespace coop::lieux::fusion
