// Anonymous feedback on a phone: a poll step's question, questions the facilitator adds live, and the
// post-session survey. An answer carries no name; it shows only in totals once enough couples answered; once
// sent it can be neither changed nor erased. Answering changes nothing that anyone else sees.
import { useEffect, useRef, useState } from "preact/hooks";
import { useStore } from "../shared/store";
import type { FeedbackPrompt } from "../shared/types";
import { doneId, markFeedbackDone, partnerNames, send, socket, store } from "./state";

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
  if (prompt.kind === "multiple") return (value as number[]).length ? "" : "Choose one or more, or pass.";
  if (prompt.kind === "words") return WORD.test(value as string) ? "" : "One word, without spaces (up to 30 letters).";
  if (prompt.kind === "text") return (value as string).length ? "" : "Write something, or pass.";
  return value === null ? "Choose one, or pass." : "";
}

export function AnonymousNote({ id, threshold }: { id?: string; threshold?: number }) {
  const enough = threshold && Number.isFinite(threshold) ? `once at least ${threshold} answers from three couples are in` : "once enough couples have answered";
  return (
    <p class="hint" id={id}>
      <strong>Anonymous:</strong> no name goes with your answer. It is shown only as totals, {enough}. Once sent it
      can't be changed, taken back or erased.
    </p>
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
          {multiple && <span class="hint"> (choose as many as fit)</span>}
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
      <p class="hint">{words ? "One word." : `Up to ${MAX_TEXT} characters.`}</p>
    </div>
  );
}

/** On a shared phone each of the two answers for themself, one after the other, handing the phone over. */
function SharedNote() {
  const names = partnerNames(store.get());
  return (
    <p class="callout">
      This phone is shared: <strong>each of you answers for yourself</strong>, {names.me} first, then {names.second}.
      Hand the phone over, and don't look at each other's answer.
    </p>
  );
}

/** One anonymous question; on a shared phone, once for each of the two, the second after the first. */
export function PromptCard({ prompt, inList = false }: { prompt: FeedbackPrompt; inList?: boolean }) {
  const state = useStore(store);
  if (!state.couple?.couple?.one_phone) return <AnswerCard prompt={prompt} inList={inList} />;
  const names = partnerNames(state);
  const firstDone = state.feedbackDone.includes(doneId(prompt.id, 1));
  return (
    <>
      {!inList && <SharedNote />}
      <AnswerCard prompt={prompt} inList={inList} partner={1} who={names.me} />
      {firstDone && <AnswerCard prompt={prompt} inList={inList} partner={2} who={names.second} />}
    </>
  );
}

interface AnswerCardProps {
  prompt: FeedbackPrompt;
  inList?: boolean;
  partner?: 1 | 2; // on a shared phone: whose answer
  who?: string;
}

/** One person's answer to an anonymous question: answer or pass, once. */
function AnswerCard({ prompt, inList = false, partner = 1, who }: AnswerCardProps) {
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
        setError(frame.message || "That didn't work. Try again.");
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
            ? "Kept on this phone; it is sent when you're back online."
            : sent === "passed"
              ? "You passed on this one."
              : sent === "answered"
                ? "Thank you: your anonymous answer is in."
                : "Answered. Thank you."}
        </p>
      </section>
    );
  }

  if (!consent) {
    return (
      <section class="feedback-card" aria-labelledby={headingId}>
        <H id={headingId}>{who ? `${who}: ${prompt.question}` : prompt.question}</H>
        <p class="hint">You chose not to give anonymous feedback, so there is nothing to answer: just pass. Nothing else depends on it.</p>
        <button type="button" class="quiet" onClick={() => submit(true)} disabled={pending}>
          Pass
        </button>
      </section>
    );
  }

  return (
    <section class="feedback-card" aria-labelledby={headingId}>
      <H id={headingId} class="visually-hidden">
        {who ? `${who}: ${prompt.question}` : prompt.question}
      </H>
      {who && <p class="who">{who}'s answer</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
        aria-describedby={inList ? "fb-list-note" : `${id}-note`}
      >
        <Fields prompt={prompt} draft={draft} setDraft={(d) => (setDraft(d), setError(""))} id={id} />
        {!inList && <AnonymousNote id={`${id}-note`} threshold={prompt.threshold} />}
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
        <div class="row">
          <button type="submit" disabled={pending}>
            {who ? `Send ${who}'s answer` : "Send my answer"}
          </button>
          <button type="button" class="quiet" onClick={() => submit(true)} disabled={pending}>
            Pass
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
  const open = prompts.some((p) => !state.feedbackDone.includes(p.id) || (shared && !state.feedbackDone.includes(doneId(p.id, 2))));
  return (
    <section class="feedback-list" aria-labelledby="fb-list-heading">
      <h2 class="feedback-heading" id="fb-list-heading">
        {heading}
      </h2>
      {open && state.info?.me?.feedback_consent && (
        <>
          <AnonymousNote id="fb-list-note" threshold={Math.min(...prompts.map((p) => p.threshold ?? Infinity))} />
          {shared && <SharedNote />}
        </>
      )}
      {prompts.map((p) => (
        <PromptCard key={p.id} prompt={p} inList />
      ))}
    </section>
  );
}

/** A poll step: its question is the open step prompt asking the step's question. */
export function PollPrompt({ question }: { question: string }) {
  const state = useStore(store);
  const wanted = question.replace(/\s+/g, " ").trim();
  // The latest step prompt asking it: an earlier step's with the same question may still be open on the projector.
  const prompt = state.feedback.filter((p) => p.source === "step" && p.question === wanted).pop();
  if (prompt) return <PromptCard prompt={prompt} />;
  return (
    <>
      <p class="lead">{question}</p>
      <p class="hint" aria-live="polite">
        This question isn't open right now.
      </p>
    </>
  );
}
