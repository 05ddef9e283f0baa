-- "Mes activités" filtered by type or by lieu d'activité (issue 3 point 4): the page (ORDER BY
-- date, id) and its total (COUNT) read these indexes alone instead of every live activity of the
-- mediator (bench/activites/list.sh, 100,000 activities of one mediator).
CREATE INDEX activites_mediateur_type_date ON activites (mediateur_id, type, date, id) WHERE deleted_at IS NULL;
CREATE INDEX activites_mediateur_lieu_date ON activites (mediateur_id, lieu_activite_id, date, id) WHERE deleted_at IS NULL;
