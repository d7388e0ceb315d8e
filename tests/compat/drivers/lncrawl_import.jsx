// SPDX-License-Identifier: GPL-3.0-or-later
// lncrawl-web after `gatehouse import lncrawl` (tests/e2e/import_e2e.sh): people created in a
// lightnovel-crawler database sign in through the vendored login page with their original
// passwords and keep their role, tier and name; an API token they had there still verifies and
// still works as a signup referrer on the vendored signup page. COMPAT_ENV: base, users
// [{email, password, name, role, tier, token?}], inactive {email, password}.
import '../lib/install.mjs';
import { act, cleanup, configure, fireEvent, render, waitFor as rtlWaitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import axios from 'axios';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { LoginPage } from '../vendor/lncrawl-web/src/pages/Login';
import { SignupPage } from '../vendor/lncrawl-web/src/pages/Signup';
import { onBeforeLift, store } from '../vendor/lncrawl-web/src/store';
import { Auth } from '../vendor/lncrawl-web/src/store/_auth';
import { done, env, expect, expectEq, step } from '../lib/steps.mjs';

axios.defaults.adapter = 'fetch';
configure({ getElementError: (message) => new Error(message) });
const settle = (fn, ms = 15000) => rtlWaitFor(fn, { timeout: ms });
const user = () => Auth.select.user(store.getState());
const loggedIn = () => Boolean(Auth.select.loggedIn(store.getState()));
const alertText = () => [...document.querySelectorAll('[role=alert]')].map((e) => e.textContent).join(' | ');

function open(path, element) {
  cleanup();
  return render(
    <Provider store={store}>
      <AntApp>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={path} element={element} />
            <Route path="*" element={<div />} />
          </Routes>
        </MemoryRouter>
      </AntApp>
    </Provider>,
  );
}
const type = (placeholder, value) => {
  const el = document.querySelector(`[placeholder="${placeholder}"]`);
  expect(el, `no field "${placeholder}" on the page`);
  fireEvent.change(el, { target: { value } });
};
const press = (text) => act(async () => {
  const b = [...document.querySelectorAll('button')].find((e) => e.textContent.trim() === text);
  expect(b, `no button "${text}" on the page`);
  fireEvent.click(b);
});
const signOut = () => act(async () => { store.dispatch(Auth.action.logout()); });

async function loginPage(email, password) {
  open('/login', <LoginPage />);
  type('Enter email', email);
  type('Enter password', password);
  await press('Login');
}

await onBeforeLift();

for (const u of env.users) {
  await step(`lncrawl import: ${u.email} signs in on the login page with the original password`, async () => {
    await signOut();
    await loginPage(u.email, u.password);
    await settle(() => expect(loggedIn(), `not signed in; alert: ${alertText()}`));
  });
  await step(`lncrawl import: ${u.email} keeps role ${u.role}, tier ${u.tier}, name and verified flag`, async () => {
    const { data } = await axios.get('/api/auth/me');
    expectEq(user().role, u.role, 'user.role (store)');
    expectEq(data.role, u.role, 'role');
    expectEq(data.tier, u.tier, 'tier');
    expectEq(data.name, u.name, 'name');
    expectEq(data.email, u.email, 'email');
    expectEq(data.is_verified, u.verified, 'is_verified');
    expectEq(data.is_admin, u.role === 'admin', 'is_admin');
  });
  if (u.token) {
    await step(`lncrawl import: ${u.email}'s API token verifies and is listed (POST /api/auth/me/tokens)`, async () => {
      expectEq((await axios.get('/api/auth/verify-token', { params: { token: u.token } })).data, true, 'verify-token');
      const { data } = await axios.post('/api/auth/me/tokens');
      const tokens = (Array.isArray(data) ? data : data.items || []).map((t) => t.token || t);
      expect(tokens.includes(u.token), `imported token not in ${JSON.stringify(data)}`);
    });
  }
}

await step('lncrawl import: a wrong password is refused on the login page', async () => {
  await signOut();
  await loginPage(env.users[0].email, env.users[0].password + 'x');
  await settle(() => expect(alertText().length > 0, 'no alert shown'));
  expect(!loggedIn(), 'signed in with a wrong password');
});

await step('lncrawl import: an account inactive at the origin is refused', async () => {
  await signOut();
  const r = await axios.post('/api/auth/login', env.inactive, { validateStatus: () => true });
  expectEq(r.status, 403, 'status');
});

const referrer = env.users.find((u) => u.token);
await step('lncrawl import: the signup page accepts an imported API token as referrer', async () => {
  await signOut();
  open('/signup', <SignupPage />);
  type('Enter full name', 'New Reader');
  type('Enter email', 'new.reader@example.test');
  type('New password', 'a fresh password 1');
  type('Enter referrer token', referrer.token);
  await act(async () => { fireEvent.click(document.querySelector('input[type=checkbox]')); });
  await press('Register');
  await settle(() => expect(loggedIn(), `not signed up; alert: ${alertText()}`));
  const { data } = await axios.get('/api/auth/me');
  expectEq(data.referrer_id, referrer.id, 'referrer_id');
});

done('lncrawl import');
