// The live apps' words in the reader's language (each phone, console and projector chooses its own).
//
// Texts are written in English in the source and marked with gettext / ngettext, the names xgettext knows, so
// `manage.py makemessages` collects them into locale/<language>/LC_MESSAGES/djangojs.po. The server puts the
// reader's catalog into the page as a JSON block (config/i18n.py: only the language in use, empty for English);
// an unknown text falls back to the English it was written in. Plurals follow Intl.PluralRules; values go in by
// name with interpolate ("%(count)s couples"), never by joining strings, so a translation may reorder them.

interface I18nData {
  language: string;
  languages: [string, string][];
  catalog: Record<string, string | string[]>;
}

function readData(): I18nData {
  const node = typeof document === "undefined" ? null : document.getElementById("live-i18n");
  const data = JSON.parse(node?.textContent || "{}") as Partial<I18nData>;
  return { language: data.language || "en", languages: data.languages || [["en", "English"]], catalog: data.catalog || {} };
}

const data = readData();

/** The reader's language (a BCP 47 code), for Intl's formats and the page's lang. */
export const language = data.language;
/** The languages the reader may switch to: [code, name in its own language]. */
export const languages = data.languages;

// CLDR's categories in the order gettext catalogs list their plural forms (one before other, and so on).
const CATEGORY_ORDER = ["zero", "one", "two", "few", "many", "other"];
const pluralRules = new Intl.PluralRules(language);
const pluralForms = [...pluralRules.resolvedOptions().pluralCategories].sort(
  (a, b) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b),
);
const englishPlural = new Intl.PluralRules("en");
const numbers = new Intl.NumberFormat(language);

export function gettext(text: string): string {
  const found = data.catalog[text];
  return typeof found === "string" && found ? found : text;
}

/** The form for count n: the catalog's, or the English singular or plural it was written in. */
export function ngettext(singular: string, plural: string, n: number): string {
  const forms = data.catalog[singular];
  if (Array.isArray(forms)) {
    const form = forms[pluralForms.indexOf(pluralRules.select(n))];
    if (form) return form;
  }
  return englishPlural.select(n) === "one" ? singular : plural;
}

/** Fills %(name)s with values[name]. A number is a count, written in the reader's format (1.234 in German):
 * pass anything else (a year, a code) as a string. */
export function interpolate(text: string, values: Record<string, string | number>): string {
  return text.replace(/%\((\w+)\)s/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? numbers.format(value) : value;
  });
}
