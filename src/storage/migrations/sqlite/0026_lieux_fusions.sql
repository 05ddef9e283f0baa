-- Merged duplicate lieux (features/lieux/store.hpp « Fusion »). When an administrator merges two
-- lieux, one survives with the chosen values and the other row is deleted; this table remembers
-- the source keys (cle_source, ident) of both: the retired lieu's now maps to the survivor, so that
-- re-importing its source file updates the survivor instead of recreating it, and the survivor's
-- own key is listed too, so that re-importing its file does not undo the values chosen. `valeurs`
-- holds the 32 values last read from that source (a JSON array): a re-import equal to them
-- changes nothing (the import stays idempotent), a field the source changed is applied to the
-- survivor. Merging a survivor again moves its mappings to the new survivor. ancien_id is the
-- retired lieu's id (no foreign key: that row is gone), NULL for the survivor's own key.
CREATE TABLE lieux_fusions (
  id INTEGER PRIMARY KEY,
  cle_source TEXT NOT NULL,
  ident TEXT NOT NULL,
  ancien_id INTEGER,
  survivant_id INTEGER NOT NULL REFERENCES lieux(id) ON DELETE CASCADE,
  nom TEXT NOT NULL,
  valeurs TEXT NOT NULL,
  auteur_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  cree_le TEXT NOT NULL,
  UNIQUE (cle_source, ident)
);
CREATE INDEX lieux_fusions_survivant ON lieux_fusions (survivant_id);
CREATE INDEX lieux_fusions_ancien ON lieux_fusions (ancien_id);
