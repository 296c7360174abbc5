// The facilitator console (/live/facilitate/<session id>/): run of show, timers, breakouts, the room.
// Staff see progress per couple (working, done, paused, needs help, offline), never what couples write.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/live.css";
import { type MessageFields, type SessionCommand, STEP_KINDS } from "../shared/protocol";
import { LiveSocket } from "../shared/socket";
import { createStore, useStore } from "../shared/store";
import { localTime, useTick } from "../shared/time";
import type { Frame, Roster, RosterCouple, RunOfShowItem, SessionState, StaffPrompt } from "../shared/types";
import { ConnectionBanner, Countdown, Notices, notify, readConfig } from "../shared/ui";
import { FeedbackPanel, neverReleases, pollThreshold, releasedById, type ReleaseReply } from "./Feedback";
import { helpQueueChanged, HelpSound, listenForInteraction } from "./helpAlert";

interface Config {
  session_id: number;
  title: string;
  join_code: string;
  join_url: string;
  projector_url: string;
}

const config = readConfig<Config>();
const store = createStore<{
  session: SessionState | null;
  roster: Roster | null;
  tick: number;
  prompts: StaffPrompt[] | null;
  k: number | null;
  replies: Record<number, ReleaseReply>;
}>({
  session: null,
  roster: null,
  tick: 0,
  prompts: null,
  k: null,
  replies: {},
});

const socket = new LiveSocket(
  LiveSocket.urlFor(config.session_id, "facilitator"),
  (frame: Frame) => {
    if (frame.type === "session") {
      const current = store.get().session;
      if (!current || frame.version >= current.version) store.set({ session: frame.state });
    } else if (frame.type === "roster") {
      store.set({ roster: frame as unknown as Roster });
      helpQueueChanged((frame as unknown as Roster).help ?? []);
    } else if (frame.type === "feedback") {
      store.set({ prompts: frame.prompts ?? [], k: frame.anonymity_k ?? null });
    } else if (frame.type === "release") {
      if (frame.id) releasedById.set(frame.id, !!frame.released);
    } else if (frame.type === "error") {
      notify(
        frame.code === "stale_version"
          ? "Someone else changed the session just now. Check the screen and try again."
          : frame.message || "That didn't work.",
        "error",
      );
    }
  },
  () => store.set({ tick: store.get().tick + 1 }),
);

const STATUS_LABELS: Record<RosterCouple["status"], string> = {
  working: "Working",
  done: "Done",
  paused: "Paused",
  needs_help: "Needs help",
  offline: "Offline",
};

// A command's own session frame normally comes at once (often before its ack). While Redis is down it does not
// come at all (the command applied; only the push was lost): the console asks for the state after this long
// rather than show the old one until the next ping (and have the next press refused as stale).
const OWN_FRAME_WAIT_MS = 1000;

type SessionArgs = Omit<MessageFields<"session.command">, "action" | "expected_version">;

function command(action: SessionCommand["action"], extra: SessionArgs = {}) {
  const session = store.get().session;
  if (!session) return Promise.resolve(null);
  const expected = session.version;
  return socket.send("session.command", { action, expected_version: expected, ...extra }).then((reply) => {
    if (reply.type === "ack") {
      window.setTimeout(() => {
        const now = store.get().session;
        if (now && now.version <= expected) socket.resync();
      }, OWN_FRAME_WAIT_MS);
    }
    return reply;
  });
}

/** Start the session; sooner than an hour before its planned start, only once the facilitator confirms. */
function startSession() {
  return command("start").then((reply) => {
    if (reply?.type === "error" && reply.code === "too_early" && window.confirm(reply.message)) return command("start", { early: true });
    return reply;
  });
}

function minutesBetween(a: string, b: string | null): string {
  const end = b ? Date.parse(b) : Date.now();
  const minutes = Math.max(0, Math.round((end - Date.parse(a)) / 60000));
  return `${minutes} min`;
}

// --- run of show ---------------------------------------------------------------------------------------------

function RunOfShow({ session }: { session: SessionState }) {
  const steps = session.run_of_show ?? [];
  const log = session.step_log ?? [];
  const live = session.status === "running" || session.status === "paused";
  const planned = steps.reduce((sum, s) => sum + s.planned_minutes, 0);
  return (
    <section class="panel" aria-labelledby="ros-heading">
      <h2 id="ros-heading">Run of show</h2>
      <p class="hint">
        Planned {planned} min{session.started_at ? ` · started ${localTime(session.started_at)}, ${minutesBetween(session.started_at, session.ended_at)} so far` : ""}
      </p>
      <ol class="ros">
        {steps.map((step) => {
          const runs = log.filter((l) => l.index === step.index);
          const last = runs[runs.length - 1];
          const current = live && session.step_index === step.index;
          return (
            <li key={step.index} aria-current={current ? "step" : undefined}>
              <span class="n">{step.index + 1}</span>
              <span>
                {step.title}
                <span class="visually-hidden">{current ? " (now)" : ""}</span>
              </span>
              {live && !current ? (
                <button type="button" class="quiet" onClick={() => command("goto", { index: step.index })} aria-label={`Go to step ${step.index + 1}: ${step.title}`}>
                  Go to
                </button>
              ) : (
                <span />
              )}
              <span class="meta">
                {STEP_KINDS[step.kind].label} · {step.exercise} · planned {step.planned_minutes} min
                {last ? ` · actual ${localTime(last.started_at)}–${last.ended_at ? localTime(last.ended_at) : "now"} (${minutesBetween(last.started_at, last.ended_at)})` : ""}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// --- the session's controls on a narrow screen -------------------------------------------------------------------

// On a narrow screen (a phone, a tablet held upright) the console's columns stack, and the Now panel's controls would
// sit far down the page: a compact bar at the top keeps Start, Back, Next, Pause and the help queue in reach wherever
// the console is scrolled to. On a wide screen the bar is hidden (CSS) and the Now panel has them.
function ConsoleBar({ session, roster }: { session: SessionState; roster: Roster | null }) {
  const index = session.step_index ?? 0;
  const live = session.status === "running" || session.status === "paused";
  const help = roster?.help.length ?? 0;
  if (session.status === "ended") return null;
  return (
    <nav class="console-bar" aria-label="Session controls">
      <span class="where">
        {live ? `Step ${index + 1}/${session.step_count}` : "Lobby"}
        {session.status === "paused" ? " · paused" : ""}
      </span>
      {session.status === "lobby" && (
        <button type="button" onClick={() => startSession()}>
          Start the session
        </button>
      )}
      {live && (
        <>
          <button type="button" class="quiet" onClick={() => command("back")} disabled={index === 0}>
            ← Back
          </button>
          <button type="button" onClick={() => command("advance")} disabled={index + 1 >= session.step_count}>
            Next →
          </button>
          <button type="button" class="quiet" onClick={() => command(session.status === "paused" ? "resume" : "pause")}>
            {session.status === "paused" ? "Resume" : "Pause"}
          </button>
        </>
      )}
      {help > 0 && (
        <a class="button quiet" href="#help-heading">
          Help: {help}
        </a>
      )}
    </nav>
  );
}

// --- now: step, timer, breakout, notes, broadcast ------------------------------------------------------------------

function Now({ session }: { session: SessionState }) {
  useTick(session.breakout.state === "closing");
  // The minutes fields start at the step's planned length whenever the step changes, and keep what was typed
  // while their controls come and go (a timer started and finished, a breakout opened and closed).
  const [timerMinutes, setTimerMinutes] = useState("");
  const [breakoutMinutes, setBreakoutMinutes] = useState("");
  const [warning, setWarning] = useState("60");
  const steps = session.run_of_show ?? [];
  const index = session.step_index;
  const step = index !== null ? steps[index] : null;
  const next = index !== null ? steps[index + 1] : steps[0];
  const live = session.status === "running" || session.status === "paused";
  const planned = step?.planned_minutes ?? 5;

  useEffect(() => {
    setTimerMinutes(String(planned));
    setBreakoutMinutes(String(planned));
  }, [index]);

  return (
    <section class="panel" aria-labelledby="now-heading">
      <h2 id="now-heading">
        {session.status === "lobby" ? "Lobby" : session.status === "ended" ? "Session ended" : `Now: step ${index! + 1} of ${session.step_count}`}
        {session.status === "paused" ? " (paused)" : ""}
      </h2>
      {session.status === "lobby" && (
        <div class="controls wide-only">
          <button type="button" onClick={() => startSession()}>
            Start the session (N)
          </button>
        </div>
      )}
      {step && live && (
        <>
          <CurrentStep session={session} step={step} />
          <TimerControls timer={session.timer} minutes={timerMinutes} setMinutes={setTimerMinutes} planned={planned} />
          {(session.step?.couple_phase ?? false) && (
            <BreakoutControls session={session} minutes={breakoutMinutes} setMinutes={setBreakoutMinutes} planned={planned} warning={warning} setWarning={setWarning} />
          )}
          <StepNotes step={step} />
        </>
      )}
      {next && session.status !== "ended" && <NextStep next={next} />}
      {session.status !== "ended" && (
        <>
          <Broadcast session={session} />
          <EndSession />
        </>
      )}
    </section>
  );
}

function CurrentStep({ session, step }: { session: SessionState; step: RunOfShowItem }) {
  const index = session.step_index!;
  return (
    <>
      <p class="lead">
        <strong>{step.title}</strong>
        <br />
        <span class="hint">
          {STEP_KINDS[step.kind].label} · {step.exercise} · planned {step.planned_minutes} min
        </span>
      </p>
      <div class="controls wide-only">
        <button type="button" class="quiet" onClick={() => command("back")} disabled={index === 0}>
          ← Back (B)
        </button>
        <button type="button" onClick={() => command("advance")} disabled={index + 1 >= session.step_count}>
          Next (N) →
        </button>
        <button type="button" class="quiet" onClick={() => command(session.status === "paused" ? "resume" : "pause")}>
          {session.status === "paused" ? "Resume session (Space)" : "Pause session (Space)"}
        </button>
      </div>
    </>
  );
}

// A minutes field, what was typed into it, and the planned minutes it falls back to when empty.
interface Minutes {
  minutes: string;
  setMinutes: (minutes: string) => void;
  planned: number;
}

function TimerControls({ timer, minutes, setMinutes, planned }: Minutes & { timer: SessionState["timer"] }) {
  const timerSet = timer.deadline || timer.paused_remaining_ms !== null;
  return (
    <>
      <h3>Timer</h3>
      {timerSet ? (
        <p class="timer-big">
          <Countdown deadline={timer.deadline} pausedMs={timer.paused_remaining_ms} offsetMs={socket.offsetMs} label="Timer" />
        </p>
      ) : (
        <p class="hint">No timer running.</p>
      )}
      <div class="controls">
        {!timer.deadline && timer.paused_remaining_ms === null && (
          <>
            <span>
              <label for="timer-min">Minutes</label>
              <input id="timer-min" type="number" min="1" max="240" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
            </span>
            <button type="button" onClick={() => command("timer.start", { seconds: Math.round(Number(minutes || planned) * 60) })}>
              Start timer (T)
            </button>
          </>
        )}
        {timer.deadline && (
          <button type="button" class="quiet" onClick={() => command("timer.pause")}>
            Pause timer (T)
          </button>
        )}
        {timer.paused_remaining_ms !== null && !timer.deadline && (
          <button type="button" onClick={() => command("timer.resume")}>
            Resume timer (T)
          </button>
        )}
        {timerSet && (
          <>
            <button type="button" class="quiet" onClick={() => command("timer.extend", { seconds: 60 })}>
              +1 min
            </button>
            <button type="button" class="quiet" onClick={() => command("timer.extend", { seconds: 300 })}>
              +5 min
            </button>
          </>
        )}
      </div>
    </>
  );
}

interface BreakoutProps extends Minutes {
  session: SessionState;
  warning: string;
  setWarning: (seconds: string) => void;
}

function BreakoutControls({ session, minutes, setMinutes, planned, warning, setWarning }: BreakoutProps) {
  const closing = session.breakout.state === "closing" && session.breakout.closes_at && Date.parse(session.breakout.closes_at) <= socket.serverNow();
  const breakout = closing ? "closed" : session.breakout.state;
  return (
    <>
      <h3>Breakout</h3>
      <p>
        {breakout === "open" && "Couples are working in their private spaces."}
        {breakout === "closing" && (
          <>
            Closing in <Countdown deadline={session.breakout.closes_at} offsetMs={socket.offsetMs} label="Breakout closes in" />
          </>
        )}
        {breakout === "closed" && "Closed: couples can read but not write (unless they paused)."}
      </p>
      <div class="controls">
        {breakout === "closed" && (
          <>
            <span>
              <label for="breakout-min">Minutes</label>
              <input id="breakout-min" type="number" min="1" max="240" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
            </span>
            <button type="button" onClick={() => command("breakout.open", { seconds: Math.round(Number(minutes || planned) * 60) })}>
              Open breakout (O)
            </button>
          </>
        )}
        {breakout === "open" && (
          <>
            <span>
              <label for="warning-s">Warning (seconds)</label>
              <input id="warning-s" type="number" min="0" max="600" value={warning} onInput={(e) => setWarning((e.target as HTMLInputElement).value)} />
            </span>
            <button type="button" onClick={() => command("breakout.close", { warning_seconds: Math.round(Number(warning || 60)) })}>
              Close with warning (C)
            </button>
          </>
        )}
      </div>
    </>
  );
}

function StepNotes({ step }: { step: RunOfShowItem }) {
  return (
    <>
      <h3>Your notes</h3>
      {step.facilitator_notes ? <p class="notes-block">{step.facilitator_notes}</p> : <p class="hint">No notes for this step.</p>}
      {step.content_note && (
        <>
          <h3>Content note</h3>
          <p class="content-note">{step.content_note}</p>
        </>
      )}
    </>
  );
}

/** Said before a poll step shows: its question can never show a result with the couples in the room now (each
 *  couple is two people who answer for themselves; words and free text need at least 8 answers). */
function pollWarning(step: RunOfShowItem): string {
  const { roster, k } = store.get();
  if (!step.poll_kind || !roster) return "";
  const couples = roster.couples.filter((c) => c.admitted).length;
  return neverReleases(pollThreshold(step.poll_kind, k ?? 5), couples);
}

function NextStep({ next }: { next: RunOfShowItem }) {
  useStore(store);
  const warning = pollWarning(next);
  return (
    <>
      <h3>Next: {next.title}</h3>
      <p class="hint">
        {STEP_KINDS[next.kind].label} · planned {next.planned_minutes} min
      </p>
      {warning && <p class="callout warn">{warning}</p>}
      {next.facilitator_notes && <p class="notes-block">{next.facilitator_notes}</p>}
      {next.content_note && <p class="content-note">{next.content_note}</p>}
    </>
  );
}

function Broadcast({ session }: { session: SessionState }) {
  const [broadcast, setBroadcast] = useState("");
  return (
    <>
      <h3>Broadcast to every phone</h3>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          command("broadcast", { text: broadcast }).then(() => setBroadcast(""));
        }}
      >
        <span class="grow">
          <label for="broadcast">Message</label>
          <input id="broadcast" maxLength={280} value={broadcast} onInput={(e) => setBroadcast((e.target as HTMLInputElement).value)} />
        </span>
        <button type="submit" disabled={!broadcast.trim()}>
          Send
        </button>
        {session.broadcast && (
          <button type="button" class="quiet" onClick={() => command("broadcast", { text: "" })}>
            Clear
          </button>
        )}
      </form>
      <p class="hint">
        {session.broadcast ? `Showing: “${session.broadcast.text}”. ` : ""}A broadcast shows until you clear it or move to another step.
      </p>
    </>
  );
}

function EndSession() {
  const [confirmEnd, setConfirmEnd] = useState(false);
  return (
    <>
      <h3>End</h3>
      {!confirmEnd ? (
        <button type="button" class="danger" onClick={() => setConfirmEnd(true)}>
          End the session…
        </button>
      ) : (
        <div class="callout warn" role="group" aria-labelledby="end-q">
          <p id="end-q">End the session for everyone? Phones show the closing screen.</p>
          <div class="row">
            <button type="button" class="danger" onClick={() => (setConfirmEnd(false), command("end"))}>
              Yes, end it
            </button>
            <button type="button" class="quiet" onClick={() => setConfirmEnd(false)}>
              Not yet
            </button>
          </div>
        </div>
      )}
    </>
  );
}

// --- the room: couples, help, ready ------------------------------------------------------------------------------------

/** Admit a walk-in couple to the anonymous feedback: it counts among the couples who can answer what opens next. */
function admit(coupleId: number) {
  socket.send("couple.admit", { couple_id: coupleId }).then((reply) => {
    if (reply.type === "error") notify(reply.message || "That didn't work.", "error");
  });
}

/** One couple on the roster: names, status, phones; a walk-in couple waits to be admitted to the anonymous feedback. */
function CoupleCard({ couple: c, removing, setRemoving }: { couple: RosterCouple; removing: boolean; setRemoving: (id: number | null) => void }) {
  return (
    <li class={`couple-card st-${c.status}`}>
      <span class="names">{c.names}</span>
      <br />
      <span class="st">{STATUS_LABELS[c.status]}</span>
      <br />
      <span class="hint">
        {c.one_phone ? "one shared phone" : c.partners < 2 ? "alone" : `${c.devices} phone${c.devices === 1 ? "" : "s"} online`}
      </span>
      {c.walk_in && (
        <>
          <br />
          <span class="hint">{c.admitted ? "walk-in, admitted" : "walk-in, not admitted yet"}</span>
        </>
      )}
      <br />
      {c.walk_in && !c.admitted && (
        <>
          <button type="button" aria-label={`Admit ${c.names}`} onClick={() => admit(c.couple_id)}>
            Admit
          </button>{" "}
        </>
      )}
      {removing ? (
        <span>
          <button type="button" class="danger" onClick={() => (setRemoving(null), socket.send("couple.remove", { couple_id: c.couple_id }))}>
            Remove them
          </button>{" "}
          <button type="button" class="quiet" onClick={() => setRemoving(null)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" class="quiet" aria-label={`Remove ${c.names}…`} onClick={() => setRemoving(c.couple_id)}>
          Remove…
        </button>
      )}
    </li>
  );
}

function Room({ roster }: { roster: Roster | null }) {
  const [removing, setRemoving] = useState<number | null>(null);
  if (!roster) {
    return (
      <section class="panel" aria-labelledby="room-heading">
        <h2 id="room-heading">The room</h2>
        <p>Waiting for the first update…</p>
      </section>
    );
  }
  const total = roster.couples.length;
  return (
    <section class="panel" aria-labelledby="room-heading">
      <h2 id="room-heading">The room</h2>
      <div class="row">
        <p>
          <span class="stat" data-testid="ready">
            {roster.ready} of {total}
          </span>{" "}
          couples done
        </p>
        <p>
          <span class="stat">{roster.couples_present}</span> present
        </p>
      </div>
      <h3 id="help-heading" tabIndex={-1}>
        Help requests <span class="badge">{roster.help.length}</span>
      </h3>
      <HelpSound />
      {roster.help.length === 0 ? (
        <p class="hint">None.</p>
      ) : (
        <ul class="help-queue">
          {roster.help.map((h) => (
            <li key={h.id} class={h.private ? "private" : ""}>
              <strong>{h.private ? `Private: ${h.who ?? "someone"}` : h.names || "A couple"}</strong>
              {h.private && h.names ? <span class="hint"> ({h.names})</span> : null}
              <br />
              <span class="hint">
                {h.private ? "Asked privately: their partner doesn't know. " : "Asked as a couple. "}
                {localTime(h.asked_at)}
                {h.acknowledged ? " · acknowledged" : ""}
              </span>
              <div>
                {!h.acknowledged && (
                  <button type="button" onClick={() => socket.send("help.acknowledge", { request_id: h.id, resolve: false })}>
                    Acknowledge
                  </button>
                )}
                <button type="button" class="quiet" onClick={() => socket.send("help.acknowledge", { request_id: h.id, resolve: true })}>
                  Resolve
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h3>Couples</h3>
      {roster.couples.some((c) => c.walk_in) && (
        <p class="hint">Admit a walk-in couple once you see them in the room: admitted couples count among the couples who can answer the next anonymous questions.</p>
      )}
      {total === 0 ? (
        <p class="hint">No couples yet.</p>
      ) : (
        <ul class="couple-grid">
          {roster.couples.map((c) => (
            <CoupleCard key={c.couple_id} couple={c} removing={removing === c.couple_id} setRemoving={setRemoving} />
          ))}
        </ul>
      )}
      {roster.unpaired.length > 0 && (
        <>
          <h3>Not paired yet</h3>
          <ul>
            {roster.unpaired.map((p) => (
              <li key={p.participant_id}>
                {p.name} {p.online ? "" : "(offline)"}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Shortcuts() {
  return (
    <section class="panel" aria-labelledby="keys-heading">
      <h2 id="keys-heading">Keyboard shortcuts</h2>
      <dl class="kbd-list">
        <dt><kbd>N</kbd></dt>
        <dd>Next step (or start)</dd>
        <dt><kbd>B</kbd></dt>
        <dd>Back one step</dd>
        <dt><kbd>T</kbd></dt>
        <dd>Start, pause or resume the timer</dd>
        <dt><kbd>Space</kbd></dt>
        <dd>Pause or resume the session</dd>
        <dt><kbd>O</kbd></dt>
        <dd>Open the breakout</dd>
        <dt><kbd>C</kbd></dt>
        <dd>Close the breakout with a warning</dd>
        <dt><kbd>Esc</kbd></dt>
        <dd>Leave a field or button, so the keys above work</dd>
      </dl>
      <p class="hint">Keys work when no text field (and, for Space, no button) has the focus.</p>
    </section>
  );
}

function onKey(e: KeyboardEvent) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement;
  if (e.key === "Escape") {
    (document.activeElement as HTMLElement | null)?.blur?.();
    return;
  }
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  const session = store.get().session;
  if (!session) return;
  const key = e.key.toLowerCase();
  const live = session.status === "running" || session.status === "paused";
  if (key === " ") {
    if (target.closest("button, a, summary")) return;
    e.preventDefault();
    if (live) command(session.status === "paused" ? "resume" : "pause");
  } else if (key === "n") {
    if (session.status === "lobby") startSession();
    else command("advance");
  } else if (key === "b" && live) {
    command("back");
  } else if (key === "t" && live) {
    const t = session.timer;
    if (t.deadline) command("timer.pause");
    else if (t.paused_remaining_ms !== null) command("timer.resume");
    else command("timer.start");
  } else if (key === "o" && live) {
    command("breakout.open");
  } else if (key === "c" && live) {
    command("breakout.close", { warning_seconds: 60 });
  }
}

function Console() {
  const state = useStore(store);
  useEffect(() => {
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const session = state.session;
  const status = socket.status === "closed" ? (socket.closeCode === 4403 ? "You can't run this session." : "Not signed in.") : "";
  return (
    <div class="live-root">
      <header class="console-head">
        <h1>{config.title}</h1>
        <span>
          Status: <strong>{session ? session.status : "connecting"}</strong>
        </span>
        <span>
          Join code: <span class="code">{config.join_code}</span>
        </span>
        <a href={config.projector_url} target="_blank" rel="noopener">
          Open the projector view
        </a>
        <span>{socket.status === "open" ? "Connected" : socket.status === "closed" ? "Disconnected" : "Reconnecting…"}</span>
      </header>
      {session && <ConsoleBar session={session} roster={state.roster} />}
      <ConnectionBanner socket={socket} />
      {status && (
        <p class="banner offline" role="alert">
          {status}
        </p>
      )}
      <main class="console" id="main">
        {session ? (
          <>
            <RunOfShow session={session} />
            <div>
              <Now session={session} />
              <FeedbackPanel
                socket={socket}
                prompts={state.prompts}
                k={state.k}
                replies={state.replies}
                onReply={(id, reply) => store.set({ replies: { ...store.get().replies, [id]: reply } })}
              />
            </div>
            <div>
              <Room roster={state.roster} />
              <Shortcuts />
            </div>
          </>
        ) : (
          <p>Connecting…</p>
        )}
      </main>
      <Notices />
    </div>
  );
}

render(<Console />, document.getElementById("app")!);
listenForInteraction();
socket.start();
