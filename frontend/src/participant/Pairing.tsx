// Pairing the two partners' phones: a code (typed, or as a QR code) and three words both phones confirm;
// or one phone for both; or continuing alone.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Me } from "../shared/api";
import { QrCode } from "../shared/qr";
import { useStore } from "../shared/store";
import { localTime } from "../shared/time";
import { notify, useAction } from "../shared/ui";
import { localSet, refreshMe, send, store } from "./state";

type Mode =
  | { name: "choose" }
  | { name: "show"; code: string; link: string; expiresAt: string }
  | { name: "type" }
  | { name: "confirm"; requestId: number; words: string[]; role: "creator" | "joiner" }
  | { name: "waiting"; words: string[] }
  | { name: "one-phone" };

interface Pending {
  request_id: number;
  words: string[];
  role: "creator" | "joiner";
  confirmed_by_me: boolean;
  partner: string | null;
}

export function PairingScreen({ onClose }: { onClose?: () => void }) {
  const state = useStore(store);
  const sessionId = state.info!.session_id;
  const [mode, setMode] = useState<Mode>({ name: "choose" });
  const [error, setError] = useState("");
  const [typed, setTyped] = useState("");
  const [partner2, setPartner2] = useState("");
  const [busy, run] = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const modeRef = useRef(mode);
  modeRef.current = mode;

  const fail = (err: unknown) => setError(err instanceof ApiError ? err.message : String(err));

  useEffect(() => {
    if (mode.name !== "choose") heading.current?.focus();
  }, [mode.name]);

  // A reload in the middle of pairing, or a phone that arrived by the QR link.
  useEffect(() => {
    (async () => {
      try {
        if (store.get().qrPairing) {
          store.set({ qrPairing: false });
          const joined = await api.post<{ request_id: number; words: string[] }>("pair/join", { session_id: sessionId });
          setMode({ name: "confirm", requestId: joined.request_id, words: joined.words, role: "joiner" });
          return;
        }
        const { pending } = await api.get<{ pending: Pending | null }>(`sessions/${sessionId}/pair/pending`);
        if (pending) {
          setMode(
            pending.confirmed_by_me
              ? { name: "waiting", words: pending.words }
              : { name: "confirm", requestId: pending.request_id, words: pending.words, role: pending.role },
          );
        }
      } catch (err) {
        fail(err);
      }
    })();
  }, []);

  // While the code is showing, or while waiting for the partner's confirmation, look for progress.
  useEffect(() => {
    if (mode.name !== "show" && mode.name !== "waiting") return;
    const timer = window.setInterval(async () => {
      try {
        if (modeRef.current.name === "show") {
          const { pending } = await api.get<{ pending: Pending | null }>(`sessions/${sessionId}/pair/pending`);
          if (pending && !pending.confirmed_by_me && modeRef.current.name === "show") {
            setMode({ name: "confirm", requestId: pending.request_id, words: pending.words, role: pending.role });
          }
        } else {
          const info = await api.get<{ me: Me | null }>(`sessions/${sessionId}/me`);
          if ((info.me?.couple?.partners.length ?? 0) >= 2) {
            await refreshMe();
            send("sync", {}, { queue: false });
            notify("Your phones are paired.");
            onClose?.();
          }
        }
      } catch {
        /* offline for a moment: the next round tries again */
      }
    }, 2000);
    return () => window.clearInterval(timer);
  }, [mode.name, sessionId]);

  const showCode = () =>
    run(async () => {
      setError("");
      try {
        const started = await api.post<{ code: string; link: string; expires_at: string }>("pair/start", {
          session_id: sessionId,
        });
        setMode({ name: "show", code: started.code, link: started.link, expiresAt: started.expires_at });
      } catch (err) {
        fail(err);
      }
    });

  const joinTyped = (e: Event) => {
    e.preventDefault();
    run(async () => {
      setError("");
      try {
        const joined = await api.post<{ request_id: number; words: string[] }>("pair/join", {
          session_id: sessionId,
          code: typed,
        });
        setMode({ name: "confirm", requestId: joined.request_id, words: joined.words, role: "joiner" });
      } catch (err) {
        fail(err);
      }
    });
  };

  const confirm = (requestId: number, words: string[]) =>
    run(async () => {
      setError("");
      try {
        const result = await api.post<{ paired: boolean }>("pair/confirm", { session_id: sessionId, request_id: requestId });
        if (result.paired) {
          await refreshMe();
          send("sync", {}, { queue: false });
          notify("Your phones are paired.");
          onClose?.();
        } else {
          setMode({ name: "waiting", words });
        }
      } catch (err) {
        fail(err);
      }
    });

  const onePhone = (e: Event) => {
    e.preventDefault();
    run(async () => {
      setError("");
      try {
        const result = await api.post<{ me: Me }>("pair/one-phone", { session_id: sessionId, enabled: true });
        if (result.me.couple) localSet("partner2", result.me.couple.id, partner2.trim() || "your partner");
        await refreshMe();
        onClose?.();
      } catch (err) {
        fail(err);
      }
    });
  };

  const alone = () =>
    run(async () => {
      setError("");
      try {
        let coupleId = store.get().couple?.couple?.id ?? store.get().info?.me?.couple?.id;
        if (!coupleId) {
          await api.post("pair/start", { session_id: sessionId });
          await refreshMe();
          coupleId = store.get().info?.me?.couple?.id;
        }
        if (coupleId) localSet("alone", coupleId, "1");
        send("sync", {}, { queue: false });
        store.set({ tick: store.get().tick + 1 });
        onClose?.();
      } catch (err) {
        fail(err);
      }
    });

  const errorLine = error && (
    <p class="error-text" role="alert">
      {error}
    </p>
  );
  const back = (
    <button type="button" class="link" onClick={() => (setError(""), setMode({ name: "choose" }))}>
      Back to the pairing choices
    </button>
  );

  if (mode.name === "show") {
    const expired = Date.parse(mode.expiresAt) < Date.now();
    return (
      <main class="live-main" id="main">
        <h1 tabIndex={-1} ref={heading}>
          Pair your partner's phone
        </h1>
        <p>On your partner's phone: scan this code with the camera, or open the session and type the code below.</p>
        <QrCode text={mode.link} label="QR code that opens the pairing link on your partner's phone" />
        <p class="big-code" aria-label={`Pairing code: ${mode.code.split("").join(" ")}`} data-pairing-code={mode.code}>
          {mode.code}
        </p>
        <p class="hint" data-pairing-link={mode.link}>
          {expired ? "This code has expired." : `Valid until ${localTime(mode.expiresAt)}.`} When your partner enters it,
          both phones show the same three words.
        </p>
        {expired && (
          <button type="button" onClick={showCode} disabled={busy}>
            Make a new code
          </button>
        )}
        {errorLine}
        <div class="row">
          <button type="button" class="quiet" onClick={alone} disabled={busy}>
            Continue alone for now
          </button>
        </div>
        {back}
      </main>
    );
  }

  if (mode.name === "type") {
    return (
      <main class="live-main" id="main">
        <h1 tabIndex={-1} ref={heading}>
          Type your partner's code
        </h1>
        <form onSubmit={joinTyped}>
          <div class="field">
            <label for="pair-code">The code on your partner's phone</label>
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
          {errorLine}
          <button type="submit" class="block" disabled={busy || !typed.trim()}>
            Pair
          </button>
        </form>
        {back}
      </main>
    );
  }

  if (mode.name === "confirm") {
    return (
      <main class="live-main" id="main">
        <h1 tabIndex={-1} ref={heading}>
          Check the three words
        </h1>
        <p class="lead">Do both phones show these same three words?</p>
        <ul class="words" aria-label="Pairing words">
          {mode.words.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
        <p class="hint">If the words differ, someone else may have used your code. Don't confirm; start again.</p>
        {errorLine}
        <button type="button" class="block" disabled={busy} onClick={() => confirm(mode.requestId, mode.words)}>
          Yes, the words match
        </button>
        <button
          type="button"
          class="block quiet"
          disabled={busy}
          onClick={() => (mode.role === "creator" ? showCode() : setMode({ name: "type" }))}
        >
          They don't match: start again
        </button>
      </main>
    );
  }

  if (mode.name === "waiting") {
    return (
      <main class="live-main" id="main">
        <h1 tabIndex={-1} ref={heading}>
          Waiting for your partner
        </h1>
        <p>You confirmed these words. Your partner now confirms them on their phone.</p>
        <ul class="words" aria-label="Pairing words">
          {mode.words.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
        {errorLine}
      </main>
    );
  }

  if (mode.name === "one-phone") {
    return (
      <main class="live-main" id="main">
        <h1 tabIndex={-1} ref={heading}>
          One phone for both of you
        </h1>
        <p>
          Whenever an answer is private, the app asks you to hand the phone over, and hides the first answer before
          your partner writes theirs.
        </p>
        <form onSubmit={onePhone}>
          <div class="field">
            <label for="partner2">Your partner's first name or pseudonym</label>
            <input
              id="partner2"
              value={partner2}
              maxLength={60}
              onInput={(e) => setPartner2((e.target as HTMLInputElement).value)}
              aria-describedby="partner2-hint"
            />
            <p class="hint" id="partner2-hint">
              Only kept on this phone, to say whose turn it is.
            </p>
          </div>
          {errorLine}
          <button type="submit" class="block" disabled={busy}>
            Use one phone
          </button>
        </form>
        {back}
      </main>
    );
  }

  return (
    <main class="live-main" id="main">
      <h1>Pair with your partner</h1>
      <p class="lead">Hello {state.info?.me?.name}. Your couple gets its own private space. How are you joining?</p>
      {errorLine}
      <ul class="choice-list">
        <li>
          <button type="button" onClick={showCode} disabled={busy}>
            Show a code for my partner's phone
          </button>
        </li>
        <li>
          <button type="button" onClick={() => (setError(""), setMode({ name: "type" }))} disabled={busy}>
            Type the code from my partner's phone
          </button>
        </li>
        <li>
          <button type="button" class="quiet" onClick={() => (setError(""), setMode({ name: "one-phone" }))} disabled={busy}>
            We share this one phone
          </button>
        </li>
        <li>
          <button type="button" class="quiet" onClick={alone} disabled={busy}>
            Continue alone for now
          </button>
        </li>
      </ul>
      {onClose && (
        <button type="button" class="link" onClick={onClose}>
          Not now
        </button>
      )}
    </main>
  );
}
