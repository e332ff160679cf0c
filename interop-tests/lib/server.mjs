// Starts and stops the Java conformance server (scripts/serve.sh conformance) for the tests,
// or points them at an already running server when INTEROP_ENDPOINT is set (e.g. the real
// RivetKit reference on http://127.0.0.1:6420).
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
const SERVE = path.join(ROOT, "scripts", "serve.sh");
const READY = /Rivet4j [\w-]+ ready at (\S+)/;

/** True when the tests drive an external server (INTEROP_ENDPOINT) instead of starting one. */
export const external = Boolean(process.env.INTEROP_ENDPOINT);

/** Actor timeouts the tests give the Java server (milliseconds). */
export const TIMEOUTS = {
  sleep: Number(process.env.INTEROP_SLEEP_TIMEOUT_MS ?? (external ? 30_000 : 1_500)),
  action: Number(process.env.INTEROP_ACTION_TIMEOUT_MS ?? (external ? 60_000 : 2_500)),
  grace: 2_000,
};

/** A port nobody listens on right now. */
export async function freePort() {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * One Java conformance server process. start() runs scripts/serve.sh (which builds what is
 * missing), waits for its ready line and returns the endpoint; kill() sends a signal and waits
 * for the exit; the same port and data directory are reused by the next start().
 */
export class JavaServer {
  /** With `supervised`, the server runs under io.rivet4j.server.Supervisor (RIVET_SUPERVISE=1). */
  constructor({ port, dataDir, name = "server", supervised = false, example = "conformance" } = {}) {
    this.supervised = supervised;
    this.example = example;
    this.readyCount = 0;
    this.readyWaiters = [];
    this.port = port;
    this.dataDir = dataDir ?? mkdtempSync(path.join(tmpdir(), "rivet4j-interop-data-"));
    this.ownsDataDir = !dataDir;
    this.logDir = mkdtempSync(path.join(tmpdir(), "rivet4j-interop-log-"));
    this.name = name;
    this.proc = undefined;
    this.starts = 0;
  }

  get endpoint() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start({ timeoutMs = 300_000 } = {}) {
    if (this.port === undefined) this.port = await freePort();
    this.starts += 1;
    const logFile = path.join(this.logDir, `${this.name}-${this.starts}.log`);
    this.logFile = logFile;
    const out = openSync(logFile, "a");
    const proc = spawn("bash", [SERVE, this.example], {
      cwd: ROOT,
      env: {
        ...process.env,
        RIVET_PORT: String(this.port),
        RIVET_HOST: "127.0.0.1",
        RIVET_DATA_DIR: this.dataDir,
        RIVET_SLEEP_TIMEOUT_MS: String(TIMEOUTS.sleep),
        RIVET_ACTION_TIMEOUT_MS: String(TIMEOUTS.action),
        RIVET_SLEEP_GRACE_MS: String(TIMEOUTS.grace),
        RIVET_LOG_LEVEL: process.env.INTEROP_SERVER_LOG_LEVEL ?? "warn",
        SERVE_JAVA_OPTS: process.env.INTEROP_JAVA_OPTS ?? "-Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        RIVET_SUPERVISE: this.supervised ? "1" : "0",
      },
      stdio: ["ignore", "pipe", out],
    });
    closeSync(out);
    this.proc = proc;
    const exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    let buffered = "";
    this.readyCount = 0;
    const ready = new Promise((resolve) => {
      proc.stdout.setEncoding("utf8");
      proc.stdout.on("data", (chunk) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop();
        for (const line of lines) {
          const m = READY.exec(line);
          if (!m) continue;
          this.readyCount += 1;
          resolve(m[1]);
          for (const w of this.readyWaiters.splice(0)) w();
        }
      });
    });
    let timer;
    const outcome = await Promise.race([
      ready.then((endpoint) => ({ endpoint })),
      exited.then((e) => ({ exit: e })),
      new Promise((resolve) => { timer = setTimeout(() => resolve({ timeout: true }), timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (!outcome.endpoint) {
      await this.kill("SIGKILL");
      throw new Error(`${this.example} server did not become ready (${JSON.stringify(outcome)});`
        + ` stdout: ${buffered.slice(-2000)}\nlog ${logFile}:\n${this.logTail()}`);
    }
    return outcome.endpoint;
  }

  /**
   * Supervised only: SIGKILLs the server process the supervisor runs (not the supervisor), and
   * waits until the supervisor's next server is ready.
   */
  async killServerProcess({ timeoutMs = 120_000 } = {}) {
    const starts = [...readFileSync(this.logFile, "utf8").matchAll(/server started \(pid (\d+)\)/g)];
    if (!starts.length) throw new Error(`no supervised server pid in ${this.logFile}`);
    const pid = Number(starts[starts.length - 1][1]);
    const before = this.readyCount;
    const next = new Promise((resolve) => this.readyWaiters.push(resolve));
    process.kill(pid, "SIGKILL");
    let timer;
    const ok = await Promise.race([
      next.then(() => true),
      new Promise((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (!ok || this.readyCount <= before) {
      throw new Error(`the supervisor did not restart the server:\n${this.logTail()}`);
    }
    return pid;
  }

  /** The last lines of the current log (server standard error). */
  logTail(lines = 40) {
    try {
      return readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  /** Sends `signal` and waits until the process is gone. */
  async kill(signal = "SIGTERM") {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    let timer;
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise((resolve) => { timer = setTimeout(() => resolve(false), 20_000); }),
    ]);
    clearTimeout(timer);
    if (!gone) {
      proc.kill("SIGKILL");
      await this.exited;
    }
  }

  /** Stops the server and removes its data directory (when it made it). */
  async close() {
    await this.kill("SIGTERM");
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * The endpoint the tests use: INTEROP_ENDPOINT, or a fresh Java server. Returns
 * { endpoint, server } (server undefined when external).
 */
export async function startTarget(name) {
  if (external) return { endpoint: process.env.INTEROP_ENDPOINT, server: undefined };
  const server = new JavaServer({ name });
  const endpoint = await server.start();
  return { endpoint, server };
}
