-- Offline CRA entry (issue 9): the idempotency key a client generates for each CRA it creates
-- (a UUID v4, header Idempotency-Key of POST /api/activites). The key is unique per mediator:
-- a retry with the same key finds the CRA already created instead of creating a second one, and
-- two retries that race are kept apart by the primary key (the loser reads the winner's row).
-- A key is stored only with a CRA that was created: a CRA refused by validation consumes nothing.
CREATE TABLE activites_cles (
  mediateur_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  cle TEXT NOT NULL,
  activite_id INTEGER NOT NULL REFERENCES activites(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (mediateur_id, cle)
);
CREATE INDEX activites_cles_activite ON activites_cles (activite_id);
