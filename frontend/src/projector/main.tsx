// The projector view (/live/projector/<session id>/): what the whole room may see. The join code and its QR
// code, how many couples are present (so a fake one would show), the step and a big timer, how many couples can
// answer each open anonymous question (and how many of them are walk-ins), and the released results the
// facilitator shows, each with how many couples its answers came from; never any couple's status or content.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/live.css";
import { gettext, interpolate, language, ngettext } from "../shared/i18n";
import { LanguageChoice } from "../shared/LanguageChoice";
import { QrCode } from "../shared/qr";
import { Bars, barsOf, summaryOf, whoCanAnswer, WordList } from "../shared/results";
import { LiveSocket } from "../shared/socket";
import { createStore, useStore } from "../shared/store";
import { useTick } from "../shared/time";
import type { FeedbackPrompt, Frame, ScaleRange, SessionState, ShownResult } from "../shared/types";
import { ConnectionBanner, Countdown, fill, readConfig, useWakeLock } from "../shared/ui";
import "./projector.css";

interface Config {
  session_id: number;
  title: string;
  join_code: string;
  join_url: string;
}

const config = readConfig<Config>();
interface PState {
  session: SessionState | null;
  present: number | null;
  tick: number;
  shown: ShownResult[];
  open: FeedbackPrompt[]; // the open questions: the room sees how many couples can answer each
  seen: Record<number, string> | null; // each shown result as last received, to notice the one that changed
  featured: number | null; // the result the facilitator showed last
  featuredAt: string; // ... during this step: moving on (or ending) brings the step back
  scales: Record<number, ScaleRange>; // the scale's end labels, from the open questions
  k: number | null; // the session's anonymity threshold: what a release needs, said on screen
}

const store = createStore<PState>({
  session: null,
  present: null,
  tick: 0,
  shown: [],
  open: [],
  seen: null,
  featured: null,
  featuredAt: "",
  k: null,
  scales: {},
});

function moment(session: SessionState | null): string {
  return session ? `${session.status === "ended" ? "ended" : "live"}:${session.step_index}` : "";
}

/** A feedback frame: the result that appeared or changed (a release, a word hidden) is the one to show. */
function onFeedback(frame: Frame): void {
  const state = store.get();
  const shown: ShownResult[] = (frame.shown ?? []).filter((s: ShownResult) => s.result);
  const seen: Record<number, string> = {};
  let changed: number | null = null;
  for (const s of shown) {
    seen[s.prompt_id] = JSON.stringify(s.result);
    if (state.seen?.[s.prompt_id] !== seen[s.prompt_id]) changed = s.prompt_id;
  }
  const scales = { ...state.scales };
  for (const p of frame.prompts ?? []) if (p.scale) scales[p.id] = p.scale;
  let { featured, featuredAt } = state;
  // The first frame after (re)loading shows nothing old: only a result released or changed from now on.
  if (changed !== null && state.seen !== null) {
    featured = changed;
    featuredAt = moment(state.session);
  }
  if (featured !== null && !(featured in seen)) featured = null;
  const open: FeedbackPrompt[] = (frame.prompts ?? []).filter((p: FeedbackPrompt) => p.state === "open");
  store.set({ shown, open, seen, featured, featuredAt, scales, k: typeof frame.anonymity_k === "number" ? frame.anonymity_k : null });
}

// The socket speaks the page's language, which may be the projector's own (its address's ?lang=), not the cookie's.
const socket = new LiveSocket(
  LiveSocket.urlFor(config.session_id, "projector", language),
  (frame: Frame) => {
    if (frame.type === "session") {
      const current = store.get().session;
      if (!current || frame.version >= current.version) store.set({ session: frame.state });
    } else if (frame.type === "presence") {
      store.set({ present: frame.couples_present });
    } else if (frame.type === "feedback") {
      onFeedback(frame);
    }
  },
  () => store.set({ tick: store.get().tick + 1 }),
);

function Join({ compact }: { compact: boolean }) {
  const host = new URL(config.join_url).host;
  return (
    <div class="pj-join">
      <QrCode text={config.join_url} label={interpolate(gettext("QR code to join: %(address)s"), { address: config.join_url })} size={compact ? 200 : 320} />
      <p>{fill(gettext("Join at %(address)s with the code"), { address: <strong>{host}/live/</strong> })}</p>
      <p class="big-code" data-join-code={config.join_code}>
        {config.join_code}
      </p>
    </div>
  );
}

const MAX_TEXTS = 6;

/** Before anyone answers, the room reads how many couples can answer each open question and how many of them are
 *  walk-ins: a facilitator's invented couples would show here. */
function OpenQuestions({ prompts }: { prompts: FeedbackPrompt[] }) {
  if (!prompts.length) return null;
  return (
    <ul class="pj-open" aria-label={gettext("Open anonymous questions")}>
      {prompts.map((p) => (
        <li key={p.id} data-prompt-id={p.id}>
          <span class="pj-open-q" lang={p.lang || undefined}>
            {p.question}
          </span>{" "}
          <strong>{whoCanAnswer(p)}</strong>
        </li>
      ))}
    </ul>
  );
}

function Result({ shown, scale, k }: { shown: ShownResult; scale?: ScaleRange; k: number | null }) {
  const r = shown.result!;
  const texts = r.items ?? [];
  const least = k === null ? null : shown.kind === "words" || shown.kind === "text" ? Math.max(k, 8) : k;
  const question = { question: shown.question };
  const more = texts.length - MAX_TEXTS;
  return (
    <section class="pj-result" aria-labelledby="pj-result-q">
      <p class="pj-exercise">
        {least === null
          ? gettext("Anonymous answers, shown only as totals")
          : interpolate(
              ngettext(
                "Anonymous answers, shown only as totals, each release at least %(count)s answer from three couples",
                "Anonymous answers, shown only as totals, each release at least %(count)s answers from three couples",
                least,
              ),
              { count: least },
            )}
      </p>
      <h2 id="pj-result-q" lang={shown.lang || undefined}>
        {shown.question}
      </h2>
      <p class="pj-summary">{summaryOf(shown.kind, r)}</p>
      {shown.kind === "words" ? (
        <WordList words={r.words ?? []} label={interpolate(gettext("Words: %(question)s"), question)} />
      ) : shown.kind === "text" ? (
        <>
          <ul class="pj-texts" aria-label={interpolate(gettext("Answers: %(question)s"), question)}>
            {texts.slice(0, MAX_TEXTS).map((t, n) => (
              <li key={n}>{t.value}</li>
            ))}
          </ul>
          {more > 0 && <p class="pj-summary">{interpolate(ngettext("and %(count)s more", "and %(count)s more", more), { count: more })}</p>}
        </>
      ) : (
        <Bars bars={barsOf(shown.kind, r, scale)} label={interpolate(gettext("Result: %(question)s"), question)} />
      )}
    </section>
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
  const result =
    state.featured !== null && state.featuredAt === moment(session) ? state.shown.find((s) => s.prompt_id === state.featured) : undefined;
  return (
    <div class="live-root">
      <ConnectionBanner socket={socket} />
      <main class="projector" id="main">
        <h1>{config.title}</h1>
        <div class="pj-body">
          <div>
            {result ? (
              <Result shown={result} scale={state.scales[result.prompt_id]} k={state.k} />
            ) : !session || session.status === "lobby" ? (
              <>
                <p class="pj-exercise">{gettext("Welcome")}</p>
                <p class="pj-step">{gettext("We'll start in a moment. Join with your phones.")}</p>
              </>
            ) : session.status === "ended" ? (
              <p class="pj-step">{gettext("Thank you for taking part.")}</p>
            ) : (
              <>
                <p class="pj-exercise">
                  {interpolate(gettext("Step %(number)s of %(count)s · %(exercise)s"), {
                    number: session.step_index! + 1,
                    count: session.step_count,
                    exercise: step?.exercise ?? "",
                  })}
                </p>
                <p class="pj-step" lang={step?.lang || undefined}>
                  {step?.title}
                </p>
                {session.status === "paused" && <p class="pj-broadcast">{gettext("Paused for a moment")}</p>}
                {closingAt && (
                  <p class="pj-broadcast">
                    {fill(gettext("Closing in %(time)s — finish your sentence"), {
                      time: <Countdown deadline={closingAt} offsetMs={socket.offsetMs} label={gettext("Closing in")} />,
                    })}
                  </p>
                )}
                {hasTimer && (
                  <Countdown
                    class="pj-timer"
                    deadline={timer!.deadline}
                    pausedMs={timer!.paused_remaining_ms}
                    offsetMs={socket.offsetMs}
                    label={gettext("Time left")}
                  />
                )}
              </>
            )}
            {session?.broadcast && <p class="pj-broadcast">{session.broadcast.text}</p>}
            {/* the one whose result is on screen already says how many couples its answers came from */}
            <OpenQuestions prompts={state.open.filter((p) => p.id !== result?.prompt_id)} />
          </div>
          {session?.status !== "ended" && !result && <Join compact={!!session && session.status !== "lobby"} />}
        </div>
        <div class="pj-foot">
          <span class="pj-count" data-testid="present">
            {state.present === null ? "" : interpolate(ngettext("%(count)s couple here", "%(count)s couples here", state.present), { count: state.present })}
          </span>
          <span>{gettext("Your answers stay private to your couple.")}</span>
        </div>
      </main>
      <ProjectorLanguage />
    </div>
  );
}

// How long the language menu stays in sight after the mouse moved or a key was pressed.
const MENU_SHOWN_MS = 5000;

/** The projector's own language menu, for whoever sets up the beamer: the room doesn't need to see it, so it shows
 *  in the corner for a few seconds when the page opens and whenever the mouse moves or a key is pressed (as a video
 *  player's controls do), and while the pointer is over it or it has the focus. Its choice is kept in the page's
 *  address (?lang=), so the console open in the same browser keeps its own language. */
function ProjectorLanguage() {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    let timer = window.setTimeout(() => setShown(false), MENU_SHOWN_MS);
    const wake = () => {
      setShown(true);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setShown(false), MENU_SHOWN_MS);
    };
    const events = ["pointermove", "pointerdown", "keydown"] as const;
    for (const name of events) document.addEventListener(name, wake);
    return () => {
      window.clearTimeout(timer);
      for (const name of events) document.removeEventListener(name, wake);
    };
  }, []);
  return (
    <div class={shown ? "pj-language shown" : "pj-language"}>
      <LanguageChoice inAddress />
    </div>
  );
}

document.body.classList.add("projector-page");
render(<Projector />, document.getElementById("app")!);
socket.start();
