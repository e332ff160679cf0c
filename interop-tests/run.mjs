// Runs the interop tests with node's test runner and prints, after node's own summary, the
// counts per encoding and one final line "N passed, N failed".
//
//   node run.mjs                      # start the Java conformance server (scripts/serve.sh)
//   INTEROP_ENDPOINT=http://127.0.0.1:6420 node run.mjs   # drive a running server instead
//   node run.mjs test/reconnect.test.mjs                  # only some files
//
// Environment: INTEROP_ENCODINGS (default json,cbor,bare), INTEROP_ENDPOINT, INTEROP_SLEEP_TIMEOUT_MS,
// INTEROP_ACTION_TIMEOUT_MS, INTEROP_SERVER_LOG_LEVEL, INTEROP_JAVA_OPTS, INTEROP_REPORTER (spec|tap).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : readdirSync(path.join(HERE, "test")).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => path.join("test", f));
const work = mkdtempSync(path.join(tmpdir(), "rivet4j-interop-run-"));
const countsFile = path.join(work, "counts.tsv");
const reporter = process.env.INTEROP_REPORTER ?? "spec";

const args = [
  "--test",
  "--test-concurrency=1",
  `--test-reporter=${reporter}`, "--test-reporter-destination=stdout",
  `--test-reporter=${path.join(HERE, "lib", "count-reporter.mjs")}`, `--test-reporter-destination=${countsFile}`,
  ...files,
];
const env = { ...process.env, RIVET_LOG_LEVEL: process.env.INTEROP_CLIENT_LOG_LEVEL ?? "error" };
const started = Date.now();
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, args, { cwd: HERE, env, stdio: "inherit" });
  const forward = (sig) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", (c, s) => resolve(c ?? (s ? 1 : 0)));
});

let lines = [];
try {
  lines = readFileSync(countsFile, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t"));
} catch {
  // no test reported anything
}
rmSync(work, { recursive: true, force: true });

const groups = new Map();
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const [outcome, file, suite, name] of lines) {
  const group = suite ? suite.split(" > ")[0] : file.replace(/\.test\.mjs$/, "");
  const g = groups.get(group) ?? { pass: 0, fail: 0, skip: 0 };
  g[outcome] += 1;
  groups.set(group, g);
  if (outcome === "pass") passed += 1;
  else if (outcome === "fail") { failed += 1; failures.push(`${file} ${suite ? `${suite} > ` : ""}${name}`); }
  else skipped += 1;
}
if (code !== 0 && failed === 0) {
  failed = 1; // the runner failed outside of any test (e.g. a file did not load)
  failures.push(`node --test exited with ${code} outside of any test`);
}
console.log("");
console.log(`interop (${process.env.INTEROP_ENDPOINT ? `against ${process.env.INTEROP_ENDPOINT}` : "against the Java conformance server"}, ${((Date.now() - started) / 1000).toFixed(1)} s):`);
for (const [group, g] of groups) {
  console.log(`  ${group}: ${g.pass} passed, ${g.fail} failed${g.skip ? `, ${g.skip} skipped` : ""}`);
}
for (const f of failures) console.log(`  FAILED ${f}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
