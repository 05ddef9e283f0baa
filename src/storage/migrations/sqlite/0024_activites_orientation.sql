-- Orientation of an individual CRA (issue 12 point 7): the lieu (table lieux, 0022) the mediator
-- sent the person to, chosen in the orientation wizard, and the services of that lieu that
-- matched the need (the standard's labels, `|`-joined like the lieux' list fields; '' when none).
-- A lieu deleted later leaves the CRA without its orientation lieu (SET NULL), its services kept.
ALTER TABLE activites ADD COLUMN orientation_lieu_id INTEGER REFERENCES lieux(id) ON DELETE SET NULL;
ALTER TABLE activites ADD COLUMN orientation_services TEXT NOT NULL DEFAULT '';
CREATE INDEX activites_orientation_lieu ON activites (orientation_lieu_id) WHERE orientation_lieu_id IS NOT NULL;
