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
  const width = (count: number) => `${Math.round((100 * count) / top)}%`;
  return (
    <ul class="bars" aria-label={label}>
      {bars.map((b) => (
        <li key={b.label}>
          <span class="bar-label">{b.label}</span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: width(b.count) }} />
          </span>
          <span class="bar-count">
            {b.count}
            <span class="visually-hidden"> {ngettext("answer", "answers", b.count)}</span>
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
  const { couples, walk_ins: walkIns } = prompt;
  const who =
    couples === 0
      ? gettext("No couple can answer")
      : interpolate(ngettext("%(count)s couple can answer", "%(count)s couples can answer", couples), { count: couples });
  const walkedIn =
    walkIns === 0 ? gettext("no walk-ins") : interpolate(ngettext("%(count)s walk-in", "%(count)s walk-ins", walkIns), { count: walkIns });
  return `${who} · ${walkedIn}`;
}

export function summaryOf(kind: PromptKind, result: FeedbackResult): string {
  let n = interpolate(ngettext("%(count)s answer", "%(count)s answers", result.answers), { count: result.answers });
  if (typeof result.couples === "number") {
    n = interpolate(ngettext("%(answers)s from %(count)s couple", "%(answers)s from %(count)s couples", result.couples), {
      answers: n,
      count: result.couples,
    });
  }
  if (kind === "scale" && typeof result.mean === "number") return interpolate(gettext("%(answers)s · average %(mean)s"), { answers: n, mean: result.mean });
  if (kind === "multiple") return interpolate(gettext("%(answers)s · several choices allowed"), { answers: n });
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
