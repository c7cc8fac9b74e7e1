/**
 * E-request leases (issue 13, point 5): each e-request is handled by exactly one workstation of its organization.
 * The first workstation that claims it holds it until `lease_until` (the server's clock); the one whose
 * registration the server accepted is `handled_by` for good. An expired lease without a registration returns the
 * request to the pool. Additive only: a request registered before leases existed has neither column set.
 */
export const sql = /* sql */ `
ALTER TABLE gateway_request ADD COLUMN lease_holder text REFERENCES workstation (id);
ALTER TABLE gateway_request ADD COLUMN lease_until timestamptz;
ALTER TABLE gateway_request ADD COLUMN handled_by text REFERENCES workstation (id);
`;
