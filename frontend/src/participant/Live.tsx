// The live session on a phone: the current step, the couple's signals, help, and what stays afterwards.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../shared/api";
import { gettext, interpolate } from "../shared/i18n";
import { LanguageChoice } from "../shared/LanguageChoice";
import { useStore } from "../shared/store";
import type { CoupleState, SessionState, StepKind } from "../shared/types";
import { localDate, useTick } from "../shared/time";
import { ConnectionBanner, Countdown, fill, notify, useAction, useFocusHeading, useWakeLock } from "../shared/ui";
import { AgreementsView, DataView } from "./Agreements";
import { AdmissionNote, PromptList } from "./Feedback";
import { PairingScreen } from "./Pairing";
import { breakoutNow, localGet, localSet, offset, partnerNames, refreshMe, send, socket, store } from "./state";
import { keys } from "./e2e";
import { StepBody } from "./steps";

type View = "step" | "help" | "menu" | "agreements" | "data" | "pairing" | "share-key" | "get-key";

// What a participant's phone calls each kind (in their words, not the organizer's: STEP_KINDS' labels).
const KIND_LABELS: Record<StepKind, string> = {
  instruction: gettext("Together"),
  reflection: gettext("Private reflection"),
  answer_reveal: gettext("Answer, then reveal"),
  worksheet: gettext("Shared worksheet"),
  dialogue: gettext("Taking turns"),
  agreement: gettext("Agreement"),
  poll: gettext("Anonymous question"),
  break: gettext("Break"),
};

// Steps whose breakout this phone has seen open, to tell "not open yet" from "closed".
const seenOpen = new Set<number>();

// The bar stays at the top of the screen, with the connection's banner in it: a phone scrolled down to what it is
// writing still says so in words when it goes offline.
function TopBar({ session }: { session: SessionState | null }) {
  const step = session?.step;
  const timer = session?.timer;
  return (
    <header class="live-top">
      <div class="live-top-inner">
        <span class="where">
          {step && session?.step_index !== null && session?.status !== "ended"
            ? interpolate(gettext("Step %(number)s of %(count)s · %(title)s"), {
                number: session!.step_index! + 1,
                count: session!.step_count,
                title: step.title,
              })
            : (store.get().info?.workshop ?? "Attune")}
        </span>
        {timer && session?.status !== "ended" && (
          <Countdown deadline={timer.deadline} pausedMs={timer.paused_remaining_ms} offsetMs={offset()} label={gettext("Timer")} />
        )}
        <span
          class={`status-dot${socket?.status === "open" ? "" : " offline"}`}
          role="img"
          aria-label={socket?.status === "open" ? gettext("Connected") : gettext("Not connected")}
        />
      </div>
      {socket && <ConnectionBanner socket={socket} participant />}
    </header>
  );
}

/** A sheet opened from the button bar shows where the person looks: scrolled into view at the top of the screen
 *  (wherever the step was scrolled to), its heading focused for a screen reader. */
function useShownSheet() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const node = heading.current;
    node?.closest(".sheet")?.scrollIntoView({ block: "start" });
    node?.focus({ preventScroll: true });
  }, []);
  return heading;
}

function HelpSheet({ onClose }: { onClose: () => void }) {
  const state = useStore(store);
  const heading = useShownSheet();
  const couple = state.couple!;
  const paired = !!couple.couple;
  const onePhone = !!couple.couple?.one_phone;
  const ask = (priv: boolean) =>
    send("help.ask", { private: priv }).then((f) => {
      if (f.type === "ack") {
        notify(priv ? gettext("Asked privately. A facilitator will come to you discreetly.") : gettext("A facilitator has been asked."));
      }
    });
  const cancel = (priv: boolean) => send("help.cancel", { private: priv });
  return (
    <section class="sheet" aria-labelledby="help-heading">
      <h2 id="help-heading" tabIndex={-1} ref={heading}>
        {gettext("Ask a facilitator")}
      </h2>
      {paired &&
        (couple.couple_help ? (
          <div class="callout" role="status">
            <p>
              {couple.couple_help.acknowledged
                ? gettext("You asked as a couple. A facilitator has seen it and is on the way.")
                : gettext("You asked as a couple. A facilitator will come to you.")}
            </p>
            <button type="button" class="quiet" onClick={() => cancel(false)}>
              {gettext("We're fine now: cancel")}
            </button>
          </div>
        ) : (
          <div>
            <button type="button" class="block" onClick={() => ask(false)}>
              {gettext("Ask as a couple")}
            </button>
            <p class="hint">{gettext("Both your phones show that you asked.")}</p>
          </div>
        ))}
      {couple.private_help ? (
        <div class="callout" role="status">
          <p>
            {couple.private_help.acknowledged
              ? gettext("Your private request: a facilitator has seen it and will come to you discreetly.")
              : gettext("Your private request: a facilitator will come to you discreetly.")}
          </p>
          <button type="button" class="quiet" onClick={() => cancel(true)}>
            {gettext("Cancel my private request")}
          </button>
        </div>
      ) : (
        <div>
          <button type="button" class="block quiet" onClick={() => ask(true)}>
            {gettext("Ask just for me, privately")}
          </button>
          <p class="hint">
            {onePhone
              ? gettext("Only this phone shows it; your partner's phone never does. This phone is shared, so mind who is looking.")
              : gettext("Only this phone shows it; your partner's phone never does.")}
          </p>
        </div>
      )}
      <button type="button" class="link" onClick={onClose}>
        {gettext("Close")}
      </button>
    </section>
  );
}

function MenuSheet({ onView, onClose }: { onView: (view: View) => void; onClose: () => void }) {
  const state = useStore(store);
  const couple = state.couple?.couple;
  const names = partnerNames(state);
  const [confirmUnpair, setConfirmUnpair] = useState(false);
  const [busy, run] = useAction();
  const heading = useShownSheet();
  const sessionId = state.info!.session_id;
  const unpair = () =>
    run(async () => {
      try {
        await api.post("pair/unpair", { session_id: sessionId });
        if (couple) localSet("alone", couple.id, null);
        await refreshMe();
        onClose();
      } catch (err) {
        notify(err instanceof ApiError ? err.message : String(err), "error");
      }
    });
  const stopOnePhone = () =>
    run(async () => {
      try {
        await api.post("pair/one-phone", { session_id: sessionId, enabled: false });
        await refreshMe();
        onClose();
      } catch (err) {
        notify(err instanceof ApiError ? err.message : String(err), "error");
      }
    });
  const deleted = state.info?.me?.content_deleted_after;
  return (
    <section class="sheet" aria-labelledby="menu-heading">
      <h2 id="menu-heading" tabIndex={-1} ref={heading}>
        {gettext("Menu")}
      </h2>
      <ul class="choice-list">
        <li>
          <button type="button" class="quiet" onClick={() => onView("agreements")}>
            {gettext("Our agreements and worksheets")}
          </button>
        </li>
        <li>
          <button type="button" class="quiet" onClick={() => onView("data")}>
            {gettext("What I wrote: download or erase")}
          </button>
        </li>
        {couple && !couple.one_phone && couple.partners.length < 2 && (
          <li>
            <button type="button" class="quiet" onClick={() => onView("pairing")}>
              {gettext("Pair my partner's phone")}
            </button>
          </li>
        )}
        {couple?.one_phone && (
          <li>
            <button type="button" class="quiet" onClick={stopOnePhone} disabled={busy}>
              {gettext("Stop sharing one phone")}
            </button>
          </li>
        )}
        {couple && !couple.one_phone && couple.partners.length >= 2 && (
          <>
            <li>
              <button type="button" class="quiet" onClick={() => onView("share-key")}>
                {gettext("Give our key to my partner's phone")}
              </button>
            </li>
            <li>
              <button type="button" class="quiet" onClick={() => onView("get-key")}>
                {gettext("Get our key from my partner's phone")}
              </button>
            </li>
          </>
        )}
        {couple && couple.partners.length >= 2 && (
          <li>
            <button type="button" class="quiet" onClick={() => setConfirmUnpair(true)}>
              {gettext("Unpair this phone…")}
            </button>
          </li>
        )}
      </ul>
      {confirmUnpair && (
        <div class="callout warn" role="group" aria-labelledby="unpair-q">
          <p id="unpair-q">
            {interpolate(gettext("Unpair this phone? %(name)s keeps your couple's space; this phone leaves it and can pair again."), {
              name: names.partner,
            })}
          </p>
          <div class="row">
            <button type="button" class="danger" onClick={unpair} disabled={busy}>
              {gettext("Unpair")}
            </button>
            <button type="button" class="quiet" onClick={() => setConfirmUnpair(false)}>
              {gettext("Stay paired")}
            </button>
          </div>
        </div>
      )}
      <p class="hint">
        {couple
          ? couple.one_phone
            ? interpolate(gettext("%(me)s and %(partner)s, on one phone."), { me: names.me, partner: names.second })
            : couple.partners.length >= 2
              ? interpolate(gettext("%(me)s and %(partner)s."), { me: names.me, partner: names.partner })
              : interpolate(gettext("%(me)s, working alone for now."), { me: names.me })
          : ""}
        {deleted
          ? " " + interpolate(gettext("What you write is deleted from our server after %(date)s."), { date: localDate(deleted) })
          : ""}
      </p>
      <button type="button" class="link" onClick={onClose}>
        {gettext("Close")}
      </button>
    </section>
  );
}

// A phone of a paired couple without the couple's key (its storage was cleared, or it is a new phone) can't read
// or write the couple's content: the partner's phone gives the key again by the pairing exchange; if neither
// phone has it, the couple starts afresh with a new key and what they wrote before stays unreadable.
function KeyMissing({ couple, onView }: { couple: CoupleState; onView: (view: View) => void }) {
  const [, rerender] = useState(0);
  const c = couple.couple;
  if (!c || c.one_phone || c.partners.length < 2 || keys.couple(c.id)) return null;
  const afresh = () => (keys.makeCouple(c.id), send("sync", {}, { queue: false }), rerender((n) => n + 1));
  return (
    <div class="callout warn" role="group" aria-labelledby="key-missing">
      <h2 id="key-missing">{gettext("This phone doesn't hold your couple's key")}</h2>
      <p>
        {interpolate(
          gettext(
            "What you two write is encrypted on your phones, and this phone has lost the key (or never had it). On your partner's phone, open the menu and choose “%(choice)s”; then type its code here.",
          ),
          { choice: gettext("Give our key to my partner's phone") },
        )}
      </p>
      <div class="row">
        <button type="button" onClick={() => onView("get-key")}>
          {gettext("Type my partner's code")}
        </button>
        <button type="button" class="quiet" onClick={afresh}>
          {gettext("Neither of us has it: start afresh")}
        </button>
      </div>
      <p class="hint">{gettext("Starting afresh makes a new key: what you wrote before can't be read any more, by anyone.")}</p>
    </div>
  );
}

function PausePanel() {
  const state = useStore(store);
  const pause = state.couple?.pause;
  const names = partnerNames(state);
  if (!pause?.raised) return null;
  const onePhone = !!state.couple?.couple?.one_phone;
  return (
    <section class="pause-panel" role="alert" aria-labelledby="pause-heading">
      <h2 id="pause-heading">
        {pause.by_me || onePhone ? gettext("You asked for a pause") : interpolate(gettext("%(name)s asked for a pause"), { name: names.partner })}
      </h2>
      <p>
        {gettext(
          "Stop here and breathe. Nothing needs explaining. Come back to it when you're both ready; you can still write while you pause.",
        )}
      </p>
      <button type="button" onClick={() => send("couple.pause", { raised: false })}>
        {gettext("We're ready to go on")}
      </button>
    </section>
  );
}

function StepScreen({ session }: { session: SessionState }) {
  const state = useStore(store);
  useTick(session.breakout.state === "closing");
  const step = session.step!;
  const index = session.step_index!;
  const heading = useFocusHeading(index);
  const breakout = breakoutNow(session);
  if (breakout !== "closed") seenOpen.add(index);
  const pauseRaised = !!state.couple?.pause?.raised;
  const paired = !!state.couple?.couple;
  const writable = step.couple_phase && paired && (breakout !== "closed" || pauseRaised);
  // This session's entries of the step (a retreat's earlier agreements carry their session and show in "Our agreements").
  const entries = (state.couple?.entries ?? []).filter((e) => e.step_index === index && e.session_id === undefined);
  return (
    <>
      <p class="step-kind">
        {KIND_LABELS[step.kind]} · <span lang={step.lang || undefined}>{step.exercise}</span>
      </p>
      <h1 tabIndex={-1} ref={heading} lang={step.lang || undefined}>
        {step.title}
      </h1>
      {step.participant_text && (
        <p class="pre" lang={step.lang || undefined}>
          {step.participant_text}
        </p>
      )}
      {step.couple_phase && breakout === "closing" && (
        <div class="callout warn" role="alert">
          {/* One sentence, the countdown where the reader's language puts it. */}
          {fill(gettext("This part closes in %(time)s. Finish your sentence; what you saved is kept."), {
            time: <Countdown deadline={session.breakout.closes_at} offsetMs={offset()} label={gettext("Closing in")} />,
          })}
        </div>
      )}
      {step.couple_phase && breakout === "closed" && !pauseRaised && (
        <p class="callout">
          {seenOpen.has(index)
            ? gettext("This part has closed. What you saved is kept.")
            : gettext("Your couple's private space for this step opens when the facilitator starts it.")}
        </p>
      )}
      {step.couple_phase && !paired && (
        <p class="callout warn">{gettext("Pair with your partner, or continue alone, to take part in this step.")}</p>
      )}
      <StepBody key={`${index}-${state.couple?.couple?.id ?? 0}`} step={step} index={index} writable={writable} entries={entries} state={state} />
    </>
  );
}

export function LiveScreen() {
  const state = useStore(store);
  const [view, setView] = useState<View>("step");
  useWakeLock(true);
  const session = state.session;
  const couple = state.couple;
  if (!session || !couple || !socket) {
    return (
      <>
        {socket && <ConnectionBanner socket={socket} participant />}
        <main class="live-main" id="main">
          <h1>{gettext("Connecting to the session…")}</h1>
          <p>{gettext("This takes a moment. Keep this page open.")}</p>
        </main>
      </>
    );
  }
  const c = couple.couple;
  const needsPairing = !c || (!c.one_phone && c.partners.length < 2 && localGet("alone", c.id) !== "1");
  if ((needsPairing && session.status !== "ended") || view === "pairing" || view === "share-key" || view === "get-key") {
    const start = view === "share-key" ? "show" : view === "get-key" ? "type" : undefined;
    return (
      <>
        <ConnectionBanner socket={socket} participant />
        <PairingScreen start={start} onClose={view === "step" ? undefined : () => setView("step")} />
      </>
    );
  }
  // Questions the facilitator added live, and the survey once the session has ended (a poll step's shows in its step).
  const questions = state.feedback.filter((p) => p.source !== "step");
  const toggle = (target: View) => setView(view === target ? "step" : target);
  const running = session.status === "running" || session.status === "paused";
  return (
    <>
      <TopBar session={session} />
      <main class="live-main" id="main">
        <SessionCallouts session={session} couple={couple} view={view} />
        {view === "step" && <KeyMissing couple={couple} onView={setView} />}
        <PausePanel />
        {view === "step" && session.status !== "ended" && c?.admitted === false && <AdmissionNote />}
        {view === "step" && session.status !== "ended" && (
          <PromptList
            prompts={questions}
            heading={questions.length > 1 ? gettext("Anonymous questions for everyone") : gettext("An anonymous question for everyone")}
          />
        )}
        {view === "help" && <HelpSheet onClose={() => setView("step")} />}
        {view === "menu" && <MenuSheet onView={setView} onClose={() => setView("step")} />}
        {view === "agreements" ? (
          <AgreementsView onBack={() => setView("step")} />
        ) : view === "data" ? (
          <DataView onBack={() => setView("step")} />
        ) : session.status === "lobby" ? (
          <Lobby />
        ) : session.status === "ended" ? (
          <>
            <h1>{gettext("Thank you")}</h1>
            <p class="lead">{gettext("The session has ended.")}</p>
            <PromptList prompts={questions} heading={gettext("A few anonymous questions about today")} />
            <p class="lead">{gettext("Here is what you keep.")}</p>
            <AgreementsView />
            <DataView />
          </>
        ) : session.step ? (
          <StepScreen session={session} />
        ) : null}
        <footer class="live-footer no-print">
          <LanguageChoice />
        </footer>
      </main>
      {session.status !== "ended" && <CoupleActions couple={couple} view={view} running={running} toggle={toggle} />}
    </>
  );
}

function Lobby() {
  const state = useStore(store);
  const c = state.couple?.couple;
  const names = partnerNames(state);
  const welcome = c?.one_phone
    ? interpolate(gettext("Welcome, %(me)s and %(partner)s"), { me: names.me, partner: names.second })
    : c && c.partners.length > 1
      ? interpolate(gettext("Welcome, %(me)s and %(partner)s"), { me: names.me, partner: names.partner })
      : interpolate(gettext("Welcome, %(me)s"), { me: names.me });
  return (
    <>
      <h1>{welcome}</h1>
      <p class="lead">{gettext("The session starts soon. Keep this page open: it follows the facilitator.")}</p>
      <p>
        {gettext(
          "Whatever you write stays in your couple's private space. You can pass on any question, pause together, or ask a facilitator (also privately) at any time.",
        )}
      </p>
    </>
  );
}

// What the facilitator and the couple's own signals say, above whatever the phone shows.
function SessionCallouts({ session, couple, view }: { session: SessionState; couple: CoupleState; view: View }) {
  return (
    <>
      {session.status === "paused" && (
        <p class="callout warn" role="status">
          {gettext("The facilitator has paused the session. Take a breath; you can keep writing.")}
        </p>
      )}
      {session.broadcast && session.status !== "ended" && (
        <p class="callout" role="status">
          <strong>{gettext("From the facilitator:")}</strong> {session.broadcast.text}
        </p>
      )}
      {couple.couple_help && view !== "help" && (
        <p class="callout" role="status">
          {couple.couple_help.acknowledged
            ? gettext("You asked for a facilitator. Someone has seen it and is on the way.")
            : gettext("You asked for a facilitator. Someone will come to you.")}
        </p>
      )}
      {couple.private_help && view !== "help" && (
        <p class="callout" role="status">
          {gettext("Help is on the way.")}
        </p>
      )}
    </>
  );
}

interface CoupleActionsProps {
  couple: CoupleState;
  view: View;
  running: boolean;
  toggle: (view: View) => void;
}

/** The button bar's height as --actions-h on the page, so messages show just above it however tall it is (large
 *  text, a phone's safe area). */
function useActionsHeight() {
  const bar = useRef<HTMLElement>(null);
  useEffect(() => {
    const node = bar.current;
    if (!node || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement.style;
    const observer = new ResizeObserver(() => root.setProperty("--actions-h", `${node.offsetHeight}px`));
    observer.observe(node);
    return () => (observer.disconnect(), root.removeProperty("--actions-h"));
  }, []);
  return bar;
}

// The bar at the bottom of the phone: pause, help, done, and the menu.
function CoupleActions({ couple, view, running, toggle }: CoupleActionsProps) {
  const c = couple.couple;
  const bar = useActionsHeight();
  return (
    <nav class="live-actions" aria-label={gettext("Couple actions")} ref={bar}>
      <div class="live-actions-inner">
        <button
          type="button"
          class="quiet"
          aria-pressed={couple.pause?.raised ? "true" : "false"}
          disabled={!c}
          onClick={() => send("couple.pause", { raised: !couple.pause?.raised })}
        >
          {gettext("Pause")}
        </button>
        <button type="button" class="quiet" aria-expanded={view === "help" ? "true" : "false"} onClick={() => toggle("help")}>
          {gettext("Help")}
        </button>
        <button
          type="button"
          class="quiet"
          aria-pressed={couple.done ? "true" : "false"}
          disabled={!c || !running}
          onClick={() => send("couple.done", { done: !couple.done })}
        >
          {couple.done ? gettext("Done ✓") : gettext("We're done")}
        </button>
        <button type="button" class="quiet" aria-expanded={view === "menu" ? "true" : "false"} onClick={() => toggle("menu")}>
          {gettext("More")}
        </button>
      </div>
    </nav>
  );
}
