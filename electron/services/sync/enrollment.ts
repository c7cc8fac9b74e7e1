/**
 * Joining the clinic (issue 13): the administrator types the central server's address and a one-time code; the
 * desk first asks whose code it is (without using it up) and shows the organization for the administrator to
 * confirm; then it enrolls, takes the organization's profile and its own workstation code (the start of every
 * number it issues) from the server, and saves its credential.
 *
 * A desk that already holds one organization's records never joins another: its queued operations (names, IINs,
 * complaints) must never reach an organization they were not made for. It is refused before the code is used up,
 * and the server refuses again if the desk says which organization it expects and the code is another's.
 */
import os from 'node:os';
import { ApiError } from '../../../common/errors';
import type { EnrollPreview, EnrollResponse } from '../../../common/sync-protocol';
import { recordChange } from '../../../db/change';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { getEnrollment, holdsOrganizationData, saveEnrollment } from '../../../db/sync';
import { sealCredential, syncCredential } from '../sealed-settings';
import { SecretsUnavailableError } from '../secrets';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { invalidateCalendar, invalidateCatalog } from '../workflow/context';
import { checkServerUrl, NetworkError, request } from './http';

export interface EnrollmentPreview {
  serverUrl: string;
  orgBin: string;
  organization: EnrollPreview['organization'];
  expiresAt: string;
  /** The organization this desk's records belong to now. */
  localBin: string;
  holdsData: boolean;
  /** False when this desk holds another organization's records: it cannot join with this code. */
  acceptable: boolean;
}

function serverUrlOf(serverUrl: string): string {
  const checked = checkServerUrl(serverUrl);
  if (!checked.ok) throw new ApiError('validation', `serverUrl: ${checked.reason}`, undefined, ['serverUrl']);
  return checked.url;
}

async function post(url: string, body: unknown) {
  try {
    return await request('POST', url, { body: JSON.stringify(body), timeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof NetworkError)
      throw new ApiError('server-unreachable', `the central server cannot be reached: ${error.message}`, {}, ['serverUrl']);
    throw error;
  }
}

function refuseOtherOrganization(localBin: string, codeBin: string): ApiError {
  return new ApiError(
    'org-mismatch',
    `this workstation holds the records of organization ${localBin}; the code is for ${codeBin}. Start Tirkeu with a new, empty data folder to join ${codeBin}.`,
    { localBin, codeBin },
    ['code'],
  );
}

export async function previewEnrollment(app: AppContext, serverUrl: string, code: string): Promise<EnrollmentPreview> {
  const url = serverUrlOf(serverUrl);
  const res = await post(`${url}/v1/enroll/preview`, { code });
  if (res.status === 403 || res.status === 400)
    throw new ApiError('bad-credentials', 'the enrollment code is wrong, used or expired', {}, ['code']);
  if (res.status !== 200) throw new ApiError('server-unreachable', `the central server answered HTTP ${res.status}`, {}, ['serverUrl']);
  const p = JSON.parse(res.body) as EnrollPreview;
  const localBin = getOrganization(app.db)!.bin;
  const holdsData = holdsOrganizationData(app.db);
  return {
    serverUrl: url,
    orgBin: p.org_bin,
    organization: p.organization,
    expiresAt: p.expires_at,
    localBin,
    holdsData,
    acceptable: !holdsData || localBin === p.org_bin,
  };
}

/** Enrolls this desk with the code; refuses (before using the code up) when it holds another organization's records. */
export async function enroll(app: AppContext, actor: StaffRow, serverUrl: string, code: string) {
  const preview = await previewEnrollment(app, serverUrl, code);
  if (!preview.acceptable) throw refuseOtherOrganization(preview.localBin, preview.orgBin);
  const res = await post(`${preview.serverUrl}/v1/enroll`, {
    code,
    // The computer's name is what the clinic's administrator recognises in the list of desks ("REG-2", "KASSA").
    name: os.hostname().slice(0, 100),
    expect_bin: preview.holdsData ? preview.localBin : null,
    // Enrolled before (a lost or revoked credential, a new server address): the server keeps this desk's code and
    // counts the operations it already sent as this desk's.
    // Only to the server that issued it: a credential never goes to another address.
    previous_credential: getEnrollment(app.db)?.serverUrl === preview.serverUrl ? previousCredential(app) : null,
  });
  if (res.status === 409) throw refuseOtherOrganization(preview.localBin, preview.orgBin);
  if (res.status === 403) throw new ApiError('bad-credentials', 'the enrollment code is wrong, already used or expired', {}, ['code']);
  if (res.status !== 200) throw new ApiError('server-unreachable', `the central server answered HTTP ${res.status}`, {}, ['serverUrl']);
  const answer = JSON.parse(res.body) as EnrollResponse;
  const now = app.clock();
  const before = getOrganization(app.db)!;
  recordChange(
    app.db,
    { staffId: actor.id, login: actor.login, role: actor.role },
    now,
    () => {
      saveEnrollment(
        app.db,
        { serverUrl: preview.serverUrl, workstationId: answer.workstation_id, orgBin: answer.org_bin, enrolledAt: now.toISOString() },
        sealCredential(app, answer.credential),
      );
      // The organization as the server knows it, and this desk's own code at the start of every number from now on.
      const p = answer.organization;
      saveOrganization(app.db, {
        ...before,
        bin: answer.org_bin,
        ...(p ? { name: { kk: p.name.kk, ru: p.name.ru, en: p.name.en }, region: p.region, timezone: p.timezone, address: p.address } : {}),
        workstationPrefix: answer.workstation_code ?? before.workstationPrefix,
      });
    },
    {
      audit: {
        action: 'sync.enroll',
        entity: 'workstation',
        entityId: answer.workstation_id,
        details: { serverUrl: preview.serverUrl, orgBin: answer.org_bin, code: answer.workstation_code },
      },
      // The first desk of an organization the server knows only by its BIN tells it the organization's profile.
      outbox: answer.organization
        ? undefined
        : {
            kind: 'org.profile',
            entity: 'organization',
            entityId: answer.org_bin,
            payload: { name: before.name, region: before.region, timezone: before.timezone, address: before.address },
          },
    },
  );
  invalidateCalendar(app);
  invalidateCatalog(app);
  app.log.info('sync.enrolled', { serverUrl: preview.serverUrl, workstationId: answer.workstation_id, code: answer.workstation_code });
  return {
    workstationId: answer.workstation_id,
    workstationCode: answer.workstation_code,
    orgBin: answer.org_bin,
    serverUrl: preview.serverUrl,
  };
}

/** The credential of an earlier enrollment, if it can still be opened (a lost key file means enrolling anew). */
function previousCredential(app: AppContext): string | null {
  try {
    return syncCredential(app);
  } catch (e) {
    if (e instanceof SecretsUnavailableError) return null;
    throw e;
  }
}
