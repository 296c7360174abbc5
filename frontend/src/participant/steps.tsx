// Every step kind, as a couple sees and works it on a phone.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { gettext, interpolate, ngettext } from "../shared/i18n";
import type { Entry, Frame, PublicStep } from "../shared/types";
import { shortMinutes } from "../shared/time";
import { Countdown } from "../shared/ui";
import { AGREEMENT_FIELDS, AGREEMENT_TITLES, AgreementCard, type AgreementField, type AgreementKind } from "./Agreements";
import { REPEAT_LABELS, todayPlus } from "./ics";
import { PollPrompt } from "./Feedback";
import { UnreadableNote } from "./Unreadable";
import { offset, partnerNames, putEntry, send, socket, store, type PState } from "./state";

export interface StepProps {
  step: PublicStep;
  index: number;
  writable: boolean;
  entries: Entry[];
  state: PState;
}

type SaveStatus = "idle" | "saving" | "saved" | "passed" | "error";

function SaveNote({ status }: { status: SaveStatus }) {
  const offline = socket?.status !== "open";
  const text =
    status === "saving"
      ? offline
        ? gettext("Kept on this phone; it is sent when you're back online.")
        : gettext("Saving…")
      : status === "saved"
        ? gettext("Saved.")
        : status === "passed"
          ? gettext("You passed on this one.")
          : status === "error"
            ? gettext("Not saved. Try again.")
            : "";
  return (
    <p class={`hint${status === "error" ? " error-text" : ""}`} aria-live="polite">
      {text}
    </p>
  );
}

function isOk(frame: Frame) {
  return frame.type === "ack";
}

// --- one phone, two people: hand the phone over wherever an answer is private -------------------------------

function PrivateTurns({
  onePhone,
  firstDone,
  secondDone,
  render,
  bothDone,
}: {
  onePhone: boolean;
  firstDone: boolean;
  secondDone: boolean;
  render: (asPartner: 1 | 2) => ComponentChildren;
  bothDone?: ComponentChildren;
}) {
  const names = partnerNames(store.get());
  const [holder, setHolder] = useState<1 | 2 | "to1" | "to2" | "both">(
    firstDone && secondDone ? "both" : firstDone ? "to2" : 1,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [holder]);
  if (!onePhone) return <>{render(1)}</>;
  const who = holder === "to1" || holder === 1 ? names.me : names.second;
  if (holder === "to1" || holder === "to2") {
    return (
      <div class="handover">
        <h2 tabIndex={-1} ref={heading}>
          {interpolate(gettext("Hand the phone to %(name)s"), { name: who })}
        </h2>
        <p>{interpolate(gettext("What was written before is hidden. %(name)s, tap when you have the phone."), { name: who })}</p>
        <button type="button" class="block" onClick={() => setHolder(holder === "to1" ? 1 : 2)}>
          {interpolate(gettext("I'm %(name)s: show my page"), { name: who })}
        </button>
      </div>
    );
  }
  if (holder === "both") {
    return (
      <div>
        {bothDone ?? <p>{gettext("You've both written. Each of your entries stays private.")}</p>}
        <div class="row">
          <button type="button" class="quiet" onClick={() => setHolder("to1")}>
            {interpolate(gettext("%(name)s's page"), { name: names.me })}
          </button>
          <button type="button" class="quiet" onClick={() => setHolder("to2")}>
            {interpolate(gettext("%(name)s's page"), { name: names.second })}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <p class="callout">{interpolate(gettext("%(name)s, this page is just for you."), { name: who })}</p>
      {render(holder)}
      <button
        type="button"
        class="block"
        onClick={() => setHolder(holder === 1 ? (secondDone ? "both" : "to2") : firstDone ? "both" : "to1")}
      >
        {holder === 1 && !secondDone ? interpolate(gettext("I'm done: hand over to %(name)s"), { name: names.second }) : gettext("I'm done")}
      </button>
    </div>
  );
}

// --- private reflection --------------------------------------------------------------------------------------

function ReflectionPrompt({
  index,
  promptIndex,
  prompt,
  asPartner,
  existing,
  writable,
}: {
  index: number;
  promptIndex: number;
  prompt: string;
  asPartner: 1 | 2;
  existing?: Entry;
  writable: boolean;
}) {
  const [text, setText] = useState<string>(existing?.payload?.text ?? "");
  const [status, setStatus] = useState<SaveStatus>(existing ? (existing.passed ? "passed" : "saved") : "idle");
  const timer = useRef<number | undefined>(undefined);
  const id = `reflection-${index}-${promptIndex}-${asPartner}`;

  const save = (value: string, passed = false) => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    setStatus("saving");
    putEntry(
      {
        step_index: index,
        kind: "reflection",
        key: String(promptIndex),
        payload: passed ? null : { text: value },
        passed,
        as_partner: asPartner,
      },
      { queue: true, replaceKey: `reflection:${index}:${promptIndex}:${asPartner}` },
    ).then((frame) => {
      if (frame.superseded) return;
      setStatus(isOk(frame) ? (passed ? "passed" : "saved") : "error");
    });
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);

  if (!writable) {
    return (
      <div class="field">
        <p>
          <strong>{prompt}</strong>
        </p>
        <p class="pre">{existing?.passed ? gettext("You passed on this one.") : existing?.payload?.text || gettext("Nothing written.")}</p>
      </div>
    );
  }
  return (
    <div class="field">
      <label for={id}>{prompt}</label>
      <textarea
        id={id}
        value={text}
        maxLength={4000}
        onInput={(e) => {
          const value = (e.target as HTMLTextAreaElement).value;
          setText(value);
          setStatus("saving");
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => save(value), 800);
        }}
        onBlur={() => {
          if (timer.current !== undefined) save(text);
        }}
      />
      <div class="row">
        <SaveNote status={status} />
        <span class="grow" />
        <button type="button" class="link" onClick={() => (setText(""), save("", true))}>
          {gettext("Pass on this one")}
        </button>
      </div>
    </div>
  );
}

function ReflectionStep({ step, index, writable, entries, state }: StepProps) {
  const onePhone = !!state.couple?.couple?.one_phone;
  const prompts = step.config.prompts ?? [];
  const mine = (p: 1 | 2) => entries.filter((e) => e.kind === "reflection" && e.mine && (e.as_partner ?? 1) === p);
  const done = (p: 1 | 2) => prompts.every((_, i) => mine(p).some((e) => e.key === String(i)));
  const form = (p: 1 | 2) => (
    <div>
      <p class="callout ok">{gettext("Only you will ever see this: not your partner, not the facilitator.")}</p>
      {prompts.map((prompt, i) => (
        <ReflectionPrompt
          key={`${p}-${i}`}
          index={index}
          promptIndex={i}
          prompt={prompt}
          asPartner={p}
          existing={mine(p).find((e) => e.key === String(i))}
          writable={writable}
        />
      ))}
    </div>
  );
  if (!writable && onePhone) return <p>{gettext("Your reflections are saved, each private to whoever wrote it.")}</p>;
  return <PrivateTurns onePhone={onePhone} firstDone={done(1)} secondDone={done(2)} render={form} />;
}

// --- answer, then reveal ---------------------------------------------------------------------------------------

function answerText(step: PublicStep, entry: Entry | undefined): string {
  if (!entry) return "";
  if (entry.passed) return gettext("Passed");
  const value = entry.payload?.value;
  if (value === undefined || value === null) return "";
  if (step.config.answer_kind === "scale" && step.config.scale) {
    const s = step.config.scale;
    return interpolate(gettext("%(value)s on a scale from %(min)s (%(min_label)s) to %(max)s (%(max_label)s)"), {
      value: String(value),
      min: String(s.min),
      min_label: s.min_label,
      max: String(s.max),
      max_label: s.max_label,
    });
  }
  return String(value);
}

function AnswerForm({
  step,
  index,
  asPartner,
  existing,
  shownTo,
  initial,
  onSaved,
}: {
  step: PublicStep;
  index: number;
  asPartner: 1 | 2;
  existing?: Entry;
  shownTo: string; // who sees the answer, and when
  initial?: string;
  onSaved?: (text: string, value: string, answered: Promise<Frame>) => void;
}) {
  const cfg = step.config;
  const kind = cfg.answer_kind ?? "text";
  const [value, setValue] = useState<string>(
    initial ?? (existing && !existing.passed ? String(existing.payload?.value ?? "") : ""),
  );
  const [status, setStatus] = useState<SaveStatus>("idle");
  const id = `answer-${index}-${asPartner}`;
  const submit = (passed: boolean) => {
    setStatus("saving");
    const payload = passed ? null : { value: kind === "scale" ? Number(value) : value };
    const answered = putEntry({ step_index: index, kind: "answer", key: "0", payload, passed, as_partner: asPartner });
    answered.then((f) => setStatus(isOk(f) ? "saved" : "error"));
    // Shown at once, also offline: the answer waits in the outbox until the server has it.
    const text = passed ? gettext("Passed") : answerText(step, { kind: "answer", step_index: index, key: "0", mine: true, payload });
    onSaved?.(text, passed ? "" : value, answered);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) submit(false);
      }}
    >
      {kind === "text" && (
        <div class="field">
          <label for={id}>{cfg.prompt}</label>
          <textarea id={id} value={value} maxLength={4000} onInput={(e) => setValue((e.target as HTMLTextAreaElement).value)} />
        </div>
      )}
      {kind === "choice" && (
        <fieldset class="options">
          <legend>{cfg.prompt}</legend>
          {(cfg.options ?? []).map((option) => (
            <label class="option" key={option}>
              <input type="radio" name={id} value={option} checked={value === option} onChange={() => setValue(option)} />
              {option}
            </label>
          ))}
        </fieldset>
      )}
      {kind === "scale" && cfg.scale && (
        <fieldset class="options">
          <legend>{cfg.prompt}</legend>
          <div class="scale-row">
            {Array.from({ length: cfg.scale.max - cfg.scale.min + 1 }, (_, i) => String(cfg.scale!.min + i)).map((n) => (
              <label class="option" key={n}>
                <input type="radio" name={id} value={n} checked={value === n} onChange={() => setValue(n)} />
                {n}
              </label>
            ))}
          </div>
          <div class="scale-labels" aria-hidden="true">
            <span>{cfg.scale.min_label}</span>
            <span>{cfg.scale.max_label}</span>
          </div>
          <p class="visually-hidden">
            {interpolate(gettext("%(min)s means %(min_label)s; %(max)s means %(max_label)s."), {
              min: String(cfg.scale.min),
              min_label: cfg.scale.min_label,
              max: String(cfg.scale.max),
              max_label: cfg.scale.max_label,
            })}
          </p>
        </fieldset>
      )}
      <p class="hint">{shownTo}</p>
      <div class="row">
        <button type="submit" disabled={!value.trim()}>
          {existing ? gettext("Change my answer") : gettext("Save my answer")}
        </button>
        <button type="button" class="quiet" onClick={() => submit(true)}>
          {gettext("Pass")}
        </button>
      </div>
      <SaveNote status={status} />
    </form>
  );
}

// A couple's answers to an answer step: whose is whose, and whether they show yet.
function coupleAnswers(entries: Entry[], state: PState) {
  const couple = state.couple?.couple;
  const answers = entries.filter((e) => e.kind === "answer" && e.key === "0");
  return {
    onePhone: !!couple?.one_phone,
    alone: !!couple?.alone,
    names: partnerNames(state),
    mine: (p: 1 | 2) => answers.find((e) => e.mine && (e.as_partner ?? 1) === p),
    theirs: answers.find((e) => !e.mine),
    revealed: answers.some((e) => e.revealed),
  };
}

// Both answers once they show (or a couple working alone's own), with the choice to keep one's answer back.
function RevealedAnswers({ step, index, answers }: { step: PublicStep; index: number; answers: ReturnType<typeof coupleAnswers> }) {
  const { onePhone, alone, names, mine, theirs } = answers;
  const mineOne = mine(1);
  return (
    <div>
      <h2>{onePhone ? gettext("Your answers, side by side") : alone ? gettext("Your answer") : gettext("Both answers")}</h2>
      <p class="hint">{step.config.prompt}</p>
      <div class="reveal" aria-live="polite">
        <p class="answer">
          <span class="who">{onePhone ? names.me : interpolate(gettext("%(name)s (you)"), { name: names.me })}</span>
          <span class="what">{answerText(step, mineOne)}</span>
          {mineOne?.kept_back && !onePhone && (
            <span class="hint"> {interpolate(gettext("Kept back: %(name)s doesn't see it."), { name: names.partner })}</span>
          )}
        </p>
        {onePhone && (
          <p class="answer">
            <span class="who">{names.second}</span>
            <span class="what">{answerText(step, mine(2))}</span>
          </p>
        )}
        {!onePhone && !alone && theirs && (
          <p class="answer">
            <span class="who">{names.partner}</span>
            <span class="what">
              {theirs.kept_back ? interpolate(gettext("%(name)s kept their answer back."), { name: names.partner }) : answerText(step, theirs)}
            </span>
          </p>
        )}
      </div>
      {!onePhone && !alone && mineOne && !mineOne.passed && (
        <KeepBack index={index} kept={!!mineOne.kept_back} partner={names.partner} />
      )}
    </div>
  );
}

function AnswerStep({ step, index, writable, entries, state }: StepProps) {
  const answers = coupleAnswers(entries, state);
  const { onePhone, alone, names, mine, theirs, revealed } = answers;
  const [editing, setEditing] = useState(false);
  const [sent, setSent] = useState("");
  const [draft, setDraft] = useState<string | undefined>(undefined);

  if (revealed) return <RevealedAnswers step={step} index={index} answers={answers} />;

  if (!writable) {
    return (
      <p>
        {mine(1) && !onePhone
          ? interpolate(gettext("You answered: %(answer)s. The answers show once you have both answered."), {
              answer: answerText(step, mine(1)),
            })
          : gettext("The answers open when the facilitator starts this part.")}
      </p>
    );
  }

  if (onePhone) {
    return (
      <PrivateTurns
        onePhone
        firstDone={!!mine(1)}
        secondDone={!!mine(2)}
        render={(p) => (
          <AnswerForm
            step={step}
            index={index}
            asPartner={p}
            existing={mine(p)}
            shownTo={gettext("Your answer shows to both of you once you have both answered or passed.")}
          />
        )}
        bothDone={<p>{gettext("Both answers are in; they show together in a moment.")}</p>}
      />
    );
  }

  const my = mine(1);
  if (!my && sent && !editing) {
    return (
      <div>
        <p class="callout ok">
          {gettext("Your answer:")} <strong>{sent}</strong>
        </p>
        <p aria-live="polite">
          {socket?.status === "open" ? gettext("Sending…") : gettext("Kept on this phone; it is shared when you're back online.")}
        </p>
      </div>
    );
  }
  if (my && !editing) {
    return (
      <div>
        <p class="callout ok">
          {gettext("Your answer is in:")} <strong>{answerText(step, my)}</strong>
        </p>
        <p aria-live="polite">
          {theirs?.answered
            ? interpolate(gettext("%(name)s has answered too."), { name: names.partner })
            : interpolate(gettext("Waiting for %(name)s to answer or pass…"), { name: names.partner })}
        </p>
        <div class="row">
          <button type="button" class="quiet" onClick={() => setEditing(true)}>
            {gettext("Change my answer")}
          </button>
        </div>
        {!my.passed && <KeepBack index={index} kept={!!my.kept_back} partner={names.partner} />}
      </div>
    );
  }
  return (
    <AnswerForm
      step={step}
      index={index}
      asPartner={1}
      existing={my}
      shownTo={
        alone
          ? gettext("Your answer shows here once you have answered or passed.")
          : interpolate(gettext("Your answer shows to %(name)s once you have both answered or passed."), { name: names.partner })
      }
      initial={draft}
      onSaved={(text, value, answered) => {
        setSent(text);
        setDraft(value);
        setEditing(false);
        // Refused (the breakout closed meanwhile, say): back to the form, with what was written.
        answered.then((f) => {
          if (!isOk(f)) {
            setSent("");
            setEditing(true);
          }
        });
      }}
    />
  );
}

function KeepBack({ index, kept, partner }: { index: number; kept: boolean; partner: string }) {
  const [checked, setChecked] = useState(kept);
  useEffect(() => setChecked(kept), [kept]);
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          const value = (e.target as HTMLInputElement).checked;
          setChecked(value);
          send("answer.keep_back", { step_index: index, key: "0", kept_back: value });
        }}
      />
      <span>{interpolate(gettext("Keep my answer back. %(name)s sees that I answered, not what."), { name: partner })}</span>
    </label>
  );
}

// --- shared worksheet -----------------------------------------------------------------------------------------

function newKey(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

function WorksheetItem({ item, index, writable }: { item: Entry; index: number; writable: boolean }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState<string>(item.payload?.text ?? "");
  const id = `edit-${item.key}`;
  if (editing) {
    return (
      <li>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim()) return;
            putEntry({
              step_index: index,
              kind: "item",
              key: item.key,
              payload: { ...item.payload, text: text.trim() },
              expected_version: item.version,
            });
            setEditing(false);
          }}
        >
          <label for={id} class="visually-hidden">
            {gettext("Edit this item")}
          </label>
          <textarea id={id} value={text} maxLength={2000} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          <div class="row">
            <button type="submit">{gettext("Save")}</button>
            <button type="button" class="quiet" onClick={() => setEditing(false)}>
              {gettext("Cancel")}
            </button>
          </div>
        </form>
      </li>
    );
  }
  return (
    <li>
      <span class="text">{item.payload?.text}</span>
      {writable && (
        <div class="row">
          <button
            type="button"
            class="quiet"
            aria-label={interpolate(gettext("Edit: %(item)s"), { item: item.payload?.text ?? "" })}
            onClick={() => (setText(item.payload?.text ?? ""), setEditing(true))}
          >
            {gettext("Edit")}
          </button>
          <button
            type="button"
            class="quiet"
            aria-label={interpolate(gettext("Remove: %(item)s"), { item: item.payload?.text ?? "" })}
            onClick={() => send("entry.delete", { step_index: index, key: item.key, expected_version: item.version ?? 0 })}
          >
            {gettext("Remove")}
          </button>
        </div>
      )}
    </li>
  );
}

function WorksheetStep({ step, index, writable, entries }: StepProps) {
  const sections = step.config.sections ?? [];
  const items = entries.filter((e) => e.kind === "item" && e.payload && !e.unreadable);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<{ key: string; section: string; text: string }[]>([]);
  const visiblePending = pending.filter((p) => !items.some((i) => i.key === p.key));
  const add = (section: string) => {
    const text = (drafts[section] ?? "").trim();
    if (!text) return;
    const key = newKey("i");
    setPending((p) => [...p, { key, section, text }]);
    setDrafts((d) => ({ ...d, [section]: "" }));
    // Shown as "not sent yet" until the server answers: then it is in the couple's items (or it failed), and a
    // later removal must not bring it back.
    putEntry({ step_index: index, kind: "item", key, payload: { section, text }, expected_version: 0 }).then(() =>
      setPending((p) => p.filter((x) => x.key !== key)),
    );
  };
  return (
    <div>
      <p class="hint">{gettext("You both see and edit this list.")}</p>
      {sections.map((section) => {
        const sectionItems = items.filter((i) => i.payload.section === section.key);
        const waiting = visiblePending.filter((p) => p.section === section.key);
        const inputId = `add-${index}-${section.key}`;
        return (
          <section key={section.key} aria-labelledby={`sec-${section.key}`}>
            <h2 id={`sec-${section.key}`}>{section.label}</h2>
            {section.hint && <p class="hint">{section.hint}</p>}
            <ul class="items">
              {sectionItems.map((item) => (
                <WorksheetItem key={`${item.key}-${item.version}`} item={item} index={index} writable={writable} />
              ))}
              {waiting.map((p) => (
                <li key={p.key}>
                  <span class="text">{p.text}</span>{" "}
                  <span class="hint">{socket?.status === "open" ? gettext("(sending…)") : gettext("(kept on this phone, not sent yet)")}</span>
                </li>
              ))}
              {sectionItems.length === 0 && waiting.length === 0 && <li class="hint">{gettext("Nothing here yet.")}</li>}
            </ul>
            {writable && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  add(section.key);
                }}
              >
                <label for={inputId}>{interpolate(gettext("Add to “%(section)s”"), { section: section.label })}</label>
                <div class="row">
                  <input
                    id={inputId}
                    class="grow"
                    value={drafts[section.key] ?? ""}
                    maxLength={2000}
                    onInput={(e) => setDrafts((d) => ({ ...d, [section.key]: (e.target as HTMLInputElement).value }))}
                  />
                  <button type="submit">{gettext("Add")}</button>
                </div>
              </form>
            )}
          </section>
        );
      })}
    </div>
  );
}

// --- turn-taking dialogue ---------------------------------------------------------------------------------------

function TopicNote({ index, entries, writable, prompt }: { index: number; entries: Entry[]; writable: boolean; prompt: string }) {
  const note = entries.find((e) => e.kind === "item" && e.key === "topic");
  const [text, setText] = useState<string>(note?.payload?.text ?? "");
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) setText(note?.payload?.text ?? "");
  }, [note?.version]);
  const id = `topic-${index}`;
  if (!writable) return note?.payload?.text ? <p class="callout">{interpolate(gettext("Your topic: %(topic)s"), { topic: note.payload.text })}</p> : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        putEntry({ step_index: index, kind: "item", key: "topic", payload: { text: text.trim() }, expected_version: note?.version ?? 0 });
        setDirty(false);
      }}
    >
      <label for={id}>{gettext("Your topic")}</label>
      <p class="hint" id={`${id}-hint`}>
        {prompt}
      </p>
      <div class="row">
        <input
          id={id}
          class="grow"
          value={text}
          maxLength={300}
          aria-describedby={`${id}-hint`}
          onInput={(e) => (setText((e.target as HTMLInputElement).value), setDirty(true))}
        />
        <button type="submit" disabled={!dirty || !text.trim()}>
          {gettext("Save")}
        </button>
      </div>
    </form>
  );
}

function DialogueStep({ step, index, writable, entries, state }: StepProps) {
  const cfg = step.config;
  const phases = cfg.phases ?? [];
  const rounds = cfg.rounds ?? 2;
  const couple = state.couple;
  const turn = couple?.dialogue && couple.dialogue.step === index ? couple.dialogue : null;
  const names = partnerNames(state);
  const meId = couple?.participant.id;
  const onePhone = !!couple?.couple?.one_phone;
  const [swapped, setSwapped] = useState(false);
  const act = (action: "start" | "next" | "swap") => {
    if (onePhone && action === "swap") setSwapped((s) => !s);
    send("dialogue", { action, expected_version: store.get().coupleVersion });
  };
  let speaker = "";
  let iSpeak = false;
  if (turn) {
    if (onePhone) {
      const firstSpeaks = (turn.round % 2 === 1) !== swapped;
      speaker = firstSpeaks ? names.me : names.second;
    } else {
      iSpeak = turn.speaker === meId;
      speaker = iSpeak ? gettext("You") : names.partner;
    }
  }
  const phase = turn && !turn.finished ? phases[turn.phase] : null;
  const lastPhase = turn ? turn.phase + 1 >= phases.length : false;
  const lastRound = turn ? turn.round >= rounds : false;
  return (
    <div>
      <TopicNote index={index} entries={entries} writable={writable} prompt={cfg.topic_prompt ?? ""} />
      {!turn && (
        <>
          <h2>{gettext("How the turns go")}</h2>
          <ol class="phases">
            {phases.map((p) => (
              <li key={p.key}>
                <strong>{p.label}</strong> ({shortMinutes(Math.round(p.seconds / 60))}): {p.instructions}
              </li>
            ))}
          </ol>
          <p>
            {interpolate(
              ngettext("%(count)s round; you swap roles after each round.", "%(count)s rounds; you swap roles after each round.", rounds),
              { count: rounds },
            )}
          </p>
          {writable && (
            <button type="button" class="block" onClick={() => act("start")}>
              {onePhone ? gettext("Start the first turn") : gettext("Start: I'll speak first")}
            </button>
          )}
        </>
      )}
      {turn?.finished && <p class="callout ok">{gettext("You've finished every round. Well done.")}</p>}
      {turn && phase && (
        <div class="turn" aria-live="polite">
          <p class="hint">
            {interpolate(gettext("Round %(round)s of %(rounds)s"), { round: turn.round, rounds })} · {phase.label}
          </p>
          <p class="role">
            {onePhone
              ? interpolate(gettext("%(name)s speaks"), { name: speaker })
              : iSpeak
                ? gettext("You speak")
                : interpolate(gettext("%(name)s speaks; you listen"), { name: names.partner })}
          </p>
          <Countdown deadline={turn.deadline} offsetMs={offset()} label={gettext("Time left in this phase")} />
          <p class="pre">{phase.instructions}</p>
          {writable && (
            <div class="row">
              <button type="button" onClick={() => act("next")}>
                {lastPhase ? (lastRound ? gettext("Finish") : gettext("Next round (swap roles)")) : gettext("Next phase")}
              </button>
              <button type="button" class="quiet" onClick={() => act("swap")}>
                {gettext("Swap roles")}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

// --- agreement ---------------------------------------------------------------------------------------------------

function initialAgreement(kind: AgreementKind, days: number | null | undefined, payload?: Record<string, string>) {
  const values: Record<string, string> = {};
  for (const field of AGREEMENT_FIELDS[kind]) values[field.name] = payload?.[field.name] ?? "";
  if (!payload) {
    if (kind === "trial_period") values.ends_on = todayPlus(days ?? 14);
    if (kind === "ritual") Object.assign(values, { repeat: "weekly", starts_on: todayPlus(7), at: "19:00" });
  }
  return values;
}

function AgreementStep({ step, index, writable, entries }: StepProps) {
  const cfg = step.config;
  const kind = (cfg.agreement_kind ?? "trial_period") as AgreementKind;
  const entry = entries.find((e) => e.kind === "agreement" && e.key === "main");
  const [values, setValues] = useState<Record<string, string>>(() => initialAgreement(kind, cfg.default_trial_days, entry?.payload));
  const [base, setBase] = useState<number>(entry?.version ?? 0);
  const [dirty, setDirty] = useState(false);
  const [status, setStatus] = useState<SaveStatus>(entry ? "saved" : "idle");
  const [focused, setFocused] = useState<string>(AGREEMENT_FIELDS[kind][0].name);
  const theirsChanged = !!entry && dirty && (entry.version ?? 0) !== base;

  useEffect(() => {
    // The partner saved: follow them unless I'm in the middle of my own change.
    if (!dirty) {
      setValues(initialAgreement(kind, cfg.default_trial_days, entry?.payload));
      setBase(entry?.version ?? 0);
    }
  }, [entry?.version]);

  if (!writable) {
    return entry ? (
      <AgreementCard entry={entry} headingLevel={2} />
    ) : (
      <p>{gettext("Your agreement can be written when the facilitator starts this part.")}</p>
    );
  }
  const set = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setDirty(true);
    setStatus("idle");
  };
  const save = (e: Event) => {
    e.preventDefault();
    setStatus("saving");
    const expected = theirsChanged ? (entry?.version ?? 0) : base;
    putEntry({
      step_index: index,
      kind: "agreement",
      key: "main",
      payload: { agreement_kind: kind, ...values },
      expected_version: expected,
    }).then((f) => {
      if (isOk(f)) {
        setDirty(false);
        setStatus("saved");
      } else setStatus(f.code === "stale_item" ? "idle" : "error");
    });
  };
  return (
    <form onSubmit={save}>
      <h2>{AGREEMENT_TITLES[kind]}</h2>
      <p class="hint">{gettext("You write this together; both phones show the saved version.")}</p>
      {theirsChanged && (
        <div class="callout warn" role="alert">
          <p>{gettext("Your partner saved a version while you were writing.")}</p>
          <div class="row">
            <button
              type="button"
              class="quiet"
              onClick={() => {
                setValues(initialAgreement(kind, cfg.default_trial_days, entry?.payload));
                setBase(entry?.version ?? 0);
                setDirty(false);
              }}
            >
              {gettext("Show their version")}
            </button>
            <button type="submit">{gettext("Save mine over it")}</button>
          </div>
        </div>
      )}
      {AGREEMENT_FIELDS[kind].map((field) => (
        <AgreementInput
          key={field.name}
          id={`agreement-${index}-${field.name}`}
          field={field}
          value={values[field.name]}
          onFocus={() => setFocused(field.name)}
          onInput={(value) => set(field.name, value)}
        />
      ))}
      {(cfg.suggestions ?? []).length > 0 && (
        <AgreementIdeas
          index={index}
          suggestions={cfg.suggestions ?? []}
          target={AGREEMENT_FIELDS[kind].find((f) => f.name === focused)?.label}
          onPick={(idea) => {
            const current = values[focused] ?? "";
            set(focused, current ? `${current.replace(/\s+$/, "")}\n${idea}` : idea);
          }}
        />
      )}
      <button type="submit" class="block">
        {gettext("Save our agreement")}
      </button>
      <SaveNote status={dirty && status === "saved" ? "idle" : status} />
    </form>
  );
}

interface AgreementInputProps {
  id: string;
  field: AgreementField;
  value: string;
  onFocus: () => void;
  onInput: (value: string) => void;
}

// One field of an agreement; the last text field focused is where a tapped idea goes.
function AgreementInput({ id, field, value, onFocus, onInput }: AgreementInputProps) {
  return (
    <div class="field">
      <label for={id}>{field.label}</label>
      {field.type === "textarea" && (
        <textarea id={id} value={value} maxLength={3000} onFocus={onFocus} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
      )}
      {(field.type === "date" || field.type === "time") && (
        <input id={id} type={field.type} value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
      )}
      {field.type === "repeat" && (
        <select id={id} value={value} onChange={(e) => onInput((e.target as HTMLSelectElement).value)}>
          {Object.entries(REPEAT_LABELS).map(([repeat, label]) => (
            <option key={repeat} value={repeat}>
              {label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

interface AgreementIdeasProps {
  index: number;
  suggestions: string[];
  target: string | undefined;
  onPick: (idea: string) => void;
}

function AgreementIdeas({ index, suggestions, target, onPick }: AgreementIdeasProps) {
  return (
    <div>
      <p class="hint" id={`sugg-${index}`}>
        {interpolate(gettext("Ideas (tap one to add it to “%(field)s”):"), { field: target ?? "" })}
      </p>
      <ul class="chips" aria-label={gettext("Ideas")} aria-describedby={`sugg-${index}`}>
        {suggestions.map((s) => (
          <li key={s}>
            <button type="button" onClick={() => onPick(s)}>
              {s}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

// --- anonymous poll, break, instruction -----------------------------------------------------------------------------

function PollStep({ step, index }: StepProps) {
  return <PollPrompt step={step} index={index} />;
}

function BreakStep({ state }: StepProps) {
  const timer = state.session?.timer;
  return (
    <div>
      <p class="lead">{gettext("Take a break. Stretch, drink some water.")}</p>
      {timer && (timer.deadline || timer.paused_remaining_ms !== null) && (
        <p>
          {gettext("Back in")}{" "}
          <Countdown
            class="big-timer"
            deadline={timer.deadline}
            pausedMs={timer.paused_remaining_ms}
            offsetMs={offset()}
            label={gettext("Break time left")}
          />
        </p>
      )}
    </div>
  );
}

export function StepBody(props: StepProps) {
  return (
    <>
      <UnreadableNote entries={props.entries} />
      <StepOfKind {...props} />
    </>
  );
}

function StepOfKind(props: StepProps) {
  switch (props.step.kind) {
    case "reflection":
      return <ReflectionStep {...props} />;
    case "answer_reveal":
      return <AnswerStep {...props} />;
    case "worksheet":
      return <WorksheetStep {...props} />;
    case "dialogue":
      return <DialogueStep {...props} />;
    case "agreement":
      return <AgreementStep {...props} />;
    case "poll":
      return <PollStep {...props} />;
    case "break":
      return <BreakStep {...props} />;
    default:
      return null;
  }
}
