// SPDX-License-Identifier: GPL-3.0-or-later
// lncrawl-web (seed 004, account surface): the vendored pages and store, rendered with React and
// antd in jsdom and driven as a person would (typing into the forms, pressing the buttons); the
// app's own axios setup (store/index.ts onBeforeLift, utils/setupAxios.ts) with the API base URL
// it reads from VITE_API_BASE_URL. Codes and links come from the real SMTP sink.
import '../lib/install.mjs';
import { act, cleanup, configure, fireEvent, render, waitFor as rtlWaitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import axios from 'axios';
import { Provider, useSelector } from 'react-redux';
import { MemoryRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { EmailVerifyButton } from '../vendor/lncrawl-web/src/components/UserInfoCard/EmailVerifyButton';
import { ForgotPasswordPage } from '../vendor/lncrawl-web/src/pages/ForgotPassword';
import { LoginPage } from '../vendor/lncrawl-web/src/pages/Login';
import { ResetPasswordPage } from '../vendor/lncrawl-web/src/pages/ResetPassword';
import { SignupPage } from '../vendor/lncrawl-web/src/pages/Signup';
import { UserProfilePage } from '../vendor/lncrawl-web/src/pages/UserProfile';
import { onBeforeLift, store } from '../vendor/lncrawl-web/src/store';
import { Auth } from '../vendor/lncrawl-web/src/store/_auth';
import { done, env, expect, expectEq, nextMail, step } from '../lib/steps.mjs';

// Environment: axios through the page's fetch, as in a browser.
axios.defaults.adapter = 'fetch';
configure({ getElementError: (message) => new Error(message) }); // no DOM dumps in the output
const settle = (fn, ms = 10000) => rtlWaitFor(fn, { timeout: ms });
const user = () => Auth.select.user(store.getState());
const alertText = () => [...document.querySelectorAll('[role=alert]')].map((e) => e.textContent).join(' | ');
const messages = () => [...document.querySelectorAll('.ant-message-notice')].map((e) => e.textContent).join(' | ');
const HTTP_PHRASES = /^(Invalid body|Unauthorized|Forbidden|Not authorized|Bad Request|Oops! Something went wrong\.)$/;

let where = '';
function Where() { where = useLocation().pathname; return <div data-where={where} />; }
// The app's router (src/pages/index.tsx) only mounts the signed-in pages while signed in.
function SignedIn({ children }) {
  return useSelector(Auth.select.loggedIn) ? children : <Navigate to="/login" replace />;
}
function open(path, element) {
  cleanup();
  where = '';
  return render(
    <Provider store={store}>
      <AntApp>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={path.split('?')[0]} element={element} />
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </AntApp>
    </Provider>,
  );
}
const byPlaceholder = (text) => {
  const el = document.querySelector(`[placeholder="${text}"]`);
  expect(el, `no field "${text}" on the page (signed in: ${Boolean(Auth.select.loggedIn(store.getState()))}; buttons: ${
    [...document.querySelectorAll('button')].map((b) => b.textContent.trim()).filter(Boolean).join(', ')})`);
  return el;
};
const type = (placeholder, value) => fireEvent.change(byPlaceholder(placeholder), { target: { value } });
function button(text) {
  const b = [...document.querySelectorAll('button')].find((e) => e.textContent.trim() === text);
  expect(b, `no button "${text}" on the page`);
  return b;
}
const press = (text) => act(async () => { fireEvent.click(button(text)); });

async function loginPage(email, password) {
  open('/login', <LoginPage />);
  type('Enter email', email);
  type('Enter password', password);
  await press('Login');
}

// The app starts: persisted state, axios defaults (base URL, Accept, Content-Type).
await onBeforeLift();

await step('lncrawl: login page signs the default admin in (email "admin", password "admin")', async () => {
  await loginPage('admin', 'admin');
  await settle(() => expect(Auth.select.loggedIn(store.getState()), `not signed in; alert: ${alertText()}`));
  expectEq(user().role, 'admin', 'user.role');
});

await step('lncrawl: GET /api/auth/me (app start with the saved token) has the origin\'s user fields', async () => {
  await onBeforeLift(); // what the app runs on every load: /api/auth/me with the stored token
  const u = user();
  expectEq(u.email, 'admin', 'the default admin\'s email (seed 004)');
  for (const k of ['id', 'name', 'role', 'tier', 'extra', 'is_active', 'is_verified', 'created_at', 'updated_at'])
    expect(k in u, `user has no "${k}": ${JSON.stringify(u)}`);
  expect(u.created_at > 1e12 && u.updated_at > 1e12, `times not in ms: ${u.created_at}, ${u.updated_at}`);
  expectEq([typeof u.extra, u.is_active], ['object', true], 'extra, is_active');
});

// The profile page as a person sees it: opened, and loaded (its two requests answered, the
// referral token shown) before anything is pressed.
const shownToken = () => [...document.querySelectorAll('.ant-typography')].map((e) => e.textContent.trim())
  .find((t) => /^[1-9A-HJ-NP-Za-km-z]{10}$/.test(t));
async function profilePage() {
  open('/profile', <SignedIn><UserProfilePage /></SignedIn>);
  await settle(() => expect(shownToken(), 'the profile page shows no token'));
}

let referral;
await step('lncrawl: profile page shows the referral token (POST /api/auth/me/create-token -> result.data.token)', async () => {
  open('/profile', <SignedIn><UserProfilePage /></SignedIn>);
  referral = await settle(() => expect(shownToken(), 'no token on the page') || shownToken());
});

await step('lncrawl: the shown token verifies (GET /api/auth/verify-token)', async () => {
  expect(referral, 'no token was shown');
  const { data } = await axios.get('/api/auth/verify-token', { params: { token: referral } });
  expectEq(data, true, 'verify-token');
});

// Signing up needs a referral token; if the page could not show one, take the one the API
// answered in whichever shape, so the signup steps still test signup.
const referrer = referral || await axios.post('/api/auth/me/create-token').then(({ data }) => data.token || data);
const ada = { name: 'Ada Lovelace', email: 'ada@example.test', password: 'analytical engine' };

async function signupPage(form) {
  open('/signup', <SignupPage />);
  type('Enter full name', form.name);
  type('Enter email', form.email);
  type('New password', form.password);
  type('Enter referrer token', form.referrer);
  await act(async () => { fireEvent.click(document.querySelector('input[type=checkbox]')); });
  await press('Register');
}

await step('lncrawl: signup with a short password shows the reason (stringifyError), not "Invalid body"', async () => {
  store.dispatch(Auth.action.logout());
  await signupPage({ ...ada, password: 'short7c', referrer });
  await settle(() => expect(alertText(), 'no alert'));
  const text = alertText();
  expect(!HTTP_PHRASES.test(text.trim()), `the page shows "${text}"`);
  expect(/8/.test(text) && /password/i.test(text), `the reason is not shown: "${text}"`);
});

await step('lncrawl: signup with the referral token signs the new user in', async () => {
  await signupPage({ ...ada, referrer });
  await settle(() => expect(user()?.email === ada.email, `not signed in; alert: ${alertText()}`));
});

await step('lncrawl: a wrong password on the login page shows the reason', async () => {
  store.dispatch(Auth.action.logout());
  await loginPage(ada.email, 'not the password');
  await settle(() => expect(alertText(), 'no alert'));
  const text = alertText();
  expect(!HTTP_PHRASES.test(text.trim()), `the page shows "${text}"`);
  expect(/password/i.test(text), `the reason is not shown: "${text}"`);
});

await step('lncrawl: login page signs the new user in', async () => {
  await loginPage(ada.email, ada.password);
  await settle(() => expect(user()?.email === ada.email, `not signed in; alert: ${alertText()}`));
});

await step('lncrawl: email verification (Verify Email -> code from the mail -> verified)', async () => {
  open('/verify', <SignedIn><EmailVerifyButton /></SignedIn>);
  await press('Verify Email');
  const mail = await nextMail(ada.email);
  const code = (mail.body.match(/\b\d{6}\b/) || [])[0];
  expect(code, 'no code in the mail');
  const otp = await settle(() => document.querySelector('.ant-otp input'));
  await act(async () => { fireEvent.input(otp, { target: { value: code } }); });
  await settle(() => expect(!button('Verify').disabled, 'Verify stays disabled'));
  await press('Verify');
  await settle(() => expect(Auth.select.isVerified(store.getState()), `not verified; ${messages()}`));
  await onBeforeLift();
  expectEq(user().is_verified, true, 'is_verified from /api/auth/me');
});

await step('lncrawl: profile page changes the name (PUT /api/auth/me/name)', async () => {
  await profilePage();
  await press('Edit');
  await settle(() => byPlaceholder('Your display name'));
  type('Your display name', 'Augusta Ada King');
  await press('Save');
  await settle(() => expect(/Name updated/.test(messages()), `no success message: ${messages()}`));
  await settle(() => expect(user().name === 'Augusta Ada King', `name in the store: ${user().name}`));
});

await step('lncrawl: profile page changes the password (PUT /api/auth/me/password)', async () => {
  await profilePage();
  await press('Change Password');
  await settle(() => byPlaceholder('Current password'));
  type('Current password', ada.password);
  type('New password', 'difference engine');
  await press('Update Password');
  await settle(() => expect(/Password changed/.test(messages()), `no success message: ${messages()}`));
  ada.password = 'difference engine';
  const { status } = await axios.post('/api/auth/login', { email: ada.email, password: ada.password });
  expectEq(status, 200, 'login with the new password');
});

await step('lncrawl: API tokens: create, list (POST /api/auth/me/tokens), verify (seed calls; no page for them)', async () => {
  const { data: made } = await axios.post('/api/auth/me/create-token');
  const token = made.token || made;
  const { data: list } = await axios.post('/api/auth/me/tokens');
  expect(Array.isArray(list) && list.some((t) => t.token === token && t.user_id === user().id && t.expires_at > Date.now()),
    `token list: ${JSON.stringify(list)}`);
  expectEq((await axios.get('/api/auth/verify-token', { params: { token } })).data, true, 'verify-token');
  expectEq((await axios.get('/api/auth/verify-token', { params: { token: '1111111111' } })).data, false, 'unknown token');
});

let resetLink;
await step('lncrawl: forgot-password page sends the reset link by mail', async () => {
  store.dispatch(Auth.action.logout());
  open('/forgot-password', <ForgotPasswordPage />);
  type('Enter email', ada.email);
  await press('Send Reset Link');
  await settle(() => expect(/check your email/.test(alertText()), `alert: ${alertText()}`));
  const mail = await nextMail(ada.email);
  resetLink = (mail.body.match(/https?:\/\/\S+\/reset-password\?token=[^\s"<>]+/) || [])[0];
  expect(resetLink, `no reset link in the mail: ${mail.body.slice(0, 300)}`);
});

await step('lncrawl: reset page shows the account (GET /api/auth/me with the reset token) and resets', async () => {
  expect(resetLink, 'no link');
  const { pathname, search } = new URL(resetLink);
  open(pathname + search, <ResetPasswordPage />);
  await settle(() => expect(document.querySelector('[placeholder="New password"]') || where,
    'page still loading'));
  expect(!where, `the page sent the person to ${where}`);
  expectEq(byPlaceholder('Enter email').value, ada.email, 'the email shown');
  type('New password', 'jacquard loom cards');
  await press('Reset Password');
  await settle(() => expect(where === '/login', `still on the reset page; alert: ${alertText()}`));
  ada.password = 'jacquard loom cards';
  await loginPage(ada.email, ada.password);
  await settle(() => expect(user()?.email === ada.email, `new password refused; alert: ${alertText()}`));
});

await step('lncrawl: profile Delete button deactivates the account (DELETE /api/auth/me)', async () => {
  if (!Auth.select.loggedIn(store.getState())) {
    await loginPage(ada.email, ada.password);
    await settle(() => expect(user()?.email === ada.email, `cannot sign in; alert: ${alertText()}`));
  }
  await profilePage();
  await press('Delete my account');
  await settle(() => button('Yes, delete my account'));
  await press('Yes, delete my account');
  await settle(() => expect(!Auth.select.loggedIn(store.getState()), `still signed in; ${messages()}`));
  await settle(() => expect(/deleted/.test(messages()), `message: ${messages()}`));
  await loginPage(ada.email, ada.password);
  await settle(() => expect(alertText(), 'no alert'));
  expect(!Auth.select.loggedIn(store.getState()), 'the deleted account still signs in');
  expect(!HTTP_PHRASES.test(alertText().trim()), `the page shows "${alertText()}"`);
});

cleanup();
done('lncrawl');
