// The text conversation: messages to the sms webhook, replies as bubbles with their segments.

import { $, CALLER, LINE, forget, hex, twiml } from "./sim-net.js";

let texter = CALLER;

// Start over as a new phone: Twilio's cookie for the old conversation is gone, the number is new.
export async function newConversation() {
  await forget("sms");
  texter = "+161755501" + String(1 + Math.floor(Math.random() * 99)).padStart(2, "0");
  $("texter").textContent = texter;
  $("chat-log").replaceChildren();
  bubble("note", `A new conversation from ${texter}: the line has not heard from this phone.`);
}

export function bubble(kind, text, meta) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  if (meta) {
    const small = document.createElement("small");
    small.className = "meta";
    small.textContent = meta;
    li.append(small);
  }
  $("chat-log").append(li);
  li.parentElement.scrollTop = li.parentElement.scrollHeight; // the log scrolls, not the page
}

export async function sendText(body) {
  bubble("you", body, describe(body));
  const params = { AccountSid: "AC" + hex(32), MessageSid: "SM" + hex(32), From: texter, To: LINE,
    Body: body, NumMedia: "0", NumSegments: String(segments(body).count), ApiVersion: "2010-04-01" };
  const root = await twiml("/sms", params, "POST", "sms", (t) => bubble("note", t));
  if (!root) return bubble("note", "(no reply: the line failed)");
  const messages = Array.from(root.children).filter((m) => m.nodeName === "Message");
  if (!messages.length) bubble("note", "(no reply)");
  for (const m of messages) {
    const text = (m.querySelector("Body") || m).textContent;
    bubble("line", text, describe(text));
  }
}

function describe(text) {
  const s = segments(text);
  return `${s.count} segment${s.count === 1 ? "" : "s"} · ${s.encoding}`;
}

// GSM-7 (3GPP 23.038): the basic set costs one septet a character, the extension set two.
const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXT = "\f^{}\\[~]|€";

// Count SMS segments as carriers do, never splitting a character across two segments.
export function segments(text) {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM.includes(c) || GSM_EXT.includes(c));
  const sizes = chars.map((c) => (gsm ? (GSM_EXT.includes(c) ? 2 : 1) : c.length));
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const total = sizes.reduce((a, b) => a + b, 0);
  let count = 1;
  if (total > single) {
    let used = 0;
    for (const n of sizes) {
      if (used + n > part) { count += 1; used = 0; }
      used += n;
    }
  }
  return { count, encoding: gsm ? "GSM-7" : "UCS-2" };
}
