// The simulator page: a phone, a text conversation and the menu, wired to the page's controls.

import { call, endCall, press, speak, startCall, timeUp } from "./sim-call.js";
import { poll } from "./sim-menu.js";
import { $ } from "./sim-net.js";
import { newConversation, sendText } from "./sim-text.js";

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
  $("new-chat").addEventListener("click", newConversation);
  // Number keys work the keypad while no text box has focus.
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    if ("0123456789*#".includes(e.key) && e.key.length === 1 && call.live) press(e.key);
  });
  poll();
  setInterval(poll, 2000);
}

wire();
