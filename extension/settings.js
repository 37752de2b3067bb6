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

/**
 * Asks for host access to the origins; resolves at once, without a prompt, when it is already
 * granted (Chrome grants the loopback server at install, Firefox lets the reader decline it).
 * Browsers accept the request only during a click, so callers make it before any other await.
 */
export function requestHostAccess(origins) {
  return api.permissions.request({ origins: [...new Set(origins.map(originPattern))] });
}
