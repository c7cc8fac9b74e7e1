/**
 * The row format of a register import's batches (electron/services/population/, db/people-load.ts): rows cross
 * from the worker thread to the main thread as one JSON text per batch — an array of rows, each an array of the
 * columns below — and SQLite takes the whole batch in one statement (json_each), storing each cell in its column. One
 * string is copied once where thousands of small values each cost the structured clone and a bind call. An
 * absent value is an empty string.
 */

/** The columns of a row, in order: the person table's columns the import fills. */
export const PACKED_COLUMNS = [
  'iin',
  'surname',
  'given_name',
  'patronymic',
  'birth_date',
  'sex',
  'address',
  'phone',
  'surname_key',
  'given_key',
  'patronymic_key',
  'surname_exact',
  'given_exact',
  'patronymic_exact',
] as const;

export type PackedRow = string[];
/** A row as staged: the cells above, then the row's line in the file (which of two rows with one IIN came first). */
export type StagedRow = Array<string | number>;
