/**
 * The regulation catalogue as the administrator sees it (`regulations.*`): the services in force in the
 * organization's region today and the versions to come, and the import of a new definition file (validated with
 * every other file, all or nothing; stored in the database, so it survives restarts).
 */
import { ApiError } from '../../../common/errors';
import {
  definitionKey,
  formatIssue,
  isInForceOn,
  RegulationValidationError,
  serviceDefinitionSchema,
  stepDuration,
  totalDuration,
  type RegulationIssue,
  type ServiceDefinition,
} from '../../../common/regulations';
import { issueAt } from '../../../common/regulation-issues';
import { dayNumberOf, dayNumberToIso } from '../../../common/working-calendar';
import type { RegulationSummary } from '../../../common/workflow';
import { recordChange } from '../../../db/change';
import { insertRegulationFile } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { engineActor, organization, orgToday } from './app-engine';
import { buildCatalog, catalogOf, IMPORTED_PREFIX, invalidateCatalog } from './context';
import { limitOf } from './labels';
import { closeBySuccessor } from '../regulations/adoption';
import type { Adoption } from '../../../common/regulation-adoption';

function summary(def: ServiceDefinition, file: string, closed: Set<string>, adoption: Adoption | null = null): RegulationSummary {
  return {
    adoption,
    key: definitionKey(def),
    id: def.id,
    region: def.region,
    titles: def.titles,
    act: { number: def.act.number, date: def.act.date, issuer: def.act.issuer },
    effectiveFrom: def.effectiveFrom,
    effectiveTo: def.effectiveTo,
    closedBySuccessor: closed.has(definitionKey(def)),
    channels: def.channels,
    feeKzt: def.fee.kzt,
    anonymousAllowed: def.anonymousAllowed ?? false,
    file,
    imported: file.startsWith(IMPORTED_PREFIX),
    steps: def.steps.map((s) => ({
      id: s.id,
      title: s.title,
      role: s.role,
      specialty: s.specialty ?? null,
      limit: limitOf(stepDuration(s)),
    })),
    maxTotal: Object.fromEntries(def.channels.map((c) => [c, limitOf(totalDuration(def, c))])),
  };
}

/** The services in force in the organization's region today, and versions that take effect later. */
export function regulationsInForce(app: AppContext): {
  region: string;
  today: string;
  services: RegulationSummary[];
  upcoming: RegulationSummary[];
} {
  const org = organization(app);
  const today = orgToday(app);
  const { catalog, closedBySuccessor } = catalogOf(app);
  const mine = catalog.all.filter((l) => l.definition.region === org.region);
  return {
    region: org.region,
    today,
    // In force, or applying by the organization's adoption of a repealed act (shown as such).
    services: catalog
      .inForce(org.region, today)
      .map((d) => summary(d, catalog.fileOf(d) ?? '', closedBySuccessor, catalog.adoptionOf(d, today) ?? null)),
    upcoming: mine.filter((l) => l.definition.effectiveFrom > today).map((l) => summary(l.definition, l.file, closedBySuccessor)),
  };
}

/** A file name as the administrator knows it, made safe to show and store (`imported/<name>`). */
function importName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()!.trim();
  const safe = base.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120);
  if (!safe || safe === '.' || safe === '..') throw new ApiError('validation', 'the file needs a name', {}, ['fileName']);
  return IMPORTED_PREFIX + safe;
}

/**
 * Imports one definition file: validated together with every shipped and previously imported file (all or
 * nothing), stored in the database (it survives restarts and is validated again at each start), in force from its
 * `effectiveFrom`. An open-ended earlier version of the same service and region ends the day before.
 */
export function importRegulation(
  app: AppContext,
  staff: StaffRow,
  a: { fileName: string; text: string },
): { imported: RegulationSummary; closedPredecessor: string | null; closedAdoptions: string[] } {
  const file = importName(a.fileName);
  // `issues` in English for the log; `list` the same as codes with parameters, which the screen says in words.
  const refuse = (issues: RegulationIssue[]) => {
    const lines = issues.map(formatIssue);
    return new ApiError('regulation-invalid', `regulation file refused:\n${lines.join('\n')}`, {
      file,
      count: issues.length,
      issues: lines.join('\n'),
      list: JSON.stringify(issues.map(({ file: f, path, code, params }) => ({ file: f, path, code, params }))),
    });
  };
  let data: unknown;
  try {
    data = JSON.parse(a.text);
  } catch (e) {
    throw refuse([{ file, ...issueAt('', 'not-json', { detail: (e as Error).message }) }]);
  }
  let build;
  try {
    build = buildCatalog(app.db, [{ file, data }], organization(app).timezone);
  } catch (e) {
    if (e instanceof RegulationValidationError) throw refuse(e.issues);
    throw e;
  }
  const def = serviceDefinitionSchema.parse(data);
  const predecessor = build.catalog.all.find(
    (l) =>
      l.definition.region === def.region &&
      l.definition.id === def.id &&
      l.definition.effectiveFrom < def.effectiveFrom &&
      l.definition.effectiveTo === dayNumberToIso(dayNumberOf(def.effectiveFrom) - 1),
  );
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => insertRegulationFile(app.db, file, a.text, now, staff.id), {
    audit: {
      action: 'regulation.imported',
      entity: 'regulation',
      entityId: definitionKey(def),
      details: { file, effectiveFrom: def.effectiveFrom, closes: predecessor ? definitionKey(predecessor.definition) : null },
    },
    outbox: {
      kind: 'regulation.import',
      entity: 'regulation',
      entityId: definitionKey(def),
      payload: { file, key: definitionKey(def), content: a.text },
    },
  });
  invalidateCatalog(app);
  // A successor ends the organization's interim standard for its service from the day it takes effect.
  const closedAdoptions = closeBySuccessor(app, staff, def, definitionKey(def)).map((x) => x.key);
  const loaded = catalogOf(app).catalog.byKey(definitionKey(def))!;
  return {
    imported: summary(loaded, file, catalogOf(app).closedBySuccessor),
    closedPredecessor: predecessor ? definitionKey(predecessor.definition) : null,
    closedAdoptions,
  };
}
