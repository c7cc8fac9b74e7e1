/**
 * The deadline dashboard and the compliance report (`deadlines.*`): per service and per step, on time, overdue,
 * pending, cancelled and the duration percentiles over a date range, summed in SQL from the daily roll-ups
 * (db/requests.ts), and the same as a CSV file that Excel opens.
 */
import { stepById, stepDuration, totalDuration } from '../../../common/regulations';
import type { Language } from '../../../common/roles';
import { dayNumberOf } from '../../../common/working-calendar';
import type { Dashboard, DeadlineStats } from '../../../common/workflow';
import { openRequestCounts, openStepCounts, requestHistogram, stepHistogram, type HistogramRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { positionText } from '../../../common/positions';
import { histogramPercentile } from './histogram';
import { fallbackTitle, limitOf, titleDefinitions, type DurationLimit } from './labels';
import { spreadsheetCsv } from '../csv';

/** Counts and percentiles of one group from its duration histogram and its open rows. */
function statsOf(hist: readonly HistogramRow[], open: { overdue: number; pending: number } | undefined): DeadlineStats {
  let closed = 0;
  let onTime = 0;
  let late = 0;
  let cancelled = 0;
  for (const h of hist) {
    closed += h.n;
    onTime += h.on_time;
    late += h.late;
    cancelled += h.cancelled;
  }
  return {
    total: closed + (open?.overdue ?? 0) + (open?.pending ?? 0),
    onTime,
    overdue: late + (open?.overdue ?? 0),
    pending: open?.pending ?? 0,
    cancelled,
    medianMs: histogramPercentile(hist, 50),
    p90Ms: histogramPercentile(hist, 90),
  };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Per service (whole requests, by the day they were created) and per step (by the day it started), over local
 * dates `from`..`to` inclusive: on time, overdue (late, or open past the deadline now), pending, cancelled, and the
 * median and 90th-percentile durations of the closed ones. Summed in SQL from the daily roll-ups.
 */
export function dashboard(app: AppContext, from: string, to: string): Dashboard {
  const t0 = performance.now();
  const fromDay = dayNumberOf(from);
  const toDay = dayNumberOf(to);
  const nowMs = app.clock().getTime();
  const reqHist = groupBy(requestHistogram(app.db, fromDay, toDay), (r) => r.service_id);
  const reqOpen = new Map(openRequestCounts(app.db, fromDay, toDay, nowMs).map((r) => [r.service_id, r]));
  const stepHist = groupBy(stepHistogram(app.db, fromDay, toDay), (r) => `${r.service_id}\u0000${r.step_id}`);
  const stepOpen = new Map(openStepCounts(app.db, fromDay, toDay, nowMs).map((r) => [`${r.service_id}\u0000${r.step_id}`, r]));
  const defs = titleDefinitions(app);
  const serviceIds = [...new Set([...reqHist.keys(), ...reqOpen.keys()])].sort();
  const stepKeys = [...new Set([...stepHist.keys(), ...stepOpen.keys()])];
  const result: Dashboard = {
    from,
    to,
    services: serviceIds.map((serviceId) => {
      const versions = defs.get(serviceId) ?? [];
      const main = versions[0];
      const hist = reqHist.get(serviceId) ?? [];
      const order = (id: string) => {
        for (const v of versions) {
          const i = v.steps.findIndex((st) => st.id === id);
          if (i >= 0) return i;
        }
        return 1e9;
      };
      const own = stepKeys
        .filter((k) => k.startsWith(serviceId + '\u0000'))
        .map((k) => k.slice(serviceId.length + 1))
        .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
      return {
        serviceId,
        title: main?.titles ?? fallbackTitle(serviceId),
        refused: hist.reduce((n, h) => n + h.refused, 0),
        ...statsOf(hist, reqOpen.get(serviceId)),
        steps: own.map((stepId) => {
          const key = `${serviceId}\u0000${stepId}`;
          const sd = versions.map((v) => stepById(v, stepId)).find((st) => st !== undefined);
          return {
            stepId,
            title: sd?.title ?? fallbackTitle(stepId),
            role: sd?.role ?? '',
            specialty: sd?.specialty ?? null,
            limit: sd ? limitOf(stepDuration(sd)) : {},
            ...statsOf(stepHist.get(key) ?? [], stepOpen.get(key)),
          };
        }),
      };
    }),
    tookMs: 0,
  };
  result.tookMs = Math.round((performance.now() - t0) * 10) / 10;
  return result;
}

const REPORT_HEADERS: Record<Language, string[]> = {
  kk: [
    'Қызмет',
    'Қадам',
    'Орындаушы',
    'Ең ұзақ мерзімі',
    'Барлығы',
    'Мерзімінде',
    'Мерзімі өткен',
    'Орындалуда',
    'Болдырылмаған',
    'Мерзімінде, %',
    'Медиана, мин',
    '90-перцентиль, мин',
  ],
  ru: [
    'Услуга',
    'Шаг',
    'Исполнитель',
    'Максимальный срок',
    'Всего',
    'В срок',
    'Просрочено',
    'В работе',
    'Отменено',
    'В срок, %',
    'Медиана, мин',
    '90-й процентиль, мин',
  ],
  en: [
    'Service',
    'Step',
    'Performer',
    'Maximum duration',
    'Total',
    'On time',
    'Overdue',
    'In progress',
    'Cancelled',
    'On time, %',
    'Median, min',
    '90th percentile, min',
  ],
};
const WHOLE_REQUEST: Record<Language, string> = { kk: '(өтінім толығымен)', ru: '(заявка целиком)', en: '(whole request)' };

function limitText(l: DurationLimit, lang: Language): string {
  if (l.maxMinutes !== undefined) return `${l.maxMinutes} ${lang === 'kk' ? 'мин' : lang === 'ru' ? 'мин' : 'min'}`;
  if (l.maxWorkingDays !== undefined)
    return `${l.maxWorkingDays} ${lang === 'kk' ? 'жұмыс күні' : lang === 'ru' ? 'раб. дн.' : 'working days'}`;
  if (l.byEndOfWorkingDay)
    return lang === 'kk' ? 'жұмыс күнінің соңына дейін' : lang === 'ru' ? 'до конца рабочего дня' : 'by the end of the working day';
  return '';
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);

/**
 * The compliance report for a date range: one line per service (whole request) and per step. Semicolon-separated
 * with a UTF-8 byte-order mark, which is what Excel with a Kazakh or Russian locale opens correctly on a double click.
 */
export function report(app: AppContext, staff: StaffRow, from: string, to: string): { fileName: string; csv: string; rows: number } {
  const lang = staff.language;
  const d = dashboard(app, from, to);
  const lines: (string | number | null)[][] = [REPORT_HEADERS[lang]];
  const pct = (s: DeadlineStats) => {
    const closed = s.onTime + s.overdue;
    return closed === 0 ? null : Math.round((s.onTime / closed) * 1000) / 10;
  };
  const defs = titleDefinitions(app);
  for (const s of d.services) {
    const main = defs.get(s.serviceId)?.[0];
    const total = main ? totalDuration(main, main.channels.includes('desk') ? 'desk' : main.channels[0]!) : undefined;
    lines.push([
      s.title[lang],
      WHOLE_REQUEST[lang],
      '',
      limitText(limitOf(total), lang),
      s.total,
      s.onTime,
      s.overdue,
      s.pending,
      s.cancelled,
      pct(s),
      minutes(s.medianMs),
      minutes(s.p90Ms),
    ]);
    for (const st of s.steps) {
      lines.push([
        s.title[lang],
        st.title[lang],
        positionText(st.role, st.specialty, lang),
        limitText(st.limit, lang),
        st.total,
        st.onTime,
        st.overdue,
        st.pending,
        st.cancelled,
        pct(st),
        minutes(st.medianMs),
        minutes(st.p90Ms),
      ]);
    }
  }
  const csv = spreadsheetCsv(lines);
  return { fileName: `deadlines_${from}_${to}.csv`, csv, rows: lines.length - 1 };
}
