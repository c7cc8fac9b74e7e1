/**
 * E-request leases on the workstation (issue 13, point 5): which desk of the clinic holds each e-request, as the
 * central server answered this desk's claims and as the other desks' `erequest-lease` rows were pulled. An
 * e-request is registered here only while this desk holds it (`mine`); `taken` is held by another desk until
 * `lease_until` (after that it is back in the pool); `elsewhere` was registered by another desk for good; `lost`
 * was registered here too, the server kept the other desk's registration, and this desk's was cancelled
 * (`reason`). Keyed by the gateway's number; a lease may arrive before its e-request.
 */
export const sql = /* sql */ `
CREATE TABLE erequest_lease (
  number       TEXT PRIMARY KEY,
  state        TEXT NOT NULL CHECK (state IN ('mine','taken','elsewhere','lost')),
  holder       TEXT,                       -- the holding workstation's id
  holder_name  TEXT,                       -- and its name as enrolled
  lease_until  TEXT,                       -- server time; NULL when final
  reason       TEXT,                       -- for 'lost': why the local registration was cancelled
  updated_at   TEXT NOT NULL
) STRICT;
`;
