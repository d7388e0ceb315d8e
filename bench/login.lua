-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script: POST /api/auth/login with the bench account's credentials.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("LOGIN_BODY") or '{"email": "admin", "password": "admin"}'
