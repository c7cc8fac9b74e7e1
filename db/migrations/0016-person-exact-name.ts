/**
 * Kazakh-letter matches first (issue 16, point 5): beside the folded name keys (Ә→А, Қ→К…), the name parts as
 * written — lower case, Kazakh letters kept (common/text.ts exactNameKey) — with their own index, so a search for
 * "Әл" lists the Әл… names before the Ал… ones it also finds through folding.
 *
 * The keys of the rows already there are filled by `tirkeu_exact_name_key`, the same function the application
 * computes them with (registered on the connection by db/connection.ts before migrating; SQLite's own lower()
 * folds only ASCII).
 */
export const sql = `
ALTER TABLE person ADD COLUMN surname_exact TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN given_exact TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN patronymic_exact TEXT NOT NULL DEFAULT '';
UPDATE person SET surname_exact = tirkeu_exact_name_key(surname), given_exact = tirkeu_exact_name_key(given_name),
  patronymic_exact = tirkeu_exact_name_key(patronymic);
CREATE INDEX person_by_exact_name ON person (surname_exact, given_exact, patronymic_exact);
`;
