// Options page: edits the one settings record; asks for host access the reader's choices need.
import { api, DEFAULT_SETTINGS, httpOrigin, loadSettings, originPattern, requestHostAccess, saveSettings } from "./settings.js";

const ASK_TIMEOUT_MS = 5000;

const form = document.getElementById("options");
const field = (name) => form.elements.namedItem(name);

function show(id, text, kind = "info") {
  const element = document.getElementById(id);
  element.textContent = text;
  element.dataset.kind = kind;
}

function fill(settings) {
  field("serverUrl").value = settings.serverUrl;
  field("apiKey").value = settings.apiKey;
  field("threshold").value = settings.threshold ?? "";
  field("autoRunOrigins").value = settings.autoRunOrigins.join("\n");
}

/** Reads the form; throws an Error whose message tells the reader what to fix. */
function readForm() {
  const serverOrigin = httpOrigin(field("serverUrl").value.trim());
  if (!serverOrigin) throw new Error("The server URL must start with http:// or https://.");
  const rawThreshold = field("threshold").value.trim();
  const threshold = rawThreshold === "" ? null : Number(rawThreshold);
  if (threshold !== null && !(threshold >= 0 && threshold <= 1)) throw new Error("The threshold must be a number from 0 to 1, or empty.");
  const lines = field("autoRunOrigins").value.split("\n").map((line) => line.trim()).filter(Boolean);
  const origins = lines.map((line) => httpOrigin(line.includes("://") ? line : `https://${line}`));
  const bad = lines.find((_, i) => origins[i] === null);
  if (bad) throw new Error(`Not a web address: ${bad}`);
  return {
    serverUrl: field("serverUrl").value.trim().replace(/\/+$/, ""),
    apiKey: field("apiKey").value.trim(),
    threshold,
    autoRunOrigins: [...new Set(origins)],
  };
}

async function save(event) {
  event.preventDefault();
  let settings;
  try {
    settings = readForm();
  } catch (error) {
    show("status", error.message, "error");
    return;
  }
  // Asked before any other await, while the click still counts as a user gesture.
  const granted = await requestHostAccess([httpOrigin(settings.serverUrl), ...settings.autoRunOrigins]);
  if (!granted) {
    show("status", "Not saved: the browser did not grant access to the server or the sites listed.", "error");
    return;
  }
  await saveSettings(settings);
  fill(settings);
  show("status", "Saved.");
}

// ---- the server typed in the form (not necessarily saved): its default threshold, a test ----

/** Host patterns the extension holds now, kept current so a click can decide without awaiting. */
let grantedOrigins = [];

function refreshGranted() {
  return api.permissions.getAll().then((all) => (grantedOrigins = all.origins ?? []), () => {});
}

function accessGranted(origin) {
  return ["<all_urls>", "*://*/*", originPattern(origin)].some((pattern) => grantedOrigins.includes(pattern));
}

/** The server URL and API key as typed; url is null when the address is not http(s). */
function typedServer() {
  const url = field("serverUrl").value.trim().replace(/\/+$/, "");
  const origin = httpOrigin(url);
  return { url: origin ? url : null, origin, apiKey: field("apiKey").value.trim() };
}

function ask(server, path) {
  return fetch(`${server.url}${path}`, {
    headers: server.apiKey ? { "X-API-Key": server.apiKey } : {},
    signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
  });
}

async function jsonOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function showServerDefault(text, threshold = null) {
  field("threshold").placeholder = threshold === null ? "server default" : `server default: ${threshold}`;
  show("threshold-default", text);
}

let defaultAsked = 0;

/** Shows the threshold the typed server uses when the field is empty (GET /v1/model). */
async function askServerDefault(server = typedServer()) {
  const asked = ++defaultAsked;
  const stale = () => asked !== defaultAsked;
  if (!server.url) return showServerDefault("");
  if (!accessGranted(server.origin)) {
    return showServerDefault(`Server default: press “Test the server” to ask ${server.origin}.`);
  }
  let text = `Server default: unknown (${server.origin} could not be reached).`;
  let threshold = null;
  try {
    const response = await ask(server, "/v1/model");
    const card = await jsonOf(response);
    if (typeof card?.threshold === "number") {
      threshold = card.threshold;
      text = `Server default: ${threshold} (empty uses it).`;
    } else {
      text = `Server default: unknown (the server answered HTTP ${response.status}${response.status === 401 ? ", check the API key" : ""}).`;
    }
  } catch {
    // text already says it could not be reached
  }
  if (!stale()) showServerDefault(text, threshold);
}

let typing;
function askServerDefaultSoon() {
  clearTimeout(typing);
  typing = setTimeout(() => askServerDefault(), 400);
}

/** Tests the address and API key as typed, without saving them. */
async function testServer() {
  const server = typedServer();
  if (!server.url) {
    show("server-status", "The server URL must start with http:// or https://.", "error");
    return;
  }
  const hadAccess = accessGranted(server.origin);
  // Asked before any other await, while the click still counts as a user gesture. Resolves at
  // once for the loopback default, which the manifest grants.
  if (!(await requestHostAccess([server.origin]))) {
    show("server-status", `Not tested: the browser did not grant access to ${server.origin}.`, "error");
    return;
  }
  await refreshGranted();
  show("server-status", "Asking…");
  try {
    const health = await ask(server, "/v1/health");
    const body = await jsonOf(health);
    if (!health.ok) {
      show("server-status", `${server.url} answered HTTP ${health.status}.`, "error");
      return;
    }
    const version = body?.model?.version ? `, model ${body.model.version}` : "";
    const card = await ask(server, "/v1/model");
    if (card.status === 401) {
      show("server-status", `Server ${server.url} is up (${body?.status}${version}), but it refused the API key.`, "error");
    } else {
      show("server-status", `Server ${server.url} is up (${body?.status}${version}).`);
    }
    await askServerDefault(server);
  } catch {
    show("server-status", `Could not reach ${server.url}. Is the server running?`, "error");
  } finally {
    // Access asked only for this test is given back unless the saved settings need it.
    const saved = await loadSettings();
    const needed = [saved.serverUrl, ...saved.autoRunOrigins].map(httpOrigin).filter(Boolean).map(originPattern);
    if (!hadAccess && !needed.includes(originPattern(server.origin))) {
      await api.permissions.remove({ origins: [originPattern(server.origin)] }).catch(() => {});
      await refreshGranted();
    }
  }
}

form.addEventListener("submit", (event) =>
  save(event).catch((error) => show("status", `Not saved: ${error.message}`, "error")),
);
document.getElementById("test-server").addEventListener("click", () =>
  testServer().catch((error) => show("server-status", `The extension failed: ${error.message}`, "error")),
);
field("serverUrl").addEventListener("input", askServerDefaultSoon);
field("apiKey").addEventListener("input", askServerDefaultSoon);
api.permissions.onAdded?.addListener(refreshGranted);
api.permissions.onRemoved?.addListener(refreshGranted);
Promise.all([loadSettings().then(fill, () => fill(DEFAULT_SETTINGS)), refreshGranted()]).then(() => askServerDefault());
