import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApiResult } from '../../../common/api';
import { call } from '../api/client';

export type DeskOverview = ApiResult<'desk.overview'>;

/**
 * The front desk's districts, doctors and documents checklist, loaded once and shared by the desk screens (a
 * store, not a module variable, so that logout clears it with everything else).
 */
export const useDeskOverviewStore = defineStore('desk-overview', () => {
  const overview = ref<DeskOverview | null>(null);

  /** Loads on first use; `force` after the administrator changed something. */
  async function load(force = false): Promise<DeskOverview> {
    if (!overview.value || force) overview.value = await call('desk.overview', {});
    return overview.value;
  }

  return { overview, load };
});
