/**
 * One clinic, many desks (issue 13): the organization's profile (names, region, time zone, address) that every
 * desk receives at enrollment, and each workstation's short code, unique in its organization, that is part of every
 * number the desk issues; a desk enrolled again replaces its old record and keeps its code.
 */
export const sql = /* sql */ `
ALTER TABLE organization ADD COLUMN profile text;
ALTER TABLE organization ADD COLUMN next_code integer NOT NULL DEFAULT 1;
ALTER TABLE workstation ADD COLUMN code text;
-- A workstation enrolled again (a new credential for the same desk) replaces the old one: same code, and the old
-- one's operations count as its own when a batch is re-sent.
ALTER TABLE workstation ADD COLUMN replaces text REFERENCES workstation (id);
-- Need to know: the dispensary registers (who is on the TB, psychiatric, narcology register) go only to the desks
-- whose administrator said they check them (an operator's or a dispensary physician's desk).
ALTER TABLE workstation ADD COLUMN receives_registers boolean NOT NULL DEFAULT false;

UPDATE workstation w SET code = 'D' || x.n
  FROM (SELECT id, row_number() OVER (PARTITION BY org_bin ORDER BY created_at, id) AS n FROM workstation) x
 WHERE x.id = w.id;
UPDATE organization o SET next_code = 1 + (SELECT count(*) FROM workstation w WHERE w.org_bin = o.bin);
CREATE UNIQUE INDEX workstation_code_in_org ON workstation (org_bin, code);
`;
