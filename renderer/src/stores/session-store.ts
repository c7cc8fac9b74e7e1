import { defineStore, getActivePinia } from 'pinia';
import { computed, ref } from 'vue';
import type { Language, Role } from '../../../common/roles';
import type { SessionInfo } from '../../../common/schemas';
import { call } from '../api/client';
import { rememberDeviceLanguage, setLocale } from '../i18n';
import { resetAllStores } from './reset-on-logout';

export const useSessionStore = defineStore('session', () => {
  const pinia = getActivePinia();
  const info = ref<SessionInfo | null>(null);
  const loaded = ref(false);

  const staff = computed(() => info.value?.staff ?? null);
  const organization = computed(() => info.value?.organization ?? null);
  const role = computed<Role | null>(() => staff.value?.role ?? null);

  function apply(next: SessionInfo | null) {
    info.value = next;
    if (next) setLocale(next.staff.language);
  }

  async function restore() {
    try {
      apply(await call('session.current', {}));
    } finally {
      loaded.value = true;
    }
  }

  async function login(loginName: string, password: string) {
    apply(await call('session.login', { login: loginName, password }));
  }

  /** Logs out and forgets everything the user saw: every store of the window goes back to its initial state. */
  async function logout() {
    await call('session.logout', {});
    info.value = null;
    if (pinia) resetAllStores(pinia);
    loaded.value = true; // nobody is logged in now, and that is known: no need to ask the main process again
  }

  const locked = computed(() => info.value?.locked === true);

  /** Locks the screen (idle, or by hand): the main process refuses everything but unlocking until then. */
  async function lock() {
    if (!info.value || info.value.locked) return;
    info.value.locked = true;
    try {
      await call('session.lock', {});
    } catch {
      // Shown locked either way: the next call tells the truth (session-locked or unauthenticated).
    }
  }

  /** The main process said the screen is locked (another window, a reload): show the lock. */
  function lockedElsewhere() {
    if (info.value) info.value.locked = true;
  }

  async function unlock(password: string) {
    apply(await call('session.unlock', { password }));
  }

  async function setLanguage(lang: Language) {
    setLocale(lang);
    rememberDeviceLanguage(lang);
    if (info.value) {
      info.value.staff.language = lang;
      await call('session.setLanguage', { language: lang });
    }
  }

  function passwordChanged() {
    if (info.value) info.value.staff.mustChangePassword = false;
  }

  return {
    info,
    loaded,
    staff,
    organization,
    role,
    locked,
    restore,
    login,
    logout,
    lock,
    lockedElsewhere,
    unlock,
    setLanguage,
    passwordChanged,
  };
});
