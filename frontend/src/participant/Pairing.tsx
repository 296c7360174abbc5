// Pairing the two partners' phones: a code (typed, or as a QR code), or the couple's invitation link, starts the
// key exchange (exchange.ts), whose three words both phones confirm; or one phone for both; or continuing alone.
// This file holds the flow (which stage, the requests); the stages' screens are in PairingStages.tsx.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Me } from "../shared/api";
import { gettext } from "../shared/i18n";
import { useStore } from "../shared/store";
import { notify, useAction } from "../shared/ui";
import type { Agreed } from "./e2e";
import { advance, confirmAsCreator, confirmAsJoiner, ExchangeFailed, fetchPending, joinExchange, type Pending } from "./exchange";
import { localSet, refreshMe, send, store } from "./state";
import { ChooseStage, ExchangeStage, OnePhoneStage, ShowCodeStage, TypeCodeStage } from "./PairingStages";

export type Mode =
  | { name: "choose" }
  | { name: "show"; code: string; link: string; expiresAt: string }
  | { name: "type" }
  | { name: "exchange"; pending: Pending }
  | { name: "one-phone" };

export type Pairing = ReturnType<typeof usePairing>;

/** `start`: "show" opens with a code for the partner's phone, "type" with the code field (the key again). */
export function PairingScreen({ onClose, start }: { onClose?: () => void; start?: "show" | "type" }) {
  const state = useStore(store);
  const pairing = usePairing(state.info!.session_id, onClose, start);
  // The typed code and the partner's name outlive a stage, as when "start again" returns to the code field.
  const [typed, setTyped] = useState("");
  const [partner2, setPartner2] = useState("");
  const { mode } = pairing;

  if (mode.name === "show") return <ShowCodeStage pairing={pairing} mode={mode} />;
  if (mode.name === "type") return <TypeCodeStage pairing={pairing} typed={typed} setTyped={setTyped} />;
  if (mode.name === "exchange") return <ExchangeStage key={mode.pending.request_id} pairing={pairing} pending={mode.pending} />;
  if (mode.name === "one-phone") return <OnePhoneStage pairing={pairing} partner2={partner2} setPartner2={setPartner2} />;
  return <ChooseStage pairing={pairing} name={state.info?.me?.name} onClose={onClose} />;
}

const message = (err: unknown) => (err instanceof ApiError || err instanceof ExchangeFailed ? err.message : String(err));

// The stage, the last error, and the requests that move from one stage to the next.
function usePairing(sessionId: number, onClose?: () => void, start?: "show" | "type") {
  const [mode, setMode] = useState<Mode>(start === "type" ? { name: "type" } : { name: "choose" });
  const [error, setError] = useState("");
  const [busy, run] = useAction();

  const fail = (err: unknown) => setError(message(err));
  const attempt = (work: () => Promise<void>) =>
    run(async () => {
      setError("");
      try {
        await work();
      } catch (err) {
        fail(err);
      }
    });
  const paired = async () => {
    await refreshMe();
    send("sync", {}, { queue: false });
    notify(gettext("Your phones are paired."));
    onClose?.();
  };
  // With the typed code; without one, for a phone that arrived by the QR link or its invitation link.
  const join = async (code?: string) => setMode({ name: "exchange", pending: await joinExchange(sessionId, code) });
  const showCode = () =>
    attempt(async () => {
      const started = await api.post<{ code: string; link: string; expires_at: string }>("pair/start", {
        session_id: sessionId,
      });
      setMode({ name: "show", code: started.code, link: started.link, expiresAt: started.expires_at });
    });
  usePairingProgress({ sessionId, mode, setMode, fail, join });
  useEffect(() => {
    if (start === "show") showCode();
  }, []);

  return {
    sessionId,
    mode,
    setMode,
    error,
    setError,
    busy,
    paired,
    // Another stage, without the last stage's error.
    goTo: (next: Mode) => (setError(""), setMode(next)),
    showCode,
    joinTyped: (code: string) => attempt(() => join(code)),
    onePhone: (partner2: string) =>
      attempt(async () => {
        const result = await api.post<{ me: Me }>("pair/one-phone", { session_id: sessionId, enabled: true });
        // Without a name, the app says "your partner" in whichever language the phone reads then (state.ts).
        if (result.me.couple) localSet("partner2", result.me.couple.id, partner2.trim() || null);
        await refreshMe();
        onClose?.();
      }),
    alone: () =>
      attempt(async () => {
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
      }),
  };
}

interface Progress {
  sessionId: number;
  mode: Mode;
  setMode: (mode: Mode) => void;
  fail: (err: unknown) => void;
  join: () => Promise<void>;
}

// Pairing that began before this screen: a reload in the middle of it, a phone that arrived by the QR link or by
// its couple's invitation link; then, while this phone is choosing or shows its code, a partner's phone that
// joins (by the code, or by the couple's invitation link).
function usePairingProgress({ sessionId, mode, setMode, fail, join }: Progress) {
  const modeRef = useRef(mode);
  modeRef.current = mode;

  useEffect(() => {
    (async () => {
      try {
        if (store.get().qrPairing || store.get().info?.me?.invited) {
          store.set({ qrPairing: false });
          await join();
          return;
        }
        const pending = await fetchPending(sessionId);
        if (pending) setMode({ name: "exchange", pending });
      } catch (err) {
        fail(err);
      }
    })();
  }, []);

  useEffect(() => {
    if (mode.name !== "show" && mode.name !== "choose") return;
    const timer = window.setInterval(async () => {
      try {
        const pending = await fetchPending(sessionId);
        const waiting = modeRef.current.name === "show" || modeRef.current.name === "choose";
        if (pending?.role === "creator" && waiting) setMode({ name: "exchange", pending });
      } catch {
        /* offline for a moment: the next round tries again */
      }
    }, 2000);
    return () => window.clearInterval(timer);
  }, [mode.name, sessionId]);
}

export type Exchange = ReturnType<typeof useExchange>;

/** One exchange, from the first public key to the pairing: polls the server every second, sends this phone's
 *  values when it is its turn, shows the words, and after "yes" confirms (the couple's phone) or takes the key and
 *  confirms (the joiner). */
export function useExchange(pairing: Pairing, initial: Pending) {
  const { sessionId } = pairing;
  const [words, setWords] = useState<string[] | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [failed, setFailed] = useState("");
  const live = useRef({ agreed: null as Agreed | null, confirmed: false, stepping: false, over: false });

  const over = (text: string) => ((live.current.over = true), setFailed(text));
  const step = async () => {
    const now = live.current;
    if (now.stepping || now.over) return;
    now.stepping = true;
    try {
      const pending = await fetchPending(sessionId);
      if (!pending || pending.request_id !== initial.request_id) {
        await ended();
        return;
      }
      now.agreed = now.agreed ?? (await advance(sessionId, pending));
      if (now.agreed) setWords(now.agreed.words);
      if (now.agreed && now.confirmed && pending.role === "joiner" && pending.wrapped_key) {
        now.over = true;
        await confirmAsJoiner(sessionId, pending, now.agreed.wrapKey);
        await pairing.paired();
      }
    } catch (err) {
      if (err instanceof ExchangeFailed) over(err.message);
      else if (err instanceof ApiError) over(err.message);
      /* otherwise offline for a moment: the next round tries again */
    } finally {
      now.stepping = false;
    }
  };
  // The server keeps an exchange until the joiner confirms last: gone after this phone confirmed as the couple's
  // phone means the partner's phone has the key; otherwise it expired, or another phone started a new one.
  const ended = async () => {
    await refreshMe();
    const partners = store.get().info?.me?.couple?.partners.length ?? 0;
    if (live.current.confirmed && initial.role === "creator" && partners >= 2) {
      live.current.over = true;
      await pairing.paired();
    } else over(gettext("That pairing has ended. Start again with a fresh code."));
  };

  useEffect(() => {
    step();
    const timer = window.setInterval(step, 1000);
    return () => window.clearInterval(timer);
  }, []);

  return {
    words,
    confirmed,
    failed,
    confirm: async () => {
      const agreed = live.current.agreed;
      if (!agreed) return;
      try {
        if (initial.role === "creator") await confirmAsCreator(sessionId, initial, agreed.wrapKey);
        live.current.confirmed = true;
        setConfirmed(true);
        step();
      } catch (err) {
        over(message(err));
      }
    },
  };
}
