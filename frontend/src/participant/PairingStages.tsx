// The pairing stages' screens (the flow that moves between them is in Pairing.tsx).
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { gettext, interpolate } from "../shared/i18n";
import { LanguageChoice } from "../shared/LanguageChoice";
import { QrCode } from "../shared/qr";
import { localTime } from "../shared/time";
import type { Pending } from "./exchange";
import { type Mode, type Pairing, useExchange } from "./Pairing";

type ModeOf<Name extends Mode["name"]> = Extract<Mode, { name: Name }>;

// Every stage after the first takes the focus to its heading, so a screen reader announces the new stage.
function StageHeading({ children }: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}

function ErrorLine({ error }: { error: string }) {
  return (
    error && (
      <p class="error-text" role="alert">
        {error}
      </p>
    )
  );
}

function Back({ pairing }: { pairing: Pairing }) {
  return (
    <button type="button" class="link" onClick={() => pairing.goTo({ name: "choose" })}>
      {gettext("Back to the pairing choices")}
    </button>
  );
}

function Words({ words }: { words: string[] }) {
  return (
    <ul class="words" aria-label={gettext("Pairing words")}>
      {words.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

export function ChooseStage({ pairing, name, onClose }: { pairing: Pairing; name?: string; onClose?: () => void }) {
  const { busy } = pairing;
  return (
    <main class="live-main" id="main">
      <h1>{gettext("Pair with your partner")}</h1>
      <p class="lead">
        {interpolate(gettext("Hello %(name)s. Your couple gets its own private space. How are you joining?"), { name: name ?? "" })}
      </p>
      <ErrorLine error={pairing.error} />
      <ul class="choice-list">
        <li>
          <button type="button" onClick={pairing.showCode} disabled={busy}>
            {gettext("Show a code for my partner's phone")}
          </button>
        </li>
        <li>
          <button type="button" onClick={() => pairing.goTo({ name: "type" })} disabled={busy}>
            {gettext("Type the code from my partner's phone")}
          </button>
        </li>
        <li>
          <button type="button" class="quiet" onClick={() => pairing.goTo({ name: "one-phone" })} disabled={busy}>
            {gettext("We share this one phone")}
          </button>
        </li>
        <li>
          <button type="button" class="quiet" onClick={pairing.alone} disabled={busy}>
            {gettext("Continue alone for now")}
          </button>
        </li>
      </ul>
      {onClose && (
        <button type="button" class="link" onClick={onClose}>
          {gettext("Not now")}
        </button>
      )}
      <LanguageChoice />
    </main>
  );
}

export function ShowCodeStage({ pairing, mode }: { pairing: Pairing; mode: ModeOf<"show"> }) {
  const expired = Date.parse(mode.expiresAt) < Date.now();
  return (
    <main class="live-main" id="main">
      <StageHeading>{gettext("Pair your partner's phone")}</StageHeading>
      <p>{gettext("On your partner's phone: scan this code with the camera, or open the session and type the code below.")}</p>
      <QrCode text={mode.link} label={gettext("QR code that opens the pairing link on your partner's phone")} />
      <p
        class="big-code"
        aria-label={interpolate(gettext("Pairing code: %(code)s"), { code: mode.code.split("").join(" ") })}
        data-pairing-code={mode.code}
      >
        {mode.code}
      </p>
      <p class="hint" data-pairing-link={mode.link}>
        {expired ? gettext("This code has expired.") : interpolate(gettext("Valid until %(time)s."), { time: localTime(mode.expiresAt) })}{" "}
        {gettext("When your partner enters it, both phones show the same three words.")}
      </p>
      {expired && (
        <button type="button" onClick={pairing.showCode} disabled={pairing.busy}>
          {gettext("Make a new code")}
        </button>
      )}
      <ErrorLine error={pairing.error} />
      <div class="row">
        <button type="button" class="quiet" onClick={pairing.alone} disabled={pairing.busy}>
          {gettext("Continue alone for now")}
        </button>
      </div>
      <Back pairing={pairing} />
    </main>
  );
}

interface TypeCodeProps {
  pairing: Pairing;
  typed: string;
  setTyped: (typed: string) => void;
}

export function TypeCodeStage({ pairing, typed, setTyped }: TypeCodeProps) {
  const submit = (e: Event) => {
    e.preventDefault();
    pairing.joinTyped(typed);
  };
  return (
    <main class="live-main" id="main">
      <StageHeading>{gettext("Type your partner's code")}</StageHeading>
      <form onSubmit={submit}>
        <div class="field">
          <label for="pair-code">{gettext("The code on your partner's phone")}</label>
          <input
            id="pair-code"
            class="code-input"
            value={typed}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            required
          />
        </div>
        <ErrorLine error={pairing.error} />
        <button type="submit" class="block" disabled={pairing.busy || !typed.trim()}>
          {gettext("Pair")}
        </button>
      </form>
      <Back pairing={pairing} />
    </main>
  );
}

export function ExchangeStage({ pairing, pending }: { pairing: Pairing; pending: Pending }) {
  const exchange = useExchange(pairing, pending);
  const creator = pending.role === "creator";
  const again = () => (creator ? pairing.showCode() : pairing.goTo({ name: "type" }));
  if (exchange.failed) {
    return (
      <main class="live-main" id="main">
        <StageHeading>{gettext("The phones aren't paired")}</StageHeading>
        <ErrorLine error={exchange.failed} />
        <button type="button" class="block" onClick={again}>
          {gettext("Start again")}
        </button>
        <Back pairing={pairing} />
      </main>
    );
  }
  if (!exchange.words) {
    return (
      <main class="live-main" id="main">
        <StageHeading>{gettext("Connecting the two phones…")}</StageHeading>
        <p>
          {!creator
            ? gettext("Waiting for your partner's phone to answer.")
            : pending.partner
              ? interpolate(gettext("%(name)s's phone is joining."), { name: pending.partner })
              : gettext("Your partner's phone is joining.")}
        </p>
      </main>
    );
  }
  return (
    <main class="live-main" id="main">
      <StageHeading>{exchange.confirmed ? gettext("Waiting for your partner") : gettext("Check the three words")}</StageHeading>
      <p class="lead">
        {exchange.confirmed
          ? gettext("You confirmed these words. Your partner now confirms them on their phone.")
          : gettext("Do both phones show these same three words?")}
      </p>
      <Words words={exchange.words} />
      {!exchange.confirmed && (
        <>
          <p class="hint">
            {gettext(
              "The words come from a secret the two phones just agreed on. If they differ, someone may have come between your phones: don't confirm; start again.",
            )}
          </p>
          <ErrorLine error={pairing.error} />
          <button type="button" class="block" onClick={exchange.confirm}>
            {gettext("Yes, the words match")}
          </button>
          <button type="button" class="block quiet" onClick={again}>
            {gettext("They don't match: start again")}
          </button>
        </>
      )}
    </main>
  );
}

interface OnePhoneProps {
  pairing: Pairing;
  partner2: string;
  setPartner2: (name: string) => void;
}

export function OnePhoneStage({ pairing, partner2, setPartner2 }: OnePhoneProps) {
  const submit = (e: Event) => {
    e.preventDefault();
    pairing.onePhone(partner2);
  };
  return (
    <main class="live-main" id="main">
      <StageHeading>{gettext("One phone for both of you")}</StageHeading>
      <p>
        {gettext(
          "Whenever an answer is private, the app asks you to hand the phone over, and hides the first answer before your partner writes theirs.",
        )}
      </p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="partner2">{gettext("Your partner's first name or pseudonym")}</label>
          <input
            id="partner2"
            value={partner2}
            maxLength={60}
            onInput={(e) => setPartner2((e.target as HTMLInputElement).value)}
            aria-describedby="partner2-hint"
          />
          <p class="hint" id="partner2-hint">
            {gettext("Only kept on this phone, to say whose turn it is.")}
          </p>
        </div>
        <ErrorLine error={pairing.error} />
        <button type="submit" class="block" disabled={pairing.busy}>
          {gettext("Use one phone")}
        </button>
      </form>
      <Back pairing={pairing} />
    </main>
  );
}
