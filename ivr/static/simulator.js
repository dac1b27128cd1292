// The simulator: play a call and a text conversation through the line's real webhooks, doing
// with the TwiML they return what Twilio does. Requests go through the app's relay, which signs
// them on the server; this page never holds the auth token.
"use strict";

const CALLER = "+16175550123"; // a fictional 555 number
const LINE = "+16175550100";
const $ = (id) => document.getElementById(id);

// ---- talking to the app ---------------------------------------------------------------------

function hex(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(n / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Return the path and query of `url` as the line would be asked for it, resolved like Twilio does.
function pathOf(url, docUrl) {
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
async function twiml(path, params, method, channel) {
  let answer = await webhook(path, params, method);
  if (!answer.ok) {
    const why = `(the line answered ${path} with HTTP ${answer.status}; trying /${channel}/fallback)`;
    note(channel, why);
    answer = await webhook(`/${channel}/fallback`, { ...params, ErrorCode: "11200", ErrorUrl: path });
  }
  return answer.ok ? answer.root : null;
}

async function forget(channel) {
  await fetch(`/simulator/forget?channel=${channel}`,
    { method: "POST", headers: { "X-IVR-Simulator": "1" }, credentials: "same-origin" });
}

function note(channel, text) {
  if (channel === "voice") log("note", text); else bubble("note", text);
}

// ---- the call -------------------------------------------------------------------------------

const call = { live: false, sid: "", run: 0, gather: null, dial: null };

function log(kind, text) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  $("call-log").append(li);
  li.scrollIntoView({ block: "nearest" });
}

function status(text) { $("call-status").textContent = text; }

function callParams(extra) {
  return { AccountSid: "AC" + hex(32), CallSid: call.sid, From: CALLER, To: LINE, Caller: CALLER,
    Called: LINE, CallStatus: "in-progress", Direction: "inbound", ApiVersion: "2010-04-01", ...extra };
}

async function startCall() {
  if (call.live) return;
  await forget("voice");
  $("call-log").replaceChildren();
  Object.assign(call, { live: true, sid: "CA" + hex(32), run: call.run + 1 });
  $("call").disabled = true;
  $("hangup").disabled = false;
  log("note", `Calling ${LINE}…`);
  await request("/voice", {}, "POST", "/voice", call.run);
}

function endCall(why) {
  if (!call.live) return;
  call.live = false;
  call.run += 1; // anything still waiting belongs to a finished call
  stopGather();
  $("dial").hidden = true;
  speechStop();
  log("note", why);
  status("Not in a call.");
  $("call").disabled = false;
  $("hangup").disabled = true;
  menuTree.here(null);
}

async function request(url, extra, method, docUrl, run) {
  const path = pathOf(url, docUrl);
  status("Waiting for the line…");
  const root = await twiml(path, callParams(extra), method, "voice");
  if (run !== call.run) return;
  if (!root) return endCall("We are sorry, an application error has occurred. The call ends.");
  await perform(root, path, run);
}

async function perform(root, docUrl, run) {
  const listening = root.querySelector("Gather");
  menuTree.fromUrl(listening ? pathOf(listening.getAttribute("action"), docUrl) : docUrl);
  for (const verb of root.children) {
    if (run !== call.run) return;
    const name = verb.nodeName;
    if (name === "Say") await say(verb);
    else if (name === "Play") log("note", "(a sound plays)");
    else if (name === "Pause") await wait(Number(verb.getAttribute("length") || 1), run);
    else if (name === "Gather") {
      const got = await gather(verb, run);
      if (run !== call.run) return;
      if (got) {
        const action = verb.getAttribute("action") || docUrl;
        return request(action, got, verb.getAttribute("method") || "POST", docUrl, run);
      }
    } else if (name === "Redirect") {
      return request(verb.textContent.trim(), {}, verb.getAttribute("method") || "POST", docUrl, run);
    } else if (name === "Dial") {
      const ended = await dial(verb, run);
      if (run !== call.run) return;
      const action = verb.getAttribute("action");
      if (action) return request(action, ended, verb.getAttribute("method") || "POST", docUrl, run);
    } else if (name === "Hangup" || name === "Reject") return endCall("The line hung up.");
    else log("note", `(<${name}> is not simulated; skipped)`);
  }
  if (run === call.run) endCall("The line hung up: it had nothing more to say.");
}

function wait(seconds, run) {
  return new Promise((done) => setTimeout(done, seconds * 1000)).then(() => run === call.run);
}

// ---- Say, with the browser's voice when sound is on --------------------------------------------

async function say(verb) {
  const text = verb.textContent.trim();
  const loop = Number(verb.getAttribute("loop") || 1);
  log("line", loop === 1 ? text : `${text} (said ${loop === 0 ? "over and over" : loop + " times"})`);
  if (!$("sound").checked || !("speechSynthesis" in window)) return;
  const spoken = new SpeechSynthesisUtterance(text);
  spoken.lang = verb.getAttribute("language") || "en-US";
  await new Promise((done) => {
    spoken.onend = spoken.onerror = done;
    call.hush = done;
    speechSynthesis.speak(spoken);
  });
}

function speechStop() {
  if ("speechSynthesis" in window) speechSynthesis.cancel();
  if (call.hush) call.hush();
}

// ---- Gather: keys and words, with the timeout -----------------------------------------------

function gather(verb, run) {
  return new Promise((done) => {
    const input = (verb.getAttribute("input") || "dtmf").split(/\s+/);
    const finish = verb.hasAttribute("finishOnKey") ? verb.getAttribute("finishOnKey") : "#";
    const g = {
      run, digits: "", keys: input.includes("dtmf"), speech: input.includes("speech"),
      numDigits: Number(verb.getAttribute("numDigits") || 0), finish,
      timeout: Number(verb.getAttribute("timeout") || 5), onEmpty: verb.getAttribute("actionOnEmptyResult") === "true",
      timer: 0, left: 0, done, prompting: true,
    };
    call.gather = g;
    (async () => {
      for (const inner of verb.children) {
        if (call.gather !== g || !g.prompting) break;
        if (inner.nodeName === "Say") await say(inner);
        else if (inner.nodeName === "Play") log("note", "(a sound plays)");
        else if (inner.nodeName === "Pause") await wait(Number(inner.getAttribute("length") || 1), run);
      }
      if (call.gather === g) startTimer(g);
    })();
  });
}

function startTimer(g) {
  g.prompting = false;
  clearInterval(g.timer);
  g.left = g.timeout;
  const show = () => {
    const what = [g.keys && "a key", g.speech && "words"].filter(Boolean).join(" or ");
    $("gather-text").textContent = `The line waits for ${what}: ${g.left} s`;
  };
  show();
  $("gather").hidden = false;
  status("Listening.");
  g.timer = setInterval(() => {
    g.left -= 1;
    if (g.left <= 0) timeUp(g); else show();
  }, 1000);
}

function timeUp(g) {
  if (g.digits || g.onEmpty) return submit(g, { Digits: g.digits });
  log("note", "(silence)");
  finishGather(g, null);
}

function submit(g, result) { finishGather(g, result); }

function finishGather(g, result) {
  if (call.gather !== g) return;
  stopGather();
  g.done(result);
}

function stopGather() {
  if (call.gather) clearInterval(call.gather.timer);
  call.gather = null;
  $("gather").hidden = true;
}

function press(key) {
  if (!call.live) return;
  log("you", `pressed ${key}`);
  const g = call.gather;
  if (!g || !g.keys) return log("note", "(the line is not listening for keys now)");
  speechStop();
  g.prompting = false;
  if (g.finish && g.finish.includes(key)) return submit(g, { Digits: g.digits, FinishedOnKey: key });
  g.digits += key;
  if (g.numDigits && g.digits.length >= g.numDigits) return submit(g, { Digits: g.digits });
  startTimer(g); // the timeout starts again after each key
}

function speak(words) {
  if (!call.live) return;
  log("you", `said “${words}”`);
  const g = call.gather;
  if (!g || !g.speech) return log("note", "(the line is not listening for words now)");
  speechStop();
  submit(g, { SpeechResult: words, Confidence: "0.92" });
}

// ---- Dial: the person chooses how the transfer ends ----------------------------------------

function dial(verb, run) {
  const number = (verb.querySelector("Number") || verb).textContent.trim();
  const ring = verb.getAttribute("timeout") || "30";
  menuTree.number(number);
  log("note", `Connecting to ${number}… (rings up to ${ring} s)`);
  $("dial-text").textContent = `Connecting to ${number}…`;
  $("dial").hidden = false;
  status("Transferring.");
  return new Promise((done) => {
    call.dial = (how) => {
      call.dial = null;
      $("dial").hidden = true;
      if (run !== call.run) return done(null);
      log("note", `(the transfer ended: ${how})`);
      done({ DialCallStatus: how, DialCallSid: "CA" + hex(32),
        DialCallDuration: how === "completed" ? "60" : "0" });
    };
  });
}

// ---- the text conversation ------------------------------------------------------------------

function bubble(kind, text, meta) {
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
  li.scrollIntoView({ block: "nearest" });
}

async function sendText(body) {
  bubble("you", body, describe(body));
  const params = { AccountSid: "AC" + hex(32), MessageSid: "SM" + hex(32), From: CALLER, To: LINE,
    Body: body, NumMedia: "0", NumSegments: String(segments(body).count), ApiVersion: "2010-04-01" };
  const root = await twiml("/sms", params, "POST", "sms");
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
function segments(text) {
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

// ---- the menu panel -------------------------------------------------------------------------

const menuTree = {
  digest: null, rows: [], current: null,
  render(data) {
    $("line-name").textContent = data.name || "";
    const errors = data.error || [];
    $("menu-error").hidden = !errors.length;
    $("menu-error").replaceChildren(...errors.map((e) => item(e)));
    $("menu-status").textContent = !data.digest ? "No menu has loaded: calls and texts get the fallback."
      : errors.length ? `The last edit did not load; still using menu ${data.digest}.`
        : `Menu ${data.digest} is in use.`;
    if (data.digest === this.digest) return;
    this.digest = data.digest;
    this.rows = data.tree || [];
    $("tree").replaceChildren(...this.rows.map((r) => this.row(r)));
    const warns = data.warnings || [];
    $("warnings").replaceChildren(...(warns.length ? warns : ["None."]).map((w) => item(w)));
    this.here(this.current);
  },
  row(r) {
    const li = document.createElement("li");
    li.style.paddingLeft = `${r.depth * 1.2 + 0.3}rem`;
    if (r.kind === "heading") { li.className = "heading"; li.textContent = r.title; return li; }
    li.dataset.id = r.id;
    const key = document.createElement("span");
    key.className = "key";
    key.textContent = r.key ? r.key : "";
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = ` ${r.kind}${r.again ? ", see above" : ""}${r.number ? ", " + r.number : ""}`;
    li.append(key, `${r.title} (${r.id})`, kind);
    return li;
  },
  ids() { return new Set(this.rows.map((r) => r.id).filter(Boolean)); },
  // The voice webhooks carry the node id in their paths: the last segment that names one.
  fromUrl(path) {
    const known = this.ids();
    const found = path.split("?")[0].split("/").map(decodeURIComponent).filter((s) => known.has(s));
    if (found.length) this.here(found[found.length - 1]);
  },
  number(n) {
    const row = this.rows.find((r) => r.number === n);
    if (row) this.here(row.id);
  },
  here(id) {
    this.current = id;
    for (const li of $("tree").children) {
      const on = id !== null && li.dataset.id === id;
      li.classList.toggle("here", on);
      if (on) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    }
  },
};

function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

async function poll() {
  try {
    const r = await fetch("/simulator/menu.json", { cache: "no-store" });
    if (r.ok) menuTree.render(await r.json());
  } catch (e) {
    $("menu-status").textContent = "The line is not answering.";
  }
}

// ---- wiring ---------------------------------------------------------------------------------

function wire() {
  $("call").addEventListener("click", startCall);
  $("hangup").addEventListener("click", () => endCall("You hung up."));
  $("silent").addEventListener("click", () => call.gather && timeUp(call.gather));
  for (const b of document.querySelectorAll(".keypad button")) {
    b.addEventListener("click", () => press(b.dataset.key));
  }
  for (const b of document.querySelectorAll(".dial-buttons button")) {
    b.addEventListener("click", () => call.dial && call.dial(b.dataset.status));
  }
  $("say-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const words = $("say").value.trim();
    if (words) { $("say").value = ""; speak(words); }
  });
  $("text-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const body = $("text").value.trim();
    if (body) { $("text").value = ""; sendText(body); }
  });
  $("new-chat").addEventListener("click", async () => {
    await forget("sms");
    $("chat-log").replaceChildren();
    bubble("note", "A new conversation: the line has forgotten the last one.");
  });
  // Number keys work the keypad while no text box has focus.
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    if ("0123456789*#".includes(e.key) && e.key.length === 1 && call.live) press(e.key);
  });
  poll();
  setInterval(poll, 2000);
}

wire();
