-- Positioning tests of the evaluation (issue 13 point 3, features/evaluation): a user's test, its
-- engine state (moteur::EtatSession as JSON, so that it resumes months later), every answer, the
-- items' exposure counts fed back to the engine, and the results per competence (the history).
CREATE TABLE evaluation_tests (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  perimetre TEXT NOT NULL,            -- 'tout' or a competence code '1.1'
  statut TEXT NOT NULL CHECK (statut IN ('en_cours', 'termine')),
  etat TEXT NOT NULL,                 -- moteur::serialiser()
  question_servie_le TEXT,            -- when the pending question was first served (its timer)
  commence_le TEXT NOT NULL,
  modifie_le TEXT NOT NULL,
  termine_le TEXT,
  pix_total INTEGER
);
CREATE INDEX evaluation_tests_user ON evaluation_tests (user_id, statut);

CREATE TABLE evaluation_reponses (
  test_id INTEGER NOT NULL REFERENCES evaluation_tests(id) ON DELETE CASCADE,
  rang INTEGER NOT NULL,              -- 1-based order in the test
  item_id TEXT NOT NULL,
  resultat TEXT NOT NULL CHECK (resultat IN ('juste', 'faux', 'passe', 'neutralise')),
  reponse TEXT NOT NULL,              -- the answer as sent (JSON), '{}' when the time ran out
  temps_depasse INTEGER NOT NULL DEFAULT 0,
  repondu_le TEXT NOT NULL,
  PRIMARY KEY (test_id, rang)
);

-- Administrations over all the tests: cle '#tests' counts the tests started, an item id its uses.
CREATE TABLE evaluation_expositions (
  cle TEXT PRIMARY KEY,
  nombre INTEGER NOT NULL
);

CREATE TABLE evaluation_resultats (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  test_id INTEGER NOT NULL REFERENCES evaluation_tests(id) ON DELETE CASCADE,
  competence TEXT NOT NULL,
  niveau INTEGER NOT NULL,
  pix INTEGER NOT NULL,
  obtenu_le TEXT NOT NULL
);
CREATE INDEX evaluation_resultats_user ON evaluation_resultats (user_id, competence, obtenu_le);
