// Workshop content (steps, questions, the program's notes) in the reader's language.
//
// The server sends each step and question as written (`language` names the language) and the same texts in the
// other languages it has them in (`translations`: the built-in library in English and German; an organization's
// own exercises usually only as written): realtime/steps.py, feedback/snapshots.py. Each app shows its reader's
// language where there is a translation, else the texts as written; `lang` says which, for the lang attribute
// of the element that shows them (a screen reader then reads German as German).

import { language } from "./i18n";

export interface InLanguages {
  language?: string; // the language the texts were written in ("" when unknown)
  translations?: Record<string, Record<string, unknown>>;
  lang?: string; // set here: the language shown ("" when unknown)
}

type Plain = Record<string, unknown>;

/** Every part of `value` that carries translations, in the reader's language (a copy; `value` is untouched).
 *  An option keeps its place in every language, so a released count follows its option's place. */
export function inReadersLanguage<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => inReadersLanguage(item)) as T;
  if (value === null || typeof value !== "object") return value;
  const source = value as Plain;
  const shown: Plain = {};
  for (const [key, inner] of Object.entries(source)) {
    if (key !== "translations") shown[key] = inReadersLanguage(inner);
  }
  if ("translations" in source) {
    const translated = (source.translations as InLanguages["translations"])?.[language];
    if (translated) Object.assign(shown, translated);
    shown.lang = translated ? language : (source.language as string | undefined) || "";
    relabelCounts(shown);
  }
  return shown as T;
}

function relabelCounts(prompt: Plain): void {
  const options = prompt.options;
  const result = prompt.result as { counts?: { option?: string }[] } | null | undefined;
  if (!Array.isArray(options) || !result?.counts) return;
  prompt.result = {
    ...result,
    counts: result.counts.map((count, place) => (count.option === undefined ? count : { ...count, option: options[place] })),
  };
}

/** The frames that carry content: a session's (its step, the run of show) and the feedback's (its questions). */
export function frameInReadersLanguage<T extends { type: string }>(frame: T): T {
  return frame.type === "session" || frame.type === "feedback" ? inReadersLanguage(frame) : frame;
}
