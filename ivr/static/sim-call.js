// The call: do with the voice webhooks' TwiML what Twilio does, verb by verb.

import { $, ACCOUNT, CALLER, LINE, forget, hex, pathOf, twiml } from "./sim-net.js";
import { menuTree } from "./sim-menu.js";

export const call = { live: false, sid: "", run: 0, gather: null, dial: null };

function log(kind, text) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  $("call-log").append(li);
  li.parentElement.scrollTop = li.parentElement.scrollHeight; // the log scrolls, not the page
}

function status(text) { $("call-status").textContent = text; }

function callParams(extra) {
  return { AccountSid: ACCOUNT, CallSid: call.sid, From: CALLER, To: LINE, Caller: CALLER,
    Called: LINE, CallStatus: "in-progress", Direction: "inbound", ApiVersion: "2010-04-01", ...extra };
}

export async function startCall() {
  if (call.live) return;
  await forget("voice");
  $("call-log").replaceChildren();
  Object.assign(call, { live: true, sid: "CA" + hex(32), run: call.run + 1 });
  $("call").disabled = true;
  $("hangup").disabled = false;
  log("note", `Calling ${LINE}…`);
  await request("/voice", {}, "POST", "/voice", call.run);
}

export function endCall(why) {
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
  menuTree.clear();
}

async function request(url, extra, method, docUrl, run) {
  const path = pathOf(url, docUrl);
  status("Waiting for the line…");
  const root = await twiml(path, callParams(extra), method, "voice", (t) => log("note", t));
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
    // Some browsers have no voice and never say they ended: go on after about the time it takes.
    setTimeout(done, 2000 + text.length * 100);
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

export function timeUp(g) {
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

export function press(key) {
  if (!call.live) return status("Press Call first: no call is in progress.");
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

export function speak(words) {
  if (!call.live) return status("Press Call first: no call is in progress.");
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
