import type { Component } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import { allowed, SCREENS, type ScreenName } from './navigation';
import { useSessionStore } from './stores/session-store';
import HomeView from './views/HomeView.vue';
import LoginView from './views/LoginView.vue';
import PasswordView from './views/PasswordView.vue';
import PeopleView from './views/PeopleView.vue';
import SigningView from './views/SigningView.vue';
import StaffView from './views/StaffView.vue';
import DeadlinesView from './views/DeadlinesView.vue';
import QueueView from './views/QueueView.vue';
import RegulationsView from './views/RegulationsView.vue';
import RequestView from './views/RequestView.vue';
import SyncView from './views/SyncView.vue';
import OrganizationView from './views/OrganizationView.vue';
import AdministrationView from './views/AdministrationView.vue';
import AppointmentsView from './desk/AppointmentsView.vue';
import AttachmentView from './desk/AttachmentView.vue';
import HomeVisitView from './desk/HomeVisitView.vue';
import JournalsView from './desk/JournalsView.vue';
import TimetableView from './desk/TimetableView.vue';
import ErequestsView from './erequests/ErequestsView.vue';
import CashView from './dispensary/CashView.vue';
import CertificatesView from './dispensary/CertificatesView.vue';
import HivFollowUpView from './dispensary/HivFollowUpView.vue';
import PricesView from './dispensary/PricesView.vue';
import RegistersView from './dispensary/RegistersView.vue';
import VerifyView from './views/VerifyView.vue';

// One component per screen of navigation.ts; the type makes a screen without its component (or a stray one) an error.
const VIEWS: Record<ScreenName, Component> = {
  login: LoginView,
  home: HomeView,
  people: PeopleView,
  'desk-home-visit': HomeVisitView,
  'desk-appointments': AppointmentsView,
  'desk-attachment': AttachmentView,
  'desk-journals': JournalsView,
  'desk-timetables': TimetableView,
  erequests: ErequestsView,
  queue: QueueView,
  request: RequestView,
  cash: CashView,
  certificates: CertificatesView,
  'hiv-follow-ups': HivFollowUpView,
  prices: PricesView,
  registers: RegistersView,
  deadlines: DeadlinesView,
  regulations: RegulationsView,
  staff: StaffView,
  signing: SigningView,
  sync: SyncView,
  organization: OrganizationView,
  administration: AdministrationView,
  password: PasswordView,
  verify: VerifyView,
};

// Hash history: the same URLs work from the Electron app:// protocol, a file and the web host.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    ...SCREENS.map((s) => ({ path: s.path, name: s.name, component: VIEWS[s.name], meta: s.public ? { public: true } : {} })),
    { path: '/:rest(.*)', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) await session.restore().catch(() => undefined);
  if (to.meta.public) return session.staff ? { name: 'home' } : true;
  if (!session.staff) return { name: 'login' };
  if (session.staff.mustChangePassword && to.name !== 'password') return { name: 'password' };
  const screen = SCREENS.find((s) => s.name === to.name);
  if (screen && !allowed(screen, session.role, session.staff?.specialty)) return { name: 'home' };
  return true;
});
