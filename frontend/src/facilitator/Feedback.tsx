// The console's feedback panel: every anonymous question with its state and released result, Show on projector
// and Close (each releases what can be released), hiding a word or text from the projector, and a form to ask
// the room a question live. Staff never see a pending count: below the threshold there is nothing to show. Each
// question says how many couples can answer it (frozen when it opened) and how many of them are walk-ins.
import { useState } from "preact/hooks";
import { gettext, interpolate, ngettext } from "../shared/i18n";
import { Bars, barsOf, couplesText, KIND_NAMES, summaryOf, whoCanAnswer } from "../shared/results";
import type { LiveSocket } from "../shared/socket";
import type { PromptKind, StaffPrompt } from "../shared/types";
import { notify } from "../shared/ui";

/** The `release` frames (sent just before their ack), by the id of the message that asked: main.tsx fills it. */
export const releasedById = new Map<string, boolean>();

export interface ReleaseReply {
  action: "show" | "close";
  released: boolean;
  hadResult: boolean;
}

const SOURCES: Record<StaffPrompt["source"], string> = {
  step: gettext("Poll step"),
  live: gettext("Asked live"),
  survey: gettext("Post-session survey"),
};

// Poll steps, then questions asked live, then the survey (the server's order within each).
const ORDER: StaffPrompt["source"][] = ["step", "live", "survey"];

// What every release needs (feedback/rules.py): at least three couples, and words and free text at least 8 answers.
const MIN_COUPLES = 3;
const MIN_FREE_TEXT = 8;

/** The answers a release of a question of this kind needs, with the session's threshold k. */
export function pollThreshold(kind: PromptKind, k: number): number {
  return kind === "words" || kind === "text" ? Math.max(k, MIN_FREE_TEXT) : k;
}

/** Why a question can never show a result when `couples` couples can answer it (each couple is two people, who
 *  answer for themselves), said before anyone answers; "" when it can. */
export function neverReleases(threshold: number, couples: number): string {
  const people = 2 * couples;
  if (threshold > people) {
    return interpolate(
      ngettext(
        "Needs %(threshold)s answers; at most %(count)s person can answer (%(couples)s), so it can't show a result.",
        "Needs %(threshold)s answers; at most %(count)s people can answer (%(couples)s), so it can't show a result.",
        people,
      ),
      { threshold, count: people, couples: couplesText(couples) },
    );
  }
  if (couples === 0) return gettext("Needs answers from at least three couples; no couple can answer, so it can't show a result.");
  if (couples < MIN_COUPLES) {
    return interpolate(
      ngettext(
        "Needs answers from at least three couples; only %(count)s couple can answer, so it can't show a result.",
        "Needs answers from at least three couples; only %(count)s couples can answer, so it can't show a result.",
        couples,
      ),
      { count: couples },
    );
  }
  return "";
}

function releaseMessage(p: StaffPrompt, reply: ReleaseReply): string {
  const n = p.threshold;
  if (reply.released) {
    return reply.action === "show" ? gettext("Released: the projector shows the result.") : gettext("Released and closed.");
  }
  let text: string;
  if (reply.hadResult && reply.action === "show") {
    text = ngettext(
      "Nothing new to release: a further release needs at least %(count)s new answer from three couples. The projector shows the result so far.",
      "Nothing new to release: a further release needs at least %(count)s new answers from three couples. The projector shows the result so far.",
      n,
    );
  } else if (reply.hadResult) {
    text = ngettext(
      "Closed. Nothing new to release: a further release needs at least %(count)s new answer from three couples.",
      "Closed. Nothing new to release: a further release needs at least %(count)s new answers from three couples.",
      n,
    );
  } else if (reply.action === "show") {
    text = ngettext(
      "Not enough answers yet: at least %(count)s answer from three couples is needed",
      "Not enough answers yet: at least %(count)s answers from three couples are needed",
      n,
    );
  } else {
    text = ngettext(
      "Closed. Not enough answers yet: at least %(count)s answer from three couples is needed",
      "Closed. Not enough answers yet: at least %(count)s answers from three couples are needed",
      n,
    );
  }
  return interpolate(text, { count: n });
}

function HideList({ socket, p }: { socket: LiveSocket; p: StaffPrompt }) {
  const items = p.result?.items ?? [];
  const hide = (ids: string[], hidden: boolean) => {
    for (const id of ids) socket.send("feedback.hide", { prompt_id: p.id, answer_id: id, hidden });
  };
  if (p.kind === "words") {
    return (
      <ul class="fb-items" aria-label={interpolate(gettext("Words: %(question)s"), { question: p.question })}>
        {(p.result?.words ?? []).map((w) => {
          const ids = items.filter((i) => i.value === w.word && i.id).map((i) => i.id!);
          const hidden = ids.length > 0 && items.filter((i) => i.value === w.word).every((i) => i.hidden);
          return (
            <li key={w.word} class={hidden ? "is-hidden" : ""}>
              <span class="fb-value">
                {w.word} <span class="hint">×{w.count}</span>
                {hidden && <span class="hint"> {gettext("(hidden from the projector)")}</span>}
              </span>
              <button
                type="button"
                class="quiet"
                onClick={() => hide(ids, !hidden)}
                aria-label={interpolate(hidden ? gettext("Show “%(word)s” on the projector") : gettext("Hide “%(word)s” on the projector"), { word: w.word })}
              >
                {hidden ? gettext("Show") : gettext("Hide")}
              </button>
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <ul class="fb-items" aria-label={interpolate(gettext("Answers: %(question)s"), { question: p.question })}>
      {items.map((item, n) => (
        <li key={item.id ?? n} class={item.hidden ? "is-hidden" : ""}>
          <span class="fb-value">
            {item.value}
            {item.hidden && <span class="hint"> {gettext("(hidden from the projector)")}</span>}
          </span>
          <button
            type="button"
            class="quiet"
            onClick={() => item.id && hide([item.id], !item.hidden)}
            aria-label={interpolate(item.hidden ? gettext("Show answer %(number)s on the projector") : gettext("Hide answer %(number)s on the projector"), {
              number: n + 1,
            })}
          >
            {item.hidden ? gettext("Show") : gettext("Hide")}
          </button>
        </li>
      ))}
    </ul>
  );
}

function PromptRow({ socket, p, reply, onReply }: { socket: LiveSocket; p: StaffPrompt; reply?: ReleaseReply; onReply: (r: ReleaseReply) => void }) {
  const [busy, setBusy] = useState(false);
  const headingId = `fbp-${p.id}`;
  const act = (action: "show" | "close") => {
    setBusy(true);
    const hadResult = !!p.result;
    socket.send(`feedback.${action}`, { prompt_id: p.id }).then((frame) => {
      setBusy(false);
      // The `release` frame came just before this ack: it says whether anything was released.
      if (frame.type === "ack" && frame.id) {
        onReply({ action, released: !!releasedById.get(frame.id), hadResult });
        releasedById.delete(frame.id);
      }
    });
  };
  const result = p.result;
  const never = result ? "" : neverReleases(p.threshold, p.couples);
  return (
    <li class="fb-prompt" data-prompt-id={p.id}>
      <h3 id={headingId} lang={p.lang || undefined}>
        {p.question}
      </h3>
      <p class="hint">
        {SOURCES[p.source]} · {KIND_NAMES[p.kind]} · {p.state === "open" ? gettext("Open") : gettext("Closed")}
        {p.on_projector && <> · {gettext("On the projector")}</>}
      </p>
      <p class="hint fb-couples">{whoCanAnswer(p)}</p>
      {never && <p class="callout warn fb-never">{never}</p>}
      {result ? (
        <>
          <p>
            <strong>{summaryOf(p.kind, result)}</strong>
          </p>
          {p.kind === "words" || p.kind === "text" ? (
            <HideList socket={socket} p={p} />
          ) : (
            <Bars bars={barsOf(p.kind, result, p.scale)} label={interpolate(gettext("Result: %(question)s"), { question: p.question })} />
          )}
        </>
      ) : (
        <p class="fb-none">
          <strong>{gettext("Not enough answers yet")}</strong>
        </p>
      )}
      <p class="hint" role="status">
        {reply ? releaseMessage(p, reply) : ""}
      </p>
      <div class="controls">
        <button type="button" onClick={() => act("show")} disabled={busy} aria-describedby={headingId}>
          {gettext("Show on projector")}
        </button>
        {p.state === "open" && (
          <button type="button" class="quiet" onClick={() => act("close")} disabled={busy} aria-describedby={headingId}>
            {gettext("Close")}
          </button>
        )}
      </div>
    </li>
  );
}

// Raising the session's threshold k (never lowering it, which would make an earlier release a differencing target).
function RaiseK({ socket, k }: { socket: LiveSocket; k: number }) {
  const [value, setValue] = useState(String(k + 1));
  const [error, setError] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    const next = Number(value);
    if (!Number.isInteger(next) || next <= k || next > 100) {
      return setError(interpolate(gettext("Give a whole number above %(k)s (at most %(most)s)."), { k, most: 100 }));
    }
    setError("");
    socket.send("feedback.k", { k: next }).then((frame) => {
      if (frame.type === "ack") {
        notify(
          interpolate(
            ngettext(
              "Every release now needs at least %(count)s answer: phones and the projector show it.",
              "Every release now needs at least %(count)s answers: phones and the projector show it.",
              next,
            ),
            { count: next },
          ),
        );
      } else setError(frame.message || gettext("That didn't work."));
    });
  };
  return (
    <form class="row" onSubmit={submit}>
      <label for="fb-raise-k">{gettext("Raise the threshold to")}</label>
      <input id="fb-raise-k" type="number" min={k + 1} max={100} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit" class="quiet">
        {gettext("Raise")}
      </button>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function AddPrompt({ socket }: { socket: LiveSocket }) {
  const [kind, setKind] = useState<PromptKind>("scale");
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState("");
  const [scale, setScale] = useState({ min: "1", max: "5", min_label: "", max_label: "" });
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const choice = kind === "single" || kind === "multiple";
  const submit = (e: Event) => {
    e.preventDefault();
    const lines = options
      .split("\n")
      .map((o) => o.trim())
      .filter(Boolean);
    if (!question.trim()) return setError(gettext("Write the question."));
    if (choice && (lines.length < 2 || lines.length > 10)) return setError(gettext("Give 2 to 10 options, one per line."));
    const min = Number(scale.min);
    const max = Number(scale.max);
    if (kind === "scale" && !(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && min < max && max <= 10)) {
      return setError(gettext("A scale runs between whole numbers from 0 to 10, the first smaller than the second."));
    }
    setError("");
    setBusy(true);
    socket
      .send("feedback.add", {
        kind,
        question: question.trim(),
        options: choice ? lines : [],
        scale: kind === "scale" ? { min, max, min_label: scale.min_label.trim(), max_label: scale.max_label.trim() } : null,
      })
      .then((frame) => {
        setBusy(false);
        if (frame.type === "ack") {
          setQuestion("");
          setOptions("");
          notify(gettext("Question added: every phone shows it now."));
        } else setError(frame.message || gettext("That didn't work."));
      });
  };
  const set = (name: keyof typeof scale) => (e: Event) => setScale({ ...scale, [name]: (e.target as HTMLInputElement).value });
  return (
    <form class="fb-add" onSubmit={submit} aria-labelledby="fb-add-heading">
      <h3 id="fb-add-heading">{gettext("Ask the room a question")}</h3>
      <div class="field">
        <label for="fb-kind">{gettext("Kind")}</label>
        <select id="fb-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as PromptKind)}>
          {(Object.keys(KIND_NAMES) as PromptKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_NAMES[k]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="fb-question">{gettext("Question")}</label>
        <input id="fb-question" maxLength={300} value={question} onInput={(e) => setQuestion((e.target as HTMLInputElement).value)} />
      </div>
      {choice && (
        <div class="field">
          <label for="fb-options">{gettext("Options, one per line")}</label>
          <textarea id="fb-options" value={options} onInput={(e) => setOptions((e.target as HTMLTextAreaElement).value)} />
        </div>
      )}
      {kind === "scale" && (
        <div class="field scale-fields">
          <span>
            <label for="fb-min">{gettext("From")}</label>
            <input id="fb-min" type="number" min={0} max={10} value={scale.min} onInput={set("min")} />
          </span>
          <span>
            <label for="fb-max">{gettext("To")}</label>
            <input id="fb-max" type="number" min={0} max={10} value={scale.max} onInput={set("max")} />
          </span>
          <span>
            <label for="fb-min-label">{gettext("Low end means")}</label>
            <input id="fb-min-label" maxLength={60} value={scale.min_label} onInput={set("min_label")} />
          </span>
          <span>
            <label for="fb-max-label">{gettext("High end means")}</label>
            <input id="fb-max-label" maxLength={60} value={scale.max_label} onInput={set("max_label")} />
          </span>
        </div>
      )}
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {gettext("Add the question")}
      </button>
      <p class="hint">{gettext("Every phone shows it at once. Answers are anonymous; results show only once enough couples answered.")}</p>
    </form>
  );
}

export function FeedbackPanel({
  socket,
  prompts,
  k,
  replies,
  onReply,
}: {
  socket: LiveSocket;
  prompts: StaffPrompt[] | null;
  k: number | null;
  replies: Record<number, ReleaseReply>;
  onReply: (promptId: number, reply: ReleaseReply) => void;
}) {
  return (
    <section class="panel" aria-labelledby="fb-heading">
      <h2 id="fb-heading">{gettext("Anonymous feedback")}</h2>
      <p class="hint">
        {interpolate(
          ngettext(
            "A result shows only when Show on projector or Close releases at least %(count)s answer from three couples (at least %(free)s for words and free text). Until then there is nothing to see, not even a count.",
            "A result shows only when Show on projector or Close releases at least %(count)s answers from three couples (at least %(free)s for words and free text). Until then there is nothing to see, not even a count.",
            k ?? 5,
          ),
          { count: k ?? 5, free: Math.max(k ?? 5, MIN_FREE_TEXT) },
        )}
      </p>
      {k !== null && <RaiseK key={k} socket={socket} k={k} />}
      {!prompts ? (
        <p class="hint">{gettext("Waiting for the first update…")}</p>
      ) : prompts.length === 0 ? (
        <p class="hint">{gettext("No questions yet. A poll step's question opens when you reach it; the survey's when the session ends.")}</p>
      ) : (
        <ul class="fb-prompts">
          {[...prompts].sort((a, b) => ORDER.indexOf(a.source) - ORDER.indexOf(b.source)).map((p) => (
            <PromptRow key={p.id} socket={socket} p={p} reply={replies[p.id]} onReply={(r) => onReply(p.id, r)} />
          ))}
        </ul>
      )}
      <AddPrompt socket={socket} />
    </section>
  );
}
