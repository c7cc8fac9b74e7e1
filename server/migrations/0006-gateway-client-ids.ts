/**
 * A portal request's id is the gateway client's own (issue 14): two gateway clients may both send a request 42
 * without one getting the other's number and status. Unique per client, not across all of them.
 */
export const sql = /* sql */ `
ALTER TABLE gateway_request DROP CONSTRAINT gateway_request_request_id_key;
ALTER TABLE gateway_request ADD CONSTRAINT gateway_request_client_request UNIQUE (client_id, request_id);
`;
