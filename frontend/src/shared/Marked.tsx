// A translated sentence with emphasis in it: the catalog keeps the sentence whole, with <strong>…</strong> where
// its words are stressed (a translation puts the stress where its own word order has those words), and this
// renders it. Values go in after the split, so nothing a value holds is ever read as markup.
import { interpolate } from "./i18n";

export function Marked({ text, values = {} }: { text: string; values?: Record<string, string | number> }) {
  const parts = text.split(/<strong>(.*?)<\/strong>/);
  return <>{parts.map((part, n) => (n % 2 ? <strong key={n}>{interpolate(part, values)}</strong> : interpolate(part, values)))}</>;
}
