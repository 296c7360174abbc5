// The reader's language, chosen on this device only (Django's language cookie: config/i18n.py), so two
// partners' phones in one couple may each read their own. The page reloads to read the new catalog.
import { csrfToken } from "./api";
import { gettext, language, languages } from "./i18n";

async function choose(code: string): Promise<void> {
  const body = new URLSearchParams({ language: code, next: location.pathname });
  await fetch("/i18n/setlang/", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
    body,
  });
  location.reload();
}

export function LanguageChoice() {
  if (languages.length < 2) return null;
  return (
    <div class="language-choice">
      <label for="language-choice">{gettext("Language")}</label>
      <select id="language-choice" value={language} onChange={(e) => void choose((e.target as HTMLSelectElement).value)}>
        {languages.map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
