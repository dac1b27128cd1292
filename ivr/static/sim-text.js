// The text conversation: messages to the sms webhook, replies as bubbles with their segments.

import { $, ACCOUNT, CALLER, LINE, forget, hex, twiml } from "./sim-net.js";

let texter = CALLER;

// Start over as a new phone: Twilio's cookie for the old conversation is gone, the number is new.
export async function newConversation() {
  await forget("sms");
  texter = "+161755501" + String(1 + Math.floor(Math.random() * 99)).padStart(2, "0");
  $("texter").textContent = texter;
  $("chat-log").replaceChildren();
  bubble("note", `A new conversation from ${texter}: the line has not heard from this phone.`);
}

export function bubble(kind, text) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  $("chat-log").append(li);
  li.parentElement.scrollTop = li.parentElement.scrollHeight; // the log scrolls, not the page
  return li;
}

export async function sendText(body) {
  const mine = bubble("you", body);
  const params = { AccountSid: ACCOUNT, MessageSid: "SM" + hex(32), From: texter, To: LINE,
    Body: body, NumMedia: "0", ApiVersion: "2010-04-01" };
  const root = await twiml("/sms", params, "POST", "sms", (t) => bubble("note", t));
  if (!root) return bubble("note", "(no reply: the line failed)");
  const messages = Array.from(root.children).filter((m) => m.nodeName === "Message");
  if (!messages.length) bubble("note", "(no reply)");
  const texts = messages.map((m) => (m.querySelector("Body") || m).textContent);
  const replies = texts.map((text) => bubble("line", text));
  await describe([mine, ...replies], [body, ...texts]);
  // Show where the reply starts: a long one is read from its top.
  if (replies.length) $("chat-log").scrollTop = replies[0].offsetTop - 8;
}

// Show each text's cost, counted by the server as the text line counts it.
async function describe(bubbles, texts) {
  const form = new URLSearchParams();
  for (const t of texts) form.append("text", t);
  const r = await fetch("/simulator/segments", { method: "POST", body: form });
  if (!r.ok) return;
  const counts = await r.json();
  bubbles.forEach((li, i) => {
    const { count, encoding } = counts[i];
    const small = document.createElement("small");
    small.className = "meta";
    small.textContent = `${count} segment${count === 1 ? "" : "s"} · ${encoding}`;
    li.append(small);
  });
}
