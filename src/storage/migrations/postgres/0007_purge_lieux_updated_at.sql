-- Lieux d'activité get their own updated_at (set on insert and on every change, e.g. the fin
-- date), backfilled from created_at, so that the public API feed (GET /api/v1/lieux-activite,
-- keyset on (updated_at, id), filter[modification][depuis]) reports changes, not only creations.
ALTER TABLE lieux_activite ADD COLUMN updated_at TEXT;
UPDATE lieux_activite SET updated_at = created_at;
ALTER TABLE lieux_activite ALTER COLUMN updated_at SET NOT NULL;
CREATE INDEX lieux_activite_updated ON lieux_activite (updated_at, id);

-- The bin purge (features/purge): rows deleted more than 30 days ago, found without scanning the
-- live ones.
CREATE INDEX activites_deleted ON activites (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX beneficiaires_deleted ON beneficiaires (deleted_at) WHERE deleted_at IS NOT NULL;

-- The cap on pending import analyses counts a mediator's imports.
CREATE INDEX imports_beneficiaires_mediateur ON imports_beneficiaires (mediateur_id, id);
