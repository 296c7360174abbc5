// The projector view (/live/projector/<session id>/): what the whole room may see. The join code and its QR
// code, how many couples are present (so a fake one would show), the step and a big timer; never any
// couple's status or content.
import { render } from "preact";
import "../shared/live.css";
import { QrCode } from "../shared/qr";
import { LiveSocket } from "../shared/socket";
import { createStore, useStore } from "../shared/store";
import { useTick } from "../shared/time";
import type { Frame, SessionState } from "../shared/types";
import { ConnectionBanner, Countdown, readConfig, useWakeLock } from "../shared/ui";

interface Config {
  session_id: number;
  title: string;
  join_code: string;
  join_url: string;
}

const config = readConfig<Config>();
const store = createStore<{ session: SessionState | null; present: number | null; tick: number }>({
  session: null,
  present: null,
  tick: 0,
});

const socket = new LiveSocket(
  LiveSocket.urlFor(config.session_id, "projector"),
  (frame: Frame) => {
    if (frame.type === "session") {
      const current = store.get().session;
      if (!current || frame.version >= current.version) store.set({ session: frame.state });
    } else if (frame.type === "presence") {
      store.set({ present: frame.couples_present });
    }
  },
  () => store.set({ tick: store.get().tick + 1 }),
);

function Join({ compact }: { compact: boolean }) {
  const host = new URL(config.join_url).host;
  return (
    <div class="pj-join">
      <QrCode text={config.join_url} label={`QR code to join: ${config.join_url}`} size={compact ? 200 : 320} />
      <p>
        Join at <strong>{host}/live/</strong> with the code
      </p>
      <p class="big-code" data-join-code={config.join_code}>
        {config.join_code}
      </p>
    </div>
  );
}

function Projector() {
  const state = useStore(store);
  useWakeLock(true);
  const session = state.session;
  useTick(session?.breakout.state === "closing");
  const step = session?.step;
  const timer = session?.timer;
  const hasTimer = !!timer && (!!timer.deadline || timer.paused_remaining_ms !== null);
  const closingAt = session?.breakout.state === "closing" ? session.breakout.closes_at : null;
  return (
    <div class="live-root">
      <ConnectionBanner socket={socket} />
      <main class="projector" id="main">
        <h1>{config.title}</h1>
        <div class="pj-body">
          <div>
            {!session || session.status === "lobby" ? (
              <>
                <p class="pj-exercise">Welcome</p>
                <p class="pj-step">We'll start in a moment. Join with your phones.</p>
              </>
            ) : session.status === "ended" ? (
              <p class="pj-step">Thank you for taking part.</p>
            ) : (
              <>
                <p class="pj-exercise">
                  Step {session.step_index! + 1} of {session.step_count} · {step?.exercise}
                </p>
                <p class="pj-step">{step?.title}</p>
                {session.status === "paused" && <p class="pj-broadcast">Paused for a moment</p>}
                {closingAt && (
                  <p class="pj-broadcast">
                    Closing in <Countdown deadline={closingAt} offsetMs={socket.offsetMs} label="Closing in" /> — finish your sentence
                  </p>
                )}
                {hasTimer && (
                  <Countdown
                    class="pj-timer"
                    deadline={timer!.deadline}
                    pausedMs={timer!.paused_remaining_ms}
                    offsetMs={socket.offsetMs}
                    label="Time left"
                  />
                )}
              </>
            )}
            {session?.broadcast && <p class="pj-broadcast">{session.broadcast.text}</p>}
          </div>
          {session?.status !== "ended" && <Join compact={!!session && session.status !== "lobby"} />}
        </div>
        <div class="pj-foot">
          <span class="pj-count" data-testid="present">
            {state.present === null ? "" : `${state.present} couple${state.present === 1 ? "" : "s"} here`}
          </span>
          <span>Your answers stay private to your couple.</span>
        </div>
      </main>
    </div>
  );
}

document.body.classList.add("projector-page");
render(<Projector />, document.getElementById("app")!);
socket.start();
