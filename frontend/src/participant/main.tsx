// The participant app (/live/): phone first, one hand.
import { render } from "preact";
import "../shared/live.css";
import { readConfig } from "../shared/ui";
import { App } from "./App";
import { registerShellWorker } from "./Offline";
import { boot, type ShellConfig } from "./state";

render(<App />, document.getElementById("app")!);
boot();
registerShellWorker(!!readConfig<ShellConfig>().offline_shell);
