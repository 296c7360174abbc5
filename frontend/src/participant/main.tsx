// The participant app (/live/): phone first, one hand.
import { render } from "preact";
import "../shared/live.css";
import { App } from "./App";
import { registerShellWorker } from "./Offline";
import { boot } from "./state";

render(<App />, document.getElementById("app")!);
boot();
registerShellWorker();
