// The machinery of Cairn's browser tests: the server under test, the browser, named steps,
// accessibility checks (axe-core) and screenshots. `run.mjs` holds the scenario itself.
//
// Nothing here sleeps for timing: every wait is for a condition (a line on the server's
// stderr, /readyz answering, a navigation, a selector), each with a deadline.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The repository's root: this file is tests/browser/harness.mjs. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHOTS = path.join(ROOT, "target", "browser-screenshots");
export const CHROMIUM = process.env.CAIRN_CHROMIUM || "/usr/bin/chromium";
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };
const AXE_PATH = require.resolve("axe-core");
const AXE_VERSION = JSON.parse(
  readFileSync(path.join(path.dirname(AXE_PATH), "package.json"), "utf8"),
).version;

/** A failure that names what was being checked. */
export class Failed extends Error {}

export function expect(condition, message) {
  if (!condition) throw new Failed(message);
}

/** Starts `cairn serve --demo` on a fresh SQLite database in a temporary directory. */
export async function startServer(bin) {
  if (!existsSync(bin)) {
    throw new Failed(`no cairn binary at ${bin} (build it: cargo build -p cairn-cli, or set CAIRN_BIN)`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), "cairn-browser-"));
  const db = `sqlite://${path.join(dir, "b.db")}`;
  const args = ["--db", db, "serve", "--demo", "--addr", "127.0.0.1:0"];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  const server = { child, dir, log, base: "", otp: "", command: `${bin} ${args.join(" ")}` };
  const lines = (stream) => createInterface({ input: stream, crlfDelay: Infinity });
  lines(child.stdout).on("line", (l) => log.push(l));
  const seen = new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Failed("the server printed no \"cairn: serving\" line within 60 s")),
      60_000,
    );
    lines(child.stderr).on("line", (l) => {
      log.push(l);
      const otp = /^cairn: demo: one-time password for admin: (\S+)$/.exec(l);
      if (otp) server.otp = otp[1];
      const serving = /^cairn: serving (http:\/\/[^/\s]+)\//.exec(l);
      if (serving) {
        server.base = serving[1];
        clearTimeout(deadline);
        resolve();
      }
    });
    child.on("error", (e) => {
      clearTimeout(deadline);
      reject(new Failed(`cannot start ${bin}: ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(deadline);
      reject(new Failed(`the server exited (${signal ?? `status ${code}`}) before serving`));
    });
  });
  try {
    await seen;
    expect(server.otp, "the server printed no \"one-time password for admin\" line (was the database fresh?)");
    await waitReady(server.base);
  } catch (e) {
    await stopServer(server);
    e.message += `\n--- server output ---\n${log.join("\n")}`;
    throw e;
  }
  return server;
}

/** Polls /readyz until it answers 200. */
async function waitReady(base) {
  const until = Date.now() + 30_000;
  let last = "";
  for (;;) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
      last = `HTTP ${r.status}: ${(await r.text()).trim()}`;
    } catch (e) {
      last = e.cause?.message ?? e.message;
    }
    if (Date.now() > until) throw new Failed(`${base}/readyz did not answer 200 within 30 s (last: ${last})`);
    await new Promise((r) => setTimeout(r, 50)); // the interval between polls, not a timing guess
  }
}

export async function stopServer(server) {
  if (!server) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const deadline = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(deadline);
  }
  await rm(server.dir, { recursive: true, force: true });
}

/** Named steps, run in order; the first failure stops the scenario. */
export class Steps {
  constructor() {
    this.done = [];
  }

  async run(name, fn) {
    const t0 = performance.now();
    try {
      const v = await fn();
      this.done.push({ name, ok: true, ms: performance.now() - t0 });
      console.log(`ok    ${name}`);
      return v;
    } catch (e) {
      this.done.push({ name, ok: false, ms: performance.now() - t0, error: e });
      console.log(`FAIL  ${name}\n      ${e.message.split("\n").join("\n      ")}`);
      throw new StepFailed(name, e);
    }
  }
}

export class StepFailed extends Error {
  constructor(step, cause) {
    super(`step "${step}" failed: ${cause.message}`);
    this.step = step;
    this.cause = cause;
  }
}

/**
 * Accessibility and screenshots. Each page is checked with axe-core at desktop width and at
 * phone width, and saved as a full-page screenshot at both.
 */
export class Audit {
  constructor() {
    this.results = []; // {label, width, counts, serious: [...], other: [...], overflow}
    this.count = 0;
    this.injection = null; // how axe got into the pages
    this.injectionNote = "";
  }

  async prepare() {
    await rm(SHOTS, { recursive: true, force: true });
    await mkdir(SHOTS, { recursive: true });
  }

  /** Watches a page for script errors and CSP violations. */
  watch(page) {
    page._cairnProblems = [];
    page._cairnQuiet = false;
    page.on("pageerror", (e) => page._cairnProblems.push(`uncaught exception: ${e.message}`));
    page.on("console", (m) => {
      if (page._cairnQuiet || m.type() !== "error") return;
      if (/Content Security Policy/i.test(m.text())) {
        page._cairnProblems.push(`CSP violation: ${m.text()}`);
      }
    });
  }

  async inject(page) {
    if (await page.evaluate(() => typeof window.axe === "object")) return;
    if (this.injection !== "evaluate") {
      // What the brief asks first: a <script> tag with axe's source. Its inline script is
      // subject to the page's CSP (script-src 'self'), so it may be refused.
      page._cairnQuiet = true;
      let error = "";
      try {
        await page.addScriptTag({ path: AXE_PATH });
      } catch (e) {
        error = e.message.split("\n")[0];
      }
      page._cairnQuiet = false;
      if (await page.evaluate(() => typeof window.axe === "object")) {
        this.injection = "addScriptTag";
        return;
      }
      this.injection = "evaluate";
      this.injectionNote =
        "page.addScriptTag({path: require.resolve('axe-core')}) is refused by the pages' CSP " +
        `(script-src 'self'${error ? `; Playwright: ${error}` : ""}), so axe's source runs through ` +
        "page.evaluate(source) (DevTools evaluation, not subject to the page's CSP); the CSP stays on";
    }
    await page.evaluate(readFileSync(AXE_PATH, "utf8"));
    expect(
      await page.evaluate(() => typeof window.axe === "object"),
      "axe-core did not load into the page",
    );
  }

  /** Runs axe and takes screenshots at both widths; returns to desktop width. */
  async check(page, label) {
    this.count += 1;
    const n = String(this.count).padStart(2, "0");
    try {
      for (const [width, size] of [
        ["desktop", DESKTOP],
        ["phone", PHONE],
      ]) {
        await page.setViewportSize(size);
        await this.inject(page);
        const r = await page.evaluate(() =>
          window.axe.run(document, { resultTypes: ["violations"] }).then((res) =>
            res.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.map((x) => x.target.join(" ")),
            })),
          ),
        );
        const overflow = await page.evaluate(() => {
          const root = document.documentElement;
          const excess = root.scrollWidth - root.clientWidth;
          if (excess <= 0) return { excess: 0, culprits: [] };
          // The innermost elements that stick out to the right: what makes a phone scroll sideways.
          const name = (el) =>
            el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + (el.classList.length ? `.${[...el.classList].join(".")}` : "");
          const out = (el) => el.getBoundingClientRect().right > root.clientWidth + 0.5;
          const culprits = [...document.body.querySelectorAll("*")]
            .filter((el) => out(el) && ![...el.children].some(out))
            .filter((el) => el.getClientRects().length > 0)
            .slice(0, 4)
            .map((el) => `${el.parentElement ? `${name(el.parentElement)} > ` : ""}${name(el)}`);
          return { excess, culprits };
        });
        await page.screenshot({ path: path.join(SHOTS, `${n}-${label}-${width}.png`), fullPage: true });
        const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
        for (const v of r) counts[v.impact ?? "minor"] += 1;
        this.results.push({
          label,
          width,
          counts,
          serious: r.filter((v) => v.impact === "serious" || v.impact === "critical"),
          other: r.filter((v) => v.impact !== "serious" && v.impact !== "critical"),
          overflow,
        });
      }
    } finally {
      await page.setViewportSize(DESKTOP);
    }
    const problems = page._cairnProblems.splice(0);
    expect(problems.length === 0, `${label}: ${problems.join("; ")}`);
  }

  get blocking() {
    return this.results.filter((r) => r.serious.length > 0);
  }

  async screenshots() {
    return (await readdir(SHOTS).catch(() => [])).filter((f) => f.endsWith(".png")).length;
  }

  async summary() {
    const out = [];
    out.push(`Accessibility: axe-core ${AXE_VERSION}, injected with ${this.injection ?? "(never run)"}`);
    if (this.injectionNote) out.push(`  (${this.injectionNote})`);
    if (this.results.length > 0) out.push(
      `  ${"page".padEnd(26)}${"width".padEnd(9)}critical serious moderate minor  overflow  other findings`,
    );
    for (const r of this.results) {
      const c = r.counts;
      out.push(
        `  ${r.label.padEnd(26)}${r.width.padEnd(9)}${String(c.critical).padStart(8)}${String(c.serious).padStart(8)}` +
          `${String(c.moderate).padStart(9)}${String(c.minor).padStart(6)}${`${r.overflow.excess}px`.padStart(10)}  ` +
          (r.other.map((v) => `${v.id}(${v.impact})`).join(", ") || "-"),
      );
      if (r.overflow.excess > 0) out.push(`      scrolls sideways because of: ${r.overflow.culprits.join(", ")}`);
    }
    const bad = this.blocking;
    if (this.results.length === 0) {
      out.push("  axe-core checked no page.");
    } else if (bad.length === 0) {
      out.push("  No serious or critical violation on any page at either width.");
    } else {
      out.push("  Serious or critical violations:");
      for (const r of bad) {
        for (const v of r.serious) {
          out.push(`    ${r.label} (${r.width}): ${v.id} [${v.impact}] ${v.help}`);
          for (const node of v.nodes.slice(0, 5)) out.push(`      at ${node}`);
          if (v.nodes.length > 5) out.push(`      … and ${v.nodes.length - 5} more`);
        }
      }
    }
    out.push(`Screenshots: ${await this.screenshots()} full-page PNGs in ${path.relative(ROOT, SHOTS)}/`);
    return out.join("\n");
  }
}

/** Goes to a URL and checks the status of the page that ends up showing. */
export async function go(page, url, status = 200) {
  const res = await page.goto(url);
  expect(res, `no response for ${url}`);
  expect(res.status() === status, `GET ${url} answered HTTP ${res.status()}, expected ${status}`);
  return res;
}

/**
 * Clicks something that submits a form or follows a link and waits for the resulting page
 * (after redirects); checks its status.
 */
export async function submit(page, locator, status = 200) {
  const [res] = await Promise.all([page.waitForNavigation(), locator.click()]);
  expect(res, `no page after clicking ${locator}`);
  expect(
    res.status() === status,
    `${res.request().method()} ${new URL(res.url()).pathname} answered HTTP ${res.status()}, expected ${status}` +
      (res.status() >= 400 ? `: ${(await page.locator("main").innerText()).slice(0, 300)}` : ""),
  );
  return res;
}

/** The page's path and query, for comparisons. */
export function where(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

export async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, " ").trim();
}
