import { createRouter, createWebHashHistory } from 'vue-router';
import { allowed, NAV } from './navigation';
import { useSessionStore } from './stores/session-store';
import HomeView from './views/HomeView.vue';
import LoginView from './views/LoginView.vue';
import PasswordView from './views/PasswordView.vue';
import PeopleView from './views/PeopleView.vue';
import StaffView from './views/StaffView.vue';

// Hash history: the same URLs work from the Electron app:// protocol, a file and the web host.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', name: 'home', component: HomeView },
    { path: '/people', name: 'people', component: PeopleView },
    { path: '/staff', name: 'staff', component: StaffView },
    { path: '/password', name: 'password', component: PasswordView },
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
  if (item && !allowed(item, session.role)) return { name: 'home' };
  return true;
});
