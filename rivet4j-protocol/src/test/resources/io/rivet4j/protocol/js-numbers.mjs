// Regenerate: node js-numbers.mjs > js-numbers.txt (bits of a double, then String(x) in V8).
const buf = new DataView(new ArrayBuffer(8));
let seed = 12345;
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
const lines = [];
for (let i = 0; i < 2500; i++) {
  let x;
  const k = i % 5;
  if (k === 0) { for (let j = 0; j < 8; j++) buf.setUint8(j, Math.floor(rnd() * 256)); x = buf.getFloat64(0); }
  else if (k === 1) x = (rnd() - 0.5) * Math.pow(10, Math.floor(rnd() * 60 - 30));
  else if (k === 2) x = Math.round(rnd() * 1e6) / Math.pow(10, Math.floor(rnd() * 12));
  else if (k === 3) x = Math.floor(rnd() * 2 ** 60) * (rnd() < 0.5 ? -1 : 1);
  else x = Number.MIN_VALUE * Math.floor(rnd() * 1000);
  if (!Number.isFinite(x)) continue;
  buf.setFloat64(0, x);
  lines.push(buf.getBigUint64(0).toString(16).padStart(16, "0") + " " + String(x));
}
console.log(lines.join("\n"));
