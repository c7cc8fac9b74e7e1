import { createRouter, createWebHashHistory } from 'vue-router';
import { allowed, NAV } from './navigation';
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

// Hash history: the same URLs work from the Electron app:// protocol, a file and the web host.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', name: 'home', component: HomeView },
    { path: '/people', name: 'people', component: PeopleView },
    { path: '/staff', name: 'staff', component: StaffView },
    { path: '/signing', name: 'signing', component: SigningView },
    { path: '/sync', name: 'sync', component: SyncView },
    { path: '/password', name: 'password', component: PasswordView },
    { path: '/queue', name: 'queue', component: QueueView },
    { path: '/requests/:id(\\d+)', name: 'request', component: RequestView },
    { path: '/deadlines', name: 'deadlines', component: DeadlinesView },
    { path: '/regulations', name: 'regulations', component: RegulationsView },
    { path: '/desk/home-visit', name: 'desk-home-visit', component: HomeVisitView },
    { path: '/desk/appointments', name: 'desk-appointments', component: AppointmentsView },
    { path: '/desk/attachment', name: 'desk-attachment', component: AttachmentView },
    { path: '/desk/journals', name: 'desk-journals', component: JournalsView },
    { path: '/desk/timetables', name: 'desk-timetables', component: TimetableView },
    { path: '/erequests', name: 'erequests', component: ErequestsView },
    { path: '/cash', name: 'cash', component: CashView },
    { path: '/certificates', name: 'certificates', component: CertificatesView },
    { path: '/hiv/follow-ups', name: 'hiv-follow-ups', component: HivFollowUpView },
    { path: '/prices', name: 'prices', component: PricesView },
    { path: '/registers', name: 'registers', component: RegistersView },
    { path: '/:rest(.*)', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) await session.restore().catch(() => undefined);
  if (to.meta.public) return session.staff ? { name: 'home' } : true;
  if (!session.staff) return { name: 'login' };
  if (session.staff.mustChangePassword && to.name !== 'password') return { name: 'password' };
  const item = NAV.find((n) => n.name === to.name);
  if (item && !allowed(item, session.role, session.staff?.specialty)) return { name: 'home' };
  return true;
});
