// Drives the chat page in Debian's Chromium (playwright-core, never a downloaded browser) against
// a real chat-room server started here on free ports with a temporary data directory: two people
// join one room, see each other online, type, chat live, reload and see the history, leave, and
// hit the rate limit. Saves a screenshot to examples/chat-room/target/chat-room.png.
// Prints "ok - …" / "not ok - …" per step and a last line "N passed, N failed".
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const screenshot = resolve(here, "../target/chat-room.png");
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const SECRET = "browser-test-secret";
const ROOM = "lobby"; // the data directory is new on every run
const TIMEOUT_MS = 30_000; // generous: the machine may be busy

// ------------------------------------------------------------------ server

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function startServer(dataDir, ports) {
  const env = {
    ...process.env,
    RIVET_HOST: "127.0.0.1",
    RIVET_PORT: String(ports.api),
    RIVET_DATA_DIR: dataDir,
    CHAT_SECRET: SECRET,
    RIVET_LOG_LEVEL: "warn",
  };
  delete env.RIVET_TOKEN;
  const child = spawn(join(root, "scripts/serve.sh"), ["chat-room"], {
    cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr = (stderr + d).slice(-20_000); });
  const ready = new Promise((ok, fail) => {
    let out = "";
    let page = null;
    child.stdout.on("data", (d) => {
      out += d;
      page ??= out.match(/Chat page at (\S+)/)?.[1] ?? null;
      const api = out.match(/Rivet4j chat-room ready at (\S+)/)?.[1];
      if (page && api) ok({ page, api });
    });
    child.once("exit", (code) => fail(new Error(`server exited (${code}) before it was ready:\n${stderr}`)));
    setTimeout(() => fail(new Error(`server not ready within 300 s:\n${stderr}`)), 300_000).unref();
  });
  return { child, ready, stderr: () => stderr };
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once("exit", ok));
  try { process.kill(-child.pid, "SIGTERM"); } catch { return; }
  const timer = setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch {} }, 20_000);
  await exited;
  clearTimeout(timer);
}

// ------------------------------------------------------------------ steps

const results = [];
let failedAlready = false;
const pages = {}; // name -> page, for diagnostics
const consoleLines = [];

async function diagnostics() {
  for (const [name, page] of Object.entries(pages)) {
    const state = await page.evaluate(() => ({
      status: document.getElementById("status")?.textContent,
      joinError: document.getElementById("join-error")?.textContent,
      chatError: document.getElementById("chat-error")?.textContent,
    })).catch((e) => String(e));
    console.log(`  ${name}: ${JSON.stringify(state)}`);
  }
  for (const line of consoleLines.slice(-30)) console.log(`  console: ${line}`);
}

async function step(name, fn) {
  if (failedAlready) {
    results.push(false);
    console.log(`not ok - ${name} (not run: an earlier step failed)`);
    return;
  }
  try {
    await fn();
    results.push(true);
    console.log(`ok - ${name}`);
  } catch (error) {
    results.push(false);
    failedAlready = true;
    console.log(`not ok - ${name}\n  ${String(error?.stack ?? error).split("\n").join("\n  ")}`);
    await diagnostics();
  }
}

/** Polls {@code probe} until {@code accept(value)}; fails with the last value seen. */
async function until(what, probe, accept, timeout = TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const same = (expected) => (actual) => JSON.stringify(actual) === JSON.stringify(expected);
const text = (page, sel) => page.locator(sel).textContent();
const visible = (page, sel) => page.locator(sel).isVisible();
const presence = (page) => page.locator("#presence li").allTextContents();
const messages = (page) => page.locator("#messages li:not(.empty)").evaluateAll((lis) =>
  lis.map((li) => [li.querySelector(".sender").textContent, li.querySelector(".text").textContent]));

async function joinRoom(page, name, token) {
  await page.fill("#name", name);
  await page.fill("#room", ROOM);
  await page.fill("#token", token);
  await page.click("#join-button");
}

// ------------------------------------------------------------------ main

const dataDir = mkdtempSync(join(tmpdir(), "chat-room-browser-"));
const ports = { api: await freePort() };
let server = await startServer(dataDir, ports);
let browser;
const pageErrors = [];
try {
  let urls;
  let alice;
  let bob;
  await step("the chat-room server starts on free ports with a fresh data dir", async () => {
    urls = await server.ready;
    console.log(`  page ${urls.page}, API ${urls.api}, data ${dataDir}`);
  });
  await step("Chromium starts headless (Debian's /usr/bin/chromium)", async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true, // Playwright gives each launch a fresh temporary user-data-dir
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"],
    });
    const open = async (who) => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
      const page = await context.newPage();
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      page.on("console", (m) => consoleLines.push(`${who} ${m.type()}: ${m.text()}`));
      pages[who] = page;
      page.setDefaultTimeout(TIMEOUT_MS);
      return page;
    };
    alice = await open("alice"); // two contexts: two people with separate storage
    bob = await open("bob");
  });
  await step("the page loads from our server and shows the join form", async () => {
    await alice.goto(urls.page);
    await alice.locator("#join").waitFor({ state: "visible" });
    if ((await alice.inputValue("#token")) !== "") throw new Error("token prefilled with a real secret");
    if ((await text(alice, "h1")) !== "Rivet4j chat") throw new Error("wrong title");
  });
  await step("a wrong token is refused (user error forbidden)", async () => {
    await joinRoom(alice, "Alice", "not-the-secret");
    await until("the join error", () => text(alice, "#join-error"),
      same("Wrong access token: ask whoever runs the server for its CHAT_SECRET."));
    if (await visible(alice, "#chat")) throw new Error("the chat opened anyway");
  });
  await step("Alice joins with the right token and sees an empty room", async () => {
    await joinRoom(alice, "Alice", SECRET);
    await alice.locator("#chat").waitFor({ state: "visible" });
    await until("status connected", () => text(alice, "#status"), same("connected"));
    await until("the empty-room note", () => text(alice, "#messages .empty"),
      same("No messages yet. Say hello!"));
    await until("room title", () => text(alice, "#room-title"), same(`# ${ROOM}`));
  });
  await step("Bob joins the same room from another browser context", async () => {
    await bob.goto(urls.page);
    await joinRoom(bob, "Bob", SECRET);
    await bob.locator("#chat").waitFor({ state: "visible" });
    if (new URL(bob.url()).search) throw new Error(`the form leaked into the URL: ${bob.url()}`);
  });
  await step("both see both online (presence)", async () => {
    await until("Alice's presence list", () => presence(alice), same(["Alice (you)", "Bob"]));
    await until("Bob's presence list", () => presence(bob), same(["Alice", "Bob (you)"]));
    await until("online count", () => text(alice, "#online-count"), same("2"));
  });
  await step("Bob sees Alice typing", async () => {
    await alice.locator("#text").pressSequentially("Hello from Alice", { delay: 10 });
    await until("Bob's typing line", () => text(bob, "#typing"), same("Alice is typing…"));
  });
  await step("Alice's message reaches Bob live and ends her typing indicator", async () => {
    await alice.press("#text", "Enter");
    await until("Bob's messages", () => messages(bob), same([["Alice", "Hello from Alice"]]));
    await until("Bob's typing line", () => text(bob, "#typing"), same(""));
    await until("Alice's input cleared", () => alice.inputValue("#text"), same(""));
    const mine = await alice.locator("#messages li.mine .text").allTextContents();
    if (JSON.stringify(mine) !== JSON.stringify(["Hello from Alice"])) {
      throw new Error(`Alice's own message not marked: ${JSON.stringify(mine)}`);
    }
  });
  await step("Bob's reply reaches Alice", async () => {
    await bob.fill("#text", "Hi Alice! Grüße from the other tab");
    await bob.click("#send");
    await until("Alice's messages", () => messages(alice),
      same([["Alice", "Hello from Alice"], ["Bob", "Hi Alice! Grüße from the other tab"]]));
  });
  await step("after a reload Bob is back in the room and sees the history", async () => {
    await bob.reload();
    await bob.locator("#chat").waitFor({ state: "visible" });
    await until("Bob's history", () => messages(bob),
      same([["Alice", "Hello from Alice"], ["Bob", "Hi Alice! Grüße from the other tab"]]));
    await until("Bob's presence list", () => presence(bob), same(["Alice", "Bob (you)"]));
    await until("Alice's presence list", () => presence(alice), same(["Alice (you)", "Bob"]));
  });
  await step("screenshot of Alice's page (Bob typing)", async () => {
    await alice.fill("#text", "");
    await alice.locator("#text").pressSequentially("Glad it works", { delay: 10 });
    await alice.press("#text", "Enter");
    await until("Alice's messages", async () => (await messages(alice)).length, same(3));
    await bob.locator("#text").pressSequentially("Let me try the history", { delay: 10 });
    await until("Alice's typing line", () => text(alice, "#typing"), same("Bob is typing…"));
    mkdirSync(dirname(screenshot), { recursive: true });
    await alice.screenshot({ path: screenshot });
    console.log(`  saved ${screenshot}`);
  });
  await step("when Bob leaves, Alice sees him go (presence and typing)", async () => {
    await bob.click("#leave");
    await bob.locator("#join").waitFor({ state: "visible" });
    await until("Alice's presence list", () => presence(alice), same(["Alice (you)"]));
    await until("Alice's typing line", () => text(alice, "#typing"), same(""));
  });
  await step("sending too fast shows the rate limit (user error rate_limited)", async () => {
    for (let i = 1; i <= 20 && !(await visible(alice, "#chat-error")); i++) {
      await alice.fill("#text", `burst ${i}`);
      await alice.click("#send");
      await until("the send button", () => alice.locator("#send").isEnabled(), same(true));
    }
    const error = await until("the rate-limit note", () => text(alice, "#chat-error"),
      (t) => /^Slow down: try again in \d+ s\.$/.test(t ?? ""));
    console.log(`  ${error}`);
    const sent = (await messages(alice)).filter(([, t]) => t.startsWith("burst ")).length;
    // 10 per 10 s per connection; Alice's two earlier messages may still be in the window
    if (sent < 8 || sent > 10) throw new Error(`expected 8-10 messages before the limit, got ${sent}`);
  });
  await step("after a server restart the page reconnects by itself; history is durable", async () => {
    const before = await messages(alice);
    await stopServer(server.child);
    await until("status reconnecting", () => text(alice, "#status"), same("reconnecting…"));
    server = await startServer(dataDir, ports); // same ports and data, as after a redeploy
    await server.ready;
    await until("status connected", () => text(alice, "#status"), same("connected"), 60_000);
    await until("Alice's history", () => messages(alice), same(before));
    await until("Alice's presence list", () => presence(alice), same(["Alice (you)"]));
    await alice.fill("#text", "still here");
    await alice.click("#send");
    await until("the new message", async () => (await messages(alice)).at(-1), same(["Alice", "still here"]));
  });
  await step("no uncaught errors in the pages", async () => {
    if (pageErrors.length) throw new Error(pageErrors.join("\n"));
  });
} finally {
  await browser?.close().catch(() => {});
  await stopServer(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
