/**
 * Interim internal standards (issue 15, point 3): a repealed act the organization's administrator adopted, one row
 * per act (`region/number`), the whole record as JSON (common/regulation-adoption.ts). Rows arrive from the desk
 * that adopted or closed them through sync (shared kind `regulation-adoption`); the newest version replaces the row.
 */
export const sql = /* sql */ `
CREATE TABLE regulation_adoption (
  key TEXT PRIMARY KEY,
  payload TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;
