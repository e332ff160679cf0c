// Regenerate: npm install rivetkit@2.3.19 in a scratch folder, copy this file there, then
// node js-values.mjs > js-values.json (imports the compat helpers from rivetkit's dist chunk).
import { encodeCborCompat, jsonStringifyCompat }
  from "./node_modules/rivetkit/dist/tsup/chunk-DN6MD3KK.js";

const cases = {
  captured: [1, "two", null, { a: [1, 2] }, 2n ** 60n, new Uint8Array([1, 2, 3])],
  hello: { hello: "world" },
  n42: 42, f15: 1.5, fneg: -0.5, pi: 3.14159, tiny: 1e-7, huge: 1.5e300, tenth: 0.1,
  negzero: -0, nan: NaN, inf: Infinity, u32max: 4294967295, u32p1: 4294967296,
  nu32: -4294967296, nu32m1: -4294967297, maxsafe: 9007199254740991, p60: 2 ** 60,
  empty: "", unicode: "héllo 😀 \u0000\u001f\u2028 \"\\/", long300: "x".repeat(300),
  e200: "é".repeat(200), lone: "a\ud800b", lonelong: "\ud800" + "y".repeat(70),
  bytes: new Uint8Array([0, 255]), emptyarr: [], emptyobj: {},
  dollar: ["$foo", 1], dollar2: ["$$bar", 2n], dollar3: ["$foo", 1, 2],
  set: new Set([1, "a"]), setdollar: new Set(["$x", 1]),
  big: 2n ** 70n + 123n, negbig: -5n, date: new Date(Date.UTC(2026, 0, 1)),
  date2: new Date(-500), nested: { a: [1, { b: [[], {}] }], "ключ": "значение", "k s": null },
  undef: [undefined, 1],
  obj300: Object.fromEntries([...Array(300).keys()].map(i => ["k" + i, i])),
  arr300: [...Array(300).keys()],
};
const out = {};
for (const [name, value] of Object.entries(cases)) {
  out[name] = {
    cbor: Buffer.from(encodeCborCompat(value)).toString("hex"),
    json: jsonStringifyCompat(value),
  };
}
console.log(JSON.stringify(out, null, 1));
