/**
 * The front desk's three journals (home visits, appointments, attachments) as a screen table with totals by status,
 * and their exports as PDF, CSV and XLSX in the journals' column order. Split from the former desk/documents.ts
 * (issue 12), beside db/desk/journals.ts and handlers/journals.ts.
 */
import { JOURNAL_COLUMNS, type JournalId, type JournalResult } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import { nameKey } from '../../../common/text';
import { dayNumberOf } from '../../../common/working-calendar';
import * as journalsDb from '../../../db/desk/journals';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { spreadsheetCsv } from '../csv';
import { BOLD, FONT, orgHeader, renderPdf, table, type Lang } from '../documents/pdf';
import { calendarOf } from '../workflow/context';
import { fullName, localIso, organization } from './common';
import { dmy, P } from './printouts';
import { COLUMN_TITLES, JOURNAL_TITLES, value } from './texts';

export interface JournalArgs {
  journal: JournalId;
  from: string;
  to: string;
  query: string;
  status: string | null;
  doctorId: number | null;
  districtId: number | null;
}

const LIMIT = 5000;

function stamp(app: AppContext, iso: string): string {
  const l = localIso(calendarOf(app), Date.parse(iso));
  return `${dmy(l.date)} ${l.time}`;
}

/** One journal's rows as text cells in the journal's column order, with totals by status. */
export function journal(app: AppContext, lang: Lang, a: JournalArgs): JournalResult {
  if (a.to < a.from) throw new ApiError('validation', 'the period ends before it starts', {}, ['to']);
  if (dayNumberOf(a.to) - dayNumberOf(a.from) > 400) throw new ApiError('validation', 'at most 400 days at once', {}, ['from']);
  const text = a.query.trim();
  const filter: journalsDb.JournalFilter = {
    from: a.from,
    to: a.to,
    text: text.toUpperCase(),
    surnameKey: /^\d+$/.test(text) ? '' : nameKey(text.split(/\s+/)[0] ?? ''),
    status: a.status,
    doctorId: a.doctorId,
    districtId: a.districtId,
    limit: LIMIT + 1,
  };
  const cols = JOURNAL_COLUMNS[a.journal];
  let rows: { id: number; status: string; cells: Record<string, string> }[];
  if (a.journal === 'home-visits') {
    rows = journalsDb.journalHomeVisits(app.db, filter).map((r) => ({
      id: r.id,
      status: r.status,
      cells: {
        number: r.number,
        registeredAt: stamp(app, r.created_at),
        channel: value(r.channel, lang),
        person: fullName(r),
        iin: r.person_iin,
        birthDate: dmy(r.birth_date),
        address: r.address,
        phone: r.phone ?? '',
        caller: value(r.caller, lang) + (r.caller_name ? ` (${r.caller_name})` : ''),
        complaint: r.complaint,
        district: r.district_number ?? '',
        doctor: r.doctor_name,
        visit: `${dmy(r.visit_date)} ${r.window_from}–${r.window_to}${r.late_reason ? ` (${r.late_reason})` : ''}`,
        status: value(r.status, lang) + (r.status_reason ? `: ${r.status_reason}` : ''),
        registrar: r.registrar,
      },
    }));
  } else if (a.journal === 'appointments') {
    rows = journalsDb.journalAppointments(app.db, filter).map((r) => {
      const at = localIso(calendarOf(app), r.slot_ms);
      return {
        id: r.id,
        status: r.status,
        cells: {
          number: r.number,
          registeredAt: stamp(app, r.created_at),
          channel: value(r.channel, lang),
          person: fullName(r),
          iin: r.person_iin,
          phone: r.phone ?? '',
          doctor: r.doctor_name,
          specialty: value(r.specialty, lang),
          visit: `${dmy(at.date)} ${at.time}`,
          kind: value(r.kind, lang),
          status: value(r.status, lang) + (r.reason && r.status !== 'booked' ? `: ${r.reason}` : ''),
          sync: r.sync ? value(r.sync, lang) : '',
          registrar: r.registrar,
        },
      };
    });
  } else {
    rows = journalsDb.journalAttachments(app.db, filter).map((r) => ({
      id: r.id,
      status: r.status,
      cells: {
        number: r.talon_number,
        registeredAt: stamp(app, r.attached_at),
        person: fullName(r),
        iin: r.person_iin,
        birthDate: dmy(r.birth_date),
        address: r.address ?? '',
        district: r.district_number,
        doctor: r.doctor_name ?? '',
        documents: String((JSON.parse(r.documents) as string[]).length),
        previousOrganization: r.previous_org ?? '',
        status: value(r.status, lang),
        registrar: r.registrar,
      },
    }));
  }
  const truncated = rows.length > LIMIT;
  if (truncated) rows = rows.slice(0, LIMIT);
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    journal: a.journal,
    columns: cols.map((key) => ({ key, title: COLUMN_TITLES[key]![lang] })),
    rows: rows.map((r) => ({ id: r.id, status: r.status, cells: cols.map((c) => r.cells[c] ?? '') })),
    totals: { all: rows.length, byStatus },
    truncated,
  };
}

export interface ExportFile {
  fileName: string;
  mime: string;
  base64: string;
}

/** A journal as PDF (landscape table), CSV (semicolons, UTF-8 BOM: Excel with a kk/ru locale) or XLSX. */
export async function exportJournal(
  app: AppContext,
  staff: StaffRow,
  a: JournalArgs & { format: 'pdf' | 'csv' | 'xlsx' },
): Promise<ExportFile> {
  const lang = staff.language as Lang;
  const j = journal(app, lang, a);
  const title = JOURNAL_TITLES[a.journal][lang];
  const base = `${a.journal}_${a.from}_${a.to}`;
  const totalLine =
    `${P('total', lang)}: ${j.totals.all}` +
    Object.entries(j.totals.byStatus)
      .map(([s, n]) => ` · ${value(s, lang)}: ${n}`)
      .join('');
  if (a.format === 'csv') {
    const lines = [j.columns.map((c) => c.title), ...j.rows.map((r) => r.cells)];
    const csv = spreadsheetCsv(lines);
    return { fileName: `${base}.csv`, mime: 'text/csv', base64: Buffer.from(csv, 'utf8').toString('base64') };
  }
  if (a.format === 'xlsx') {
    // Loaded on the first export, not at start-up: the spreadsheet library was a tenth of the start-up's time.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Tirkeu';
    const ws = wb.addWorksheet(title.slice(0, 31));
    ws.addRow([title]).font = { bold: true, size: 13 };
    ws.addRow([`${P('period', lang)}: ${dmy(a.from)} — ${dmy(a.to)}`, '', '', totalLine]);
    const head = ws.addRow(j.columns.map((c) => c.title));
    head.font = { bold: true };
    head.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
      c.border = { bottom: { style: 'thin' } };
    });
    for (const r of j.rows) ws.addRow(r.cells);
    j.columns.forEach((c, i) => {
      const longest = Math.max(c.title.length, ...j.rows.map((r) => r.cells[i]!.length));
      ws.getColumn(i + 1).width = Math.min(50, Math.max(8, longest + 2));
    });
    ws.views = [{ state: 'frozen', ySplit: 3 }];
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    return {
      fileName: `${base}.xlsx`,
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: buf.toString('base64'),
    };
  }
  const org = organization(app);
  const r = await renderPdf({ title, layout: 'landscape', margin: 30, footer: `${org.name[lang]} · ${title}` }, (doc) => {
    orgHeader(doc, org, [lang], { bin: P('bin', lang) });
    doc.font(BOLD).fontSize(13).text(title, { align: 'center' });
    doc
      .font(FONT)
      .fontSize(9)
      .text(`${P('period', lang)}: ${dmy(a.from)} — ${dmy(a.to)}   ·   ${totalLine}`, { align: 'center' });
    doc.moveDown(0.5);
    const widths: Record<string, number> = {
      number: 60,
      registeredAt: 62,
      person: 110,
      address: 120,
      complaint: 110,
      doctor: 95,
      visit: 80,
      status: 70,
      documents: 40,
    };
    table(
      doc,
      j.columns.map((c) => ({ title: c.title, width: widths[c.key] ?? 55 })),
      j.rows.map((r) => r.cells),
      // Widths from the text itself: an IIN, a date or a header word is never broken across lines.
      { fontSize: 7, fit: true },
    );
  });
  return { fileName: `${base}.pdf`, mime: 'application/pdf', base64: r.buffer.toString('base64') };
}
