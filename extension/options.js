// Options page: edits the one settings record; asks for host access the reader's choices need.
import { api, DEFAULT_SETTINGS, httpOrigin, loadSettings, requestHostAccess, saveSettings } from "./settings.js";

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

async function testServer() {
  const { serverUrl, apiKey } = await loadSettings();
  show("server-status", "Asking…");
  try {
    const response = await fetch(`${serverUrl}/v1/health`, { headers: apiKey ? { "X-API-Key": apiKey } : {} });
    const body = await response.json();
    const version = body.model?.version ? `, model ${body.model.version}` : "";
    show("server-status", response.ok ? `Server is up (${body.status}${version}).` : `Server answered HTTP ${response.status}.`, response.ok ? "info" : "error");
  } catch {
    show("server-status", `Could not reach ${serverUrl}. Is the server running? Save first if you changed the URL.`, "error");
  }
}

form.addEventListener("submit", (event) =>
  save(event).catch((error) => show("status", `Not saved: ${error.message}`, "error")),
);
document.getElementById("test-server").addEventListener("click", testServer);
loadSettings().then(fill, () => fill(DEFAULT_SETTINGS));
