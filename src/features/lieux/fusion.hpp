// Merging two duplicate lieux (issue 12 point 2): the pure rules — which lieu survives by
// default, which value of each field is kept by default, the merged values. Pure: no SQL, no
// HTTP. The store does the merge itself (store.hpp « Fusion »: the retired lieu is remembered,
// its references move to the survivor).
#pragma once

#include <array>
#include <optional>

#include "features/lieux/model.hpp"

namespace coop::lieux::fusion {

// The two sides of a proposed pair (lieux_doublons.lieu_id, lieux_doublons.autre_id).
enum class Cote { lieu, autre };
inline Cote oppose(Cote c) {
  return c == Cote::lieu ? Cote::autre : Cote::lieu;
}

struct Candidat {
  const Lieu* lieu = nullptr;
  int completude = 0;
  bool structure = false;  // the sheet of a Coop structure
};

// The default survivor: the sheet of a Coop structure (its structure keeps it), else the more
// complete lieu, else the more recently updated (date_maj), else `lieu` (the older id).
Cote survivant_par_defaut(const Candidat& lieu, const Candidat& autre);

using Choix = std::array<Cote, kNbChamps>;

// The default value of each field: `id` is the survivor's (its key in its source); date_maj the
// later one; a value given by one side only is kept; two different values: for a list, the one
// with more items, else (and for a text) the more recently updated side (date_maj), else the
// more complete, else the survivor.
Choix choix_par_defaut(const Candidat& lieu, const Candidat& autre, Cote survivant);

// The survivor's values after the merge: each field from the side chosen, `id` always the
// survivor's.
Lieu valeurs_fusionnees(const Lieu& lieu, const Lieu& autre, const Choix& choix, Cote survivant);

}  // namespace coop::lieux::fusion
