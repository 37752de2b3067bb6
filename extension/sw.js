// Service worker: the only part that talks to the scoring server, so the page never sees the
// server URL or API key, and so the "is this site allowed?" decision is made in one place.
import { api, httpOrigin, loadSettings, originPattern, SETTINGS_KEY } from "./settings.js";

const CONTENT_SCRIPT_ID = "claim-credibility-auto";
const REQUEST_TIMEOUT_MS = 30000;
const BADGE_COLOURS = { claims: "#b00020", none: "#546e7a", problem: "#555555", busy: "#1a56a0" };

let syncing = Promise.resolve();

/** Serialises syncs: two overlapping ones would both try to register the same script id. */
function syncAutoRun() {
  syncing = syncing.then(registerAutoRun, registerAutoRun);
  return syncing;
}

/** Keeps the auto-run content script registered for exactly the reader's chosen origins. */
async function registerAutoRun() {
  const { autoRunOrigins } = await loadSettings();
  const matches = [...new Set(autoRunOrigins.map(originPattern))].sort();
  const registered = await api.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  const current = registered[0]?.matches?.slice().sort() ?? [];
  if (JSON.stringify(current) === JSON.stringify(matches)) return;
  if (registered.length) await api.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (!matches.length) return;
  await api.scripting.registerContentScripts([
    {
      id: CONTENT_SCRIPT_ID,
      matches,
      js: ["content.js"],
      css: ["content.css"],
      runAt: "document_idle",
      persistAcrossSessions: true,
    },
  ]);
}

/** Injects the content script on the reader's request (activeTab or a host grant allows it). */
export async function checkTab(tabId) {
  const target = { tabId };
  try {
    await api.scripting.insertCSS({ target, files: ["content.css"] });
    // Marks this document's content script as started by the reader; the page itself cannot
    // see or set it, because content scripts live in their own isolated world.
    await api.scripting.executeScript({ target, func: () => (globalThis.claimCredibilityManual = true) });
    await api.scripting.executeScript({ target, files: ["content.js"] });
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `This page cannot be checked: the browser does not let extensions read it (${error.message}).` };
  }
}

/** A page is sent only when the reader asked for it now, or chose its origin for auto-run. */
function allowedToSend(message, url, settings) {
  if (message.manual === true) return true;
  const origin = httpOrigin(url);
  return origin !== null && settings.autoRunOrigins.includes(origin);
}

function scoreEndpoint(settings) {
  const endpoint = new URL(`${settings.serverUrl.replace(/\/+$/, "")}/v1/score`);
  endpoint.searchParams.set("all", "1");
  if (typeof settings.threshold === "number") endpoint.searchParams.set("threshold", String(settings.threshold));
  return endpoint;
}

function requestHeaders(settings) {
  const headers = { "Content-Type": "application/json" };
  if (settings.apiKey) headers["X-API-Key"] = settings.apiKey;
  return headers;
}

const problem = (code, message) => ({ status: "error", code, message });

/** Turns an HTTP error into words a reader can act on. */
function httpProblem(status, body, settings) {
  const code = body?.error?.code ?? "";
  if (status === 413) return problem("too-large", "This page is too large for the server to check.");
  if (code === "unsupported_language") return problem("not-supported-language", "This page's language is not supported yet (English only).");
  if (status === 401) return problem("unauthorized", "The server refused the API key. Check it in the extension's options.");
  if (status === 429) return problem("rate-limited", "The server is busy (too many requests). Try again in a minute.");
  const detail = body?.error?.message ? `: ${body.error.message}` : "";
  return problem("server-error", `The server could not check this page (HTTP ${status}${detail}).`);
}

/** Reads the verdict; pages that are not English articles are states, not results. */
function resultFrom(body) {
  const page = body.page ?? {};
  if (!page.sentences) return problem("not-article", "This page does not look like an article: no sentences to check.");
  if (page.language && page.language !== "en") return problem("not-supported-language", `This page's language (${page.language}) is not supported yet (English only).`);
  const sentences = body.claims ?? [];
  const claims = sentences.filter((claim) => claim.label === "unsupported");
  return { status: "done", model: body.model ?? {}, page, claims, sentences };
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** One POST to /v1/score; every failure becomes a reader-facing state instead of a throw. */
export async function scorePage(html, url, settings) {
  let response;
  try {
    response = await fetch(scoreEndpoint(settings), {
      method: "POST",
      headers: requestHeaders(settings),
      body: JSON.stringify({ html, url }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const what = error.name === "TimeoutError" ? "did not answer in time" : "could not be reached";
    return problem("server-unreachable", `The credibility server at ${settings.serverUrl} ${what}. Is it running? You can change its address in the options.`);
  }
  const body = await readJson(response);
  if (!response.ok) return httpProblem(response.status, body, settings);
  if (!body) return problem("server-error", "The server's answer was not valid JSON.");
  return resultFrom(body);
}

/** Back to the toolbar button's defaults for the tab: no badge, the plain title. */
async function clearBadge(tabId) {
  await api.action.setBadgeText({ tabId, text: "" });
  await api.action.setTitle({ tabId, title: api.runtime.getManifest().action?.default_title ?? "Claim Credibility" });
  return { ok: true };
}

async function showBadge(tabId, state) {
  let text = "!";
  let colour = BADGE_COLOURS.problem;
  let title = state.message ?? "";
  if (state.status === "checking") [text, colour, title] = ["…", BADGE_COLOURS.busy, "Checking this page…"];
  if (state.status === "done") {
    const count = state.claims.length;
    text = String(count);
    colour = count ? BADGE_COLOURS.claims : BADGE_COLOURS.none;
    title = count ? `${count} unsupported claim${count === 1 ? "" : "s"} on this page` : "No unsupported claims found on this page";
  }
  await api.action.setBadgeBackgroundColor({ tabId, color: colour });
  await api.action.setBadgeText({ tabId, text });
  await api.action.setTitle({ tabId, title: `Claim Credibility: ${title}` });
}

async function handleScore(message, sender) {
  const tabId = sender.tab?.id;
  const settings = await loadSettings();
  if (tabId === undefined || !allowedToSend(message, sender.url ?? message.url, settings)) {
    return { status: "off", message: "Not checked: this site is not set to be checked automatically." };
  }
  await showBadge(tabId, { status: "checking" });
  const state = message.tooLarge
    ? problem("too-large", `This page is too large to check (${Math.round(message.tooLarge / 1e6)} MB of HTML; the limit is 5 MB).`)
    : await scorePage(message.html, message.url, settings);
  // Turned off while the server was answering: show nothing for it (the popup cleared the tab).
  if (!allowedToSend(message, sender.url ?? message.url, await loadSettings())) {
    await clearBadge(tabId);
    return { status: "off", cleared: true, message: "Turned off for this site: this page's results were cleared." };
  }
  await showBadge(tabId, state);
  return state;
}

async function sendFeedback(feedback) {
  const settings = await loadSettings();
  const endpoint = `${settings.serverUrl.replace(/\/+$/, "")}/v1/feedback`;
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: requestHeaders(settings),
      body: JSON.stringify(feedback),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.ok) return { ok: true, message: "Thank you: your correction was sent." };
    const body = await readJson(response);
    return { ok: false, message: httpProblem(response.status, body, settings).message };
  } catch {
    return { ok: false, message: `The credibility server at ${settings.serverUrl} could not be reached.` };
  }
}

const handlers = {
  score: handleScore,
  check: (message) => checkTab(message.tabId),
  clear: (message) => clearBadge(message.tabId),
  feedback: (message) => sendFeedback(message.feedback),
};

// Only content scripts send pages; only the extension's own pages inject or send feedback.
const CONTENT_SCRIPT_MESSAGES = new Set(["score"]);

function fromExtensionPage(sender) {
  return (sender.url ?? "").startsWith(api.runtime.getURL(""));
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler || CONTENT_SCRIPT_MESSAGES.has(message.type) === fromExtensionPage(sender)) return false;
  handler(message, sender).then(sendResponse, (error) => sendResponse(problem("extension-error", `The extension failed: ${error.message}`)));
  return true;
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && SETTINGS_KEY in changes) syncAutoRun();
});
api.runtime.onStartup.addListener(syncAutoRun);
api.runtime.onInstalled.addListener(syncAutoRun);

// Exposed for the end-to-end test, which cannot click the toolbar button in headless Chromium.
globalThis.claimCredibility = { checkTab, scorePage, syncAutoRun };
