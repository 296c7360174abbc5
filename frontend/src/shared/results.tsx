// Released feedback results as simple bars and word lists (no chart library), for the console and the projector.
// A result is always a whole release of at least the threshold's answers: never a pending count.
import type { FeedbackResult, PromptKind, ScaleRange } from "./types";

export const KIND_NAMES: Record<PromptKind, string> = {
  scale: "Scale",
  single: "Single choice",
  multiple: "Multiple choice",
  words: "One word",
  text: "Free text",
};

export interface Bar {
  label: string;
  count: number;
}

export function barsOf(kind: PromptKind, result: FeedbackResult, scale?: ScaleRange | null): Bar[] {
  if (kind === "scale") {
    const counts = result.counts ?? [];
    return counts.map((c) => {
      let label = String(c.value);
      if (scale?.min_label && c.value === scale.min) label += ` · ${scale.min_label}`;
      if (scale?.max_label && c.value === scale.max) label += ` · ${scale.max_label}`;
      return { label, count: c.count };
    });
  }
  if (kind === "single" || kind === "multiple") return (result.counts ?? []).map((c) => ({ label: c.option ?? "", count: c.count }));
  return [];
}

export function Bars({ bars, label }: { bars: Bar[]; label: string }) {
  const top = Math.max(1, ...bars.map((b) => b.count));
  return (
    <ul class="bars" aria-label={label}>
      {bars.map((b) => (
        <li key={b.label}>
          <span class="bar-label">{b.label}</span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: `${Math.round((100 * b.count) / top)}%` }} />
          </span>
          <span class="bar-count">
            {b.count}
            <span class="visually-hidden"> {b.count === 1 ? "answer" : "answers"}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "1 couple", "3 couples". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Who can answer a question, frozen when it opened, for the console and the projector: "8 couples can answer ·
 *  2 walk-ins". Said before anyone answers, so the room knows how many couples a total can hide an answer among. */
export function whoCanAnswer(prompt: { couples: number; walk_ins: number }): string {
  const couples = prompt.couples === 0 ? "No couple can answer" : `${counted(prompt.couples, "couple")} can answer`;
  return `${couples} · ${prompt.walk_ins === 0 ? "no walk-ins" : counted(prompt.walk_ins, "walk-in")}`;
}

export function summaryOf(kind: PromptKind, result: FeedbackResult): string {
  const from = typeof result.couples === "number" ? ` from ${counted(result.couples, "couple")}` : "";
  const n = `${counted(result.answers, "answer")}${from}`;
  if (kind === "scale" && typeof result.mean === "number") return `${n} · average ${result.mean}`;
  if (kind === "multiple") return `${n} · several choices allowed`;
  return n;
}

/** Words sized by how often they came (hidden ones are already left out of the projector's result). */
export function WordList({ words, label }: { words: { word: string; count: number }[]; label: string }) {
  const top = Math.max(1, ...words.map((w) => w.count));
  return (
    <ul class="word-list" aria-label={label}>
      {words.map((w) => (
        <li key={w.word} style={{ fontSize: `${(1 + (1.6 * (w.count - 1)) / Math.max(1, top - 1)).toFixed(2)}em` }}>
          {w.word}
          {w.count > 1 && <span class="word-count"> ×{w.count}</span>}
        </li>
      ))}
    </ul>
  );
}
