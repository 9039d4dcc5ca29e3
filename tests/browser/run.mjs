// Cairn in a real browser: headless Chromium (Debian's /usr/bin/chromium, never a download)
// driven by playwright-core, against `cairn serve --demo` on a fresh database.
//
//   npm ci --prefix tests/browser
//   cargo build -p cairn-cli
//   node tests/browser/run.mjs            # CAIRN_BIN=path/to/cairn to test another binary
//
// Walks what a mission's staff do — sign in with the one-time password and choose one's own,
// read the Mali strategy, edit a justification, read the history and the diff, lose a race to
// a colleague and save on top, import a document and read its findings, search, manage users,
// read the audit log, sign out — and checks every page with axe-core at desktop and phone
// width (no serious or critical violation allowed), saving full-page screenshots under
// target/browser-screenshots/. Exits 1 naming the step that failed.

import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

import {
  Audit,
  CHROMIUM,
  DESKTOP,
  ROOT,
  Steps,
  StepFailed,
  expect,
  go,
  startServer,
  stopServer,
  submit,
  text,
  where,
} from "./harness.mjs";

const BIN = process.env.CAIRN_BIN ? path.resolve(process.env.CAIRN_BIN) : path.join(ROOT, "target", "debug", "cairn");
const ADMIN_PASSWORD = "cairn browser admin passphrase";
const EDITOR_PASSWORD = "cairn browser editor passphrase";
const EDIT_SENTENCE = "The Mission will follow the electoral calendar closely.";
const FROM_A = "Admin adds this sentence first.";
const FROM_B = "The editor adds this other sentence.";

const steps = new Steps();
const audit = new Audit();
let server;
let browser;

async function scenario() {
  await audit.prepare();
  server = await steps.run("start cairn serve --demo and wait for /readyz", async () => {
    const s = await startServer(BIN);
    console.log(`      ${s.base} (${s.command})`);
    return s;
  });
  const base = server.base;

  browser = await steps.run(`launch headless ${CHROMIUM}`, () =>
    chromium.launch({ executablePath: CHROMIUM, headless: true }),
  );
  const newPage = async () => {
    const context = await browser.newContext({ baseURL: base, viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    audit.watch(page);
    return page;
  };
  const a = await newPage(); // the demo admin
  const main = a.locator("main");

  await steps.run("home page, signed out", async () => {
    await go(a, "/");
    expect(await a.getByRole("link", { name: "Sign in" }).isVisible(), "no Sign in link in the header");
    expect(
      await main.getByRole("link", { name: "Mali", exact: true }).isVisible(),
      "the public Mali strategy is not listed",
    );
    await audit.check(a, "home-signed-out");
  });

  await steps.run("404 page", async () => {
    await go(a, "/no-such-page", 404);
    expect((await text(a.locator("h1"))) === "Not Found", "the 404 page's heading is not \"Not Found\"");
    expect(
      (await text(main.getByRole("alert"))).includes("There is no page at /no-such-page"),
      "the 404 page does not say which page is missing",
    );
    await audit.check(a, "404");
  });

  await steps.run("sign in: a wrong password is refused", async () => {
    await go(a, "/sign-in");
    await audit.check(a, "sign-in");
    await a.getByLabel("User name").fill("admin");
    await a.getByLabel("Password").fill("not the password at all");
    await submit(a, main.getByRole("button", { name: "Sign in" }), 401);
    expect(
      (await text(main.getByRole("alert"))).includes("Wrong user name or password"),
      "no message after a wrong password",
    );
    await audit.check(a, "sign-in-refused");
  });

  await steps.run("sign in with the one-time password: the password change is forced", async () => {
    await a.getByLabel("User name").fill("admin");
    await a.getByLabel("Password").fill(server.otp);
    await submit(a, main.getByRole("button", { name: "Sign in" }));
    expect(where(a) === "/account/password", `signed in, landed on ${where(a)}, not /account/password`);
    expect(
      (await text(main)).includes("You signed in with a one-time password"),
      "the password page does not say why it is shown",
    );
    await audit.check(a, "password-change");
    await go(a, "/import");
    expect(where(a) === "/account/password", `with a one-time password, /import showed ${where(a)}`);
  });

  await steps.run("choose a new password", async () => {
    await a.getByLabel("Current password").fill(server.otp);
    await a.getByLabel("New password", { exact: true }).fill(ADMIN_PASSWORD);
    await a.getByLabel("New password again").fill(ADMIN_PASSWORD);
    await submit(a, main.getByRole("button", { name: "Change the password" }));
    expect(
      (await text(main.getByRole("status"))).includes("Your password is changed"),
      "no confirmation of the changed password",
    );
    // The new session's header: its sign-out form carries the new CSRF token.
    const header = await text(a.locator("header"));
    expect(header.includes("admin (admin)"), `after the change the header does not name the user: ${header}`);
    expect(
      (await a.locator("header form[action='/sign-out'] input[name=csrf]").getAttribute("value")) !== "",
      "the sign-out form after a password change has no CSRF token",
    );
    await audit.check(a, "password-changed");
  });

  await steps.run("a signed-in user's 404 page keeps their header", async () => {
    await go(a, "/still-no-such-page", 404);
    const header = await text(a.locator("header"));
    expect(header.includes("admin (admin)"), `the error page forgot who is signed in: ${header}`);
  });

  await steps.run("home page, signed in as admin", async () => {
    await go(a, "/");
    const header = await text(a.locator("header"));
    expect(header.includes("admin (admin)"), `the header does not name the user: ${header}`);
    for (const link of ["Import", "Users", "Audit log"]) {
      expect(await a.getByRole("link", { name: link, exact: true }).isVisible(), `no ${link} link in the header`);
    }
    await audit.check(a, "home");
  });

  await steps.run("open the Mali strategy", async () => {
    await submit(a, main.getByRole("link", { name: "Mali", exact: true }));
    expect(where(a) === "/missions/mali", `the Mali link led to ${where(a)}`);
    expect(
      (await text(a.locator("h1"))) === "MALI: Integrated Country Strategy" ||
        (await text(a.locator("h1"))).toLowerCase() === "mali: integrated country strategy",
      `unexpected heading: ${await text(a.locator("h1"))}`,
    );
    expect((await text(main.locator(".meta").first())).startsWith("Revision 1"), "not at revision 1");
    expect(
      (await text(a.locator('[id="objective-1.1"]'))).includes("After two government overthrows"),
      "Objective 1.1's justification is not shown",
    );
    await audit.check(a, "strategy");
  });

  let original = "";
  await steps.run("edit the justification of Objective 1.1 with a revision message", async () => {
    await submit(a, main.getByRole("link", { name: "Edit the Justification of Objective 1.1", exact: true }));
    expect(
      where(a) === "/missions/mali/edit?node=objective:1.1&field=justification&rev=1",
      `the edit link led to ${where(a)}`,
    );
    expect(
      (await text(a.locator("h1"))) === "Edit the justification of Objective 1.1",
      `unexpected heading: ${await text(a.locator("h1"))}`,
    );
    const box = a.getByLabel("Text", { exact: true });
    original = await box.inputValue();
    expect(original.startsWith("After two government overthrows"), `the form holds: ${original.slice(0, 80)}`);
    await audit.check(a, "edit");
    await box.fill(`${original} ${EDIT_SENTENCE}`);
    await a.getByLabel("Revision message").fill("Browser test: follow the electoral calendar");
    await submit(a, main.getByRole("button", { name: "Save as a new revision" }));
    expect(new URL(a.url()).pathname === "/missions/mali", `after saving: ${a.url()}`);
    expect(new URL(a.url()).hash === "#objective-1.1", `after saving, not at Objective 1.1: ${a.url()}`);
    expect((await text(main.locator(".meta").first())).startsWith("Revision 2"), "the strategy is not at revision 2");
    expect(
      (await text(a.locator('[id="objective-1.1"]'))).includes(EDIT_SENTENCE),
      "the edited justification is not shown",
    );
  });

  await steps.run("history shows the new revision", async () => {
    await submit(a, main.getByRole("link", { name: "History", exact: true }));
    expect(where(a) === "/missions/mali/history", `the History link led to ${where(a)}`);
    const first = (await a.locator("tbody tr").first().locator("td").allInnerTexts()).map((s) => s.trim());
    expect(first[0] === "2", `the newest row is revision ${first[0]}`);
    expect(first[2] === "admin", `revision 2 is by ${first[2]}`);
    expect(first[3] === "Browser test: follow the electoral calendar", `revision 2's message: ${first[3]}`);
    expect((await a.locator("tbody tr").count()) === 2, "the history does not list 2 revisions");
    await audit.check(a, "history");
  });

  await steps.run("the diff page shows the change", async () => {
    await submit(a, main.getByRole("link", { name: "Compare with 1" }));
    expect(where(a) === "/missions/mali/diff?from=1&to=2", `the compare link led to ${where(a)}`);
    const headings = await main.locator("h2").allInnerTexts();
    expect(
      headings.some((h) => /^Objective 1\.1, justification$/i.test(h.trim())),
      `no "Objective 1.1, justification" section: ${headings.join(" | ")}`,
    );
    const inserted = (await main.locator("ins").allInnerTexts()).join(" ");
    expect(inserted.includes("electoral calendar"), `the inserted words are: ${inserted}`);
    expect(
      (await text(main.locator(".side-by-side > div").nth(1))).includes(EDIT_SENTENCE),
      "revision 2's text is not shown",
    );
    expect((await main.locator("del").count()) === 1, "words are marked removed, but the edit only added some"); // one <del>: the legend
    await audit.check(a, "diff");
  });

  await steps.run("import: the form", async () => {
    await submit(a, a.getByRole("link", { name: "Import", exact: true }));
    expect(where(a) === "/import", `the Import link led to ${where(a)}`);
    await audit.check(a, "import");
  });

  await steps.run("import: upload a modified Mali copy, preview lists the check findings", async () => {
    const sample = readFileSync(path.join(ROOT, "samples", "mali-ics-2022.txt"), "utf8");
    const copy = sample.replace("it is imperative that Mali's", "it is essential that Mali's");
    expect(copy !== sample, "the sample no longer holds the phrase the copy changes");
    await a.getByLabel("File").setInputFiles({
      name: "mali-draft.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(copy, "utf8"),
    });
    // cairn.js shows the chosen file's text in the text box.
    await a.waitForFunction(() => document.getElementById("import-text").value.length > 0);
    expect(
      (await a.getByLabel("Or the text").inputValue()).includes("it is essential that"),
      "the text box does not show the chosen file",
    );
    await a.getByLabel("Mission short name").fill("mali-draft");
    await a.getByLabel("Revision message").fill("Browser test: a draft copy");
    await submit(a, main.getByRole("button", { name: "Check the document" }));
    expect((await text(a.locator("h1"))) === "Check before saving", `not the preview: ${await text(a.locator("h1"))}`);
    expect((await text(main.locator("p").first())).includes("a new mission"), "the preview does not say \"a new mission\"");
    const rows = main.locator("table.diagnostics tbody tr");
    expect((await rows.count()) === 3, `${await rows.count()} findings, expected 3`);
    for (let i = 0; i < 3; i++) {
      const cells = (await rows.nth(i).locator("td").allInnerTexts()).map((s) => s.trim());
      expect(cells[0] === "warning" && cells[2] === "title-mismatch", `finding ${i + 1}: ${cells.join(" | ")}`);
    }
    await audit.check(a, "import-preview");
  });

  await steps.run("import: Save creates the mission", async () => {
    await submit(a, main.getByRole("button", { name: "Save as a new mission" }));
    expect(where(a) === "/missions/mali-draft", `after saving: ${where(a)}`);
    const meta = await text(main.locator(".meta").first());
    expect(meta.startsWith("Revision 1") && meta.includes("Browser test: a draft copy"), `meta: ${meta}`);
    expect(
      (await text(a.locator('[id="objective-1.1"]'))).includes("it is essential that"),
      "the imported text is not shown",
    );
  });

  await steps.run("search from the header box: results grouped by mission, words marked", async () => {
    await a.getByRole("searchbox", { name: "Search strategies" }).fill("transparent elections");
    await Promise.all([a.waitForNavigation(), a.getByRole("searchbox", { name: "Search strategies" }).press("Enter")]);
    expect(where(a) === "/search?q=transparent+elections", `the search box led to ${where(a)}`);
    expect(/^\d+ matching blocks?\.$/.test(await text(main.getByRole("status"))), "no result count");
    const groups = main.locator("h2");
    const lists = main.locator("ul.hits");
    expect((await groups.count()) === (await lists.count()), "a group without its list, or the reverse");
    const missions = [];
    for (let i = 0; i < (await lists.count()); i++) {
      const hrefs = await lists.nth(i).locator("a").evaluateAll((as) => as.map((x) => x.getAttribute("href")));
      const slugs = new Set(hrefs.map((h) => /^\/missions\/([^/#]+)#/.exec(h)?.[1]));
      expect(slugs.size === 1 && !slugs.has(undefined), `group ${i + 1} mixes missions: ${hrefs.join(" ")}`);
      missions.push([...slugs][0]);
    }
    expect(
      missions.length === 2 && missions.includes("mali") && missions.includes("mali-draft"),
      `groups: ${missions.join(", ")}; expected mali and mali-draft`,
    );
    const headings = (await groups.allInnerTexts()).map((h) => h.trim());
    expect(new Set(headings).size === headings.length, `two groups share a heading: ${headings.join(" | ")}`);
    const marks = (await main.locator("ul.hits mark").allInnerTexts()).map((m) => m.trim().toLowerCase());
    expect(marks.length >= 4, `${marks.length} highlighted words`);
    // The search stems words, so "elected" matches "elections".
    expect(
      marks.every((m) => /^(transparen|elect)/.test(m)),
      `highlighted: ${[...new Set(marks)].join(", ")}`,
    );
    expect(marks.includes("transparent") && marks.includes("elections"), `highlighted: ${[...new Set(marks)].join(", ")}`);
    await audit.check(a, "search");
  });

  let editorOtp = "";
  await steps.run("users: the page", async () => {
    await submit(a, a.getByRole("link", { name: "Users", exact: true }));
    expect(where(a) === "/users", `the Users link led to ${where(a)}`);
    await audit.check(a, "users");
  });

  await steps.run("users: add a user, the one-time password is shown", async () => {
    await main.getByLabel("User name").fill("editor1");
    await main.getByLabel("Role", { exact: true }).selectOption("viewer");
    await submit(a, main.getByRole("button", { name: "Add the user" }));
    expect(
      (await text(main.locator(".alert.success"))) === "Added editor1 as viewer.",
      `notice: ${await text(main.locator(".alert.success"))}`,
    );
    editorOtp = (await text(main.locator(".otp"))).trim();
    expect(/^\S{8,}$/.test(editorOtp), `the one-time password looks wrong: "${editorOtp}"`);
    expect(
      (await text(main.locator(".alert.warning"))).includes("One-time password for editor1"),
      "the one-time password is not said to be for editor1",
    );
    await audit.check(a, "users-added");
  });

  await steps.run("users: change a role", async () => {
    await main.getByLabel("Role of editor1").selectOption("editor");
    await submit(a, main.getByRole("button", { name: "Set role of editor1" }));
    expect(
      (await text(main.locator(".alert.success"))) === "editor1 is now editor.",
      `notice: ${await text(main.locator(".alert.success"))}`,
    );
    expect((await main.getByLabel("Role of editor1").inputValue()) === "editor", "the role did not change");
  });

  const b = await newPage(); // a second session: the new editor
  const mainB = b.locator("main");
  await steps.run("second browser context: the new user signs in and chooses a password", async () => {
    await go(b, "/sign-in");
    await b.getByLabel("User name").fill("editor1");
    await b.getByLabel("Password").fill(editorOtp);
    await submit(b, mainB.getByRole("button", { name: "Sign in" }));
    expect(where(b) === "/account/password", `signed in, landed on ${where(b)}`);
    await b.getByLabel("Current password").fill(editorOtp);
    await b.getByLabel("New password", { exact: true }).fill(EDITOR_PASSWORD);
    await b.getByLabel("New password again").fill(EDITOR_PASSWORD);
    await submit(b, mainB.getByRole("button", { name: "Change the password" }));
    expect((await text(mainB.getByRole("status"))).includes("Your password is changed"), "no confirmation");
  });

  let current = "";
  await steps.run("conflict: both sessions open the same field at revision 2", async () => {
    for (const p of [a, b]) {
      await go(p, "/missions/mali");
      await submit(p, p.locator("main").getByRole("link", { name: "Edit the Justification of Objective 1.1", exact: true }));
      expect(
        where(p) === "/missions/mali/edit?node=objective:1.1&field=justification&rev=2",
        `the edit link led to ${where(p)}`,
      );
    }
    current = await a.getByLabel("Text", { exact: true }).inputValue();
    expect(current === `${original} ${EDIT_SENTENCE}`, "the form does not hold revision 2's text");
  });

  await steps.run("conflict: the first save wins", async () => {
    await a.getByLabel("Text", { exact: true }).fill(`${current} ${FROM_A}`);
    await a.getByLabel("Revision message").fill("Browser test: admin's sentence");
    await submit(a, main.getByRole("button", { name: "Save as a new revision" }));
    expect((await text(main.locator(".meta").first())).startsWith("Revision 3"), "the strategy is not at revision 3");
  });

  await steps.run("conflict: the second save gets the conflict page (HTTP 409) with both versions", async () => {
    await b.getByLabel("Text", { exact: true }).fill(`${current} ${FROM_B}`);
    await b.getByLabel("Revision message").fill("Browser test: the editor's sentence");
    await submit(b, mainB.getByRole("button", { name: "Save as a new revision" }), 409);
    expect((await text(b.locator("h1"))) === "Someone saved first", `heading: ${await text(b.locator("h1"))}`);
    const alert = await text(mainB.getByRole("alert"));
    expect(alert.includes("from revision 2") && alert.includes("now at revision 3"), `alert: ${alert}`);
    const since = (await mainB.locator("tbody tr").first().locator("td").allInnerTexts()).map((s) => s.trim());
    expect(since[0] === "3" && since[2] === "admin", `saved since: ${since.join(" | ")}`);
    const theirs = await text(mainB.locator(".side-by-side > div").nth(0));
    const yours = await text(mainB.locator(".side-by-side > div").nth(1));
    expect(theirs.startsWith("Their version (revision 3)") && theirs.includes(FROM_A), `theirs: ${theirs}`);
    expect(yours.startsWith("Your version") && yours.includes(FROM_B) && !yours.includes(FROM_A), `yours: ${yours}`);
    const del = (await mainB.locator("del").allInnerTexts()).join(" ");
    const ins = (await mainB.locator("ins").allInnerTexts()).join(" ");
    expect(del.includes("Admin") && ins.includes("editor"), `word diff: removed "${del}", added "${ins}"`);
    await audit.check(b, "conflict");
  });

  await steps.run("conflict: \"save mine on top\" stores revision 4", async () => {
    await submit(b, mainB.getByRole("button", { name: "Save mine on top of revision 3" }));
    expect(new URL(b.url()).pathname === "/missions/mali", `after saving: ${b.url()}`);
    expect((await text(mainB.locator(".meta").first())).startsWith("Revision 4"), "the strategy is not at revision 4");
    const shown = await text(b.locator('[id="objective-1.1"]'));
    expect(shown.includes(FROM_B) && !shown.includes(FROM_A), "revision 4 does not hold the editor's text");
    await go(b, "/missions/mali/history");
    const first = (await b.locator("tbody tr").first().locator("td").allInnerTexts()).map((s) => s.trim());
    expect(first[0] === "4" && first[2] === "editor1", `newest revision: ${first.join(" | ")}`);
  });

  await steps.run("an editor is refused the users page (403)", async () => {
    await go(b, "/users", 403);
    expect((await text(b.locator("header"))).includes("editor1"), "the 403 page forgot who is signed in");
    expect((await text(b.locator("h1"))) === "Forbidden", `heading: ${await text(b.locator("h1"))}`);
    await audit.check(b, "forbidden");
  });

  await steps.run("restore an earlier revision from the history", async () => {
    await go(b, "/missions/mali/history");
    b.once("dialog", (d) => d.accept()); // the button asks first (static/cairn.js)
    await submit(b, b.getByRole("button", { name: "Restore revision 1" }));
    expect(where(b) === "/missions/mali/history", `restoring led to ${where(b)}`);
    const first = (await b.locator("tbody tr").first().locator("td").allInnerTexts()).map((s) => s.trim());
    expect(
      first[0] === "5" && first[2] === "editor1" && first[3] === "revert to revision 1",
      `newest revision after restoring: ${first.join(" | ")}`,
    );
    await go(b, "/missions/mali");
    const shown = await text(b.locator('[id="objective-1.1"]'));
    expect(!shown.includes(FROM_B), "the restored revision still shows the later text");
    await audit.check(b, "history-editor");
  });

  await steps.run("monitoring: the strategy view links to the status, which rates every element", async () => {
    await go(a, "/missions/mali");
    expect(await main.locator(".status-line").count() > 0, "the strategy view shows no element ratings");
    await submit(a, main.getByRole("link", { name: "Indicators and ratings", exact: true }));
    expect(where(a) === "/missions/mali/indicators", `the status link led to ${where(a)}`);
    expect((await text(a.locator("h1"))).startsWith("Status of mali, FY"), `heading: ${await text(a.locator("h1"))}`);
    const desc = await a.locator("figure.chart svg desc").textContent();
    expect(desc.includes("Mission rating for FY"), `the status chart has no text equivalent: ${desc}`);
    expect((await text(main)).includes("Illustrative: "), "demo indicators are not labelled illustrative");
    expect(
      await main.getByRole("table", { name: "Milestones of Objective 1.1" }).isVisible(),
      "Objective 1.1's milestones are not shown",
    );
    await audit.check(a, "status");
  });

  await steps.run("monitoring: an indicator's page has its chart, figures and history", async () => {
    await go(a, "/missions/mali/indicators?fy=2023");
    await submit(a, main.getByRole("link", { name: "EG.3.2-27", exact: true }));
    expect(where(a) === "/missions/mali/indicators/EG.3.2-27", `the indicator link led to ${where(a)}`);
    expect((await text(main.locator(".illustrative"))).includes("Illustrative"), "no illustrative notice");
    const desc = await a.locator("figure.chart svg desc").textContent();
    expect(desc.length > 40, `the indicator chart has no text equivalent: ${desc}`);
    await audit.check(a, "indicator");
  });

  await steps.run("monitoring: the entry form refuses a bad value beside its field and saves a good one", async () => {
    await go(a, "/missions/mali/data?period=FY2025");
    await audit.check(a, "data-entry");
    const actual = a.getByLabel("Actual of EG.3.2-27", { exact: true });
    await a.getByLabel("Target of EG.3.2-27", { exact: true }).fill("500");
    await actual.fill("1 000");
    await submit(a, main.getByRole("button", { name: "Save", exact: true }), 422);
    expect((await actual.getAttribute("aria-invalid")) === "true", "the bad field is not marked invalid");
    expect((await text(main.getByRole("alert"))).includes("Nothing was saved"), "no error summary");
    await audit.check(a, "data-entry-errors");
    await actual.fill("1000");
    await a.getByLabel("Why (kept with every correction)").fill("Browser test: FY2025 figures");
    await submit(a, main.getByRole("button", { name: "Save", exact: true }));
    expect(where(a).startsWith("/missions/mali/indicators"), `after saving: ${where(a)}`);
    expect((await text(main.getByRole("status"))).includes("2 value(s) saved"), "no confirmation of the saved values");
  });

  await steps.run("monitoring: a CSV upload lists every bad row and saves nothing", async () => {
    await go(a, "/missions/mali/upload");
    await audit.check(a, "upload");
    await a.getByLabel("CSV file").setInputFiles({
      name: "data.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("mission,indicator,period,kind,value\nmali,EG.3.2-27,FY2026,target,lots\n"),
    });
    await submit(a, main.getByRole("button", { name: "Upload", exact: true }), 422);
    const alert = await text(main.getByRole("alert"));
    expect(alert.includes("Nothing was saved: 1 error(s)") && alert.includes("lots"), `upload errors: ${alert}`);
    await audit.check(a, "upload-errors");
  });

  await steps.run("audit log", async () => {
    await submit(a, a.getByRole("link", { name: "Audit log", exact: true }));
    expect(where(a) === "/audit", `the Audit log link led to ${where(a)}`);
    const verdict = await text(main.getByRole("status"));
    expect(verdict.startsWith("The chain of") && verdict.includes("is intact"), `verdict: ${verdict}`);
    const actors = new Set(await main.locator("tbody tr td:nth-child(3)").allInnerTexts());
    expect(actors.has("admin") && actors.has("editor1"), `actors: ${[...actors].join(", ")}`);
    const n = Number(/chain of (\d+) entries/.exec(verdict)?.[1]);
    expect(n === (await main.locator("tbody tr").count()), `the verdict counts ${n} entries, the table shows another number`);
    await audit.check(a, "audit");
  });

  await steps.run("sign out", async () => {
    for (const p of [a, b]) {
      await go(p, "/");
      await submit(p, p.getByRole("button", { name: "Sign out" }));
      expect(where(p) === "/", `signing out led to ${where(p)}`);
      expect(await p.getByRole("link", { name: "Sign in" }).isVisible(), "no Sign in link after signing out");
    }
    await go(a, "/users");
    expect(where(a) === "/sign-in?next=%2Fusers", `after signing out, /users showed ${where(a)}`);
  });
}

let failure = null;
try {
  await scenario();
} catch (e) {
  failure = e;
} finally {
  await browser?.close().catch(() => {});
  await stopServer(server).catch(() => {});
}

console.log("\nSteps:");
for (const s of steps.done) {
  console.log(`  ${s.ok ? "ok  " : "FAIL"}  ${s.name} (${Math.round(s.ms)} ms)`);
}
console.log("");
console.log(await audit.summary().catch((e) => `(no accessibility summary: ${e.message})`));

const passed = steps.done.filter((s) => s.ok).length;
if (failure) {
  const what = failure instanceof StepFailed ? failure.message : `the harness failed: ${failure.stack ?? failure}`;
  console.error(`\nFAILED: ${what}`);
  if (server?.log.length) {
    console.error(`--- server output (last 40 lines) ---\n${server.log.slice(-40).join("\n")}`);
  }
  process.exit(1);
}
if (audit.blocking.length > 0) {
  console.error(
    `\nFAILED: axe-core found serious or critical violations on ${audit.blocking.length} page×width combinations (listed above)`,
  );
  process.exit(1);
}
console.log(`\nPASSED: ${passed} steps; ${audit.results.length} axe runs (${audit.count} pages × 2 widths), none serious or critical.`);
