// Entering: the session code, then consent (two separate choices) and a name.
import { useState } from "preact/hooks";
import { api, ApiError, type SessionInfo } from "../shared/api";
import { fill, useAction } from "../shared/ui";
import { enterSession, joinByCode, store } from "./state";
import { useStore } from "../shared/store";
import { gettext } from "../shared/i18n";
import { LanguageChoice } from "../shared/LanguageChoice";

// The page draws this screen itself before the app has arrived (templates/live/_join_screen.html), element for
// element, and the app's first render takes those elements over: a change here goes there too (the browser test
// tests/e2e/test_first_screen.py compares the two).
export function JoinScreen() {
  const state = useStore(store);
  const [code, setCode] = useState(state.joinCode);
  const [busy, run] = useAction();
  return (
    <main class="live-main" id="main">
      <h1>{gettext("Join a live session")}</h1>
      <p class="lead">{gettext("Type the code shown on the screen in the room (or in the video call).")}</p>
      <form
        method="get"
        action="/live/"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) run(() => joinByCode(code.trim()));
        }}
      >
        <div class="field">
          <label for="join-code">{gettext("Session code")}</label>
          <input
            id="join-code"
            class="code-input"
            name="code"
            value={code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            required
            aria-describedby={state.joinError ? "join-error" : undefined}
            aria-invalid={state.joinError ? "true" : undefined}
          />
        </div>
        {state.joinError && (
          <p id="join-error" class="error-text" role="alert">
            {state.joinError}
          </p>
        )}
        <button type="submit" class="block" disabled={busy}>
          {gettext("Join")}
        </button>
      </form>
      <p class="hint">{gettext("Got an e-mail invitation? Open its personal link on this phone instead.")}</p>
      <LanguageChoice />
    </main>
  );
}

export function ConsentScreen() {
  const state = useStore(store);
  const info = state.info!;
  const [takePart, setTakePart] = useState(false);
  const [feedback, setFeedback] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const [busy, run] = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!takePart) {
      setError(gettext("To take part, tick the first box. You can stop at any time."));
      return;
    }
    if (!name.trim()) {
      setError(gettext("Give a first name or a pseudonym."));
      return;
    }
    run(async () => {
      try {
        const result = await api.post<SessionInfo>("enter", {
          session_id: info.session_id,
          consent: true,
          feedback_consent: feedback,
          display_name: name.trim(),
        });
        enterSession(result);
      } catch (err) {
        setError(err instanceof ApiError ? err.message : String(err));
      }
    });
  };

  return (
    <main class="live-main" id="main">
      <h1>{gettext("Before you start")}</h1>
      <p class="lead">{info.workshop}</p>
      <WhatHappens />
      <form onSubmit={submit} noValidate>
        <fieldset class="options">
          <legend>{gettext("Your two choices")}</legend>
          <label class="check">
            <input type="checkbox" checked={takePart} onChange={(e) => setTakePart((e.target as HTMLInputElement).checked)} />
            <span>
              {fill(gettext("<strong>I want to take part</strong> on these terms. I can pass on any question and stop at any time."))}
            </span>
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={feedback}
              onChange={(e) => setFeedback((e.target as HTMLInputElement).checked)}
              aria-describedby="feedback-note feedback-limit"
            />
            <span>
              {fill(gettext("<strong>I'd like to give anonymous feedback</strong> to the group too (optional)."))}
            </span>
          </label>
          <p class="hint" id="feedback-note">
            {fill(
              gettext(
                "Anonymous feedback carries no name and can't be traced back to you. That also means it <strong>cannot be erased later</strong>, not even on request.",
              ),
            )}
          </p>
          <p class="hint" id="feedback-limit">
            {gettext(
              "Answers show only as totals, and only once enough are in: at least the number each question states, from at least three couples. One limit remains: someone who wrote, or made up, all but one of the answers in a total could work out the last one. That's why each question shows how many couples can answer it, and why facilitators admit couples who walk in where the whole room can see.",
            )}
          </p>
        </fieldset>
        <div class="field">
          <label for="display-name">{gettext("Your first name or a pseudonym")}</label>
          <input
            id="display-name"
            name="display_name"
            value={name}
            maxLength={60}
            autocomplete="given-name"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
            aria-describedby="name-hint"
          />
          <p class="hint" id="name-hint">
            {gettext("Your partner and the facilitator see this name. Nothing else about you is kept.")}
          </p>
        </div>
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="block" disabled={busy}>
          {gettext("Enter the session")}
        </button>
      </form>
      <LanguageChoice />
    </main>
  );
}

// What the consent is about, before the two choices.
function WhatHappens() {
  return (
    <div class="callout">
      <h2>{gettext("What happens to what you write")}</h2>
      <ul>
        <li>
          {gettext(
            "It stays in your couple's private space. Facilitators see how you're getting on (working, done, paused), never what you write.",
          )}
        </li>
        <li>
          {gettext(
            "Private reflections are only ever yours. Answers show to your partner once you have both answered, and you can pass or keep an answer back.",
          )}
        </li>
        <li>
          {gettext(
            "It is deleted from our server automatically after the workshop (the app shows you the date), and you can download or erase it at any time.",
          )}
        </li>
      </ul>
    </div>
  );
}
