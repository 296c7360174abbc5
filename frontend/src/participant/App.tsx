// Which screen this phone shows: entering, consent, the live session, waiting for the network, or "you're out".
import { gettext } from "../shared/i18n";
import { LanguageChoice } from "../shared/LanguageChoice";
import { useStore } from "../shared/store";
import { Notices } from "../shared/ui";
import { ConsentScreen, JoinScreen } from "./Enter";
import { LiveScreen } from "./Live";
import { WaitingScreen } from "./Offline";
import { store } from "./state";

export function App() {
  const state = useStore(store);
  return (
    <div class="live-root">
      {state.phase === "boot" && (
        <main class="live-main" id="main">
          <h1>Attune</h1>
          <p>{gettext("Opening…")}</p>
        </main>
      )}
      {state.phase === "waiting" && <WaitingScreen />}
      {state.phase === "join" && <JoinScreen />}
      {state.phase === "consent" && <ConsentScreen />}
      {state.phase === "live" && <LiveScreen />}
      {state.phase === "gone" && (
        <main class="live-main" id="main">
          <h1>{state.removed ? gettext("You've left this session") : gettext("This session isn't available")}</h1>
          <p>
            {state.removed
              ? gettext("A facilitator has removed your couple from this workshop. If that's a mistake, please speak to them.")
              : state.goneReason}
          </p>
          <p>
            <a class="button" href="/live/">
              {gettext("Join a session")}
            </a>
          </p>
          <LanguageChoice />
        </main>
      )}
      <Notices />
    </div>
  );
}
