// The facilitator console (/live/facilitate/<session id>/): run of show, timers, breakouts, the room.
// Staff see progress per couple (working, done, paused, needs help, offline), never what couples write.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/live.css";
import { gettext, interpolate, language, ngettext } from "../shared/i18n";
import { LanguageChoice } from "../shared/LanguageChoice";
import type { MessageFields, SessionCommand, StepKind } from "../shared/protocol";
import { LiveSocket } from "../shared/socket";
import { createStore, useStore } from "../shared/store";
import { localTime, shortMinutes, useTick } from "../shared/time";
import type { Frame, Roster, RosterCouple, RunOfShowItem, SessionState, StaffPrompt } from "../shared/types";
import { ConnectionBanner, Countdown, fill, Notices, notify, readConfig } from "../shared/ui";
import "./console.css";
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
          ? gettext("Someone else changed the session just now. Check the screen and try again.")
          : frame.message || gettext("That didn't work."),
        "error",
      );
    }
  },
  () => store.set({ tick: store.get().tick + 1 }),
);

const STATUS_LABELS: Record<RosterCouple["status"], string> = {
  working: gettext("Working"),
  done: gettext("Done"),
  paused: gettext("Paused"),
  needs_help: gettext("Needs help"),
  offline: gettext("Offline"),
};

const SESSION_STATUS: Record<SessionState["status"], string> = {
  lobby: gettext("not started"),
  running: gettext("running"),
  paused: gettext("paused"),
  ended: gettext("ended"),
};

// The console's names for the step kinds (protocol.ts's STEP_KINDS labels, in the reader's language).
const KIND_LABELS: Record<StepKind, string> = {
  instruction: gettext("Instruction"),
  reflection: gettext("Private reflection"),
  answer_reveal: gettext("Answer, then reveal"),
  worksheet: gettext("Shared worksheet"),
  dialogue: gettext("Turn-taking dialogue"),
  agreement: gettext("Agreement"),
  poll: gettext("Anonymous pulse or poll"),
  break: gettext("Break"),
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
  return shortMinutes(Math.max(0, Math.round((end - Date.parse(a)) / 60000)));
}

/** A step's kind and planned length (and its exercise, where given), as the run of show and the Now panel say. */
function stepMeta(step: RunOfShowItem, withExercise = true): string {
  const planned = interpolate(gettext("planned %(minutes)s"), { minutes: shortMinutes(step.planned_minutes) });
  return [KIND_LABELS[step.kind], ...(withExercise ? [step.exercise] : []), planned].join(" · ");
}

// --- run of show ---------------------------------------------------------------------------------------------

function RunOfShow({ session }: { session: SessionState }) {
  const steps = session.run_of_show ?? [];
  const log = session.step_log ?? [];
  const live = session.status === "running" || session.status === "paused";
  const planned = steps.reduce((sum, s) => sum + s.planned_minutes, 0);
  return (
    <section class="panel" aria-labelledby="ros-heading">
      <h2 id="ros-heading">{gettext("Run of show")}</h2>
      <p class="hint">
        {session.started_at
          ? interpolate(gettext("Planned %(planned)s · started %(time)s, %(taken)s so far"), {
              planned: shortMinutes(planned),
              time: localTime(session.started_at),
              taken: minutesBetween(session.started_at, session.ended_at),
            })
          : interpolate(gettext("Planned %(planned)s"), { planned: shortMinutes(planned) })}
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
                <span lang={step.lang || undefined}>{step.title}</span>
                <span class="visually-hidden">{current && <> {gettext("(now)")}</>}</span>
              </span>
              {live && !current ? (
                <button
                  type="button"
                  class="quiet"
                  onClick={() => command("goto", { index: step.index })}
                  aria-label={interpolate(gettext("Go to step %(number)s: %(title)s"), { number: step.index + 1, title: step.title })}
                >
                  {gettext("Go to")}
                </button>
              ) : (
                <span />
              )}
              <span class="meta">
                {stepMeta(step)}
                {last && <> · {actual(last)}</>}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** "actual 14:05–14:17 (12 min)": when a step ran (the last time it did). */
function actual(run: { started_at: string; ended_at: string | null }): string {
  return interpolate(gettext("actual %(start)s–%(end)s (%(taken)s)"), {
    start: localTime(run.started_at),
    end: run.ended_at ? localTime(run.ended_at) : gettext("now"),
    taken: minutesBetween(run.started_at, run.ended_at),
  });
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
    <nav class="console-bar" aria-label={gettext("Session controls")}>
      <span class="where">
        {live ? interpolate(gettext("Step %(number)s/%(count)s"), { number: index + 1, count: session.step_count }) : gettext("Lobby")}
        {session.status === "paused" && <> · {gettext("paused")}</>}
      </span>
      {session.status === "lobby" && (
        <button type="button" onClick={() => startSession()}>
          {gettext("Start the session")}
        </button>
      )}
      {live && (
        <>
          <button type="button" class="quiet" onClick={() => command("back")} disabled={index === 0}>
            {gettext("← Back")}
          </button>
          <button type="button" onClick={() => command("advance")} disabled={index + 1 >= session.step_count}>
            {gettext("Next →")}
          </button>
          <button type="button" class="quiet" onClick={() => command(session.status === "paused" ? "resume" : "pause")}>
            {session.status === "paused" ? gettext("Resume") : gettext("Pause")}
          </button>
        </>
      )}
      {help > 0 && (
        <a class="button quiet" href="#help-heading">
          {interpolate(gettext("Help: %(count)s"), { count: help })}
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
        {session.status === "lobby"
          ? gettext("Lobby")
          : session.status === "ended"
            ? gettext("Session ended")
            : interpolate(gettext("Now: step %(number)s of %(count)s"), { number: index! + 1, count: session.step_count })}
        {session.status === "paused" && <> {gettext("(paused)")}</>}
      </h2>
      {session.status === "lobby" && (
        <div class="controls wide-only">
          <button type="button" onClick={() => startSession()}>
            {gettext("Start the session (N)")}
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
        <strong lang={step.lang || undefined}>{step.title}</strong>
        <br />
        <span class="hint">{stepMeta(step)}</span>
      </p>
      <div class="controls wide-only">
        <button type="button" class="quiet" onClick={() => command("back")} disabled={index === 0}>
          {gettext("← Back (B)")}
        </button>
        <button type="button" onClick={() => command("advance")} disabled={index + 1 >= session.step_count}>
          {gettext("Next (N) →")}
        </button>
        <button type="button" class="quiet" onClick={() => command(session.status === "paused" ? "resume" : "pause")}>
          {session.status === "paused" ? gettext("Resume session (Space)") : gettext("Pause session (Space)")}
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
      <h3>{gettext("Timer")}</h3>
      {timerSet ? (
        <p class="timer-big">
          <Countdown deadline={timer.deadline} pausedMs={timer.paused_remaining_ms} offsetMs={socket.offsetMs} label={gettext("Timer")} />
        </p>
      ) : (
        <p class="hint">{gettext("No timer running.")}</p>
      )}
      <div class="controls">
        {!timer.deadline && timer.paused_remaining_ms === null && (
          <>
            <span>
              <label for="timer-min">{gettext("Minutes")}</label>
              <input id="timer-min" type="number" min="1" max="240" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
            </span>
            <button type="button" onClick={() => command("timer.start", { seconds: Math.round(Number(minutes || planned) * 60) })}>
              {gettext("Start timer (T)")}
            </button>
          </>
        )}
        {timer.deadline && (
          <button type="button" class="quiet" onClick={() => command("timer.pause")}>
            {gettext("Pause timer (T)")}
          </button>
        )}
        {timer.paused_remaining_ms !== null && !timer.deadline && (
          <button type="button" onClick={() => command("timer.resume")}>
            {gettext("Resume timer (T)")}
          </button>
        )}
        {timerSet && (
          <>
            <button type="button" class="quiet" onClick={() => command("timer.extend", { seconds: 60 })}>
              +{shortMinutes(1)}
            </button>
            <button type="button" class="quiet" onClick={() => command("timer.extend", { seconds: 300 })}>
              +{shortMinutes(5)}
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
      <h3>{gettext("Breakout")}</h3>
      <p>
        {breakout === "open" && gettext("Couples are working in their private spaces.")}
        {breakout === "closing" &&
          fill(gettext("Closing in %(time)s"), {
            time: <Countdown deadline={session.breakout.closes_at} offsetMs={socket.offsetMs} label={gettext("Breakout closes in")} />,
          })}
        {breakout === "closed" && gettext("Closed: couples can read but not write (unless they paused).")}
      </p>
      <div class="controls">
        {breakout === "closed" && (
          <>
            <span>
              <label for="breakout-min">{gettext("Minutes")}</label>
              <input id="breakout-min" type="number" min="1" max="240" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
            </span>
            <button type="button" onClick={() => command("breakout.open", { seconds: Math.round(Number(minutes || planned) * 60) })}>
              {gettext("Open breakout (O)")}
            </button>
          </>
        )}
        {breakout === "open" && (
          <>
            <span>
              <label for="warning-s">{gettext("Warning (seconds)")}</label>
              <input id="warning-s" type="number" min="0" max="600" value={warning} onInput={(e) => setWarning((e.target as HTMLInputElement).value)} />
            </span>
            <button type="button" onClick={() => command("breakout.close", { warning_seconds: Math.round(Number(warning || 60)) })}>
              {gettext("Close with warning (C)")}
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
      <h3>{gettext("Your notes")}</h3>
      {step.facilitator_notes ? (
        <p class="notes-block" lang={step.lang || undefined}>
          {step.facilitator_notes}
        </p>
      ) : (
        <p class="hint">{gettext("No notes for this step.")}</p>
      )}
      {step.content_note && (
        <>
          <h3>{gettext("Content note")}</h3>
          <p class="content-note" lang={step.lang || undefined}>
            {step.content_note}
          </p>
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
      <h3>{fill(gettext("Next: %(title)s"), { title: <span lang={next.lang || undefined}>{next.title}</span> })}</h3>
      <p class="hint">{stepMeta(next, false)}</p>
      {warning && <p class="callout warn">{warning}</p>}
      {next.facilitator_notes && (
        <p class="notes-block" lang={next.lang || undefined}>
          {next.facilitator_notes}
        </p>
      )}
      {next.content_note && (
        <p class="content-note" lang={next.lang || undefined}>
          {next.content_note}
        </p>
      )}
    </>
  );
}

function Broadcast({ session }: { session: SessionState }) {
  const [broadcast, setBroadcast] = useState("");
  return (
    <>
      <h3>{gettext("Broadcast to every phone")}</h3>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          command("broadcast", { text: broadcast }).then(() => setBroadcast(""));
        }}
      >
        <span class="grow">
          <label for="broadcast">{gettext("Message")}</label>
          <input id="broadcast" maxLength={280} value={broadcast} onInput={(e) => setBroadcast((e.target as HTMLInputElement).value)} />
        </span>
        <button type="submit" disabled={!broadcast.trim()}>
          {gettext("Send")}
        </button>
        {session.broadcast && (
          <button type="button" class="quiet" onClick={() => command("broadcast", { text: "" })}>
            {gettext("Clear")}
          </button>
        )}
      </form>
      <p class="hint">
        {session.broadcast && <>{interpolate(gettext("Showing: “%(text)s”."), { text: session.broadcast.text })} </>}
        {gettext("A broadcast shows until you clear it or move to another step.")}
      </p>
    </>
  );
}

function EndSession() {
  const [confirmEnd, setConfirmEnd] = useState(false);
  return (
    <>
      <h3>{gettext("End")}</h3>
      {!confirmEnd ? (
        <button type="button" class="danger" onClick={() => setConfirmEnd(true)}>
          {gettext("End the session…")}
        </button>
      ) : (
        <div class="callout warn" role="group" aria-labelledby="end-q">
          <p id="end-q">{gettext("End the session for everyone? Phones show the closing screen.")}</p>
          <div class="row">
            <button type="button" class="danger" onClick={() => (setConfirmEnd(false), command("end"))}>
              {gettext("Yes, end it")}
            </button>
            <button type="button" class="quiet" onClick={() => setConfirmEnd(false)}>
              {gettext("Not yet")}
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
    if (reply.type === "error") notify(reply.message || gettext("That didn't work."), "error");
  });
}

/** One couple on the roster: names, status, phones; a walk-in couple waits to be admitted to the anonymous feedback. */
function CoupleCard({ couple: c, removing, setRemoving }: { couple: RosterCouple; removing: boolean; setRemoving: (id: number | null) => void }) {
  return (
    <li class={"couple-card st-" + c.status}>
      <span class="names">{c.names}</span>
      <br />
      <span class="st">{STATUS_LABELS[c.status]}</span>
      <br />
      <span class="hint">
        {c.one_phone
          ? gettext("one shared phone")
          : c.partners < 2
            ? gettext("alone")
            : interpolate(ngettext("%(count)s phone online", "%(count)s phones online", c.devices), { count: c.devices })}
      </span>
      {c.walk_in && (
        <>
          <br />
          <span class="hint">{c.admitted ? gettext("walk-in, admitted") : gettext("walk-in, not admitted yet")}</span>
        </>
      )}
      <br />
      {c.walk_in && !c.admitted && (
        <>
          <button type="button" aria-label={interpolate(gettext("Admit %(names)s"), { names: c.names })} onClick={() => admit(c.couple_id)}>
            {gettext("Admit")}
          </button>{" "}
        </>
      )}
      {removing ? (
        <span>
          <button type="button" class="danger" onClick={() => (setRemoving(null), socket.send("couple.remove", { couple_id: c.couple_id }))}>
            {gettext("Remove them")}
          </button>{" "}
          <button type="button" class="quiet" onClick={() => setRemoving(null)}>
            {gettext("Keep")}
          </button>
        </span>
      ) : (
        <button type="button" class="quiet" aria-label={interpolate(gettext("Remove %(names)s…"), { names: c.names })} onClick={() => setRemoving(c.couple_id)}>
          {gettext("Remove…")}
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
        <h2 id="room-heading">{gettext("The room")}</h2>
        <p>{gettext("Waiting for the first update…")}</p>
      </section>
    );
  }
  const total = roster.couples.length;
  const present = roster.couples_present;
  return (
    <section class="panel" aria-labelledby="room-heading">
      <h2 id="room-heading">{gettext("The room")}</h2>
      <div class="row">
        <p>
          {fill(ngettext("%(ready)s of %(count)s couple done", "%(ready)s of %(count)s couples done", total), {
            ready: (
              <span class="stat" data-testid="ready">
                {roster.ready.toLocaleString(language)}
              </span>
            ),
            count: <span class="stat">{total.toLocaleString(language)}</span>,
          })}
        </p>
        <p>
          {fill(ngettext("%(count)s couple present", "%(count)s couples present", present), {
            count: <span class="stat">{present.toLocaleString(language)}</span>,
          })}
        </p>
      </div>
      <h3 id="help-heading" tabIndex={-1}>
        {fill(gettext("Help requests %(count)s"), { count: <span class="badge">{roster.help.length.toLocaleString(language)}</span> })}
      </h3>
      <HelpSound />
      {roster.help.length === 0 ? (
        <p class="hint">{gettext("None.")}</p>
      ) : (
        <ul class="help-queue">
          {roster.help.map((h) => (
            <li key={h.id} class={h.private ? "private" : ""}>
              <strong>{h.private ? interpolate(gettext("Private: %(who)s"), { who: h.who ?? gettext("someone") }) : h.names || gettext("A couple")}</strong>
              {h.private && h.names ? <span class="hint"> ({h.names})</span> : null}
              <br />
              <span class="hint">
                {h.private ? gettext("Asked privately: their partner doesn't know.") : gettext("Asked as a couple.")} {localTime(h.asked_at)}
                {h.acknowledged && <> · {gettext("acknowledged")}</>}
              </span>
              <div>
                {!h.acknowledged && (
                  <button type="button" onClick={() => socket.send("help.acknowledge", { request_id: h.id, resolve: false })}>
                    {gettext("Acknowledge")}
                  </button>
                )}
                <button type="button" class="quiet" onClick={() => socket.send("help.acknowledge", { request_id: h.id, resolve: true })}>
                  {gettext("Resolve")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h3>{gettext("Couples")}</h3>
      {roster.couples.some((c) => c.walk_in) && (
        <p class="hint">
          {gettext("Admit a walk-in couple once you see them in the room: admitted couples count among the couples who can answer the next anonymous questions.")}
        </p>
      )}
      {total === 0 ? (
        <p class="hint">{gettext("No couples yet.")}</p>
      ) : (
        <ul class="couple-grid">
          {roster.couples.map((c) => (
            <CoupleCard key={c.couple_id} couple={c} removing={removing === c.couple_id} setRemoving={setRemoving} />
          ))}
        </ul>
      )}
      {roster.unpaired.length > 0 && (
        <>
          <h3>{gettext("Not paired yet")}</h3>
          <ul>
            {roster.unpaired.map((p) => (
              <li key={p.participant_id}>
                {p.name} {p.online ? "" : gettext("(offline)")}
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
      <h2 id="keys-heading">{gettext("Keyboard shortcuts")}</h2>
      <dl class="kbd-list">
        <dt><kbd>N</kbd></dt>
        <dd>{gettext("Next step (or start)")}</dd>
        <dt><kbd>B</kbd></dt>
        <dd>{gettext("Back one step")}</dd>
        <dt><kbd>T</kbd></dt>
        <dd>{gettext("Start, pause or resume the timer")}</dd>
        <dt><kbd>{gettext("Space")}</kbd></dt>
        <dd>{gettext("Pause or resume the session")}</dd>
        <dt><kbd>O</kbd></dt>
        <dd>{gettext("Open the breakout")}</dd>
        <dt><kbd>C</kbd></dt>
        <dd>{gettext("Close the breakout with a warning")}</dd>
        <dt><kbd>Esc</kbd></dt>
        <dd>{gettext("Leave a field or button, so the keys above work")}</dd>
      </dl>
      <p class="hint">{gettext("Keys work when no text field (and, for Space, no button) has the focus.")}</p>
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
  const status =
    socket.status === "closed" ? (socket.closeCode === 4403 ? gettext("You can't run this session.") : gettext("Not signed in.")) : "";
  return (
    <div class="live-root">
      <header class="console-head">
        <h1>{config.title}</h1>
        <span>{fill(gettext("Status: %(status)s"), { status: <strong>{session ? SESSION_STATUS[session.status] : gettext("connecting")}</strong> })}</span>
        <span>{fill(gettext("Join code: %(code)s"), { code: <span class="code">{config.join_code}</span> })}</span>
        <a href={config.projector_url} target="_blank" rel="noopener">
          {gettext("Open the projector view")}
        </a>
        <span>{socket.status === "open" ? gettext("Connected") : socket.status === "closed" ? gettext("Disconnected") : gettext("Reconnecting…")}</span>
        <LanguageChoice />
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
          <p>{gettext("Connecting…")}</p>
        )}
      </main>
      <Notices />
    </div>
  );
}

render(<Console />, document.getElementById("app")!);
listenForInteraction();
socket.start();
