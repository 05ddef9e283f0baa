-- Lieux de médiation numérique in the national standard v1.0.2 (features/lieux/model.hpp).
-- One row per lieu: the 32 fields of the standard as columns named like them (the standard's
-- `id` is `ident`, unique with `cle_source`, the source an import was keyed on: re-importing a
-- file updates in place). List fields keep the standard's `|`-joined text (what is read back and
-- exported) and are also spread into lieux_valeurs, one row per (field, value), for the search's
-- filters (service, public, frais, modalités… : an index on (champ, valeur) on both engines).
-- A Coop structure has at most one lieu sheet (structure_id unique); imported lieux that are
-- not Coop structures have none. Sheets of existing structures are created on first use (their
-- commune's name and postal code come from the in-memory référentiel, not from SQL).
-- Derived columns: ville_insee (Paris/Lyon/Marseille arrondissements → the city's code),
-- departement, nom_normalise (duplicates), texte_recherche (folded nom + commune), completude (0–100), horaires_valides (NULL until the
-- opening-hours validator of features/lieux/horaires runs), visible_carte (the gestionnaire's
-- switch; the map also needs at least one service).
CREATE TABLE lieux (
  id INTEGER PRIMARY KEY,
  cle_source TEXT NOT NULL,
  ident TEXT NOT NULL,
  pivot TEXT NOT NULL DEFAULT '',
  nom TEXT NOT NULL DEFAULT '',
  commune TEXT NOT NULL DEFAULT '',
  code_postal TEXT NOT NULL DEFAULT '',
  code_insee TEXT NOT NULL DEFAULT '',
  adresse TEXT NOT NULL DEFAULT '',
  complement_adresse TEXT NOT NULL DEFAULT '',
  latitude REAL,
  longitude REAL,
  typologie TEXT NOT NULL DEFAULT '',
  telephone TEXT NOT NULL DEFAULT '',
  courriels TEXT NOT NULL DEFAULT '',
  site_web TEXT NOT NULL DEFAULT '',
  horaires TEXT NOT NULL DEFAULT '',
  presentation_resume TEXT NOT NULL DEFAULT '',
  presentation_detail TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  itinerance TEXT NOT NULL DEFAULT '',
  structure_parente TEXT NOT NULL DEFAULT '',
  date_maj TEXT NOT NULL DEFAULT '',
  services TEXT NOT NULL DEFAULT '',
  publics_specifiquement_adresses TEXT NOT NULL DEFAULT '',
  prise_en_charge_specifique TEXT NOT NULL DEFAULT '',
  frais_a_charge TEXT NOT NULL DEFAULT '',
  dispositif_programmes_nationaux TEXT NOT NULL DEFAULT '',
  formations_labels TEXT NOT NULL DEFAULT '',
  autres_formations_labels TEXT NOT NULL DEFAULT '',
  modalites_acces TEXT NOT NULL DEFAULT '',
  modalites_accompagnement TEXT NOT NULL DEFAULT '',
  fiche_acces_libre TEXT NOT NULL DEFAULT '',
  prise_rdv TEXT NOT NULL DEFAULT '',
  ville_insee TEXT NOT NULL DEFAULT '',
  departement TEXT NOT NULL DEFAULT '',
  nom_normalise TEXT NOT NULL DEFAULT '',
  texte_recherche TEXT NOT NULL DEFAULT '',
  completude INTEGER NOT NULL DEFAULT 0,
  horaires_valides INTEGER,
  visible_carte INTEGER NOT NULL DEFAULT 1,
  structure_id INTEGER UNIQUE REFERENCES structures(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  modifie_le TEXT NOT NULL,
  modifie_par INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (cle_source, ident)
);
CREATE INDEX lieux_code_postal ON lieux (code_postal);
CREATE INDEX lieux_ville_insee ON lieux (ville_insee);
CREATE INDEX lieux_departement ON lieux (departement);
CREATE INDEX lieux_position ON lieux (latitude, longitude);
CREATE INDEX lieux_pivot ON lieux (pivot);

CREATE TABLE lieux_valeurs (
  lieu_id INTEGER NOT NULL REFERENCES lieux(id) ON DELETE CASCADE,
  champ TEXT NOT NULL,
  valeur TEXT NOT NULL,
  PRIMARY KEY (lieu_id, champ, valeur)
);
CREATE INDEX lieux_valeurs_champ ON lieux_valeurs (champ, valeur, lieu_id);

-- Every change of a lieu: who (NULL for an import or a command), when, from where ("import:SOURCE",
-- "edition", "creation"), and what: a JSON array of {"champ","avant","apres"}.
CREATE TABLE lieux_historique (
  id INTEGER PRIMARY KEY,
  lieu_id INTEGER NOT NULL REFERENCES lieux(id) ON DELETE CASCADE,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  origine TEXT NOT NULL,
  changements TEXT NOT NULL,
  cree_le TEXT NOT NULL
);
CREATE INDEX lieux_historique_lieu ON lieux_historique (lieu_id, id);

-- Possible duplicates across sources, proposed by the import (lieu_id < autre_id).
CREATE TABLE lieux_doublons (
  id INTEGER PRIMARY KEY,
  lieu_id INTEGER NOT NULL REFERENCES lieux(id) ON DELETE CASCADE,
  autre_id INTEGER NOT NULL REFERENCES lieux(id) ON DELETE CASCADE,
  similarite REAL NOT NULL,
  distance_m REAL,
  raisons TEXT NOT NULL,
  statut TEXT NOT NULL DEFAULT 'propose' CHECK (statut IN ('propose', 'fusionne', 'ecarte')),
  cree_le TEXT NOT NULL,
  UNIQUE (lieu_id, autre_id),
  CHECK (lieu_id < autre_id)
);
CREATE INDEX lieux_doublons_autre ON lieux_doublons (autre_id);

