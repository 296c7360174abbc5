// The participant app (/live/): phone first, one hand.
import { render } from "preact";
import "../shared/live.css";
import { App } from "./App";
import { registerShellWorker } from "./Offline";
import { boot, takeOverJoinScreen } from "./state";

function start(): void {
  const root = document.getElementById("app")!;
  takeOverJoinScreen(root);
  render(<App />, root);
  document.documentElement.dataset.app = "running"; // the page's own elements are the app's now (tests, bench)
  boot();
  registerShellWorker();
}

// A page that drew its own first screen (the join screen: templates/live/_join_screen.html) shows it before the
// app's work takes the phone's thread: the app starts after the next frame. A hidden page draws no frames.
if (document.getElementById("join-code") && document.visibilityState === "visible") {
  requestAnimationFrame(() => setTimeout(start));
} else {
  start();
}
