// Popup: shows what the content script found on one tab and lets the reader act on it.
// The tab can be named with ?tab=<id> (used by the end-to-end test); otherwise the active tab.
import { api, httpOrigin, loadSettings, requestHostAccess, saveSettings } from "./settings.js";

const $ = (id) => document.getElementById(id);
const VERDICTS = {
  "none-found": "No unsupported claims found",
  mixed: "Some unsupported claims",
  "unsupported-claims": "Unsupported claims",
};

let tabId;
let pageUrl = null;
let current = { status: "idle" };
let settings;

async function targetTab() {
  const named = Number(new URLSearchParams(location.search).get("tab"));
  const tab = named ? await api.tabs.get(named) : (await api.tabs.query({ active: true, currentWindow: true }))[0];
  return tab;
}

/** Asks the tab's content script for its state; none answering means the page was not checked. */
async function pageState() {
  try {
    return (await api.tabs.sendMessage(tabId, { type: "getState" })) ?? { status: "idle" };
  } catch {
    return { status: "idle" };
  }
}

function setStatus(text, kind = "info") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

/** "Checked again at 14:03:12: " for a repeated check, so a second press visibly did something. */
function againPrefix(state) {
  if (!state.again) return "";
  const at = state.checkedAt ? ` at ${new Date(state.checkedAt).toLocaleTimeString()}` : "";
  return `Checked again${at}: `;
}

function statusWords(state) {
  if (state.status === "checking") return [state.again ? "Checking this page again…" : "Checking this page…", "info"];
  if (state.status === "error") return [`${againPrefix(state)}${state.message}`, "error"];
  if (state.status === "off" && state.cleared) {
    return ["Turned off: this site is off now and this page's results were cleared. Nothing more is sent from it. Press “Check this page” to check it once.", "info"];
  }
  if (state.status === "off") return ["This page was not checked: this site is off. Press “Check this page” to check it once.", "info"];
  if (state.status === "done" && state.claims.length === 0) return [`${againPrefix(state)}No unsupported claims found on this page.`, "info"];
  if (state.status === "done") {
    const n = state.claims.length;
    const missing = state.claims.filter((c) => !c.found).length;
    const note = missing ? ` (${missing} could not be found on the page and ${missing === 1 ? "is" : "are"} listed only here)` : "";
    return [`${againPrefix(state)}${n} unsupported claim${n === 1 ? "" : "s"} on this page${note}.`, "info"];
  }
  return ["This page has not been checked. Nothing is sent until you press “Check this page” or turn this site on.", "info"];
}

function renderVerdict(state) {
  const page = state.page;
  $("verdict").hidden = !page;
  if (!page) return;
  $("verdict-text").textContent = VERDICTS[page.verdict] ?? page.verdict;
  $("verdict-text").dataset.verdict = page.verdict;
  const claims = page.unsupported + page.supported;
  $("score").textContent = claims
    ? `score ${Number(page.score).toFixed(2)}: ${claims - page.unsupported} of ${claims} health claims not flagged (1.00 = none flagged; higher is better)`
    : "no health claims found to score";
  $("counts").textContent = `${page.unsupported} unsupported, ${page.supported} supported, of ${page.sentences} sentences · model ${state.model?.version ?? "?"}`;
}

function renderClaim(claim, index) {
  const item = $("claim-template").content.firstElementChild.cloneNode(true);
  const text = item.querySelector(".claim-text");
  text.textContent = claim.text;
  text.disabled = !claim.found;
  text.addEventListener("click", () => api.tabs.sendMessage(tabId, { type: "scrollTo", claim: index }));
  const where = claim.found ? "" : " · not found on the page";
  item.querySelector(".claim-meta").textContent = `${Math.round(claim.probability * 100)}% likely unsupported${where}`;
  const consensus = claim.match ? [`What is known: ${claim.match.consensus} (${claim.match.source})`] : [];
  for (const reason of [...(claim.reasons ?? []), ...consensus]) {
    const li = document.createElement("li");
    li.textContent = reason;
    item.querySelector(".reasons").appendChild(li);
  }
  const choices = item.querySelector(".contest-choices");
  item.querySelector(".wrong-flag").addEventListener("click", () => (choices.hidden = !choices.hidden));
  for (const choice of item.querySelectorAll(".choice")) {
    choice.addEventListener("click", () => sendFeedback(claim.text, choice.dataset.label, claim));
  }
  return item;
}

function render(state) {
  current = state;
  const [words, kind] = statusWords(state);
  setStatus(words, kind);
  renderVerdict(state);
  const claims = state.status === "done" ? state.claims : [];
  $("claims").replaceChildren(...claims.map(renderClaim));
  $("claims-section").hidden = claims.length === 0;
  $("report-section").hidden = state.status !== "done";
  $("check").disabled = state.status === "checking" || httpOrigin(pageUrl ?? "") === null;
}

async function sendFeedback(text, label, modelSentence) {
  const feedback = {
    url: pageUrl,
    text,
    label,
    model_label: modelSentence?.label ?? null,
    probability: modelSentence?.probability ?? null,
    model_version: current.model?.version ?? null,
  };
  $("feedback-status").textContent = "Sending…";
  const answer = await api.runtime.sendMessage({ type: "feedback", feedback });
  $("feedback-status").textContent = answer.message;
}

/** The model's view of the sentence the reader selected, so feedback records what it disagrees with. */
function sentenceContaining(selection) {
  const wanted = selection.toLowerCase();
  return (current.sentences ?? []).find((s) => s.text.toLowerCase().includes(wanted) || wanted.includes(s.text.toLowerCase()));
}

async function reportSelection() {
  const selection = await api.tabs.sendMessage(tabId, { type: "selection" }).catch(() => "");
  if (!selection) {
    $("feedback-status").textContent = "Select the sentence on the page first, then press the button again.";
    return;
  }
  const sentence = sentenceContaining(selection);
  await sendFeedback(sentence?.text ?? selection, "unsupported", sentence);
}

async function inject() {
  setStatus("Checking this page…");
  const answer = await api.runtime.sendMessage({ type: "check", tabId });
  if (!answer.ok) setStatus(answer.message, "error");
}

async function checkPage() {
  // Asked first, while the click still counts as a user gesture.
  if (await requestHostAccess([settings.serverUrl])) return inject();
  setStatus(`Not checked: the browser did not grant access to the server at ${settings.serverUrl}.`, "error");
}

async function setAutoRun(on) {
  const origin = httpOrigin(pageUrl);
  // Asked first, while the click still counts as a user gesture.
  if (on && !(await requestHostAccess([origin, settings.serverUrl]))) {
    $("auto-run").checked = false;
    setStatus("Not turned on: the browser did not grant access to this site or the server.", "error");
    return;
  }
  settings = await loadSettings();
  const others = settings.autoRunOrigins.filter((o) => o !== origin);
  settings = { ...settings, autoRunOrigins: on ? [...others, origin] : others };
  await saveSettings(settings);
  if (on) return inject();
  // Clears the page's marks, its badge and the button's tooltip now, not at the next page load.
  await api.tabs.sendMessage(tabId, { type: "turnOff" }).catch(() => {});
  await api.runtime.sendMessage({ type: "clear", tabId });
  render({ status: "off", cleared: true });
}

async function init() {
  const tab = await targetTab();
  tabId = tab.id;
  const state = await pageState();
  pageUrl = state.url ?? tab.url ?? null;
  const origin = httpOrigin(pageUrl ?? "");
  settings = await loadSettings();
  $("auto-run").checked = origin !== null && settings.autoRunOrigins.includes(origin);
  $("auto-run").disabled = origin === null;
  $("auto-run-label").textContent = origin ? `On for ${new URL(origin).host}` : "On for this site";
  render(origin === null && state.status === "idle" ? { status: "error", message: "This kind of page cannot be checked." } : state);
}

api.runtime.onMessage.addListener((message, sender) => {
  if (message?.type === "state" && sender.tab?.id === tabId) render(message.state);
});
/** Any failure of the popup's own code is shown in the popup, never left in the console only. */
const shown = (action) => (...args) =>
  action(...args).catch((error) => setStatus(`The extension failed: ${error.message}`, "error"));

$("check").addEventListener("click", shown(checkPage));
$("auto-run").addEventListener("change", shown((event) => setAutoRun(event.target.checked)));
$("report-selection").addEventListener("click", shown(reportSelection));
$("open-options").addEventListener("click", () => api.runtime.openOptionsPage());
shown(init)();
