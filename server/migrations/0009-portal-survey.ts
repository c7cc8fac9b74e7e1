/**
 * The citizen's answers to the quality survey of an e-request (Astana appendix 3), taken on the portal through the
 * gateway once the request is answered: JSON {q1, q2}, at most once per request.
 */
export const sql = /* sql */ `
ALTER TABLE gateway_request ADD COLUMN survey text, ADD COLUMN surveyed_at timestamptz;
`;
