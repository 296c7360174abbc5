// Released feedback results as simple bars and word lists (no chart library), for the console and the projector.
// A result is always a whole release of at least the threshold's answers: never a pending count.
import { gettext, interpolate, ngettext } from "./i18n";
import type { FeedbackResult, PromptKind, ScaleRange } from "./types";

export const KIND_NAMES: Record<PromptKind, string> = {
  scale: gettext("Scale"),
  single: gettext("Single choice"),
  multiple: gettext("Multiple choice"),
  words: gettext("One word"),
  text: gettext("Free text"),
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
            <span aria-hidden="true">{b.count}</span>
            <span class="visually-hidden"> {answersText(b.count)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "1 couple", "3 couples" in English only: for the console's texts not yet marked for translation; new code
 *  says couplesText(n) or its own sentence with ngettext. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "1 couple", "3 couples", in the reader's language. */
export function couplesText(n: number): string {
  return interpolate(ngettext("%(count)s couple", "%(count)s couples", n), { count: n });
}

/** "1 answer", "12 answers", in the reader's language. */
export function answersText(n: number): string {
  return interpolate(ngettext("%(count)s answer", "%(count)s answers", n), { count: n });
}

/** Who can answer a question, frozen when it opened, for the console and the projector: "8 couples can answer ·
 *  2 walk-ins". Said before anyone answers, so the room knows how many couples a total can hide an answer among. */
export function whoCanAnswer(prompt: { couples: number; walk_ins: number }): string {
  const n = prompt.couples;
  const w = prompt.walk_ins;
  const couples =
    n === 0
      ? gettext("No couple can answer")
      : interpolate(ngettext("%(count)s couple can answer", "%(count)s couples can answer", n), { count: n });
  const walkIns =
    w === 0 ? gettext("no walk-ins") : interpolate(ngettext("%(count)s walk-in", "%(count)s walk-ins", w), { count: w });
  return `${couples} · ${walkIns}`;
}

export function summaryOf(kind: PromptKind, result: FeedbackResult): string {
  const answers = answersText(result.answers);
  const c = result.couples;
  const summary =
    typeof c === "number"
      ? interpolate(ngettext("%(answers)s from %(count)s couple", "%(answers)s from %(count)s couples", c), { answers, count: c })
      : answers;
  if (kind === "scale" && typeof result.mean === "number") {
    return interpolate(gettext("%(summary)s · average %(mean)s"), { summary, mean: result.mean });
  }
  if (kind === "multiple") return interpolate(gettext("%(summary)s · several choices allowed"), { summary });
  return summary;
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
