/**
 * The row format of a register import (electron/services/population/, db/person-staging.ts): a checked row is an
 * array of the columns below, as the worker thread that read it stores it in its staging file. An absent value is
 * an empty string (stored as NULL where the column may be NULL).
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

/**
 * A cell: text, or the UTF-8 bytes of the text as the file held them (the import's reader does not decode what it
 * need not; the staging file keeps them as blobs and the finishing step reads them back as text).
 */
export type PackedCell = string | Uint8Array;
export type PackedRow = PackedCell[];
/** A row as staged: the cells above, then the row's line in the file (which of two rows with one IIN came first). */
export type StagedRow = Array<PackedCell | number>;
