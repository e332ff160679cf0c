// A node:test reporter that writes one line per finished test case (suites are not counted):
//   "pass|fail|skip<TAB>file<TAB>suite path<TAB>name"
// run.mjs turns these lines into per-encoding counts. Node reports a suite after its children,
// so children wait in `pending` until their suite (and its name) is known.
export default async function* countReporter(source) {
  let pending = [];
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { data } = event;
    const file = (data.file ?? "").split("/").pop();
    const name = String(data.name).replaceAll(/[\t\n]/g, " ");
    const isSuite = data.details?.type === "suite";
    if (isSuite) {
      for (const p of pending) {
        if (p.nesting > data.nesting) p.path.unshift(name);
      }
      if (event.type === "test:fail" && !pending.some((p) => p.nesting > data.nesting)) {
        // a suite that failed before running its tests (e.g. a failing before hook)
        pending.push({ nesting: data.nesting, outcome: "fail", path: [], name: `${name} (suite setup)`, file });
      }
    } else {
      let outcome = event.type === "test:pass" ? "pass" : "fail";
      if (data.skip !== undefined || data.todo !== undefined) outcome = "skip";
      pending.push({ nesting: data.nesting, outcome, path: [], name, file });
    }
    if (data.nesting === 0) {
      for (const p of pending) yield `${p.outcome}\t${p.file}\t${p.path.join(" > ")}\t${p.name}\n`;
      pending = [];
    }
  }
  for (const p of pending) yield `${p.outcome}\t${p.file}\t${p.path.join(" > ")}\t${p.name}\n`;
}
