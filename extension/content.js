// Content script: sends the page once, then marks the unsupported sentences where they stand.
// Wrapped in a function so a second injection into the same page reuses the first instance
// instead of redeclaring everything and sending the page again.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const manual = globalThis.claimCredibilityManual === true;
  globalThis.claimCredibilityManual = false;
  if (globalThis.claimCredibilityPage) {
    globalThis.claimCredibilityPage.recheck(manual);
    return;
  }

  const MAX_HTML_BYTES = 5 * 1024 * 1024;
  const LABEL = "unsupported";
  const MARK_SELECTOR = `mark[data-credibility-label="${LABEL}"]`;
  // Not reader-visible text, or not a place where a <mark> can live.
  const SKIPPED = new Set(["script", "style", "noscript", "template", "textarea", "input", "select", "option",
    "svg", "math", "iframe", "object", "canvas", "claim-credibility-tooltip"]);
  // Runs of whitespace (JavaScript's \s) and invisible characters; a run with any real space in it
  // reads as one space, a run of invisible characters only as nothing.
  const SPECIAL_RUN = /[\s\u00ad\u200b-\u200d\u2060]+/g;
  const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
  const REAL_SPACE = /[^\u00ad\u200b-\u200d\u2060\ufeff]/;
  const FOLDED = { "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-" };
  const FOLDABLE = /[\u2018\u2019\u201c\u201d\u2013\u2014]/g;

  let state = { status: "idle" };
  let tooltip = null;
  let listening = false;
  let checks = 0; // finished checks of this page load, so a repeated one can say "checked again"

  // ---- what is sent: the page without form values, scripts or styles ----

  function pageHtml() {
    const clone = document.documentElement.cloneNode(true);
    clone.querySelectorAll("script, style, noscript, template, link[rel~='stylesheet']").forEach((el) => el.remove());
    clone.querySelectorAll("input").forEach((input) => input.removeAttribute("value"));
    clone.querySelectorAll("option").forEach((option) => option.removeAttribute("selected"));
    clone.querySelectorAll("textarea, [contenteditable]:not([contenteditable='false'])").forEach((el) => {
      el.textContent = "";
    });
    return `<!DOCTYPE html>${clone.outerHTML}`;
  }

  // ---- finding sentences: a whitespace-collapsed copy of the visible text, mapped back to nodes ----

  /**
   * Folds case, curly quotes and dashes so they never stop a match. Keeps the length, so offsets
   * into the result are offsets into the original (a string whose lower case is longer is kept as is).
   */
  function fold(text) {
    const lower = text.toLowerCase();
    return (lower.length === text.length ? lower : text).replace(FOLDABLE, (c) => FOLDED[c]);
  }

  function foldClaim(text) {
    return fold(text).replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  }

  class TextIndex {
    constructor(root) {
      this.parts = [];
      this.afterSpace = true;
      this.nodes = [];
      this.nodeOf = []; // per unit of text: index into nodes, or -1 for a block boundary
      this.offsetOf = [];
      this.visit(root);
      this.text = this.parts.join("");
    }

    boundary() {
      if (this.afterSpace) return;
      this.parts.push(" ");
      this.afterSpace = true;
      this.nodeOf.push(-1);
      this.offsetOf.push(-1);
    }

    visit(node) {
      if (node.nodeType === Node.TEXT_NODE) return this.addText(node);
      if (node.nodeType !== Node.ELEMENT_NODE || SKIPPED.has(node.localName)) return;
      const style = getComputedStyle(node);
      if (style.display === "none") return;
      const inline = style.display.startsWith("inline") || style.display === "contents";
      const block = node.localName === "br" || !inline;
      if (block) this.boundary();
      for (let child = node.firstChild; child; child = child.nextSibling) this.visit(child);
      if (block) this.boundary();
    }

    addText(node) {
      const parent = node.parentElement;
      if (!parent || getComputedStyle(parent).visibility !== "visible") return;
      const index = this.nodes.push(node) - 1;
      const folded = fold(node.data);
      let done = 0;
      for (const run of folded.matchAll(SPECIAL_RUN)) {
        this.keep(folded, done, run.index, index);
        const space = run[0].search(REAL_SPACE);
        if (space >= 0 && !this.afterSpace) this.keep(" ", 0, 1, index, run.index + space);
        done = run.index + run[0].length;
      }
      this.keep(folded, done, folded.length, index);
    }

    /** Appends text.slice(from, to), mapped to offsets from `offset` on in the node `node`. */
    keep(text, from, to, node, offset = from) {
      if (to <= from) return;
      this.parts.push(text.slice(from, to));
      for (let i = from; i < to; i++) {
        this.nodeOf.push(node);
        this.offsetOf.push(offset + i - from);
      }
      this.afterSpace = text[to - 1] === " ";
    }

    /** Per text node, the [start, end) offsets that the match [from, to) covers. */
    segments(from, to) {
      const byNode = new Map();
      for (let i = from; i < to; i++) {
        const node = this.nodeOf[i];
        if (node < 0) continue;
        const seg = byNode.get(node) ?? { node, start: this.offsetOf[i], end: 0 };
        seg.end = this.offsetOf[i] + 1;
        byNode.set(node, seg);
      }
      return [...byNode.values()];
    }
  }

  /** First occurrence at or after `from` (then anywhere) that overlaps no sentence already placed. */
  function locate(index, needle, from, taken) {
    const overlaps = (start) => taken.some(([s, e]) => start < e && start + needle.length > s);
    for (const origin of [from, 0]) {
      for (let at = index.text.indexOf(needle, origin); at >= 0; at = index.text.indexOf(needle, at + 1)) {
        if (!overlaps(at)) return at;
      }
    }
    return -1;
  }

  function describe(claim) {
    const percent = Math.round((claim.probability ?? 0) * 100);
    const reasons = (claim.reasons ?? []).join("; ") || "no reason given";
    const known = claim.match ? ` What is known: ${claim.match.consensus} (${claim.match.source}).` : "";
    return `Unsupported claim (${percent}% likely). Why: ${reasons}.${known}`;
  }

  function wrap(textNode, start, end, claimIndex, description) {
    if (end < textNode.length) textNode.splitText(end);
    const inner = start > 0 ? textNode.splitText(start) : textNode;
    const mark = document.createElement("mark");
    mark.setAttribute("data-credibility-label", LABEL);
    mark.setAttribute("data-credibility-claim", String(claimIndex));
    mark.setAttribute("aria-description", description);
    inner.parentNode.insertBefore(mark, inner);
    mark.appendChild(inner);
    return mark;
  }

  /** Wraps every claim found; returns, per claim, whether it was found on the page. */
  function highlight(claims) {
    const index = new TextIndex(document.body);
    const taken = [];
    const pieces = [];
    let from = 0;
    const found = claims.map((claim, claimIndex) => {
      const needle = foldClaim(claim.text);
      const at = needle ? locate(index, needle, from, taken) : -1;
      if (at < 0) return false;
      taken.push([at, at + needle.length]);
      from = at + needle.length;
      for (const seg of index.segments(at, at + needle.length)) pieces.push({ ...seg, claimIndex });
      return true;
    });
    // Split from the end of the page backwards so earlier offsets in a node stay valid.
    pieces.sort((a, b) => b.node - a.node || b.start - a.start);
    const firstMark = new Map();
    for (const piece of pieces) {
      const claim = claims[piece.claimIndex];
      const mark = wrap(index.nodes[piece.node], piece.start, piece.end, piece.claimIndex, describe(claim));
      firstMark.set(piece.claimIndex, mark);
    }
    for (const mark of firstMark.values()) mark.tabIndex = 0;
    return found;
  }

  function clearHighlights() {
    hideTooltip();
    for (const mark of document.querySelectorAll(MARK_SELECTOR)) {
      const parent = mark.parentNode;
      mark.replaceWith(...mark.childNodes);
      parent.normalize();
    }
  }

  // ---- the tooltip: one element with a closed shadow root, so page CSS cannot reach it ----

  const TOOLTIP_CSS = `
    .box { max-width: 22rem; padding: .5rem .7rem; border-radius: 6px; background: #1f1f1f; color: #fff;
      font: 13px/1.4 system-ui, sans-serif; box-shadow: 0 2px 8px rgba(0,0,0,.35); border: 2px solid #ffd600; }
    .title { font-weight: 600; margin: 0 0 .25rem; }
    ul { margin: 0; padding-left: 1.1rem; }
    .hint { margin: .35rem 0 0; color: #ddd; font-size: 12px; }`;

  function tooltipParts() {
    if (tooltip) return tooltip;
    const host = document.createElement("claim-credibility-tooltip");
    host.style.cssText = "all: initial; position: fixed; z-index: 2147483647; pointer-events: none; display: none;";
    const root = host.attachShadow({ mode: "closed" });
    const style = document.createElement("style");
    style.textContent = TOOLTIP_CSS;
    const box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "tooltip");
    root.append(style, box);
    document.documentElement.appendChild(host);
    tooltip = { host, box };
    return tooltip;
  }

  function showTooltip(mark) {
    const claim = state.claims?.[Number(mark.getAttribute("data-credibility-claim"))];
    if (!claim) return;
    const { host, box } = tooltipParts();
    const title = document.createElement("p");
    title.className = "title";
    title.textContent = `Unsupported claim: ${Math.round(claim.probability * 100)}% likely`;
    const list = document.createElement("ul");
    for (const reason of claim.reasons ?? []) {
      const item = document.createElement("li");
      item.textContent = reason;
      list.appendChild(item);
    }
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = "Disagree? Report a wrong flag from the toolbar button.";
    box.replaceChildren(title, list, hint);
    const rect = mark.getClientRects()[0] ?? mark.getBoundingClientRect();
    host.style.display = "block";
    const below = rect.bottom + 6 + host.offsetHeight < innerHeight;
    host.style.top = `${below ? rect.bottom + 6 : Math.max(0, rect.top - 6 - host.offsetHeight)}px`;
    host.style.left = `${Math.max(0, Math.min(rect.left, innerWidth - host.offsetWidth - 4))}px`;
  }

  function hideTooltip() {
    if (tooltip) tooltip.host.style.display = "none";
  }

  const markFrom = (event) => (event.target instanceof Element ? event.target.closest(MARK_SELECTOR) : null);

  function listenForTooltips() {
    if (listening) return;
    listening = true;
    document.addEventListener("mouseover", (event) => markFrom(event) && showTooltip(markFrom(event)));
    document.addEventListener("mouseout", (event) => markFrom(event) && hideTooltip());
    document.addEventListener("focusin", (event) => markFrom(event) && showTooltip(markFrom(event)));
    document.addEventListener("focusout", (event) => markFrom(event) && hideTooltip());
    document.addEventListener("keydown", (event) => event.key === "Escape" && hideTooltip());
    addEventListener("scroll", hideTooltip, { passive: true });
  }

  // ---- the check itself: one request per page load ----

  function announce() {
    api.runtime.sendMessage({ type: "state", state }).catch(() => {}); // no popup open: nobody to tell
  }

  async function run(isManual) {
    const again = checks > 0;
    clearHighlights();
    state = { status: "checking", again };
    announce();
    const html = pageHtml();
    const bytes = new Blob([html]).size;
    const request = { type: "score", url: location.href, manual: isManual };
    Object.assign(request, bytes > MAX_HTML_BYTES ? { tooLarge: bytes } : { html });
    let answer;
    try {
      answer = await api.runtime.sendMessage(request);
    } catch (error) {
      answer = { status: "error", code: "extension-error", message: `The extension could not check this page: ${error.message}` };
    }
    if (state.status === "off") return; // the site was turned off while the server was answering
    if (answer?.status === "done") {
      const found = highlight(answer.claims);
      answer.claims = answer.claims.map((claim, i) => ({ ...claim, found: found[i] }));
      if (answer.claims.length) listenForTooltips();
    }
    state = answer ?? { status: "error", code: "extension-error", message: "The extension did not answer." };
    checks += 1;
    if (again) state.again = true;
    state.checkedAt = Date.now();
    announce();
  }

  /**
   * A second injection into the same page. A press of "Check this page" checks it again (one
   * request per press; the old marks are removed first); an auto-run injection only re-reports,
   * unless the first attempt did not give a result. Never while a check is still running.
   */
  function recheck(isManual) {
    if (state.status === "checking") announce();
    else if (isManual || ["idle", "off", "error"].includes(state.status)) run(isManual);
    else announce();
  }

  function scrollToClaim(claimIndex) {
    const mark = document.querySelector(`${MARK_SELECTOR}[data-credibility-claim="${Number(claimIndex)}"][tabindex]`);
    if (!mark) return false;
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
    showTooltip(mark);
    return true;
  }

  function selectedText() {
    return (getSelection()?.toString() ?? "").replace(/\s+/g, " ").trim();
  }

  function turnOff() {
    clearHighlights();
    state = { status: "off", cleared: true, message: "Turned off for this site: this page's results were cleared." };
    announce();
  }

  const requests = {
    getState: () => ({ ...state, url: location.href }),
    scrollTo: (message) => scrollToClaim(message.claim),
    selection: () => selectedText(),
    turnOff: () => turnOff(),
  };

  api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    const handler = requests[message?.type];
    if (!handler) return false;
    sendResponse(handler(message));
    return false;
  });

  globalThis.claimCredibilityPage = { recheck };
  run(manual);
})();
