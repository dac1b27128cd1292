// Talking to the line: every webhook request goes through the app's relay, which signs it on the
// server as Twilio would; this page never holds the auth token.

export const CALLER = "+16175550123"; // a fictional 555 number
export const LINE = "+16175550100";
export const $ = (id) => document.getElementById(id);

export function hex(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(n / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const ACCOUNT = "AC" + hex(32); // one made-up Twilio account for the page's calls and texts

// Return the path and query of `url` as the line would be asked for it, resolved like Twilio does.
export function pathOf(url, docUrl) {
  const u = new URL(url || docUrl, new URL(docUrl, location.origin));
  return u.pathname + u.search;
}

async function webhook(path, params, method = "POST") {
  const relay = `/simulator/relay?to=${encodeURIComponent(path)}&method=${method}`;
  const r = await fetch(relay, {
    method: "POST",
    headers: { "X-IVR-Simulator": "1" },
    body: new URLSearchParams(params),
    credentials: "same-origin",
  });
  const text = await r.text();
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const root = doc.documentElement;
  const ok = r.ok && root && root.nodeName === "Response" && !doc.querySelector("parsererror");
  return { ok, status: r.status, root: ok ? root : null };
}

// Ask for TwiML; on an error, try the channel's fallback URL, as Twilio does.
export async function twiml(path, params, method, channel, note) {
  let answer = await webhook(path, params, method);
  if (!answer.ok) {
    note(`(the line answered ${path} with HTTP ${answer.status}; trying /${channel}/fallback)`);
    answer = await webhook(`/${channel}/fallback`, { ...params, ErrorCode: "11200", ErrorUrl: path });
  }
  return answer.ok ? answer.root : null;
}

export async function forget(channel) {
  await fetch(`/simulator/forget?channel=${channel}`,
    { method: "POST", headers: { "X-IVR-Simulator": "1" }, credentials: "same-origin" });
}
