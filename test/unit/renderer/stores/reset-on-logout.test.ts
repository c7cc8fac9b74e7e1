/**
 * A desk PC is shared between shifts: after one user logs out, the next user who logs in at the same window must
 * see nothing the previous one loaded (the session, the desk overview, an open PDF preview, any store added later).
 */
import '../browser-globals';
import { defineStore, setActivePinia } from 'pinia';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, ref } from 'vue';
import type { ApiMethod } from '../../../../common/api';
import type { SessionInfo } from '../../../../common/schemas';
import { call } from '../../../../renderer/src/api/client';
import { loadOverview, useOverview, type Overview } from '../../../../renderer/src/desk/desk';
import { useRequestPreview } from '../../../../renderer/src/dispensary/dispensary';
import { useDeskOverviewStore } from '../../../../renderer/src/stores/desk-overview-store';
import { useRequestPreviewStore } from '../../../../renderer/src/stores/request-preview-store';
import { createAppPinia } from '../../../../renderer/src/stores/reset-on-logout';
import { useSessionStore } from '../../../../renderer/src/stores/session-store';

vi.mock('../../../../renderer/src/api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../../renderer/src/api/client')>()),
  call: vi.fn(),
}));

const ORG: SessionInfo['organization'] = {
  bin: '123456789012',
  name: { kk: 'Емхана', ru: 'Поликлиника', en: 'Clinic' },
  region: 'astana',
  timezone: 'Asia/Almaty',
  address: 'Astana',
  workstationPrefix: 'AT1',
};
const staff = (id: number, login: string, fullName: string): SessionInfo['staff'] => ({
  id,
  login,
  fullName,
  iin: null,
  role: 'registrar',
  specialty: null,
  language: 'ru',
  disabled: false,
  locked: false,
  mustChangePassword: false,
});
const USERS: Record<string, SessionInfo> = {
  aigerim: { staff: staff(1, 'aigerim', 'Айгерім Сейтова'), organization: ORG, locked: false, idleMinutes: 10 },
  bolat: { staff: staff(2, 'bolat', 'Болат Нұров'), organization: ORG, locked: false, idleMinutes: 10 },
};
const overviewOf = (doctor: string) =>
  ({ today: '2026-03-02', districts: [], attachmentDocuments: [], doctors: [{ id: 7, fullName: doctor }] }) as unknown as Overview;

/** What the main process answers: the overview names the user who asked, so a stale copy is easy to spot. */
let current: SessionInfo | null = null;
const overviewCalls = vi.fn();
vi.mocked(call).mockImplementation((async (method: ApiMethod, args: unknown) => {
  switch (method) {
    case 'session.login':
      current = USERS[(args as { login: string }).login] ?? null;
      return current;
    case 'session.logout':
      current = null;
      return null;
    case 'session.current':
      return current;
    case 'desk.overview':
      overviewCalls();
      return overviewOf(`doctor seen by ${current?.staff.login}`);
    default:
      throw new Error(`unexpected call ${method}`);
  }
}) as typeof call);

beforeAll(() => {
  // setLocale writes the page's lang attribute; stubbed after the imports so that Vue's DOM runtime did not see it.
  vi.stubGlobal('document', { documentElement: { lang: '' } });
});

beforeEach(() => {
  current = null;
  overviewCalls.mockClear();
  // Pinia installs its plugins (the reset among them) when an app uses it, as main.ts does.
  const pinia = createAppPinia();
  createApp({}).use(pinia);
  setActivePinia(pinia);
});

describe('logout', () => {
  it("leaves nothing of the previous user's for the next one who logs in at the same window", async () => {
    const session = useSessionStore();
    await session.login('aigerim', 'pw');
    expect(session.staff?.fullName).toBe('Айгерім Сейтова');

    // What the first user's screens put in the shared stores.
    const overview = useOverview();
    await loadOverview();
    expect(overview.value?.doctors[0]?.fullName).toBe('doctor seen by aigerim');
    const preview = useRequestPreview();
    preview.value = { file: { fileName: 'receipt-AT1-R000001.pdf', base64: 'JVBERi0=', pages: 1 }, title: 'Receipt AT1-R000001' };

    await session.logout();
    expect(session.info).toBeNull();
    expect(session.staff).toBeNull();
    expect(session.loaded).toBe(true); // the login screen shows at once, without asking who is logged in
    expect(overview.value).toBeNull();
    expect(preview.value).toBeNull();

    // The next user: the desk overview is loaded again, for them.
    await session.login('bolat', 'pw');
    expect(session.staff?.fullName).toBe('Болат Нұров');
    expect(useRequestPreviewStore().preview).toBeNull();
    await loadOverview();
    expect(overviewCalls).toHaveBeenCalledTimes(2);
    expect(useDeskOverviewStore().overview?.doctors[0]?.fullName).toBe('doctor seen by bolat');
  });

  it('resets any store, including one added later, to its initial state (a deep copy, not the mutated objects)', async () => {
    const useNotesStore = defineStore('notes-for-test', () => {
      const notes = ref<string[]>(['welcome']);
      const filter = ref({ from: '2026-01-01', tags: ['a'] });
      const count = ref(0);
      return { notes, filter, count };
    });
    const session = useSessionStore();
    await session.login('aigerim', 'pw');
    const notes = useNotesStore();
    notes.notes.push('patient Қасымова called back');
    notes.filter.tags.push('hiv');
    notes.filter.from = '2026-02-01';
    notes.count = 5;

    await session.logout();
    expect(notes.notes).toEqual(['welcome']);
    expect(notes.filter).toEqual({ from: '2026-01-01', tags: ['a'] });
    expect(notes.count).toBe(0);

    // A second round starts from the same initial state (the snapshot itself was not mutated).
    await session.login('bolat', 'pw');
    notes.notes.push('x');
    notes.filter.tags.push('y');
    await session.logout();
    expect(notes.notes).toEqual(['welcome']);
    expect(notes.filter.tags).toEqual(['a']);
  });

  it('keeps the stores when the logout call fails (the user is still logged in)', async () => {
    const session = useSessionStore();
    await session.login('aigerim', 'pw');
    await loadOverview();
    vi.mocked(call).mockRejectedValueOnce(new Error('offline'));
    await expect(session.logout()).rejects.toThrow('offline');
    expect(session.staff?.login).toBe('aigerim');
    expect(useDeskOverviewStore().overview).not.toBeNull();
  });
});
