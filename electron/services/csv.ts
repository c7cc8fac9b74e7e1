/**
 * Every CSV the workstation writes goes through here, on papaparse (which already reads every CSV it imports), so
 * quoting is one library's rule instead of a regular expression in each writer. Two shapes leave the workstation:
 *
 * - spreadsheet exports (the desk journals, the deadline report): semicolons, CRLF and a UTF-8 byte-order mark,
 *   which is what Excel with a Kazakh or Russian locale opens correctly on a double click; and text that starts like
 *   a formula (= + - @) gets an apostrophe so the spreadsheet shows it instead of evaluating it;
 * - plain files for people and scripts (rejected rows of an import, the demo population): commas and LF.
 *
 * A cell is quoted when it holds the delimiter, a quote or a line break (papaparse also quotes a leading or trailing
 * space, which a spreadsheet would otherwise trim); `quoteColumns` forces quotes on free-text columns of data rows.
 */
import Papa from 'papaparse';

export type CsvCell = string | number | null;

export interface CsvOptions {
  delimiter?: ',' | ';';
  newline?: '\n' | '\r\n';
  /** Start the text with a UTF-8 byte-order mark. */
  bom?: boolean;
  /** A header row written before the rows; it is never force-quoted. */
  header?: readonly string[];
  /** Columns of the data rows that are always quoted. */
  quoteColumns?: readonly boolean[];
  /** Prefix text cells that start with = + - @ with an apostrophe (numbers stay numbers). */
  neutraliseFormulas?: boolean;
}

const FORMULA = /^[=+\-@]/;

/** The rows as CSV text; every line, the last one too, ends with the newline. */
export function toCsv(rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  const newline = options.newline ?? '\n';
  const config = { delimiter: options.delimiter ?? ',', newline };
  const cell = options.neutraliseFormulas ? (v: CsvCell) => (typeof v === 'string' && FORMULA.test(v) ? `'${v}` : v) : (v: CsvCell) => v;
  const parts: string[] = [];
  if (options.header) parts.push(Papa.unparse([options.header.map(cell)], config));
  if (rows.length)
    parts.push(
      Papa.unparse(
        rows.map((r) => r.map(cell)),
        { ...config, quotes: options.quoteColumns ? [...options.quoteColumns] : false },
      ),
    );
  return (options.bom ? '\uFEFF' : '') + parts.map((p) => p + newline).join('');
}

/** One line of a plain CSV file, without its line end (for writers that stream line by line). */
export function csvLine(cells: readonly CsvCell[], options: Pick<CsvOptions, 'delimiter' | 'quoteColumns'> = {}): string {
  return Papa.unparse([[...cells]], {
    delimiter: options.delimiter ?? ',',
    quotes: options.quoteColumns ? [...options.quoteColumns] : false,
  });
}

/** A table for a spreadsheet: semicolons, CRLF, byte-order mark, formulas neutralised (its first row is its header). */
export function spreadsheetCsv(rows: readonly (readonly CsvCell[])[]): string {
  return toCsv(rows, { delimiter: ';', newline: '\r\n', bom: true, neutraliseFormulas: true });
}
