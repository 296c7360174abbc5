// Anonymous feedback on a phone: a poll step's question, questions the facilitator adds live, and the
// post-session survey. An answer carries no name; it shows only in totals once enough couples answered; once
// sent it can be neither changed nor erased. Answering changes nothing that anyone else sees. Only the couples
// admitted to the session when a question opened may answer it, and every question says how many they are.
import { useEffect, useRef, useState } from "preact/hooks";
import { gettext, interpolate, ngettext } from "../shared/i18n";
import { useStore } from "../shared/store";
import type { FeedbackPrompt, PublicStep } from "../shared/types";
import { doneId, markFeedbackDone, markFeedbackRefused, partnerNames, type PState, send, socket, store } from "./state";

const MAX_TEXT = 500;
const WORD = /^\S{1,30}$/;

type Draft = string | number[];

function valueOf(prompt: FeedbackPrompt, draft: Draft): unknown {
  if (prompt.kind === "scale" || prompt.kind === "single") return draft === "" ? null : Number(draft);
  if (prompt.kind === "multiple") return [...(draft as number[])].sort((a, b) => a - b);
  if (prompt.kind === "words") return (draft as string).trim();
  return (draft as string).replace(/\s+/g, " ").trim();
}

function problemOf(prompt: FeedbackPrompt, draft: Draft): string {
  const value = valueOf(prompt, draft);
  if (prompt.kind === "multiple") return (value as number[]).length ? "" : gettext("Choose one or more, or pass.");
  if (prompt.kind === "words") return WORD.test(value as string) ? "" : gettext("One word, without spaces (up to 30 letters).");
  if (prompt.kind === "text") return (value as string).length ? "" : gettext("Write something, or pass.");
  return value === null ? gettext("Choose one, or pass.") : "";
}

/** "8 couples can answer this question (2 of them walk-ins)." Said before anyone answers: the fewer couples, the
 *  more a total says about each of them. `several`: a list's note, about all its questions. */
export function couplesSentence(prompt: Pick<FeedbackPrompt, "couples" | "walk_ins">, several = false): string {
  const n = prompt.couples;
  const w = prompt.walk_ins;
  if (n === 0) return several ? gettext("No couple can answer these questions.") : gettext("No couple can answer this question.");
  const walkIns =
    w === 0
      ? gettext("none of them walk-ins")
      : w === n
        ? n === 1
          ? gettext("a walk-in")
          : gettext("all of them walk-ins")
        : interpolate(ngettext("%(count)s of them a walk-in", "%(count)s of them walk-ins", w), { count: w });
  const sentence = several
    ? ngettext(
        "%(count)s couple can answer these questions (%(walk_ins)s).",
        "%(count)s couples can answer these questions (%(walk_ins)s).",
        n,
      )
    : ngettext(
        "%(count)s couple can answer this question (%(walk_ins)s).",
        "%(count)s couples can answer this question (%(walk_ins)s).",
        n,
      );
  return interpolate(sentence, { count: n, walk_ins: walkIns });
}

/** Whether this phone's couple may answer the prompt: it was admitted to the session when the prompt opened. */
export function mayAnswer(prompt: FeedbackPrompt, state: PState): boolean {
  if (state.feedbackRefused.includes(prompt.id)) return false;
  if (!Array.isArray(prompt.eligible)) return true; // nothing said: the server decides when the answer comes
  const couple = state.couple?.couple?.id;
  return couple !== undefined && prompt.eligible.includes(couple);
}

export function AnonymousNote({ id, threshold, couples }: { id?: string; threshold?: number; couples?: string }) {
  const note =
    threshold && Number.isFinite(threshold)
      ? interpolate(
          ngettext(
            "no name goes with your answer. It is shown only as totals, once at least %(count)s answer from three couples is in. Once sent it can't be changed, taken back or erased.",
            "no name goes with your answer. It is shown only as totals, once at least %(count)s answers from three couples are in. Once sent it can't be changed, taken back or erased.",
            threshold,
          ),
          { count: threshold },
        )
      : gettext(
          "no name goes with your answer. It is shown only as totals, once enough couples have answered. Once sent it can't be changed, taken back or erased.",
        );
  return (
    <div id={id}>
      {couples && <p class="hint fb-couples">{couples}</p>}
      <p class="hint">
        <strong>{gettext("Anonymous:")}</strong> {note}
      </p>
    </div>
  );
}

/** A walk-in couple waits for a facilitator to admit it before it can answer the group's anonymous questions. */
export function AdmissionNote() {
  return (
    <p class="callout" role="status">
      {gettext(
        "You joined as a walk-in couple. A facilitator will admit you to the group's anonymous questions; you can answer the ones that open after that.",
      )}
    </p>
  );
}

/** A question this couple may not answer: it opened before the couple joined or was admitted. No form, no Pass. */
function CannotAnswer({ prompt, inList }: { prompt: FeedbackPrompt; inList: boolean }) {
  const state = useStore(store);
  const H = inList ? "h3" : "h2";
  const headingId = `fb-${prompt.id}-q`;
  const refused = state.feedbackRefused.includes(prompt.id);
  const whyRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (refused) whyRef.current?.focus(); // the form the person was using is gone: say why where they are
  }, [refused]);
  const couple = state.couple?.couple;
  const why = !couple
    ? gettext("This question is for the couples who were in the session when it opened, so there is nothing for you to answer here.")
    : couple.admitted === false
      ? gettext(
          "This question opened before a facilitator admitted your couple, so it isn't yours to answer. Once you're admitted, you can answer the ones that open after that.",
        )
      : state.session?.status === "ended"
        ? gettext("This question opened before your couple joined or was admitted, so it isn't yours to answer.")
        : gettext(
            "This question opened before your couple joined or was admitted, so it isn't yours to answer. You can answer the ones that open from now on.",
          );
  return (
    <section class="feedback-card" aria-labelledby={headingId}>
      <H id={headingId}>{prompt.question}</H>
      <p class="hint" tabIndex={-1} ref={whyRef} aria-live="polite">
        {why}
      </p>
      <p class="hint">{couplesSentence(prompt)}</p>
    </section>
  );
}

function Fields({ prompt, draft, setDraft, id }: { prompt: FeedbackPrompt; draft: Draft; setDraft: (d: Draft) => void; id: string }) {
  if (prompt.kind === "scale" && prompt.scale) {
    const s = prompt.scale;
    const values = Array.from({ length: s.max - s.min + 1 }, (_, i) => s.min + i);
    return (
      <fieldset class="options">
        <legend>{prompt.question}</legend>
        <div class="scale-row">
          {values.map((n) => (
            <label class="option" key={n}>
              <input type="radio" name={id} checked={draft === String(n)} onChange={() => setDraft(String(n))} />
              {n}
              {n === s.min && s.min_label && <span class="visually-hidden"> ({s.min_label})</span>}
              {n === s.max && s.max_label && <span class="visually-hidden"> ({s.max_label})</span>}
            </label>
          ))}
        </div>
        <div class="scale-labels" aria-hidden="true">
          <span>
            {s.min} = {s.min_label}
          </span>
          <span>
            {s.max} = {s.max_label}
          </span>
        </div>
      </fieldset>
    );
  }
  if (prompt.kind === "single" || prompt.kind === "multiple") {
    const multiple = prompt.kind === "multiple";
    const chosen = multiple ? (draft as number[]) : [];
    return (
      <fieldset class="options">
        <legend>
          {prompt.question}
          {multiple && <span class="hint"> {gettext("(choose as many as fit)")}</span>}
        </legend>
        {prompt.options.map((option, i) => (
          <label class="option" key={i}>
            <input
              type={multiple ? "checkbox" : "radio"}
              name={id}
              checked={multiple ? chosen.includes(i) : draft === String(i)}
              onChange={() => setDraft(multiple ? (chosen.includes(i) ? chosen.filter((c) => c !== i) : [...chosen, i]) : String(i))}
            />
            {option}
          </label>
        ))}
      </fieldset>
    );
  }
  const words = prompt.kind === "words";
  return (
    <div class="field">
      <label for={id}>{prompt.question}</label>
      {words ? (
        <input id={id} value={draft as string} maxLength={30} autocomplete="off" onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
      ) : (
        <textarea id={id} value={draft as string} maxLength={MAX_TEXT} onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
      )}
      <p class="hint">{words ? gettext("One word.") : interpolate(gettext("Up to %(count)s characters."), { count: MAX_TEXT })}</p>
    </div>
  );
}

/** On a shared phone each of the two answers for themself, one after the other, handing the phone over. */
function SharedNote() {
  const names = partnerNames(store.get());
  return (
    <p class="callout">
      {interpolate(
        gettext("This phone is shared: each of you answers for yourself, %(first)s first, then %(second)s. Hand the phone over, and don't look at each other's answer."),
        { first: names.me, second: names.second },
      )}
    </p>
  );
}

interface PromptCardProps {
  prompt: FeedbackPrompt;
  inList?: boolean;
  couplesInCard?: boolean; // in a list: the card says how many couples can answer (the list's note doesn't)
}

/** One anonymous question; on a shared phone, once for each of the two, the second after the first. */
export function PromptCard({ prompt, inList = false, couplesInCard = !inList }: PromptCardProps) {
  const state = useStore(store);
  const answered = state.feedbackDone.includes(doneId(prompt.id, 1));
  if (!answered && !mayAnswer(prompt, state)) return <CannotAnswer prompt={prompt} inList={inList} />;
  if (!state.couple?.couple?.one_phone) return <AnswerCard prompt={prompt} inList={inList} couplesInCard={couplesInCard} />;
  const names = partnerNames(state);
  return (
    <>
      {!inList && <SharedNote />}
      <AnswerCard prompt={prompt} inList={inList} couplesInCard={couplesInCard} partner={1} who={names.me} />
      {answered && <AnswerCard prompt={prompt} inList={inList} couplesInCard={couplesInCard} partner={2} who={names.second} />}
    </>
  );
}

interface AnswerCardProps {
  prompt: FeedbackPrompt;
  inList?: boolean;
  couplesInCard: boolean;
  partner?: 1 | 2; // on a shared phone: whose answer
  who?: string;
}

/** One person's answer to an anonymous question: answer or pass, once. */
function AnswerCard({ prompt, inList = false, couplesInCard, partner = 1, who }: AnswerCardProps) {
  // On its own (a poll step) the card says what it is; in a list, the list's heading and note say it once.
  const H = inList ? "h3" : "h2";
  const state = useStore(store);
  const done = state.feedbackDone.includes(doneId(prompt.id, partner));
  const [draft, setDraft] = useState<Draft>(prompt.kind === "multiple" ? [] : "");
  const [sent, setSent] = useState<"" | "answered" | "passed">("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState("");
  const statusRef = useRef<HTMLParagraphElement>(null);
  const consent = !!state.info?.me?.feedback_consent;
  const id = `fb-${prompt.id}${partner === 2 ? "-2" : ""}`;
  const headingId = `${id}-q`;
  useEffect(() => {
    if (sent) statusRef.current?.focus();
  }, [sent]);

  const submit = (passed: boolean) => {
    if (done || pending) return;
    const problem = passed ? "" : problemOf(prompt, draft);
    if (problem) {
      setError(problem);
      return;
    }
    setError("");
    setPending(true);
    setSent(passed ? "passed" : "answered");
    markFeedbackDone(prompt.id, true, partner);
    // Waits in the outbox if the phone is offline; the server's receipt makes a resend count once.
    const answer = passed ? { passed: true } : { value: valueOf(prompt, draft) };
    send("feedback.answer", { prompt_id: prompt.id, as_partner: partner, ...answer }).then(
      (frame) => {
        setPending(false);
        if (frame.type === "ack" || frame.code === "prompt_closed") return;
        markFeedbackDone(prompt.id, false, partner);
        setSent("");
        // Not this couple's question after all: the card says why instead of asking (CannotAnswer).
        if (frame.code === "not_eligible") markFeedbackRefused(prompt.id);
        else setError(frame.message || gettext("That didn't work. Try again."));
      },
    );
  };

  if (done) {
    const offline = pending && socket?.status !== "open";
    return (
      <section class="feedback-card done" aria-labelledby={headingId}>
        <H id={headingId}>{who ? `${who}: ${prompt.question}` : prompt.question}</H>
        <p class="ok-text" tabIndex={-1} ref={statusRef} aria-live="polite">
          {offline
            ? gettext("Kept on this phone; it is sent when you're back online.")
            : sent === "passed"
              ? gettext("You passed on this one.")
              : sent === "answered"
                ? gettext("Thank you: your anonymous answer is in.")
                : gettext("Answered. Thank you.")}
        </p>
      </section>
    );
  }

  if (!consent) {
    return (
      <section class="feedback-card" aria-labelledby={headingId}>
        <H id={headingId}>{who ? `${who}: ${prompt.question}` : prompt.question}</H>
        <p class="hint">
          {gettext("You chose not to give anonymous feedback, so there is nothing to answer: just pass. Nothing else depends on it.")}
        </p>
        <button type="button" class="quiet" onClick={() => submit(true)} disabled={pending}>
          {gettext("Pass")}
        </button>
      </section>
    );
  }

  return (
    <section class="feedback-card" aria-labelledby={headingId}>
      <H id={headingId} class="visually-hidden">
        {who ? `${who}: ${prompt.question}` : prompt.question}
      </H>
      {who && <p class="who">{interpolate(gettext("%(name)s's answer"), { name: who })}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
        aria-describedby={inList ? `fb-list-note${couplesInCard ? ` ${id}-couples` : ""}` : `${id}-note`}
      >
        <Fields prompt={prompt} draft={draft} setDraft={(d) => (setDraft(d), setError(""))} id={id} />
        {inList && couplesInCard && (
          <p class="hint fb-couples" id={`${id}-couples`}>
            {couplesSentence(prompt)}
          </p>
        )}
        {!inList && <AnonymousNote id={`${id}-note`} threshold={prompt.threshold} couples={couplesSentence(prompt)} />}
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
        <div class="row">
          <button type="submit" disabled={pending}>
            {who ? interpolate(gettext("Send %(name)s's answer"), { name: who }) : gettext("Send my answer")}
          </button>
          <button type="button" class="quiet" onClick={() => submit(true)} disabled={pending}>
            {gettext("Pass")}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The open questions that aren't a poll step's (those show in their step): live ones, and the survey. */
export function PromptList({ prompts, heading }: { prompts: FeedbackPrompt[]; heading: string }) {
  const state = useStore(store);
  if (!prompts.length) return null;
  const shared = !!state.couple?.couple?.one_phone;
  const answerable = prompts.filter((p) => mayAnswer(p, state));
  const open = answerable.some((p) => !state.feedbackDone.includes(p.id) || (shared && !state.feedbackDone.includes(doneId(p.id, 2))));
  // The list's note says how many couples can answer when that is the same for all its questions; else each card.
  const first = answerable[0];
  const same = !!first && answerable.every((p) => p.couples === first.couples && p.walk_ins === first.walk_ins);
  const couples = same ? couplesSentence(first, answerable.length > 1) : undefined;
  return (
    <section class="feedback-list" aria-labelledby="fb-list-heading">
      <h2 class="feedback-heading" id="fb-list-heading">
        {heading}
      </h2>
      {open && state.info?.me?.feedback_consent && (
        <>
          <AnonymousNote id="fb-list-note" threshold={Math.min(...answerable.map((p) => p.threshold ?? Infinity))} couples={couples} />
          {shared && <SharedNote />}
        </>
      )}
      {prompts.map((p) => (
        <PromptCard key={p.id} prompt={p} inList couplesInCard={!same} />
      ))}
    </section>
  );
}

// A poll step's prompt as the feedback frame describes it: which step asked it (the frame says; ../shared/types
// leaves it out, as only this phone's poll step reads it).
type AskedPrompt = FeedbackPrompt & { step_index?: number | null };

/** A poll step: its question is the open prompt this step asked. */
export function PollPrompt({ step, index }: { step: PublicStep; index: number }) {
  const state = useStore(store);
  const wanted = (step.config.question ?? "").replace(/\s+/g, " ").trim();
  // The prompt of this step (an earlier step's may still be open on the projector); by its question where the
  // frame doesn't say the step.
  const prompt = (state.feedback as AskedPrompt[])
    .filter((p) => p.source === "step" && (typeof p.step_index === "number" ? p.step_index === index : p.question === wanted))
    .pop();
  // Both come in this phone's language (shared/content.ts); the answer goes by option place and scale value.
  if (prompt) return <PromptCard prompt={prompt} />;
  return (
    <>
      <p class="lead">{step.config.question}</p>
      <p class="hint" aria-live="polite">
        {gettext("This question isn't open right now.")}
      </p>
    </>
  );
}
