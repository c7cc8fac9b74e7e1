/**
 * The regulation catalogue: every service definition shipped in resources/regulations (or imported later), validated
 * as one set, with look-ups by region and date.
 *
 * Files are found through `index.json`, never by listing the directory: directory listing does not work inside the
 * packaged asar archive. The whole set is validated before anything is returned — a broken file refuses the set
 * with every problem named by file and field, so the application never runs with a half-loaded catalogue.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { z } from 'zod';
import {
  definitionKey,
  isInForceOn,
  parseDefinitionSet,
  RegulationValidationError,
  zodIssue,
  type DefinitionFile,
  type LoadedDefinition,
  type RegulationIssue,
  type ServiceDefinition,
} from '../../../common/regulations';
import { issueAt } from '../../../common/regulation-issues';
import { parseCalendarData, toLocalIsoDate, type CalendarData } from '../../../common/working-calendar';
import { adoptionAppliesOn, type Adoption } from '../../../common/regulation-adoption';

/** Zone used to turn an instant into "today" when the caller gives none: the organization's zone should be passed. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

const indexSchema = z
  .object({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    files: z.array(z.string().min(1)),
  })
  .strict();

export interface CatalogOptions {
  /** IANA zone that decides which calendar day an instant is (effective dates are local dates). */
  timeZone?: string;
  /**
   * The organization's interim internal standards (common/regulation-adoption.ts): a repealed act they name
   * applies on a day after its end where no definition of the same service is in force.
   */
  adoptions?: readonly Adoption[];
}

export interface Catalog {
  /** Every definition, in index order. */
  readonly all: readonly LoadedDefinition[];
  /** Regions that have at least one definition. */
  regions(): string[];
  /**
   * Definitions that apply in a region on a day (`Date`: that instant's local date; string: `YYYY-MM-DD`): those in
   * force, and where a service has none, the version of an act the organization adopted as its interim standard.
   */
  inForce(region: string, at: Date | string): ServiceDefinition[];
  /** Definitions in force by their own period only (no adoption): what the acts themselves say. */
  inForceByAct(region: string, at: Date | string): ServiceDefinition[];
  /** The adoption by which `def` applies on a day, or undefined when it is in force itself (or does not apply). */
  adoptionOf(def: ServiceDefinition, at: Date | string): Adoption | undefined;
  /** The version of service `id` in force in a region on a day, if any. */
  byId(id: string, region: string, at: Date | string): ServiceDefinition | undefined;
  /** One exact version by `definitionKey` (`region/id@effectiveFrom`): what a running request refers to. */
  byKey(key: string): ServiceDefinition | undefined;
  /** The file a definition came from (for messages). */
  fileOf(def: ServiceDefinition): string | undefined;
  /**
   * A new catalogue with imported files added (a successor regulation taking effect on its date). The combined set
   * is validated as a whole; on any problem this throws and the current catalogue stays as it was.
   */
  withFiles(files: readonly DefinitionFile[]): Catalog;
  /** The files as validated, for persisting an import. */
  readonly files: readonly DefinitionFile[];
}

/** Builds a catalogue from already-read files; throws `RegulationValidationError` listing every problem. */
export function createCatalog(files: readonly DefinitionFile[], options: CatalogOptions = {}): Catalog {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const loaded = parseDefinitionSet(files);
  const byKey = new Map(loaded.map((l) => [definitionKey(l.definition), l.definition]));
  const fileOf = new Map(loaded.map((l) => [l.definition, l.file]));
  const localDate = (at: Date | string) => (typeof at === 'string' ? at : toLocalIsoDate(at, timeZone));
  const adoptions = options.adoptions ?? [];
  const inForceByAct = (region: string, at: Date | string) => {
    const day = localDate(at);
    return loaded.filter((l) => l.definition.region === region && isInForceOn(l.definition, day)).map((l) => l.definition);
  };
  const adoptionFor = (def: ServiceDefinition, day: string) =>
    adoptions.find((a) => a.region === def.region && a.act.number === def.act.number && adoptionAppliesOn(a, day));
  const inForce = (region: string, at: Date | string) => {
    const day = localDate(at);
    const own = inForceByAct(region, day);
    if (adoptions.length === 0) return own;
    const covered = new Set(own.map((d) => d.id));
    // Per service, the latest version of an adopted act that has ended by this day.
    const adopted = new Map<string, ServiceDefinition>();
    for (const l of loaded) {
      const d = l.definition;
      if (d.region !== region || covered.has(d.id) || d.effectiveTo === null || d.effectiveTo >= day || !adoptionFor(d, day)) continue;
      const prev = adopted.get(d.id);
      if (!prev || prev.effectiveFrom < d.effectiveFrom) adopted.set(d.id, d);
    }
    return [...own, ...adopted.values()];
  };
  const frozen = Object.freeze([...files]);
  return {
    all: loaded,
    files: frozen,
    regions: () => [...new Set(loaded.map((l) => l.definition.region))].sort(),
    inForce,
    inForceByAct,
    adoptionOf: (def, at) => {
      const day = localDate(at);
      return isInForceOn(def, day) ? undefined : adoptionFor(def, day);
    },
    byId: (id, region, at) => inForce(region, at).find((d) => d.id === id),
    byKey: (key) => byKey.get(key),
    fileOf: (def) => fileOf.get(def),
    withFiles: (more) => createCatalog([...frozen, ...more], options),
  };
}

/**
 * Reads `<dir>/index.json` and the files it lists, and builds the catalogue. Unreadable or non-JSON files are
 * reported together with validation problems, so one run names everything wrong.
 */
export function loadCatalog(dir: string, options: CatalogOptions = {}): Catalog {
  return createCatalog(readDefinitionFiles(dir), options);
}

export function readDefinitionFiles(dir: string): DefinitionFile[] {
  const indexFile = 'index.json';
  const index = readJson(join(dir, indexFile), indexFile);
  const parsed = indexSchema.safeParse(index);
  if (!parsed.success) {
    throw new RegulationValidationError(parsed.error.issues.map((i) => ({ file: indexFile, ...zodIssue(i) })));
  }
  const problems: RegulationIssue[] = [];
  const files: DefinitionFile[] = [];
  parsed.data.files.forEach((rel, i) => {
    // Index entries stay inside the folder: a data file must not make us read elsewhere.
    const norm = normalize(rel);
    if (isAbsolute(rel) || norm.startsWith('..')) {
      problems.push({ file: indexFile, ...issueAt(`files[${i}]`, 'path-outside', { file: rel }) });
      return;
    }
    try {
      files.push({ file: rel, data: readJson(join(dir, norm), rel) });
    } catch (e) {
      if (e instanceof RegulationValidationError) problems.push(...e.issues);
      else throw e;
    }
  });
  if (problems.length) throw new RegulationValidationError(problems);
  return files;
}

function readJson(path: string, name: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RegulationValidationError([{ file: name, ...issueAt('', 'cannot-read', { detail: (e as Error).message }) }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RegulationValidationError([{ file: name, ...issueAt('', 'not-json', { detail: (e as Error).message }) }]);
  }
}

/** Reads and validates a country calendar (`resources/calendars/kz.json`); errors name the file and field. */
export function loadCalendarData(resourcesDir: string, name = 'kz'): CalendarData {
  const rel = `calendars/${name}.json`;
  const text = readFileSync(join(resourcesDir, rel), 'utf8');
  return parseCalendarData(JSON.parse(text), rel);
}
