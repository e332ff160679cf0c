// The chat page: the official RivetKit client (npm rivetkit, "rivetkit/client") talking to the
// Rivet4j chatRoom actor. Bundled by esbuild at build time into target/classes/web/app.js.
import { createClient } from "rivetkit/client";

const PAGE_SIZE = 50;
const TYPING_IDLE_MS = 3000;
const STORAGE_KEY = "rivet4j-chat"; // localStorage: name, room, token of the last join
const JOINED_KEY = "rivet4j-chat-joined"; // sessionStorage: this tab's room (survives a reload)
const $ = (id) => document.getElementById(id);

let config = {};
let session = null;

// ------------------------------------------------------------------ start

async function main() {
  // listeners first: a form submitted before them would reload the page with the token in the URL
  $("join").addEventListener("submit", (e) => {
    e.preventDefault();
    join($("name").value.trim(), $("room").value.trim(), $("token").value);
  });
  $("leave").addEventListener("click", () => {
    sessionStorage.removeItem(JOINED_KEY);
    leave();
  });
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    send();
  });
  $("text").addEventListener("input", () => typed());
  $("older").addEventListener("click", () => loadOlder());
  window.addEventListener("beforeunload", () => session?.conn?.dispose());
  try {
    const r = await fetch("config.json", { cache: "no-store" });
    if (r.ok) config = await r.json();
  } catch {
    // same-origin deployment without config.json: the API is this page's origin
  }
  const joined = JSON.parse(sessionStorage.getItem(JOINED_KEY) || "null");
  const saved = joined || JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
  const query = new URLSearchParams(location.search);
  const prefill = (id, value) => { if (!$(id).value && value) $(id).value = value; };
  prefill("name", query.get("name") || saved.name);
  prefill("room", query.get("room") || saved.room || "lobby");
  prefill("token", saved.token || config.localToken);
  if (config.localToken) {
    $("token-hint").textContent =
      "Prefilled: this server runs with the public default token (CHAT_SECRET is not set).";
  }
  $("join-button").disabled = false; // the endpoint is known now
  if (joined) join(joined.name, joined.room, joined.token); // this tab was in a room: a reload
}

function endpoint() {
  if (config.apiPort) return `${location.protocol}//${location.hostname}:${config.apiPort}`;
  return location.origin;
}

// ------------------------------------------------------------------ joining and leaving

function join(name, room, token) {
  if (!name || !room) return;
  leave();
  showJoinError(null);
  $("join-button").disabled = true;
  const s = {
    client: createClient({ endpoint: endpoint(), devtools: false }),
    conn: null, name, room, token,
    joined: false, retries: 0, retryTimer: null, buffer: null, oldestId: null, hasMore: false,
    typingNames: new Set(), typingSent: false, typingTimer: null,
  };
  session = s;
  connect(s);
}

/**
 * Opens a connection for the session. The client reconnects by itself while the server is
 * reachable (e.g. an actor restart); when it gives up (status "idle", e.g. the server was down
 * for a moment), the page opens a new connection with a growing delay.
 */
function connect(s) {
  const old = s.conn;
  const conn = s.client.chatRoom
    .getOrCreate([s.room], { params: { token: s.token, name: s.name } })
    .connect();
  s.conn = conn;
  s.typingSent = false;
  old?.dispose().catch(() => {});
  const live = () => session === s && s.conn === conn;
  conn.onStatusChange((status) => {
    if (!live()) return;
    if (status === "idle" && s.joined) {
      setStatus("disconnected");
      const delay = Math.min(15_000, 500 * 2 ** s.retries++);
      s.retryTimer = setTimeout(() => { if (live()) connect(s); }, delay);
    } else {
      setStatus(status);
    }
  });
  conn.onError((error) => { if (live()) connectionError(s, conn, error); });
  conn.onOpen(() => { if (live()) opened(s, conn); });
  conn.on("newMessage", (m) => {
    if (!live()) return;
    if (s.buffer) s.buffer.push(m);
    else appendMessage(s, m);
  });
  conn.on("presence", (names) => { if (live()) renderPresence(s, names); });
  conn.on("typing", (t) => {
    if (!live() || t.name === s.name) return;
    if (t.typing) s.typingNames.add(t.name);
    else s.typingNames.delete(t.name);
    renderTyping(s);
  });
  setStatus("connecting");
}

/** Every (re)connect: the newest history page and who is online. */
async function opened(s, conn) {
  s.buffer = [];
  try {
    const [page, names] = await Promise.all([
      conn.getHistoryBefore(null, PAGE_SIZE),
      conn.getPresence(),
    ]);
    if (session !== s || s.conn !== conn) return;
    s.retries = 0;
    renderHistory(s, page);
    const seen = new Set(page.messages.map(key));
    for (const m of s.buffer) if (!seen.has(key(m))) appendMessage(s, m);
    s.typingNames.clear();
    renderPresence(s, names);
    showChatError(null);
    if (!s.joined) {
      s.joined = true;
      const details = JSON.stringify({ name: s.name, room: s.room, token: s.token });
      localStorage.setItem(STORAGE_KEY, details);
      sessionStorage.setItem(JOINED_KEY, details);
      showChat(s);
    }
  } catch (error) {
    if (session === s && s.conn === conn) connectionError(s, conn, error);
  } finally {
    s.buffer = null;
  }
}

function connectionError(s, conn, error) {
  const refused = error?.group === "user" && ["forbidden", "invalid_name"].includes(error.code);
  if (refused || !s.joined) {
    sessionStorage.removeItem(JOINED_KEY);
    leave();
    showJoinError(error?.code === "forbidden"
      ? "Wrong access token: ask whoever runs the server for its CHAT_SECRET."
      : describe(error));
  } else if (conn.connStatus === "connected") {
    showChatError(describe(error));
  } // else: the connection is down, which the status shows; it reconnects
}

function leave() {
  const s = session;
  session = null;
  if (s) {
    clearTimeout(s.typingTimer);
    clearTimeout(s.retryTimer);
    s.conn?.dispose().catch(() => {});
    s.client.dispose?.().catch?.(() => {});
  }
  $("chat").hidden = true;
  $("join").hidden = false;
  $("leave").hidden = true;
  $("room-title").hidden = true;
  $("join-button").disabled = false;
  $("messages").replaceChildren();
  $("presence").replaceChildren();
  $("typing").textContent = "";
  showChatError(null);
  setStatus("idle");
}

function showChat(s) {
  $("join").hidden = true;
  $("chat").hidden = false;
  $("leave").hidden = false;
  $("room-title").hidden = false;
  $("room-title").textContent = `# ${s.room}`;
  document.title = `${s.room} · Rivet4j chat`;
  $("text").focus();
  scrollToEnd();
}

// ------------------------------------------------------------------ messages

async function send() {
  const s = session;
  const input = $("text");
  if (!s || !input.value.trim()) return;
  const text = input.value;
  $("send").disabled = true;
  try {
    await s.conn.sendMessage(s.name, text);
    if (input.value === text) input.value = "";
    s.typingSent = false; // the room clears the sender's typing indicator
    clearTimeout(s.typingTimer);
    showChatError(null);
  } catch (error) {
    showChatError(describe(error));
  } finally {
    $("send").disabled = false;
    input.focus();
  }
}

async function loadOlder() {
  const s = session;
  if (!s || s.oldestId == null) return;
  $("older").disabled = true;
  try {
    const page = await s.conn.getHistoryBefore(s.oldestId, PAGE_SIZE);
    if (session !== s) return;
    const list = $("messages");
    const before = list.scrollHeight - list.scrollTop;
    list.prepend(...page.messages.map((m) => messageItem(s, m)));
    list.scrollTop = list.scrollHeight - before;
    s.hasMore = page.hasMore;
    if (page.messages.length) s.oldestId = page.messages[0].id;
    $("older").hidden = !s.hasMore;
  } catch (error) {
    showChatError(describe(error));
  } finally {
    $("older").disabled = false;
  }
}

function renderHistory(s, page) {
  s.oldestId = page.messages.length ? page.messages[0].id : null;
  s.hasMore = page.hasMore;
  $("older").hidden = !s.hasMore;
  const list = $("messages");
  list.replaceChildren(...page.messages.map((m) => messageItem(s, m)));
  if (!page.messages.length) list.append(emptyItem());
  scrollToEnd();
}

function appendMessage(s, m) {
  const list = $("messages");
  list.querySelector(".empty")?.remove();
  const nearEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.append(messageItem(s, m));
  if (nearEnd || m.sender === s.name) scrollToEnd();
}

function messageItem(s, m) {
  const li = document.createElement("li");
  li.className = m.sender === s.name ? "mine" : "";
  const meta = document.createElement("div");
  meta.className = "meta";
  const sender = document.createElement("span");
  sender.className = "sender";
  sender.textContent = m.sender;
  const time = document.createElement("time");
  const at = new Date(Number(m.timestamp));
  time.dateTime = at.toISOString();
  time.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  time.title = at.toLocaleString();
  meta.append(sender, time);
  const text = document.createElement("div");
  text.className = "text";
  text.textContent = m.text;
  li.append(meta, text);
  return li;
}

function emptyItem() {
  const li = document.createElement("li");
  li.className = "empty";
  li.textContent = "No messages yet. Say hello!";
  return li;
}

function scrollToEnd() {
  const list = $("messages");
  list.scrollTop = list.scrollHeight;
}

const key = (m) => `${m.timestamp}\u0000${m.sender}\u0000${m.text}`;

// ------------------------------------------------------------------ presence and typing

function renderPresence(s, names) {
  $("online-count").textContent = String(names.length);
  $("presence").replaceChildren(...names.map((name) => {
    const li = document.createElement("li");
    li.textContent = name;
    if (name === s.name) {
      const you = document.createElement("span");
      you.className = "you";
      you.textContent = " (you)";
      li.append(you);
    }
    return li;
  }));
  for (const name of [...s.typingNames]) if (!names.includes(name)) s.typingNames.delete(name);
  renderTyping(s);
}

function renderTyping(s) {
  const names = [...s.typingNames].sort();
  $("typing").textContent =
    names.length === 0 ? "" :
    names.length === 1 ? `${names[0]} is typing…` :
    names.length === 2 ? `${names[0]} and ${names[1]} are typing…` :
    `${names.length} people are typing…`;
}

function typed() {
  const s = session;
  if (!s?.joined) return;
  clearTimeout(s.typingTimer);
  if (!$("text").value.trim()) {
    stopTyping(s);
    return;
  }
  if (!s.typingSent) {
    s.typingSent = true;
    s.conn.setTyping(true).catch(() => {});
  }
  s.typingTimer = setTimeout(() => stopTyping(s), TYPING_IDLE_MS);
}

function stopTyping(s) {
  if (s.typingSent && session === s) {
    s.typingSent = false;
    s.conn.setTyping(false).catch(() => {});
  }
}

// ------------------------------------------------------------------ status and errors

function setStatus(status) {
  const el = $("status");
  el.dataset.status = status;
  el.textContent = {
    idle: "not connected",
    connecting: "connecting…",
    connected: "connected",
    disconnected: "reconnecting…",
  }[status] ?? status;
}

function describe(error) {
  if (error?.group === "user" && error.code === "rate_limited") {
    const seconds = Math.ceil((error.metadata?.retryAfterMs ?? 1000) / 1000);
    return `Slow down: try again in ${seconds} s.`;
  }
  return error?.message || String(error);
}

function showJoinError(text) {
  $("join-error").hidden = !text;
  $("join-error").textContent = text ?? "";
}

function showChatError(text) {
  $("chat-error").hidden = !text;
  $("chat-error").textContent = text ?? "";
}

main();
