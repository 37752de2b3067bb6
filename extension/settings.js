// Settings shared by the service worker, the popup and the options page.
// One module so the storage key, the defaults and the origin rules cannot drift apart.

export const api = globalThis.browser ?? globalThis.chrome;

export const SETTINGS_KEY = "settings";

export const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: "http://127.0.0.1:8080",
  apiKey: "",
  threshold: null,
  autoRunOrigins: [],
});

// Hosts covered by the manifest's host_permissions: a server here needs no extra grant.
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

/** Stored settings merged over the defaults, so a partial or old record still works. */
export async function loadSettings() {
  const stored = (await api.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] ?? {};
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function saveSettings(settings) {
  await api.storage.local.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, ...settings } });
}

/** The origin of an http(s) URL, or null for pages the extension never reads (chrome://, file:, ...). */
export function httpOrigin(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * Match pattern granting an origin. Ports are left out because Firefox match patterns cannot
 * carry one; the service worker still compares the exact origin before anything is sent.
 */
export function originPattern(origin) {
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}

export function isLocalOrigin(origin) {
  const { protocol, hostname } = new URL(origin);
  return protocol === "http:" && LOCAL_HOSTS.has(hostname);
}

/** Asks for host access to origins not covered by the manifest; must run inside a click handler. */
export async function requestHostAccess(origins) {
  const patterns = [...new Set(origins.filter((o) => !isLocalOrigin(o)).map(originPattern))];
  if (patterns.length === 0) return true;
  return api.permissions.request({ origins: patterns });
}
