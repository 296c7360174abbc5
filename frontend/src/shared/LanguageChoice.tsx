// The reader's language, chosen on this device only (Django's language cookie: config/i18n.py), so two
// partners' phones in one couple may each read their own. The page reloads to read the new catalog.
//
// The projector keeps its choice in its own address instead (?lang=<code>): it runs in the same browser as the
// console beside it, and a choice on one must not change the other.
import { csrfToken } from "./api";
import { noteDevice } from "./deviceNote";
import { gettext, language, languages } from "./i18n";

async function chooseForDevice(code: string): Promise<void> {
  const body = new URLSearchParams({ language: code, next: location.pathname });
  await fetch("/i18n/setlang/", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
    body,
  });
  await noteDevice({ language: code }); // the participant app's worker opens the join screen in it from now on
  location.reload();
}

function chooseForPage(code: string): void {
  const url = new URL(location.href);
  url.searchParams.set("lang", code);
  location.replace(url.href); // as the device's choice reloads: a language is no page to go back to
}

/** The language menu. `inAddress`: the choice is this page's alone, kept in its address (the projector's). */
export function LanguageChoice({ inAddress = false }: { inAddress?: boolean }) {
  if (languages.length < 2) return null;
  const choose = (code: string) => {
    if (inAddress) chooseForPage(code);
    else void chooseForDevice(code);
  };
  return (
    <div class="language-choice">
      <label for="language-choice">{gettext("Language")}</label>
      <select id="language-choice" value={language} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
        {languages.map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
