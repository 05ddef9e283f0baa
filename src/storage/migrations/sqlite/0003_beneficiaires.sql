-- Beneficiaries of a mediator. Anonymous by default (no name); followed when named.
-- nom_recherche: folded "prenom nom" (accents and case removed, core::fold) for search and
-- duplicate detection.
CREATE TABLE beneficiaires (
  id INTEGER PRIMARY KEY,
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  anonyme INTEGER NOT NULL DEFAULT 1,
  prenom TEXT,
  nom TEXT,
  nom_recherche TEXT NOT NULL DEFAULT '',
  annee_naissance INTEGER,
  telephone TEXT,
  pas_de_telephone INTEGER NOT NULL DEFAULT 0,
  email TEXT,
  adresse TEXT,
  commune_insee TEXT,
  code_postal TEXT,
  genre TEXT CHECK (genre IS NULL OR genre IN ('masculin', 'feminin', 'non_communique')),
  tranche_age TEXT CHECK (tranche_age IS NULL OR tranche_age IN ('moins_de_douze', 'douze_dix_huit',
    'dix_huit_vingt_quatre', 'vingt_cinq_trente_neuf', 'quarante_cinquante_neuf', 'soixante_soixante_neuf',
    'soixante_dix_plus', 'non_communique')),
  statut_social TEXT CHECK (statut_social IS NULL OR statut_social IN ('scolarise', 'sans_emploi', 'en_emploi',
    'retraite', 'non_communique')),
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  merged_into_id INTEGER REFERENCES beneficiaires(id) ON DELETE SET NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX beneficiaires_mediateur ON beneficiaires (mediateur_id, deleted_at, nom_recherche);
CREATE INDEX beneficiaires_telephone ON beneficiaires (mediateur_id, telephone);
CREATE INDEX beneficiaires_email ON beneficiaires (mediateur_id, email);

-- Trace of merges (RGPD: no personal data, only ids and who/when).
CREATE TABLE beneficiaire_fusions (
  id INTEGER PRIMARY KEY,
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  source_id INTEGER NOT NULL,
  cible_id INTEGER NOT NULL REFERENCES beneficiaires(id) ON DELETE CASCADE,
  activites_deplacees INTEGER NOT NULL DEFAULT 0,
  champs_completes TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
