// SPDX-License-Identifier: GPL-3.0-or-later
// better-auth as a self-hoster would run it: its own Node HTTP handler, email and password
// sign-in, sessions in PostgreSQL (pg Pool), production mode. Rate limiting is off because
// every wrk connection comes from 127.0.0.1: with it on, get-session would measure 429s.
// The cookie cache is left at its default (off), so get-session reads the session row.
//
// usage: PG_URL=postgresql://… PORT=… node server.mjs   (prints "ready" once it listens)
import http from "node:http";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import pg from "pg";

const port = Number(process.env.PORT);
const baseURL = `http://127.0.0.1:${port}`;
const auth = betterAuth({
  baseURL,
  secret: process.env.BETTER_AUTH_SECRET ?? "bench-secret-bench-secret-bench-secret",
  database: new pg.Pool({ connectionString: process.env.PG_URL, max: 10 }),
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  trustedOrigins: [baseURL],
  telemetry: { enabled: false },
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
http.createServer(toNodeHandler(auth)).listen(port, "127.0.0.1", () => console.log("ready"));
