// SPDX-License-Identifier: GPL-3.0-or-later
// The form_post response page (OAuth 2.0 Form Post Response Mode): submits the form
// that carries the response to the application at once. Without JavaScript the person
// presses the page's Continue button instead.
'use strict';
const form = document.getElementById('response');
if (form) {
  document.getElementById('waiting').hidden = false;
  form.submit();
}
